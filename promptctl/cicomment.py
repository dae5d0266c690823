"""One sticky review comment on the pull request (GitHub) or merge request (GitLab).

The comment starts with a hidden marker; the job finds its own comment by that marker
and edits it, so a pull request carries one promptctl comment however often CI runs.
The token is the job's: ``GITHUB_TOKEN`` (the Action passes ``github.token``) or, on
GitLab, ``PROMPTCTL_GITLAB_TOKEN`` (a project access token with the ``api`` scope; the
job token cannot write notes). A refusal (a fork's read-only token, a missing token)
is a warning, never a failed job: the job summary carries the same review.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from promptctl.cijob import pull_request_number
from promptctl.httpjson import HttpFailed, call

MARKER = "<!-- promptctl:review -->"
GITHUB_LIMIT = 60_000  # GitHub refuses comments over 65,536 characters
GITLAB_LIMIT = 900_000
_TIMEOUT = 15
_PAGES = 20  # 2,000 comments: a pull request with more is read no further


class CommentFailed(Exception):
    pass


@dataclass
class Target:
    """Where the comment goes and how to talk to it."""

    system: str  # "GitHub" or "GitLab"
    list_url: str  # GET lists comments, POST creates one
    item_url: str  # format with the comment id: PATCH (GitHub) or PUT (GitLab) edits it
    update_method: str
    headers: dict[str, str]
    limit: int


def target(env: dict[str, str]) -> Target | str:
    """The comment's target, or why there is none (a line for the user)."""
    if env.get("GITHUB_ACTIONS") == "true":
        number = pull_request_number(env)
        if number is None:
            return "no review comment: this run is not for a pull request"
        token = env.get("GITHUB_TOKEN") or env.get("GH_TOKEN")
        if not token:
            return "no review comment: GITHUB_TOKEN is not set (pass `github.token` to the step)"
        api = env.get("GITHUB_API_URL", "https://api.github.com").rstrip("/")
        repo = env.get("GITHUB_REPOSITORY", "")
        headers = {
            "Authorization": f"Bearer {token}",
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": "2022-11-28",
        }
        return Target(
            "GitHub",
            f"{api}/repos/{repo}/issues/{number}/comments",
            f"{api}/repos/{repo}/issues/comments/{{}}",
            "PATCH",
            headers,
            GITHUB_LIMIT,
        )
    if env.get("GITLAB_CI"):
        iid = env.get("CI_MERGE_REQUEST_IID")
        if not iid:
            return "no review note: this pipeline is not for a merge request"
        token = env.get("PROMPTCTL_GITLAB_TOKEN")
        if not token:
            return "no review note: PROMPTCTL_GITLAB_TOKEN is not set (a project access token with the `api` scope)"
        api = env.get("CI_API_V4_URL", "").rstrip("/")
        project = quote(env.get("CI_PROJECT_ID", ""), safe="")
        base = f"{api}/projects/{project}/merge_requests/{quote(iid, safe='')}/notes"
        return Target("GitLab", base, base + "/{}", "PUT", {"PRIVATE-TOKEN": token}, GITLAB_LIMIT)
    return "no review comment: not running under GitHub Actions or GitLab CI"


def _call(method: str, url: str, headers: dict[str, str], body: dict[str, str] | None = None) -> object:
    try:
        return call(method, url, headers, body, timeout=_TIMEOUT)
    except HttpFailed as exc:
        raise CommentFailed(exc.reason) from None


def _existing(t: Target) -> int | None:
    for page in range(1, _PAGES + 1):
        sep = "&" if "?" in t.list_url else "?"
        items = _call("GET", f"{t.list_url}{sep}per_page=100&page={page}", t.headers)
        if not isinstance(items, list):
            return None
        for item in items:
            if isinstance(item, dict) and str(item.get("body", "")).startswith(MARKER) and isinstance(item.get("id"), int):
                return int(item["id"])
        if len(items) < 100:
            return None
    return None


def post(markdown: str, env: dict[str, str]) -> str:
    """Create or update the sticky comment; returns a line saying what was done.
    Raises :class:`CommentFailed` with what went wrong."""
    t = target(env)
    if isinstance(t, str):
        return t
    body = {"body": f"{MARKER}\n{markdown}"}
    found = _existing(t)
    if found is None:
        _call("POST", t.list_url, t.headers, body)
        return f"posted the review comment on the {'pull' if t.system == 'GitHub' else 'merge'} request"
    _call(t.update_method, t.item_url.format(found), t.headers, body)
    return f"updated the review comment on the {'pull' if t.system == 'GitHub' else 'merge'} request"


def limit(env: dict[str, str]) -> int:
    t = target(env)
    return t.limit if isinstance(t, Target) else GITLAB_LIMIT

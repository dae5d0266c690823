"""The CI job: where the base comes from in each CI system, and where its reports go.

Base, in order: ``--base``; GitHub Actions (the pull request's base commit from the
event payload, else ``origin/$GITHUB_BASE_REF``; on a push, the commit before it);
GitLab (``CI_MERGE_REQUEST_DIFF_BASE_SHA``, else ``origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME``;
on a push, ``CI_COMMIT_BEFORE_SHA``); else the configured base branch. A push's "before"
commit that this clone does not have (a force-push rewrote it) falls back to the base
branch with a warning: the job still judges something sensible.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from promptctl.git import ZERO


@dataclass
class Base:
    ref: str | None  # None: the configured base branch
    source: str
    warnings: list[str] = field(default_factory=list)


def base_from_environment(env: dict[str, str] | None = None, known: Callable[[str], bool] = lambda ref: True) -> Base:
    """Where the CI system says the change starts; ``known`` tells whether this clone has
    a commit (a push's "before" commit may be gone after a force-push)."""
    env = dict(os.environ) if env is None else env
    before, before_source = None, ""
    if env.get("GITHUB_ACTIONS") == "true":
        payload = _payload(env.get("GITHUB_EVENT_PATH"))
        pr = payload.get("pull_request")
        if isinstance(pr, dict):
            sha = (pr.get("base") or {}).get("sha")
            if isinstance(sha, str) and sha:
                return Base(sha, "the pull request's base commit (GitHub event payload)")
        if env.get("GITHUB_BASE_REF"):
            return Base(f"origin/{env['GITHUB_BASE_REF']}", "GITHUB_BASE_REF")
        before, before_source = payload.get("before"), "the commit before the push (GitHub event payload)"
    elif env.get("GITLAB_CI"):
        if env.get("CI_MERGE_REQUEST_DIFF_BASE_SHA"):
            return Base(env["CI_MERGE_REQUEST_DIFF_BASE_SHA"], "CI_MERGE_REQUEST_DIFF_BASE_SHA")
        if env.get("CI_MERGE_REQUEST_TARGET_BRANCH_NAME"):
            return Base(f"origin/{env['CI_MERGE_REQUEST_TARGET_BRANCH_NAME']}", "CI_MERGE_REQUEST_TARGET_BRANCH_NAME")
        before, before_source = env.get("CI_COMMIT_BEFORE_SHA"), "the commit before the push (CI_COMMIT_BEFORE_SHA)"
    elif env.get("CI_MERGE_REQUEST_DIFF_BASE_SHA"):
        return Base(env["CI_MERGE_REQUEST_DIFF_BASE_SHA"], "CI_MERGE_REQUEST_DIFF_BASE_SHA")
    if isinstance(before, str) and before and before != ZERO:
        if known(before):
            return Base(before, before_source)
        return Base(
            None,
            "the base branch",
            [
                f"the commit before the push ({before[:12]}) is not in this clone (a force-push rewrote it?): judging against the base branch"
            ],
        )
    return Base(None, "the base branch")


def _payload(path: str | None) -> dict[str, object]:
    if not path:
        return {}
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def pull_request_number(env: dict[str, str]) -> int | None:
    """The pull request a GitHub job runs for (from its event payload), else None."""
    pr = _payload(env.get("GITHUB_EVENT_PATH")).get("pull_request")
    number = pr.get("number") if isinstance(pr, dict) else None
    return number if isinstance(number, int) else None


def review_file(env: dict[str, str], given: Path | None) -> Path | None:
    """Where the Markdown review goes as a file: ``--review-file``, else under GitLab CI
    ``promptctl-review.md`` (an artifact for the merge request)."""
    if given is not None:
        return given
    return Path("promptctl-review.md") if env.get("GITLAB_CI") else None


def push_to(env: dict[str, str], branch: str) -> bool:
    """Whether this CI run is for a push to ``branch`` (not a pull or merge request)."""
    if env.get("GITHUB_ACTIONS") == "true":
        return env.get("GITHUB_EVENT_NAME") == "push" and env.get("GITHUB_REF") == f"refs/heads/{branch}"
    if env.get("GITLAB_CI"):
        return env.get("CI_PIPELINE_SOURCE") == "push" and env.get("CI_COMMIT_BRANCH") == branch
    return False

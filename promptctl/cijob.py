"""The CI job: where the base comes from in each CI system, and the Markdown summary.

Base, in order: ``--base``; GitHub Actions (the pull request's base commit from the
event payload, else ``origin/$GITHUB_BASE_REF``; on a push, the commit before it);
GitLab (``CI_MERGE_REQUEST_DIFF_BASE_SHA``); else the configured base branch.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from promptctl.git import ZERO


def base_from_environment(env: dict[str, str] | None = None) -> tuple[str | None, str]:
    """(base ref or None for the configured base branch, where it came from)."""
    env = dict(os.environ) if env is None else env
    if env.get("GITHUB_ACTIONS") == "true":
        payload = _payload(env.get("GITHUB_EVENT_PATH"))
        pr = payload.get("pull_request") if isinstance(payload, dict) else None
        if isinstance(pr, dict):
            sha = (pr.get("base") or {}).get("sha")
            if isinstance(sha, str) and sha:
                return sha, "the pull request's base commit (GitHub event payload)"
        if env.get("GITHUB_BASE_REF"):
            return f"origin/{env['GITHUB_BASE_REF']}", "GITHUB_BASE_REF"
        before = payload.get("before") if isinstance(payload, dict) else None
        if isinstance(before, str) and before and before != ZERO:
            return before, "the commit before the push (GitHub event payload)"
    if env.get("CI_MERGE_REQUEST_DIFF_BASE_SHA"):
        return env["CI_MERGE_REQUEST_DIFF_BASE_SHA"], "CI_MERGE_REQUEST_DIFF_BASE_SHA"
    return None, "the base branch"


def _payload(path: str | None) -> object:
    if not path:
        return {}
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}

"""A published version file was deleted.

Why: applications, bundles and traces refer to published versions by number; once a
version is on the base branch it stays, so that `load_prompt(name, version=N)` and
`diff` keep working and the history of what ran in production stays readable.

Example (fails): `git rm prompts/customer-support-v2.yaml` after v2 is on main.

Fix: restore the file (`git checkout <base> -- <path>`). To stop using a version, move
the channels that point at it (`promptctl tag NAME N production`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from promptctl.findings import Finding, Severity
from promptctl.rules.base import HistoryRule

if TYPE_CHECKING:
    from promptctl.history import History


def check(history: History) -> Iterator[Finding]:
    for prev in history.removed_versions():
        if prev.entry.sha not in history.added_by_blob:  # else a rename: reported by renamed-version
            yield RULE.at(prev.path, (1, 1), f"published version {prev.label} was deleted; restore {prev.path}")


RULE = HistoryRule("deleted-version", Severity.ERROR, __doc__, check=check)

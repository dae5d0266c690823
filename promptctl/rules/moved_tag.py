"""A published tag now points at another version.

Why: a tag like `2025-q1-launch` names one version forever; evaluations, incident
reports and bundles rely on it. Only channels (config `channels`, default
`production` and `staging`) are meant to move — and each move still shows in review.

Example (fails): changing `2025-q1-launch: 2` to `2025-q1-launch: 3`.

Fix: restore the tag and create a new one, or make the name a channel in the
configuration if it is meant to move.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from promptctl.findings import Finding, Severity
from promptctl.rules.base import HistoryRule

if TYPE_CHECKING:
    from promptctl.history import History


def check(history: History) -> Iterator[Finding]:
    for change in history.tag_changes():
        if change.before is None or change.after is None or change.before == change.after:
            continue
        if change.tag in history.settings.channels:
            continue
        yield RULE.at(
            change.path,
            change.position,
            f"tag `{change.tag}` of `{change.name}` is published at {change.before!r} and cannot move to {change.after!r}; "
            "create a new tag instead (only channels move)",
        )


RULE = HistoryRule("moved-tag", Severity.ERROR, __doc__, check=check)

"""A published tag (or channel) was removed.

Why: whatever deploys by that tag would break, and the record of what it pointed at
disappears from the prompt's history. This covers deleting the tags file as a whole.

Example (fails): removing `production: 3` from `prompts/customer-support.tags.yaml`.

Fix: restore the tag. To stop using a channel's version, point it elsewhere with
`promptctl tag NAME VERSION CHANNEL` or `promptctl rollback NAME CHANNEL`.
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
        if change.before is not None and change.after is None:
            yield RULE.at(change.path, (1, 1), f"published tag `{change.tag}` of `{change.name}` (→ {change.before!r}) was removed")


RULE = HistoryRule("deleted-tag", Severity.ERROR, __doc__, check=check)

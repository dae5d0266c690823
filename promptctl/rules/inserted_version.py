"""A new version file is numbered at or below the highest published version.

Why: versions only grow. A new file numbered below the newest published one (after a
deletion, or in the other layout) would make "the latest version" and "the one before"
mean different things in different clones.

Example (fails): adding `prompts/greeting/v2.yaml` while `prompts/greeting-v3.yaml` is
published.

Fix: number it above the highest published version — `promptctl bump NAME` does.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from promptctl.findings import Finding, Severity
from promptctl.rules.base import HistoryRule

if TYPE_CHECKING:
    from promptctl.history import History


def check(history: History) -> Iterator[Finding]:
    for pair in history.pairs:
        cur = pair.current
        if pair.previous is not None or cur is None or cur.where.kind != "version":
            continue
        name, number = cur.where.name, cur.where.version
        published = history.published.get(name or "", set())
        if not name or not number or not published or number > max(published):
            continue
        if cur.entry.sha in history.removed_by_blob:
            continue  # a rename: reported by renamed-version
        top = max(published)
        yield RULE.at(
            cur.path, (1, 1), f"new version {name}@{number} is not above the highest published version v{top}; number it v{top + 1}"
        )


RULE = HistoryRule("inserted-version", Severity.ERROR, __doc__, check=check)

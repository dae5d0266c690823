"""A published version file was renamed or moved.

Why: a version's path is its identity (name and number). A rename — including a
case-only one, or a move between the flat and nested layouts — deletes a published
version and creates another. promptctl pairs files by content, so it is caught with or
without git's rename detection.

Example (fails): `git mv prompts/support-v1.yaml prompts/customer-support-v1.yaml`.

Fix: move the file back; to rename a prompt, create the new name with `promptctl new`
and keep the old one.
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
        targets = history.added_by_blob.get(prev.entry.sha)
        if targets:
            yield RULE.at(prev.path, (1, 1), f"published version {prev.label} was renamed to {', '.join(sorted(targets))}; move it back")


RULE = HistoryRule("renamed-version", Severity.ERROR, __doc__, check=check)

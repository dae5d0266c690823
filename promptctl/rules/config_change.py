"""The change edits the configuration that judges history.

Why: the change under review must not configure its own judge. Which folder holds the
prompts, its layout, the base branch, the channels and which history rules run are read
from the configuration as published on the base branch; a pull request that moves the
prompts folder or ignores `modified-version` is still judged by the published rules.
The edit itself is shown here so that reviewers see it; it takes effect once merged.

Example (warns): a pull request that adds `ignore = ["modified-version"]` to
`[tool.promptctl]`, or changes `prompts_dir = "prompts"` to `"other"`.

Fix: nothing, when the change is intended: review it and merge it on its own. A moved
prompts folder is judged as the deletion of every published version it held.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from promptctl.findings import Finding, Severity
from promptctl.rules.base import HistoryRule

if TYPE_CHECKING:
    from promptctl.history import History


def _show(value: object) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    return "(default)" if value is None else repr(value)


def check(history: History) -> Iterator[Finding]:
    for change in history.config_changes:
        yield RULE.at(
            history.config_path,
            (1, 1),
            f"`{change.key}` changes from {_show(change.published)} to {_show(change.proposed)}; history is "
            "judged by the published configuration until this change is merged",
        )


RULE = HistoryRule("config-change", Severity.WARNING, __doc__, check=check)

"""A published version file was changed.

Why: a published version is what some deployment, trace or evaluation refers to by
number; changing it in place rewrites history under everyone who relies on it. Any
change counts — content, whitespace, line endings, file mode, or replacing the file
with a symbolic link. Content is compared from git blobs, so a work tree converted by
`core.autocrlf` is no false alarm. The finding shows the first changed lines.

Example (fails): editing `prompts/customer-support-v3.yaml` after v3 is on main.

Fix: revert the file (`git checkout <base> -- <path>`) and make the change in a new
version: `promptctl bump customer-support`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import TYPE_CHECKING

from promptctl.findings import Finding, Severity
from promptctl.git import SYMLINK_MODE
from promptctl.newlines import to_lf_bytes
from promptctl.rules.base import HistoryRule

if TYPE_CHECKING:
    from promptctl.history import History

_SHOWN = 6


def explain(old: bytes, new: bytes) -> tuple[int, str]:
    """(first changed line in ``new``, a short description of the change)."""
    if to_lf_bytes(old) == to_lf_bytes(new):
        return 1, "only line endings changed (CRLF/LF)"
    old_text = old.decode("utf-8", "replace").splitlines()
    new_text = new.decode("utf-8", "replace").splitlines()
    first = 1
    lines: list[str] = []
    if len(old_text) * len(new_text) > 4_000_000:
        # Too large for a line diff in bounded time: name the first differing line.
        index = next((i for i, (a, b) in enumerate(zip(old_text, new_text, strict=False)) if a != b), min(len(old_text), len(new_text)))
        return index + 1, f"first change at line {index + 1} (files too large to show a diff)"
    for group in difflib.SequenceMatcher(None, old_text, new_text, autojunk=False).get_grouped_opcodes(0):
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                continue
            if not lines:
                first = min(j1 + 1, max(len(new_text), 1))
            lines.extend(f"- {line}" for line in old_text[i1:i2])
            lines.extend(f"+ {line}" for line in new_text[j1:j2])
    if not lines:
        return 1, "only whitespace at the end of the file changed"
    only_space = [line.strip() for line in old_text] == [line.strip() for line in new_text]
    shown = lines[:_SHOWN] + ([f"  … {len(lines) - _SHOWN} more changed lines"] if len(lines) > _SHOWN else [])
    prefix = "only whitespace changed:\n" if only_space else ""
    return first, prefix + "\n".join(shown)


def check(history: History) -> Iterator[Finding]:
    for link, target in history.retargeted:
        yield RULE.at(
            link,
            (1, 1),
            f"published version `{link}` is a symbolic link to `{target}`, which this change alters: the published "
            "content would change; restore the target and make the change in a new version",
        )
    for pair in history.pairs:
        prev, cur = pair.previous, pair.current
        if prev is None or cur is None or prev.where.kind != "version" or prev.entry == cur.entry:
            continue
        label = prev.label
        hint = f"; revert it and run `promptctl bump {prev.where.name}`" if prev.where.name else ""
        if cur.entry.mode == SYMLINK_MODE:
            yield RULE.at(cur.path, (1, 1), f"published version {label} was replaced by a symbolic link{hint}")
        elif prev.entry.sha == cur.entry.sha:
            yield RULE.at(cur.path, (1, 1), f"published version {label} changed file mode {prev.entry.mode} → {cur.entry.mode}{hint}")
        else:
            line, what = explain(history.content(prev), history.content(cur))
            yield RULE.at(cur.path, (line, 1), f"published version {label} was modified{hint}\n{what}")


RULE = HistoryRule("modified-version", Severity.ERROR, __doc__, check=check)

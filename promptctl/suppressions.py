"""Inline suppressions, ruff's `noqa` habit in YAML comments:

- ``# promptctl: ignore[rule-id, …]`` at the end of a key's line: those rules' findings
  inside that key's value (a block scalar cannot hold comments, so its key line does);
- ``# promptctl: ignore-file[rule-id, …]`` on a line of its own: in the whole file.

Only real comments count: a line inside a multi-line string is prompt text, even when it
reads like a directive. A suppression that suppresses nothing is an
``unused-suppression`` warning. Findings of rules across files (versions, tags) and of
history rules are not the file's to silence: ``per_file_ignores`` covers them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from promptctl.document import Document, PathKey
from promptctl.findings import Finding, Severity

_DIRECTIVE = re.compile(r"(?:^|\s)#\s*promptctl:\s*(ignore|ignore-file)\[([^\]]*)\]\s*$")


@dataclass
class Suppression:
    line: int
    column: int
    whole_file: bool
    rules: list[str]
    first: int  # lines covered
    last: int
    used: set[str] = field(default_factory=set)


def parse(doc: Document) -> list[Suppression]:
    lines = doc.lines
    inside: set[int] = set()  # lines of multi-line scalars after their first: text, not comments
    for scalar in doc.values.values():
        if scalar.end_line > scalar.line:
            inside.update(range(scalar.line + 1, scalar.end_line + 1))
    key_lines: dict[int, PathKey] = {}
    for path, (line, _) in doc.key_positions.items():
        if line not in key_lines or len(path) < len(key_lines[line]):
            key_lines[line] = path
    found: list[Suppression] = []
    for number, text in enumerate(lines, start=1):
        if "promptctl:" not in text or number in inside:
            continue
        match = _DIRECTIVE.search(text)
        if match is None:
            continue
        rules = [r.strip() for r in match.group(2).split(",") if r.strip()]
        column = match.start() + (1 if text[match.start()] != "#" else 0) + 1
        if match.group(1) == "ignore-file":
            if text.lstrip().startswith("#"):
                found.append(Suppression(number, column, True, rules, 1, len(lines)))
            continue
        key = key_lines.get(number)
        if key is None:
            continue
        last = number
        for other, scalar in doc.values.items():
            if other[: len(key)] == key:
                last = max(last, scalar.end_line)
        for other, (line, _) in doc.key_positions.items():
            if other[: len(key)] == key:
                last = max(last, line)
        found.append(Suppression(number, column, False, rules, number, last))
    return found


def apply(
    path: str, doc: Document | None, findings: list[Finding], known: set[str], file_scoped: set[str]
) -> tuple[list[Finding], list[Finding]]:
    """(the findings left, the unused-suppression warnings). ``known``: every rule id;
    ``file_scoped``: the ids a comment may suppress (rules judging this file alone)."""
    if doc is None or "promptctl:" not in doc.text:
        return findings, []
    suppressions = parse(doc)
    if not suppressions:
        return findings, []
    kept = []
    for f in findings:
        hit = next((s for s in suppressions if f.rule in s.rules and s.first <= f.line <= s.last), None)
        if hit is None:
            kept.append(f)
        else:
            hit.used.add(f.rule)
    warnings = []
    for s in suppressions:
        for rule in s.rules:
            if rule in s.used:
                continue
            if rule not in known:
                why = f"`{rule}` is not a rule id (`promptctl rules` lists them)"
            elif rule not in file_scoped:
                why = f"`{rule}` judges more than this file; a comment cannot suppress it — use `per_file_ignores`"
            else:
                why = f"nothing here is a `{rule}` finding: remove it from the suppression"
            warnings.append(Finding(path, s.line, s.column, "unused-suppression", Severity.WARNING, why))
    return kept, warnings

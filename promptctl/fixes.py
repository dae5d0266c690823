"""`lint --fix`: safe, mechanical fixes of draft files — never of a published file, which
can only change through a new version.

A fix edits the text where its finding points, bottom to top so earlier positions
hold, and is kept only if the result parses and judges no worse: no finding the file
did not have before. The fixes:

- ambiguous-value: quote the value as written (`model: no` → `model: "no"`);
- floating-model: pin the alias to the snapshot the finding suggests;
- version-mismatch: set `version:` to the number in the file name;
- unused-variable: remove the declaration (block style only);
- template-syntax in another template language: add `template_format: none`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from promptctl.config import Settings
from promptctl.document import load, yaml_scalar
from promptctl.findings import Finding
from promptctl.layout import classify

_PLAIN_END = re.compile(r"\s+#|\s*$")


@dataclass(frozen=True)
class Edit:
    first: int  # 1-based lines [first, last] are replaced by ``lines``
    last: int
    lines: tuple[str, ...]


def _plain_value(line: str, column: int) -> tuple[int, int] | None:
    """The span [start, end) of the plain scalar starting at ``column`` (1-based)."""
    start = column - 1
    if start >= len(line) or line[start] in "\"'|>[{&*!":
        return None
    end = _PLAIN_END.search(line, start)
    stop = end.start() if end else len(line)
    return (start, stop) if stop > start else None


def _replace_value(lines: list[str], f: Finding, new: str) -> Edit | None:
    line = lines[f.line - 1]
    span = _plain_value(line, f.column)
    if span is None:
        return None
    return Edit(f.line, f.line, (line[: span[0]] + new + line[span[1] :],))


def _ambiguous(lines: list[str], f: Finding, rel: str, settings: Settings) -> Edit | None:
    line = lines[f.line - 1]
    if re.match(r"version\s*:", line):  # a version is a number: quoting it would break the schema
        return None
    span = _plain_value(line, f.column)
    return None if span is None else _replace_value(lines, f, json.dumps(line[span[0] : span[1]], ensure_ascii=False))


def _floating(lines: list[str], f: Finding, rel: str, settings: Settings) -> Edit | None:
    from promptctl.models import canonical_id, facts_for

    span = _plain_value(lines[f.line - 1], f.column)
    if span is None:
        return None
    model = lines[f.line - 1][span[0] : span[1]]
    snapshot = facts_for(model, settings).snapshot_for
    if not snapshot or snapshot.startswith("a "):
        return None  # no dated id to name
    base = canonical_id(model)
    if model != base and not model.endswith("/" + base):
        return None  # a cloud's own id form (Bedrock, Vertex): not ours to rewrite
    return _replace_value(lines, f, yaml_scalar(model[: len(model) - len(base)] + snapshot))


def _version(lines: list[str], f: Finding, rel: str, settings: Settings) -> Edit | None:
    number = classify(rel, settings.prompts_dir).version
    return None if number is None else _replace_value(lines, f, str(number))


def _unused(lines: list[str], f: Finding, rel: str, settings: Settings) -> Edit | None:
    line = lines[f.line - 1]
    indent = len(line) - len(line.lstrip(" "))
    if indent + 1 != f.column:  # the key does not begin its line: flow style
        return None
    last = f.line
    for number in range(f.line + 1, len(lines) + 1):
        text = lines[number - 1]
        if text.strip() and len(text) - len(text.lstrip(" ")) <= indent:
            break
        last = number
    while last > f.line and not lines[last - 1].strip():
        last -= 1  # keep the blank lines that separate what follows
    return Edit(f.line, last, ())


def _template_format(lines: list[str], f: Finding, rel: str, settings: Settings) -> Edit | None:
    if "add `template_format: none`" not in f.message:
        return None
    for number, text in enumerate(lines, start=1):
        if re.match(r"version\s*:", text):
            return Edit(number, number, (text, "template_format: none"))
    return None


_FIXERS: dict[str, Callable[[list[str], Finding, str, Settings], Edit | None]] = {
    "ambiguous-value": _ambiguous,
    "floating-model": _floating,
    "version-mismatch": _version,
    "unused-variable": _unused,
    "template-syntax": _template_format,
}
FIXABLE = frozenset(_FIXERS)


def fixed_text(rel: str, text: str, findings: list[Finding], settings: Settings) -> tuple[str, list[Finding]]:
    """``text`` with the fixable ``findings`` fixed, and the findings that were."""
    lines = text.split("\n")
    edits: list[tuple[Edit, Finding]] = []
    for f in findings:
        fixer = _FIXERS.get(f.rule)
        edit = fixer(lines, f, rel, settings) if fixer is not None and 1 <= f.line <= len(lines) else None
        if edit is not None:
            edits.append((edit, f))
    edits.sort(key=lambda pair: (pair[0].first, pair[0].last))
    applied: list[tuple[Edit, Finding]] = []
    for edit, f in edits:
        if applied and edit.first <= applied[-1][0].last:
            continue  # overlaps the previous fix: the next run takes it
        if any(other.rule == "template-syntax" for _, other in applied) and f.rule == "template-syntax":
            continue  # one `template_format: none` per file
        applied.append((edit, f))
    for edit, _ in reversed(applied):
        lines[edit.first - 1 : edit.last] = list(edit.lines)
    return "\n".join(lines), [f for _, f in applied]


def parses(rel: str, raw: bytes) -> bool:
    doc, problems = load(rel, raw)
    return doc is not None and not any(p.rule in ("yaml-syntax", "duplicate-key") for p in problems)


@dataclass
class FixResult:
    fixed: int  # findings fixed
    files: list[str]  # files written
    published: int  # fixable findings left alone in published files


def _published(settings: Settings, paths: list[str]) -> set[str]:
    """The files among ``paths`` the base branch has: --fix never writes them. Outside a
    git repository nothing is published."""
    from promptctl.config import work_tree_top
    from promptctl.errors import GitError
    from promptctl.history import published_bytes

    try:
        _, found = published_bytes(settings, paths)
    except GitError:
        if work_tree_top(settings.root) is not None:
            raise
        return set()
    return set(found)


def apply(settings: Settings, findings: list[Finding]) -> FixResult:
    """Fix what can be fixed in draft files, each written atomically, and only when the
    fixed file parses and has no finding it did not have before. ``findings``: the lint
    run's, every rule's — what each file had before its fixes."""
    by_file: dict[str, list[Finding]] = {}
    for f in findings:
        by_file.setdefault(f.path, []).append(f)
    fixable = {rel: [f for f in fs if f.rule in FIXABLE] for rel, fs in by_file.items()}
    fixable = {rel: fs for rel, fs in fixable.items() if fs}
    published = _published(settings, sorted(fixable))
    result = FixResult(0, [], sum(len(fs) for rel, fs in fixable.items() if rel in published))
    for rel in sorted(fixable):
        if rel in published:
            continue
        fixed = _fix_file(settings, rel, by_file[rel])
        if fixed:
            result.fixed += fixed
            result.files.append(rel)
    return result


def _fix_file(settings: Settings, rel: str, findings: list[Finding], passes: int = 5) -> int:
    """Fix one file in up to ``passes`` rounds (a fix may make room for another, as two
    on one line); ``findings`` are all of the file's, as the lint run found them. Returns
    how many findings were fixed."""
    from promptctl import fsio
    from promptctl.linter import lint_file
    from promptctl.rules import filter_findings

    path = settings.root / rel
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return 0
    crlf = "\r\n" in text
    text = text.replace("\r\n", "\n")
    before = {(f.rule, f.message) for f in findings}
    total = 0
    current = [f for f in findings if f.rule in FIXABLE]
    for _ in range(passes):
        new_text, fixed = fixed_text(rel, text, current, settings)
        if not fixed:
            break
        new_raw = (new_text.replace("\n", "\r\n") if crlf else new_text).encode("utf-8")
        if not parses(rel, new_raw):
            break
        after = filter_findings(lint_file(rel, new_raw, settings)[0], settings)
        if any((f.rule, f.message) not in before for f in after):
            break  # the fix would bring a finding of its own: leave the rest to a person
        text, total = new_text, total + len(fixed)
        current = [f for f in after if f.rule in FIXABLE]
    if total:
        fsio.replace(path, (text.replace("\n", "\r\n") if crlf else text).encode("utf-8"), root=settings.root)
    return total

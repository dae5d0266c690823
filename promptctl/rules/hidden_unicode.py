r"""The file contains characters a reviewer cannot see.

Why: bidirectional controls (U+202A-U+202E, U+2066-U+2069) reorder what a reviewer
sees ("Trojan Source"); zero-width characters and fillers hide text between words;
Unicode tag characters (U+E0000-U+E007F) and variation selectors carry a whole
invisible message that a model reads and a human does not — a known way to smuggle
instructions into prompts. Other control characters have no place in a prompt either.
The finding gives each code point and, for tag characters, the text they spell.

Escapes reach the model just like raw characters, so they are findings too: `\u202E`,
`\U000E0049`, `\e`, `\x1f` in a double-quoted YAML string, and `{{ "\u202e" }}` in a
Jinja string literal; so is a hidden character that only appears when the examples are
rendered (`{{ '%c'|format(8206) }}`).

Emoji are not hidden: a zero-width joiner between emoji (👨‍👩‍👧), a variation selector
after one (❤️), a keycap (1️⃣) and the tag characters of a subdivision flag (🏴󠁧󠁢󠁳󠁣󠁴󠁿) are fine.

Example (fails): `system: "Be helpful.\U000E0049\U000E0067\U000E006E..."`

Fix: delete the characters or escapes (the finding says where); if you need one
deliberately, ignore the rule for that file in `per_file_ignores`.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from promptctl.findings import Finding, Severity
from promptctl.invisible import HIDDEN, describe, hidden_matches, is_emoji_part
from promptctl.rules.base import TextRule

# YAML double-quoted escapes, and Python/Jinja string-literal escapes.
_YAML_ESCAPE = re.compile(r"\\(?:x([0-9A-Fa-f]{2})|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|([0abvfeN]))")
_JINJA_ESCAPE = re.compile(r"\\(?:x([0-9A-Fa-f]{2})|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|([0abvf])|N\{([A-Za-z0-9 -]+)\})")
_JINJA_BLOCK = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
_NAMED = {"0": "\x00", "a": "\x07", "b": "\x08", "v": "\x0b", "f": "\x0c", "e": "\x1b", "N": "\x85"}


def _decoded(match: re.Match[str]) -> str:
    hex_code = match.group(1) or match.group(2) or match.group(3)
    if hex_code:
        return chr(int(hex_code, 16)) if int(hex_code, 16) <= 0x10FFFF else ""
    if match.lastindex == 5:
        try:
            return unicodedata.lookup(match.group(5))
        except KeyError:
            return ""
    return _NAMED.get(match.group(4), "")


def _escaped_runs(text: str, start: int, end: int, pattern: re.Pattern[str]) -> Iterator[tuple[int, str]]:
    """(offset, decoded run) of adjacent escapes in ``text[start:end]`` that decode to
    hidden characters."""
    run_start, run = -1, ""
    last_end = -1
    for match in pattern.finditer(text, start, end):
        if match.start() > 0 and text[match.start() - 1] == "\\" and (match.start() < 2 or text[match.start() - 2] != "\\"):
            continue  # an escaped backslash followed by letters
        char = _decoded(match)
        hidden = bool(char) and bool(HIDDEN.fullmatch(char))
        if hidden and match.start() == last_end and run:
            run += char
        else:
            if run:
                yield run_start, run
            run_start, run = (match.start(), char) if hidden else (-1, "")
        last_end = match.end()
    if run:
        yield run_start, run


def _escape_findings(path: str, text: str, doc: Any, at: Any) -> Iterator[Finding]:
    """Hidden characters written as escapes: in double-quoted YAML scalars, and in
    Jinja string literals of template fields."""
    if doc is None or "\\" not in text:
        return
    from promptctl.document import Document

    if not isinstance(doc, Document):
        return
    offsets = [0]
    for line in doc.lines:
        offsets.append(offsets[-1] + len(line) + 1)
    data = doc.data
    templated = data.get("template_format") != "none"
    seen: set[int] = set()
    for key, scalar in doc.values.items():
        start = offsets[scalar.line - 1] + scalar.column - 1
        end = offsets[min(scalar.end_line, len(offsets) - 1)]
        spans: list[tuple[int, int, re.Pattern[str]]] = []
        if scalar.style == '"':
            spans.append((start, end, _YAML_ESCAPE))
        if templated and _is_template(key):
            spans += [(m.start(), m.end(), _JINJA_ESCAPE) for m in _JINJA_BLOCK.finditer(text, start, end)]
        for lo, hi, pattern in spans:
            for offset, run in _escaped_runs(text, lo, hi, pattern):
                if offset not in seen:
                    seen.add(offset)
                    yield RULE.at(path, at(offset), describe(run) + ", written as escapes")


def _is_template(key: tuple[Any, ...]) -> bool:
    return key in (("system",), ("user",)) or (len(key) == 3 and (key[0], key[2]) in (("messages", "content"), ("fallbacks", "system")))


def check(path: str, text: str, doc: object = None) -> Iterator[Finding]:
    yield from _raw_findings(path, text)

    def at(offset: int) -> tuple[int, int]:
        line = text.count("\n", 0, offset) + 1
        return line, offset - (text.rfind("\n", 0, offset) + 1) + 1

    yield from _escape_findings(path, text, doc, at)


def _raw_findings(path: str, text: str) -> Iterator[Finding]:
    line_starts = None
    for match in hidden_matches(text):
        run = match.group()
        if is_emoji_part(text, match.start(), run):
            continue
        if line_starts is None:
            line_starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
        line = bisect.bisect_right(line_starts, match.start())
        col = match.start() - line_starts[line - 1] + 1
        yield RULE.at(path, (line, col), describe(run))


RULE = TextRule("hidden-unicode", Severity.ERROR, __doc__, check=check)

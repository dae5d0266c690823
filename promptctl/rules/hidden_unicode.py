"""The file contains characters a reviewer cannot see.

Why: bidirectional controls (U+202A-U+202E, U+2066-U+2069) reorder what a reviewer
sees ("Trojan Source"); zero-width characters and fillers hide text between words;
Unicode tag characters (U+E0000-U+E007F) and variation selectors carry a whole
invisible message that a model reads and a human does not — a known way to smuggle
instructions into prompts. Other control characters have no place in a prompt either.
The finding gives each code point and, for tag characters, the text they spell.
A zero-width joiner or variation selector inside an emoji sequence is fine.

Example (fails): `system: "Be helpful.\U000E0049\U000E0067\U000E006E..."`

Fix: delete the characters (the finding says where); if you need one deliberately,
write it as an escape in a double-quoted string and ignore the rule for that file.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterator

from promptctl.findings import Finding, Severity
from promptctl.rules.base import Rule

RULE = Rule.define(__doc__, "hidden-unicode", Severity.ERROR, "text")

_HIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # C0/C1 controls but tab and line breaks
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f"
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb"
    "\U0001d173-\U0001d17a\U000e0000-\U000e007f\U000e0100-\U000e01ef]+"
)
_KINDS = [
    ((0x202A, 0x202E), "bidirectional control"), ((0x2066, 0x2069), "bidirectional control"),
    ((0x200E, 0x200F), "bidirectional mark"), ((0x061C, 0x061C), "bidirectional mark"),
    ((0xE0000, 0xE007F), "Unicode tag character"), ((0xFE00, 0xFE0F), "variation selector"),
    ((0xE0100, 0xE01EF), "variation selector"), ((0x200B, 0x200D), "zero-width character"),
    ((0x2060, 0x2064), "invisible character"), ((0xFEFF, 0xFEFF), "zero-width no-break space"),
]


def _kind(ch: str) -> str:
    cp = ord(ch)
    for (lo, hi), name in _KINDS:
        if lo <= cp <= hi:
            return name
    return "control character" if unicodedata.category(ch) == "Cc" else "invisible character"


def _emoji(ch: str) -> bool:
    return bool(ch) and (unicodedata.category(ch) in ("So", "Sk") or 0x1F000 <= ord(ch) <= 0x1FAFF)


def _benign(text: str, start: int, run: str) -> bool:
    """A ZWJ or emoji variation selector inside an emoji sequence."""
    if not set(run) <= {"\u200d", "\ufe0f", "\ufe0e"}:
        return False
    before = text[start - 1] if start > 0 else ""
    after = text[start + len(run)] if start + len(run) < len(text) else ""
    return _emoji(before) and (_emoji(after) or "\u200d" not in run)


def describe(run: str) -> str:
    points = " ".join(f"U+{ord(c):04X}" for c in run[:8]) + (" …" if len(run) > 8 else "")
    kinds = sorted({_kind(c) for c in run})
    message = f"{len(run)} hidden character{'s' if len(run) != 1 else ''} ({', '.join(kinds)}): {points}"
    tags = "".join(chr(ord(c) - 0xE0000) for c in run if 0xE0020 <= ord(c) <= 0xE007E)
    if tags:
        shown = tags if len(tags) <= 60 else tags[:57] + "..."
        message += f" — they spell {shown!r}"
    return message


_HIDDEN_ASCII = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]+")
_VISIBLE_ASCII = bytes(range(0x20, 0x7F)) + b"\t\n\r"


@RULE.checks
def check(path: str, text: str, doc: object = None) -> Iterator[Finding]:
    line_starts = None
    if text.isascii():  # most prompts are: one byte translation tells if there is anything to find
        if not text.encode("ascii").translate(None, _VISIBLE_ASCII):
            return
        pattern = _HIDDEN_ASCII
    else:
        pattern = _HIDDEN
    for match in pattern.finditer(text):
        run = match.group()
        if _benign(text, match.start(), run):
            continue
        if line_starts is None:
            line_starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
        line = bisect.bisect_right(line_starts, match.start())
        col = match.start() - line_starts[line - 1] + 1
        yield RULE.at(path, (line, col), describe(run))

"""Characters a reader cannot see: the one definition that the `hidden-unicode` rule
reports and that every output escapes.

Hidden: C0/C1 controls (but tab and line breaks), bidirectional controls and marks,
zero-width characters and fillers, variation selectors, Unicode tag characters. Not
hidden: the same characters where they are part of an emoji — a ZWJ between emoji, a
variation selector after one, a keycap, the tag characters of a subdivision flag.

:func:`escape` shows each hidden character as ``<U+XXXX>`` (terminal and Markdown
output); :func:`json_dumps` writes them as JSON escapes (``\u202e``), so JSON output
stays faithful data and still cannot steer a terminal.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from typing import Any

HIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # C0/C1 controls but tab and line breaks
    "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f"
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb"
    "\U0001d173-\U0001d17a\U000e0000-\U000e007f\U000e0100-\U000e01ef]+"
)
_KINDS = [
    ((0x202A, 0x202E), "bidirectional control"),
    ((0x2066, 0x2069), "bidirectional control"),
    ((0x200E, 0x200F), "bidirectional mark"),
    ((0x061C, 0x061C), "bidirectional mark"),
    ((0xE0000, 0xE007F), "Unicode tag character"),
    ((0xFE00, 0xFE0F), "variation selector"),
    ((0xE0100, 0xE01EF), "variation selector"),
    ((0x200B, 0x200D), "zero-width character"),
    ((0x2060, 0x2064), "invisible character"),
    ((0xFEFF, 0xFEFF), "zero-width no-break space"),
]


def _kind(ch: str) -> str:
    cp = ord(ch)
    for (lo, hi), name in _KINDS:
        if lo <= cp <= hi:
            return name
    return "control character" if unicodedata.category(ch) == "Cc" else "invisible character"


def _emoji(ch: str) -> bool:
    return bool(ch) and (unicodedata.category(ch) in ("So", "Sk") or 0x1F000 <= ord(ch) <= 0x1FAFF)


_KEYCAP_BASE = frozenset("0123456789#*")
_BLACK_FLAG = "\U0001f3f4"
_FLAG_TAGS = re.compile("[\U000e0030-\U000e0039\U000e0061-\U000e007a]{2,6}\U000e007f")


def is_emoji_part(text: str, start: int, run: str) -> bool:
    """Part of an emoji: a ZWJ or variation selector in an emoji sequence, a keycap's
    selector, or the tag characters of a subdivision flag."""
    before = text[start - 1] if start > 0 else ""
    after = text[start + len(run)] if start + len(run) < len(text) else ""
    if before == _BLACK_FLAG and _FLAG_TAGS.fullmatch(run):
        return True  # 🏴 + region tags + cancel tag: England, Scotland, Wales
    if not set(run) <= {"\u200d", "\ufe0f", "\ufe0e"}:
        return False
    if run == "\ufe0f" and before in _KEYCAP_BASE and after == "\u20e3":
        return True  # 1️⃣
    return (_emoji(before) or before == "\u20e3") and (_emoji(after) or "\u200d" not in run)


def describe(run: str) -> str:
    points = " ".join(f"U+{ord(c):04X}" for c in run[:8]) + (" …" if len(run) > 8 else "")
    kinds = sorted({_kind(c) for c in run})
    message = f"{len(run)} hidden character{'s' if len(run) != 1 else ''} ({', '.join(kinds)}): {points}"
    tags = "".join(chr(ord(c) - 0xE0000) for c in run if 0xE0020 <= ord(c) <= 0xE007E)
    if tags:
        shown = tags if len(tags) <= 60 else tags[:57] + "..."
        message += f" — they spell {shown!r}"
    return message


_VISIBLE_ASCII = bytes(range(0x20, 0x7F)) + b"\t\n\r"  # never hidden
_HIDDEN_ASCII = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]+")  # what HIDDEN matches in ASCII text


def hidden_matches(text: str) -> Iterator[re.Match[str]]:
    """The matches of :data:`HIDDEN` in ``text``, emoji parts included. The scan costs
    about 10 ns a character; most text has nothing to find, and one byte translation
    that drops the visible ASCII says so (1 µs for 2 KB): what is left is only the
    characters that could be hidden, and those are scanned first."""
    rest = text.encode("utf-8", "surrogatepass").translate(None, _VISIBLE_ASCII)
    if not rest:
        return
    if text.isascii():
        yield from _HIDDEN_ASCII.finditer(text)
    elif HIDDEN.search(rest.decode("utf-8", "surrogatepass")) is not None:
        yield from HIDDEN.finditer(text)


def hidden_runs(text: str) -> Iterator[tuple[int, str]]:
    """(offset, run) of every hidden run in ``text`` that is not part of an emoji."""
    for match in hidden_matches(text):
        if not is_emoji_part(text, match.start(), match.group()):
            yield match.start(), match.group()


_LINE_BREAKS = re.compile("[\n\r\u0085\u2028\u2029]")


def escape(text: str, *, keep_lines: bool = False) -> str:
    """``text`` with every hidden character shown as ``<U+XXXX>`` — line breaks too,
    unless ``keep_lines`` (a block of text printed line by line)."""
    if text.isascii() and text.isprintable():
        return text
    out, pos = [], 0
    spans = [(start, start + len(run)) for start, run in hidden_runs(text)]
    if not keep_lines:
        spans += [(m.start(), m.end()) for m in _LINE_BREAKS.finditer(text)]
    for start, end in sorted(spans):
        if start < pos:
            continue
        out.append(text[pos:start])
        out.append("".join(f"<U+{ord(c):04X}>" for c in text[start:end]))
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _json_escape(char: str) -> str:
    code = ord(char)
    if code > 0xFFFF:
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def json_dumps(data: Any, **options: Any) -> str:
    """JSON with text kept readable (emoji, accents) and hidden characters escaped: they
    can only stand inside strings, where an escape is the same data."""
    text = json.dumps(data, ensure_ascii=False, **options)
    spans = [(start, start + len(run)) for start, run in hidden_runs(text)]
    if not spans:
        return text
    out, pos = [], 0
    for start, end in spans:
        out.append(text[pos:start])
        out.append("".join(_json_escape(c) for c in text[start:end]))
        pos = end
    out.append(text[pos:])
    return "".join(out)

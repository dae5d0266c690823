"""Tags files: reading them, comparing published and current tags, and editing one tag
in place (comments, order and every other line kept)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from promptctl.document import load, yaml_scalar
from promptctl.findings import Finding

if TYPE_CHECKING:
    from promptctl.history import History


@dataclass(frozen=True)
class TagChange:
    name: str
    tag: str
    before: Any  # None: the tag is new
    after: Any  # None: the tag was removed
    path: str  # where a finding goes
    position: tuple[int, int]


def parse_tags(path: str, raw: bytes) -> tuple[dict[str, Any] | None, list[Finding], Any]:
    doc, findings = load(path, raw)
    if doc is None:
        return None, findings, None
    return dict(doc.data), findings, doc


def tag_pairs(history: History) -> list[TagChange]:
    cached = history.cache.get("tag_pairs")
    if isinstance(cached, list):
        return cached
    changes: list[TagChange] = []
    for pair in history.pairs:
        prev, cur = pair.previous, pair.current
        if prev is None or prev.where.kind != "tags":
            continue
        before, _, _ = parse_tags(prev.path, history.content(prev))
        if not before:
            continue
        name = prev.where.name or prev.path
        if cur is None or cur.where.kind != "tags":
            for tag, value in before.items():
                changes.append(TagChange(name, str(tag), value, None, prev.path, (1, 1)))
            continue
        after, _, doc = parse_tags(cur.path, history.content(cur))
        if after is None:
            continue  # unreadable: the check reports its yaml findings
        for tag, value in before.items():
            if tag in after:
                changes.append(TagChange(name, str(tag), value, after[tag], cur.path, doc.position((tag,))))
            else:
                changes.append(TagChange(name, str(tag), value, None, cur.path, (1, 1)))
    history.cache["tag_pairs"] = changes
    return changes


_LINE = re.compile(rb"^(?P<key>[\"']?(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)[\"']?[ \t]*:[ \t]*)(?P<value>[^\s#]*)(?P<tail>.*)$")


def set_tag(raw: bytes, tag: str, version: int) -> bytes:
    """``raw`` (a tags file) with ``tag: version`` set: the tag's line edited in place, or
    a line appended. Line endings follow the file's."""
    lines = raw.splitlines(keepends=True)
    newline = b"\r\n" if b"\r\n" in raw else b"\n"
    for i, line in enumerate(lines):
        body = line.rstrip(b"\r\n")
        match = _LINE.match(body)
        if match and match["name"].decode() == tag and not line.startswith((b" ", b"\t")):
            lines[i] = match["key"] + str(version).encode() + match["tail"] + line[len(body):]
            return b"".join(lines)
    if lines and not lines[-1].endswith((b"\n", b"\r")):
        lines[-1] += newline
    key = yaml_scalar(tag).encode()
    lines.append(key + b": " + str(version).encode() + newline)
    return b"".join(lines)

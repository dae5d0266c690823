"""Tags files: reading them, what differs between two of them, and editing one tag in
place (comments, order and every other line kept). A leaf: history, the changelog and
review compare tags with :func:`tag_differences`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from promptctl import fsio
from promptctl.catalog import PromptEntry
from promptctl.config import Settings
from promptctl.document import load, yaml_scalar
from promptctl.errors import UsageError, WriteRefused
from promptctl.findings import Finding
from promptctl.layout import tags_path
from promptctl.refs import tag_name_problem


def parse_tags(path: str, raw: bytes) -> tuple[dict[str, Any] | None, list[Finding], Any]:
    doc, findings = load(path, raw)
    if doc is None:
        return None, findings, None
    return dict(doc.data), findings, doc


def tag_differences(before: dict[Any, Any] | None, after: dict[Any, Any] | None) -> list[tuple[str, Any, Any]]:
    """(tag, value before, value after) of every tag that differs between two tags
    mappings, sorted; None where a side lacks the tag. `1` and `1.0` differ: a value is
    compared with its type, as every reader of a tag sees it."""
    before, after = before or {}, after or {}
    out = []
    for tag in sorted(set(before) | set(after), key=str):
        old, new = before.get(tag), after.get(tag)
        if type(old) is not type(new) or old != new:
            out.append((str(tag), old, new))
    return out


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
            lines[i] = match["key"] + str(version).encode() + match["tail"] + line[len(body) :]
            return b"".join(lines)
    if lines and not lines[-1].endswith((b"\n", b"\r")):
        lines[-1] += newline
    key = yaml_scalar(tag).encode()
    lines.append(key + b": " + str(version).encode() + newline)
    return b"".join(lines)


@dataclass(frozen=True)
class TagUpdate:
    path: str  # the tags file, relative to the project root
    tag: str
    before: Any
    after: int


def _entry_tags_path(settings: Settings, entry: PromptEntry) -> Path:
    if entry.tags_file:
        return settings.root / entry.tags_file
    latest = PurePosixPath(entry.versions[entry.latest])
    layout = "nested" if latest.name == f"v{entry.latest}.yaml" else "flat"
    return tags_path(settings, entry.name, layout)


def write_tag(settings: Settings, entry: PromptEntry, tag: str, version: int, *, moving_allowed: bool | None = None) -> TagUpdate:
    """Create ``tag`` or move a channel to ``version``, atomically and in place."""
    problem = tag_name_problem(tag)
    if problem is not None:
        raise UsageError(f"`{tag}` is not a valid tag name", problem)
    if version not in entry.versions:
        have = ", ".join(f"v{n}" for n in sorted(entry.versions))
        raise UsageError(f"`{entry.name}` has no version {version}", f"versions: {have}")
    path = _entry_tags_path(settings, entry)
    rel = path.relative_to(settings.root).as_posix()
    if path.is_symlink() or (path.exists() and not path.is_file()):
        raise WriteRefused(f"{rel} is not a regular file (a link, a pipe or a folder)", "replace it with a plain tags file")
    with fsio.folder_lock(path.parent):
        raw = path.read_bytes() if path.exists() else b""
        current: dict[str, Any] = {}
        if raw.strip():
            parsed, problems, _ = parse_tags(rel, raw)
            if parsed is None:
                first = problems[0]
                raise UsageError(f"{rel}:{first.line}:{first.column}: {first.message}", "fix the tags file first")
            current = {str(k): v for k, v in parsed.items()}
        before = current.get(tag)
        if before == version:
            return TagUpdate(rel, tag, before, version)
        channel = tag in settings.channels if moving_allowed is None else moving_allowed
        if before is not None and not channel:
            raise WriteRefused(
                f"tag `{tag}` of `{entry.name}` points at v{before} and is not a channel; tags do not move",
                f"create a new tag, or add `{tag}` to `channels` in the configuration",
            )
        updated = set_tag(raw, tag, version)
        # Only plain `tag: N` lines are edited; anything else (flow style, a value on the
        # next line, anchors) is refused rather than written wrong.
        reread, _, _ = parse_tags(rel, updated)
        if reread is None or {str(k): v for k, v in reread.items()} != {**current, tag: version}:
            raise UsageError(
                f"cannot set `{tag}` in {rel} in place: it is not written as plain `tag: N` lines",
                "rewrite it one tag per line (e.g. `production: 3`), then run this again",
            )
        if path.exists() or path.is_symlink():
            fsio.replace(path, updated, root=settings.root)
        else:
            fsio.create(path, updated, root=settings.root)
    return TagUpdate(rel, tag, before, version)

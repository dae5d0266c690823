"""Tags files: reading them, comparing published and current tags, and editing one tag
in place (comments, order and every other line kept)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from promptctl import fsio
from promptctl.catalog import PromptEntry
from promptctl.config import Settings
from promptctl.document import load, yaml_scalar
from promptctl.errors import UsageError, WriteRefused
from promptctl.findings import Finding
from promptctl.layout import tags_path
from promptctl.refs import tag_name_problem

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
        if path.exists() or path.is_symlink():
            fsio.replace(path, updated, root=settings.root)
        else:
            fsio.create(path, updated, root=settings.root)
    return TagUpdate(rel, tag, before, version)


def rollback_target(settings: Settings, entry: PromptEntry, channel: str) -> tuple[int, str]:
    """Where ``channel`` pointed before its last move, and why (which commit)."""
    from promptctl.catalog import read_tags
    from promptctl.changelog import committed_tags, events

    if channel not in settings.channels:
        raise UsageError(f"`{channel}` is not a channel; only channels move", f"channels: {', '.join(settings.channels)}")
    current = read_tags(settings, entry).get(channel)
    if current is None:
        raise UsageError(f"`{entry.name}` has no `{channel}` tag", f"set one with `promptctl tag {entry.name} VERSION {channel}`")
    committed = (committed_tags(settings, entry) or {}).get(channel)
    if committed is not None and committed != current:
        return int(committed), "undoing the uncommitted move"
    for event in events(settings, entry):
        if event.tag == channel and event.kind == "tag-moved" and event.after == current:
            if not isinstance(event.before, int) or event.before not in entry.versions:
                raise UsageError(f"before its last move `{channel}` pointed at {event.before!r}, which is not a version", "set it with `promptctl tag`")
            return event.before, f"as before {event.commit.sha[:10]} “{event.commit.subject}”"
        if event.tag == channel and event.kind == "tag-set":
            break
    raise UsageError(f"`{channel}` of `{entry.name}` has not moved since it was created", "nothing to roll back to; use `promptctl tag` to point it elsewhere")

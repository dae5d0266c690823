"""The prompts of a working tree: names, their version files and tags, and how a
``NAME[@VERSION|@TAG]`` spec resolves. Reads the file system only (no git)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from promptctl.config import Settings
from promptctl.document import load
from promptctl.errors import UsageError
from promptctl.layout import classify, discover, valid_name

_VERSION_REF = re.compile(r"^v?([1-9][0-9]*)$")


@dataclass
class PromptEntry:
    name: str
    versions: dict[int, str] = field(default_factory=dict)  # number -> path relative to root
    tags_file: str | None = None

    @property
    def latest(self) -> int:
        return max(self.versions)


def scan(settings: Settings) -> dict[str, PromptEntry]:
    """Every well-named prompt under the prompts folder, by name."""
    entries: dict[str, PromptEntry] = {}
    if not settings.prompts_path.is_dir():
        return entries
    for rel in discover(settings).files:
        where = classify(rel, settings.prompts_dir)
        if where.problem or not where.name:
            continue
        entry = entries.setdefault(where.name, PromptEntry(where.name))
        if where.kind == "version" and where.version:
            entry.versions.setdefault(where.version, rel)
        elif where.kind == "tags":
            entry.tags_file = rel
    return {name: e for name, e in sorted(entries.items()) if e.versions}


def read_data(settings: Settings, rel: str) -> dict[str, Any]:
    """A file's data, or a one-line error naming the first problem."""
    try:
        raw = (settings.root / rel).read_bytes()
    except OSError as exc:
        raise UsageError(f"{rel}: cannot read: {exc.strerror or exc}", "check the file's permissions") from None
    doc, findings = load(rel, raw, max_size=settings.max_file_size, max_depth=settings.max_depth)
    blocking = [f for f in findings if f.rule in ("yaml-syntax", "yaml-limits", "yaml-alias", "yaml-tag")]
    if doc is None or blocking:
        first = (blocking or findings)[0]
        raise UsageError(f"{first.path}:{first.line}:{first.column}: {first.message}", f"run `promptctl lint {rel}`")
    return doc.data


def read_tags(settings: Settings, entry: PromptEntry) -> dict[str, Any]:
    if entry.tags_file is None:
        return {}
    return read_data(settings, entry.tags_file)


def lookup(settings: Settings, name: str, entries: dict[str, PromptEntry] | None = None) -> PromptEntry:
    entries = scan(settings) if entries is None else entries
    if name in entries:
        return entries[name]
    if not valid_name(name):
        raise UsageError(f"`{name}` is not a prompt name", "names are lowercase kebab-case, e.g. customer-support")
    known = ", ".join(entries) or "none yet"
    raise UsageError(f"no prompt named `{name}` in {settings.prompts_dir}/", f"known prompts: {known}")


def split_spec(spec: str) -> tuple[str, str | None]:
    name, _, ref = spec.partition("@")
    return name, (ref or None)


def resolve(settings: Settings, spec: str, ref: str | None = None) -> tuple[PromptEntry, int]:
    """``NAME``, ``NAME@3``, ``NAME@v3``, ``NAME@latest`` or ``NAME@production``."""
    name, at = split_spec(spec)
    ref = ref or at
    entry = lookup(settings, name)
    if ref is None or ref == "latest":
        return entry, entry.latest
    match = _VERSION_REF.match(ref)
    if match:
        number = int(match.group(1))
        if number not in entry.versions:
            have = ", ".join(f"v{n}" for n in sorted(entry.versions))
            try:
                tag_names = ", ".join(sorted(str(t) for t in read_tags(settings, entry))) or "none"
            except UsageError:
                tag_names = "unreadable"
            raise UsageError(f"`{name}` has no version {number}", f"versions: {have}; tags: {tag_names}")
        return entry, number
    tags = read_tags(settings, entry)
    if ref in tags and isinstance(tags[ref], int) and tags[ref] in entry.versions:
        return entry, int(tags[ref])
    if ref in tags:
        raise UsageError(f"tag `{ref}` of `{name}` points at {tags[ref]!r}, which is not a version", f"run `promptctl lint {entry.tags_file}`")
    have = ", ".join(sorted(tags)) or "none"
    versions = ", ".join(f"v{n}" for n in sorted(entry.versions))
    raise UsageError(f"`{name}` has no version or tag `{ref}`", f"versions: {versions}; tags: {have}")


def parse_version(text: str) -> int:
    match = _VERSION_REF.match(text)
    if not match:
        raise UsageError(f"`{text}` is not a version number", "write it as 3 or v3")
    return int(match.group(1))

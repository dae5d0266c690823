"""The prompts of a working tree: names, their version files and tags, and how a
``NAME[@VERSION|@TAG]`` spec resolves. Reads the file system only (no git)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from promptctl.config import Settings
from promptctl.document import load, unreadable
from promptctl.errors import PromptctlError, UsageError
from promptctl.layout import classify, discover, valid_name
from promptctl.refs import RefError, parse_version, resolve_ref, split_spec, valid_tags


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
    blocking = unreadable(findings)
    if doc is None or blocking:
        first = blocking or findings[0]
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
    raise UsageError(f"no prompt named `{name}` in {settings.prompts_dir}/", _known_hint(name, list(entries)))


def _known_hint(name: str, known: list[str]) -> str:
    """What to try instead: the whole list when it is short, else up to five close names."""
    if not known:
        return "no prompts yet: create one with `promptctl new NAME`"
    if len(known) <= 8:
        return f"known prompts: {', '.join(known)}"
    import difflib

    close = difflib.get_close_matches(name, known, n=5, cutoff=0.5)
    close += [k for k in known if name in k and k not in close][: 5 - len(close)]
    if close:
        return f"did you mean {', '.join(f'`{c}`' for c in close)}? (`promptctl list` shows all {len(known):,})"
    return f"`promptctl list` shows the {len(known):,} prompts"


def resolve(settings: Settings, spec: str, ref: str | None = None) -> tuple[PromptEntry, int]:
    """``NAME``, ``NAME@3``, ``NAME@v3``, ``NAME@latest`` or ``NAME@production``
    (see :mod:`promptctl.refs`)."""
    name, at = split_spec(spec)
    if spec.endswith("@"):
        raise UsageError(f"`{spec}` names no version or tag", f"write `{name}`, `{name}@3`, `{name}@latest` or `{name}@production`")
    target = ref or at
    entry = lookup(settings, name)
    try:
        tags = read_tags(settings, entry) if target not in (None, "latest") else {}
    except UsageError:
        if target is None or parse_version(target) is None:
            raise
        tags = {}  # a version number does not need the tags file
    try:
        return entry, resolve_ref(name, target, entry.versions, tags)
    except RefError as exc:
        raise UsageError(exc.message, exc.hint) from None


def version_number(text: str) -> int:
    """A version typed on the command line: ``3`` or ``v3``."""
    number = parse_version(text)
    if number is None:
        raise UsageError(f"`{text}` is not a version number", "write it as 3 or v3")
    return number


def listing(settings: Settings) -> list[dict[str, Any]]:
    """The rows of `promptctl list`: each prompt's latest version, count, model, tags."""
    rows: list[dict[str, Any]] = []
    for name, entry in scan(settings).items():
        try:
            model = read_data(settings, entry.versions[entry.latest]).get("model")
        except PromptctlError:
            model = None
        try:
            tags = valid_tags(read_tags(settings, entry))
        except PromptctlError:
            tags = {}
        rows.append(
            {
                "name": name,
                "latest": entry.latest,
                "versions": len(entry.versions),
                "model": model if isinstance(model, str) else None,
                "tags": dict(sorted(tags.items())),
                "path": entry.versions[entry.latest],
            }
        )
    return rows


def tag_rows(settings: Settings, name: str | None = None) -> list[dict[str, Any]]:
    """The rows of `promptctl tags`: prompt, tag, version, and whether it is a channel."""
    entries = [lookup(settings, name)] if name else list(scan(settings).values())
    rows: list[dict[str, Any]] = []
    for entry in entries:
        for tag, version in sorted(valid_tags(read_tags(settings, entry)).items()):
            rows.append({"name": entry.name, "tag": tag, "version": version, "channel": tag in settings.channels})
    return rows

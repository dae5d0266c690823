"""Creating versions: ``new`` writes v1 from a commented template, ``bump`` copies the
latest version byte for byte but for its ``version:`` line. Both go through
:func:`promptctl.fsio.create`, so they never overwrite, even under concurrent runs."""

from __future__ import annotations

import re
from pathlib import Path

from promptctl import fsio
from promptctl.catalog import lookup, scan
from promptctl.config import Settings
from promptctl.document import load, yaml_scalar
from promptctl.errors import UsageError, WriteRefused
from promptctl.layout import valid_name, version_path

DEFAULT_MODEL = "claude-sonnet-4-5-20250929"  # a dated snapshot: pinned, as `floating-model` asks

# Where `promptctl init` places the JSON Schema for editors (relative to the project root).
SCHEMA_COPY = ".promptctl/prompt.schema.json"

TEMPLATE = """\
{schema_line}# {name}: {title}
#
# One version of a prompt. Once this file is on the base branch it is published and
# never edited again: change it with `promptctl bump {name}`, which writes the next version.
# Format reference: `promptctl schema`; check it with `promptctl lint`.
version: 1
model: {model}
description: {description}
# Reviewers of changes to this prompt (@user, @org/team); see `promptctl codeowners`.
# owners: ["@your-org/your-team"]
system: |
  You are a helpful assistant.
  Answer concisely and say so when you do not know.
# A template for the user turn; every {{{{ variable }}}} must be declared below.
user: |
  {{{{ question }}}}
variables:
  question:
    type: string
    description: What the user asked.
{sampling}max_tokens: 500
examples:
  - question: How do I reset my password?
"""

_VERSION_LINE = re.compile(rb"^(?P<head>version[ \t]*:[ \t]*)(?P<value>[^\s#]+)(?P<tail>.*)$")


def new(settings: Settings, name: str, model: str | None = None, description: str | None = None) -> Path:
    if not valid_name(name):
        raise UsageError(f"`{name}` is not a valid prompt name", "use lowercase kebab-case, optionally namespaced: billing/refund-triage")
    entries = scan(settings)
    if name in entries:
        entry = entries[name]
        raise WriteRefused(
            f"prompt `{name}` exists ({entry.versions[entry.latest]})",
            f"run `promptctl bump {name}` to make v{entry.latest + 1}",
        )
    model = model or DEFAULT_MODEL
    if not model.strip() or any(ch.isspace() for ch in model):
        raise UsageError(f"`{model}` is not a model id", "model ids have no spaces, e.g. claude-3-5-sonnet-20241022")
    title = (
        (description or "describe what this prompt is for").splitlines()[0]
        if (description or "").strip()
        else "describe what this prompt is for"
    )
    from promptctl.models import facts_for, is_reasoning

    facts = facts_for(model, settings)
    if not facts.known:
        close = ", ".join(f"`{s}`" for s in facts.suggestions)
        raise UsageError(
            f"`{model}` is not a model the catalogue knows" + (f" (close: {close})" if close else ""),
            f'pin a known id, or declare it first: [tool.promptctl.models."{model}"] in pyproject.toml',
        )
    text = TEMPLATE.format(
        name=name,
        title=title,
        model=yaml_scalar(model),
        schema_line="{schema_line}",
        # reasoning models refuse a sampling temperature
        sampling="" if is_reasoning(model, settings) else "temperature: 0.3\n",
        description=yaml_scalar(description.strip() if description and description.strip() else "Describe what this prompt is for."),
    )
    target = version_path(settings, name, 1)
    text = text.replace("{schema_line}", schema_line(settings, target), 1)
    try:
        fsio.create(target, text.encode("utf-8"), root=settings.root)
    except FileExistsError:
        raise WriteRefused(f"{target.relative_to(settings.root).as_posix()} exists", f"run `promptctl bump {name}`") from None
    return target


def schema_line(settings: Settings, target: Path) -> str:
    """A line that points editors (the YAML language server) at the schema, by a path
    relative to the file, when `promptctl init` placed a copy in the project."""
    import os

    schema = settings.root / SCHEMA_COPY
    if not schema.is_file():
        return ""
    rel = Path(os.path.relpath(schema, target.parent)).as_posix()
    return f"# yaml-language-server: $schema={rel}\n"


def bumped(raw: bytes, rel: str, number: int) -> bytes:
    """``raw`` with its top-level ``version:`` value replaced by ``number``; nothing else
    changes (comments, key order, quoting, block scalars, line endings)."""
    doc, findings = load(rel, raw)
    if doc is None or ("version",) not in doc.key_positions:
        raise UsageError(f"cannot bump {rel}: it has no readable top-level `version:`", f"run `promptctl lint {rel}` and fix it first")
    line_no = doc.key_positions[("version",)][0]
    lines = raw.splitlines(keepends=True)
    # decode() maps CR-only files to LF, so line numbers agree with splitlines here.
    line = lines[line_no - 1]
    body = line.rstrip(b"\r\n")
    ending = line[len(body) :]
    match = _VERSION_LINE.match(body.lstrip(b"\xef\xbb\xbf"))
    if not match:
        raise UsageError(f"cannot bump {rel}: `version:` at line {line_no} is not a plain `version: N` line", "write it as `version: N`")
    bom = b"\xef\xbb\xbf" if body.startswith(b"\xef\xbb\xbf") else b""
    lines[line_no - 1] = bom + match["head"] + str(number).encode() + match["tail"] + ending
    return b"".join(lines)


def bump(settings: Settings, name: str, start: int | None = None) -> Path:
    """Write the next version of ``name``, a copy of its latest version (or of version
    ``start``); under concurrent runs each caller gets the file it really created."""
    for _ in range(64):
        entry = lookup(settings, name)
        latest = entry.latest
        source = entry.versions[latest if start is None else start]
        raw = (settings.root / source).read_bytes()
        layout = "nested" if Path(source).name == f"v{latest if start is None else start}.yaml" else "flat"
        target = version_path(settings, name, latest + 1, layout)
        try:
            fsio.create(target, bumped(raw, source, latest + 1), root=settings.root)
        except FileExistsError:
            continue  # someone else just wrote that number: copy theirs and try the next
        return target
    raise WriteRefused(f"could not create a new version of `{name}`: too many concurrent writers", "try again")


def bump_from_edit(settings: Settings, name: str, base: str | None = None) -> tuple[Path, str, str]:
    """The way out of `modified-version`: the edited published file's text becomes the
    next version, and the published file gets its published bytes back. Returns (the new
    file, the restored file, the baseline's label)."""
    from promptctl.history import published_bytes

    entry = lookup(settings, name)
    label, published = published_bytes(settings, list(entry.versions.values()), base)
    edited = [
        (number, rel)
        for number, rel in sorted(entry.versions.items())
        if rel in published and (settings.root / rel).read_bytes() != published[rel]
    ]
    if not edited:
        raise UsageError(
            f"no published version of `{name}` is edited (against {label})", f"`promptctl bump {name}` copies the latest version to edit"
        )
    if len(edited) > 1:
        listed = ", ".join(rel for _, rel in edited)
        raise UsageError(
            f"{len(edited)} published versions of `{name}` are edited ({listed})", "undo all edits but one, then run this again"
        )
    number, rel = edited[0]
    latest = entry.latest
    layout = "nested" if Path(rel).name == f"v{number}.yaml" else "flat"
    target = version_path(settings, name, latest + 1, layout)
    fsio.create(target, bumped((settings.root / rel).read_bytes(), rel, latest + 1), root=settings.root)
    fsio.replace(settings.root / rel, published[rel], root=settings.root)
    return target, rel, label

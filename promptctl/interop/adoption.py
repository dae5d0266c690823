"""``promptctl import``: other tools' files become new versions of promptctl prompts.

:func:`plan` reads every source first (a source that cannot be read stops everything,
exit 2, nothing written), then renders each as a YAML version file and lints it;
:func:`write` creates the files that lint clean, never overwriting."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from promptctl.config import Settings
from promptctl.errors import UsageError
from promptctl.findings import Finding
from promptctl.interop.dialects import Untranslatable, has_jinja_syntax
from promptctl.interop.importing import FORMATS, BadSource, Draft, Format
from promptctl.interop.yamlout import dump


@dataclass
class Planned:
    source: Path
    name: str
    draft: Draft | None = None
    target: str | None = None  # relative to the project root
    raw: bytes | None = None
    refused: str | None = None  # what needs a hand
    findings: list[Finding] = field(default_factory=list)
    same_as: str | None = None  # the latest version already holds exactly this

    @property
    def writable(self) -> bool:
        return self.raw is not None and self.refused is None and self.same_as is None


def slug(name: str) -> str:
    """A source's name as a promptctl name: lowercase kebab-case, `/` for folders."""
    parts = [re.sub(r"[^a-z0-9]+", "-", part.lower()).strip("-") for part in re.split(r"[/\\]", name)]
    return "/".join(p for p in parts if p)


def sources(fmt: Format, paths: list[Path]) -> list[tuple[Path, str]]:
    """(file, default name) for each PATH; a folder gives its files of the format,
    their sub-folders namespacing the names."""
    found: list[tuple[Path, str]] = []
    for path in paths:
        if path.is_dir():
            files = sorted(p for p in _files_under(path) if fmt.matches(p))
            if not files:
                raise UsageError(f"{path}: no {fmt.label} files ({', '.join(fmt.suffixes)}) in this folder", "check the path and format")
            for file in files:
                folder = file.parent.relative_to(path).as_posix()
                found.append((file, ("" if folder == "." else folder + "/") + fmt.default_name(file)))
        elif path.is_file():
            found.append((path, fmt.default_name(path)))
        else:
            raise UsageError(f"{path}: no such file or folder", "check the path")
    return found


def _files_under(folder: Path) -> Iterator[Path]:
    """Every file under ``folder`` (a link to a file too; a link to a folder is not
    entered), one folder at a time: a tree nested a thousand deep is read, not a
    RecursionError (``Path.rglob`` recurses)."""
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            entries = list(os.scandir(current))
        except OSError:
            continue  # an unreadable folder, as rglob passes it over
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                pending.append(current / entry.name)
            elif entry.is_file():
                yield current / entry.name


def _read(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror or exc}", "check the file's permissions") from None
    except UnicodeDecodeError as exc:
        raise BadSource(f"{path}: not UTF-8 text (byte {exc.start})", "save it as UTF-8") from None


def plan(settings: Settings, format_name: str, paths: list[Path], name: str | None = None) -> list[Planned]:
    from promptctl.catalog import scan
    from promptctl.layout import valid_name

    fmt = FORMATS[format_name]
    found = sources(fmt, paths)
    if name and len(found) > 1:
        raise UsageError(f"--name names one prompt, but {len(found)} files were given", "import them one at a time, or drop --name")
    planned: list[Planned] = []
    for path, default in found:
        text = _read(path)
        try:
            draft = fmt.read(text, str(path))
        except Untranslatable as exc:
            planned.append(
                Planned(path, name or slug(default), refused=str(exc) if exc.message.startswith(str(path)) else f"{path}:{exc.line}: {exc}")
            )
            continue
        derived = f"{default.rpartition('/')[0]}/{draft.name}".lstrip("/") if draft.name else default
        planned.append(Planned(path, name or slug(derived), draft))
        if not name and slug(derived) != derived:
            draft.notes.append(f"named `{slug(derived)}` (from `{derived}`)")
    by_name: dict[str, Path] = {}
    for item in planned:
        if not valid_name(item.name):
            raise UsageError(f"{item.source}: `{item.name}` is not a prompt name", "give one with --name NAME (lowercase kebab-case)")
        if item.name in by_name:
            raise UsageError(
                f"{by_name[item.name]} and {item.source} would both become `{item.name}`",
                "import them one at a time in the order their versions should get, or give --name",
            )
        by_name[item.name] = item.source
    entries = scan(settings)
    for item in planned:
        if item.draft is not None:
            _render(settings, item, entries.get(item.name))
    return planned


def _render(settings: Settings, item: Planned, entry: Any) -> None:
    from promptctl.layout import relative, version_path
    from promptctl.linter import lint_text
    from promptctl.versions import bumped, schema_line

    assert item.draft is not None
    number = entry.latest + 1 if entry else 1
    layout = None
    if entry:
        last = entry.versions[entry.latest]
        layout = "nested" if Path(last).name == f"v{entry.latest}.yaml" else "flat"
    target = version_path(settings, item.name, number, layout)
    item.target = relative(settings, target)
    data = {"version": number, **item.draft.data}
    try:
        _keep_literal(data)
    except Untranslatable as exc:
        item.refused = f"{item.source}:{exc.line}: {exc}"
        return
    header = schema_line(settings, target) + f"# Imported from {item.source.name} by `promptctl import`.\n"
    item.raw = (header + dump(data)).encode("utf-8")
    if entry:
        last = entry.versions[entry.latest]
        previous = (settings.root / last).read_bytes()
        if bumped(previous, last, number) == item.raw:
            item.same_as = last
            return
    report = lint_text(settings, str(target), item.raw)
    item.findings = list(report.findings)
    errors = [f for f in item.findings if f.severity == "error"]
    if errors:
        item.refused = f"{item.source}: {len(errors)} lint error{'s' if len(errors) > 1 else ''} in the result (below)"


def _keep_literal(data: dict[str, Any]) -> None:
    """Text that quotes template syntax and reads no variable is kept literal with
    `template_format: none`, rather than as escapes: the same text, easier to read."""
    if data.get("variables"):
        return
    texts: list[tuple[str | int, Any]] = [("system", data.get("system")), ("user", data.get("user"))]
    texts += [(i, m["content"]) for i, m in enumerate(data.get("messages") or [])]
    if not any(isinstance(t, str) and has_jinja_syntax(t) for _, t in texts):
        return
    from promptctl.templating import RenderError, render

    for key, text in texts:
        if not isinstance(text, str):
            continue
        try:
            literal = render(text, {})
        except RenderError as exc:
            raise Untranslatable(f"the text does not render without variables: {exc.message}", exc.line or 1) from None
        if isinstance(key, int):
            data["messages"][key]["content"] = literal
        else:
            data[key] = literal
    data["template_format"] = "none"


def write(settings: Settings, item: Planned) -> None:
    from promptctl import fsio
    from promptctl.errors import WriteRefused

    assert item.raw is not None and item.target is not None
    try:
        fsio.create(settings.root / item.target, item.raw, root=settings.root)
    except FileExistsError:
        raise WriteRefused(f"{item.target} exists", "another command wrote it meanwhile: run the import again") from None

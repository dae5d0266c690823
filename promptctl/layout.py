"""Path <-> (name, version), and discovery of prompt and tags files.

Two layouts are always accepted; config ``layout`` only says which one ``new`` writes:

- flat:   ``prompts/<ns>/<name>-v<N>.yaml`` and ``prompts/<ns>/<name>.tags.yaml``
- nested: ``prompts/<ns>/<name>/v<N>.yaml`` and ``prompts/<ns>/<name>/tags.yaml``

Sub-folders namespace the name: ``prompts/billing/refund-triage-v2.yaml`` is version 2
of ``billing/refund-triage``.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

from promptctl.config import Settings

Kind = Literal["version", "tags", "unknown"]

NAME_SEGMENT = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_FLAT_VERSION = re.compile(r"^(?P<name>.+)-v(?P<n>[0-9]+)$")
_NESTED_VERSION = re.compile(r"^v(?P<n>[0-9]+)$")
YAML_SUFFIXES = (".yaml", ".yml")
# Folders are read through a descriptor where the platform can (not Windows): a flat
# folder of 20,000 files is 20,000 lstat calls, a sixth cheaper by name than by path.
_SCAN_BY_FD = os.scandir in os.supports_fd and os.stat in os.supports_dir_fd
# (opened without following a link: a folder swapped for one since it was listed is skipped)
_FOLDER_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0)
# Versions run 1, 2, 3 …: a number past this is a mistake (or an attack on tools that
# count up to it), reported by `filename` and never counted to.
MAX_VERSION = 99_999


@dataclass(frozen=True)
class PromptPath:
    """What a path under the prompts folder is. ``problem`` is set when the name does
    not follow the layout (rule ``filename``)."""

    rel: str  # relative to the project root, POSIX
    kind: Kind
    name: str | None = None
    version: int | None = None
    layout: Literal["flat", "nested"] | None = None
    problem: str | None = None


def valid_name(name: str) -> bool:
    return bool(name) and all(NAME_SEGMENT.match(part) for part in name.split("/"))


@lru_cache(maxsize=4096)
def classify(rel: str, prompts_dir: str) -> PromptPath:
    """Classify ``rel`` (relative to the project root). Paths outside the prompts folder
    are judged by their last components alone."""
    base = prompts_dir.strip("/")
    if base and rel.startswith(base + "/"):
        inner = rel[len(base) + 1 :]
    elif not base:
        inner = rel
    else:
        inner = rel.rsplit("/", 1)[-1]
    folder, _, filename = inner.rpartition("/")
    if filename.endswith(".yml"):
        return PromptPath(rel, "unknown", problem=f"`{filename}` uses .yml; promptctl files end in .yaml")
    if not filename.endswith(".yaml"):
        return PromptPath(rel, "unknown", problem=f"`{filename}` is not a .yaml file")
    stem = filename[: -len(".yaml")]

    def named(name: str, kind: Kind, version: int | None, layout: Literal["flat", "nested"]) -> PromptPath:
        if not valid_name(name):
            return PromptPath(
                rel,
                kind,
                name,
                version,
                layout,
                problem=f"prompt name `{name}` is not lowercase kebab-case (a-z, 0-9, single dashes; folders separate namespaces)",
            )
        return PromptPath(rel, kind, name, version, layout)

    def joined(name: str) -> str:
        return f"{folder}/{name}" if folder else name

    if stem == "tags":
        if not folder:
            return PromptPath(rel, "unknown", problem="`tags.yaml` belongs in a prompt's folder (nested layout) or as <name>.tags.yaml")
        return named(folder, "tags", None, "nested")
    if stem.endswith(".tags"):
        return named(joined(stem[: -len(".tags")]), "tags", None, "flat")
    match = _NESTED_VERSION.match(stem)
    if match and folder:
        n = match["n"]
        if not _usable_version(n):
            return PromptPath(rel, "unknown", problem=_bad_number(filename))
        return named(folder, "version", int(n), "nested")
    match = _FLAT_VERSION.match(stem)
    if match:
        n = match["n"]
        if not _usable_version(n):
            return PromptPath(rel, "unknown", problem=_bad_number(filename))
        return named(joined(match["name"]), "version", int(n), "flat")
    return PromptPath(
        rel, "unknown", problem=f"`{filename}` does not name a version: expected <name>-v<N>.yaml, <name>/v<N>.yaml or a tags file"
    )


def _usable_version(digits: str) -> bool:
    """1 … MAX_VERSION without leading zeros (the length is checked before converting)."""
    return not digits.startswith("0") and len(digits) <= len(str(MAX_VERSION)) and int(digits) <= MAX_VERSION


def _bad_number(filename: str) -> str:
    return f"`{filename}`: version numbers start at 1, have no leading zeros and stay at most {MAX_VERSION:,}"


def version_path(settings: Settings, name: str, version: int, layout: str | None = None) -> Path:
    layout = layout or settings.layout
    if layout == "nested":
        return settings.prompts_path / name / f"v{version}.yaml"
    return settings.prompts_path / f"{name}-v{version}.yaml"


def tags_path(settings: Settings, name: str, layout: str | None = None) -> Path:
    layout = layout or settings.layout
    if layout == "nested":
        return settings.prompts_path / name / "tags.yaml"
    return settings.prompts_path / f"{name}.tags.yaml"


def relative(settings: Settings, path: Path) -> str:
    """``path`` relative to the project root, POSIX style (absolute when outside it)."""
    absolute = path if path.is_absolute() else Path.cwd() / path
    try:
        return Path(os.path.normpath(absolute)).relative_to(settings.root).as_posix()
    except ValueError:
        return Path(os.path.normpath(absolute)).as_posix()


@dataclass(frozen=True)
class Discovery:
    files: list[str]  # YAML files, relative to the root, sorted
    symlinks: list[str]  # links found where prompt files live (never followed)
    special: list[str] = field(default_factory=list)  # FIFOs, devices, sockets: never opened
    stats: dict[str, os.stat_result] = field(default_factory=dict)  # lstat of each file


def discover(settings: Settings, paths: list[Path] | None = None) -> Discovery:
    """The YAML files under the given paths (default: the prompts folder). Hidden files
    and folders are skipped; symlinks are reported, never followed. Walks with
    ``os.scandir`` and plain strings: this runs on every lint of every file. A folder
    holding ``.git`` (a submodule, a nested clone) belongs to another repository and
    is passed over."""
    roots = paths if paths else [settings.prompts_path]
    root = str(settings.root)
    files: dict[str, os.stat_result] = {}
    links: set[str] = set()
    special: set[str] = set()

    def rel_of(path: str) -> str:
        if path.startswith(root + os.sep):
            rel = path[len(root) + 1 :]
            return rel.replace(os.sep, "/") if os.sep != "/" else rel
        return relative(settings, Path(path))

    def add(path: str, st: os.stat_result) -> None:
        if stat.S_ISLNK(st.st_mode):
            links.add(rel_of(path))
        elif stat.S_ISREG(st.st_mode):
            files[rel_of(path)] = st
        else:
            special.add(rel_of(path))

    def walk(top: str) -> None:
        """Every folder under ``top``, one at a time (a stack, not recursion: a tree
        nested a thousand deep is walked, not a RecursionError)."""
        pending = [top]
        while pending:
            folder = pending.pop()
            fd = None
            try:
                if _SCAN_BY_FD:  # each lstat then resolves one name, not every folder of the path
                    fd = os.open(folder, _FOLDER_FLAGS)
                entries = list(os.scandir(folder if fd is None else fd))
                scan(folder, entries, pending)
            except OSError:
                continue  # an unreadable folder holds nothing to lint
            finally:
                if fd is not None:
                    os.close(fd)

    def scan(folder: str, entries: list[os.DirEntry[str]], pending: list[str]) -> None:
        prefix = "" if folder == root else rel_of(folder) + "/"
        for entry in entries:  # one lstat per YAML file, no other call: this loop meets every file
            name = entry.name
            if name.startswith("."):
                continue
            if name.endswith(YAML_SUFFIXES):
                rel = prefix + name
                try:
                    st = entry.stat(follow_symlinks=False)
                except OSError:
                    files[rel] = os.stat_result((stat.S_IFREG, 0, 0, 0, 0, 0, 0, 0, 0, 0))
                    continue
                mode = st.st_mode
                if stat.S_ISREG(mode):
                    files[rel] = st
                elif stat.S_ISLNK(mode):
                    links.add(rel)
                elif stat.S_ISDIR(mode):
                    pending.append(os.path.join(folder, name))
                else:
                    special.add(rel)
            elif entry.is_dir(follow_symlinks=False):
                path = os.path.join(folder, name)
                if not os.path.lexists(os.path.join(path, ".git")):  # a submodule is another repository's
                    pending.append(path)
            elif entry.is_symlink() and entry.is_dir():
                links.add(prefix + name)  # a link to a folder

    for given in roots:
        absolute = os.path.normpath(given if given.is_absolute() else Path.cwd() / given)
        try:
            st = os.lstat(absolute)
        except OSError:
            continue
        if stat.S_ISDIR(st.st_mode):
            walk(absolute)
        else:
            add(absolute, st)
    ordered = sorted(files)
    return Discovery(ordered, sorted(links), sorted(special), files)

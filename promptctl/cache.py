"""The lint cache: results of each file by content, so that unchanged files — and a
published version never changes — cost a `stat` on the next run.

An entry is used only when the file's content hash matches *and* the fingerprint of
everything else a result depends on matches: promptctl's code (its files' sizes and
modification times, so an edited checkout invalidates too), the schema, the settings,
and the versions of the model catalogue and tokenizer. A file's stat (size,
modification time, inode) stands in for its hash only when the file is older than the
cache by more than the file system's timestamp granularity ("racy" files are re-read).
When not one file of the folder changed, the whole run's findings are kept too (see
:class:`RunMemo`). `--no-cache` turns both off.

Location (override with PROMPTCTL_CACHE_DIR): `$XDG_CACHE_HOME/promptctl` or
`~/.cache/promptctl` on Linux, `~/Library/Caches/promptctl` on macOS,
`%LOCALAPPDATA%\\promptctl\\Cache` on Windows; one file per project.

A CI cache can be written by a pull request, so the cache holds data only, as JSON:
nothing in it is ever executed or unpickled, and a file that does not parse or has
an unexpected shape is ignored (a miss), never an error.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import sys
import time
from array import array
from pathlib import Path
from typing import TYPE_CHECKING, Any

from promptctl._version import __version__
from promptctl.config import Settings

if TYPE_CHECKING:
    from promptctl.findings import Finding
    from promptctl.layout import Discovery

FORMAT = 2
RACY_NS = 2_000_000_000


def cache_dir() -> Path:
    override = os.environ.get("PROMPTCTL_CACHE_DIR")
    if override:
        return Path(override)
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "promptctl"
    if os.name == "nt":
        return Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local")) / "promptctl" / "Cache"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "promptctl"


def _package_versions() -> str:
    """Which installed copies of the libraries results depend on: their files' sizes and
    modification times (found without importing them, or importlib.metadata: both
    cost more than a lint of one file)."""
    from importlib.util import find_spec

    out = []
    for module in ("genai_prices", "bpe_openai", "jinja2", "yaml", "jsonschema", "fastjsonschema"):
        try:
            spec = find_spec(module)
        except (ImportError, ValueError):
            spec = None
        origin = spec.origin if spec and spec.origin else None
        if origin is None:
            out.append(f"{module}=none")
            continue
        folder = os.path.dirname(origin)
        stamps = []
        for name in sorted(os.listdir(folder)):
            if name.endswith(".py"):
                st = os.stat(os.path.join(folder, name))
                stamps.append(f"{name}:{st.st_size}:{st.st_mtime_ns}")
        out.append(f"{module}={hashlib.sha256('|'.join(stamps).encode()).hexdigest()[:16]}")
    return ",".join(out)


def _code_fingerprint() -> str:
    here = Path(__file__).resolve().parent
    parts = []
    for folder in (here, here / "rules", here / "templating", here.parent / "schemas", here / "schemas"):
        if folder.is_dir():
            for entry in sorted(os.scandir(folder), key=lambda e: e.name):
                if entry.name.endswith((".py", ".json")):
                    st = entry.stat()
                    parts.append(f"{entry.path}:{st.st_size}:{st.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def fingerprint(settings: Settings) -> str:
    text = f"{FORMAT}|{__version__}|{_code_fingerprint()}|{_package_versions()}|{settings.fingerprint()}"
    return hashlib.sha256(text.encode()).hexdigest()


def load_models() -> dict[str, Any]:
    """Facts of the model ids seen before (see promptctl.models.model_facts), valid for
    the installed catalogue and promptctl."""
    try:
        data = json.loads((cache_dir() / "models.json").read_bytes())
    except (OSError, ValueError, RecursionError):
        return {}
    if not isinstance(data, dict) or data.get("key") != _models_key() or not isinstance(data.get("models"), dict):
        return {}
    models: dict[str, Any] = data["models"]
    return models


def save_models(models: dict[str, Any]) -> None:
    _write(cache_dir() / "models.json", {"key": _models_key(), "models": models})


def _models_key() -> str:
    return f"{FORMAT}|{__version__}|{_code_fingerprint()}|{_package_versions()}"


def _write(path: Path, payload: dict[str, Any]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(json.dumps(payload, separators=(",", ":")).encode())
        os.replace(tmp, path)
    except OSError:
        pass  # a cache that cannot be written only costs speed


class LintCache:
    def __init__(self, settings: Settings, enabled: bool = True) -> None:
        self.enabled = enabled
        self.path = cache_dir() / f"lint-{hashlib.sha256(str(settings.root).encode()).hexdigest()[:16]}.json"
        self.key = fingerprint(settings) if enabled else ""
        self.entries: dict[str, list[Any]] = {}
        self.written_ns = 0
        self.dirty = False
        if enabled:
            self._load()

    def _load(self) -> None:
        try:
            data = json.loads(self.path.read_bytes())
        except (OSError, ValueError, RecursionError):
            return
        if not isinstance(data, dict) or data.get("key") != self.key:
            return
        entries = data.get("entries")
        if isinstance(entries, dict):
            self.entries = entries
            written = data.get("written_ns", 0)
            self.written_ns = written if isinstance(written, int) else 0

    def lookup(self, rel: str, stat: os.stat_result | None, raw: bytes | None) -> tuple[Any, str | None]:
        """(cached result or None, the content hash when it was computed)."""
        entry = self.entries.get(rel) if self.enabled else None
        if entry is None:
            return None, None
        try:
            size, mtime_ns, ino, digest, result = entry
        except (TypeError, ValueError):
            return None, None  # a damaged entry is a miss
        if (
            raw is None
            and stat is not None
            and (stat.st_size, stat.st_mtime_ns, stat.st_ino) == (size, mtime_ns, ino)
            and mtime_ns < self.written_ns - RACY_NS
        ):
            return result, digest
        if raw is not None:
            current = hashlib.sha256(raw).hexdigest()
            return (result if current == digest else None), current
        return None, None

    def store(self, rel: str, stat: os.stat_result, digest: str, result: Any) -> None:
        if self.enabled:
            self.entries[rel] = [stat.st_size, stat.st_mtime_ns, stat.st_ino, digest, result]
            self.dirty = True

    def save(self, keep: set[str] | None = None) -> None:
        if not self.enabled or not self.dirty:
            return
        if keep is not None:
            self.entries = {k: v for k, v in self.entries.items() if k in keep}
        _write(self.path, {"key": self.key, "written_ns": time.time_ns(), "entries": self.entries})


class RunMemo:
    """The findings of the last lint of the whole folder, under a stamp of every file's
    stat (path, size, modification time, inode), the settings and promptctl: when not
    one file changed — the usual warm run — they are the answer, without reading each
    file's cached result. A file modified within the racy window of the memo's writing
    voids it, as it voids that file's entry in :class:`LintCache`."""

    def __init__(self, settings: Settings, found: Discovery) -> None:
        self.path = cache_dir() / f"run-{hashlib.sha256(str(settings.root).encode()).hexdigest()[:16]}.json"
        stats = [found.stats[rel] for rel in found.files]
        numbers = [n for st in stats for n in (st.st_size, st.st_mtime_ns, st.st_ino)]
        self.newest_ns = max(numbers[1::3], default=0)
        stamp = hashlib.sha256(marshal.dumps((fingerprint(settings), found.files, found.symlinks, found.special)))
        try:  # every file's numbers as one array of machine integers: a third of the time of a tuple each
            stamp.update(array("q", numbers).tobytes())
        except OverflowError:  # an inode number past 2**63
            stamp.update(marshal.dumps(numbers))
        self.stamp = stamp.hexdigest()

    def load(self) -> tuple[list[Finding], list[Finding], dict[tuple[str, int], str]] | None:
        """(findings, redactions, the quoted source lines) of the last run, or None when
        anything changed. The quoted lines save a warm run from reading every file that
        has a finding."""
        from promptctl.findings import finding_from_row

        def findings(rows: list[Any]) -> list[Finding]:
            return [finding_from_row(*row) for row in rows]

        try:
            data = json.loads(self.path.read_bytes())
            if data["stamp"] != self.stamp or self.newest_ns >= data["written_ns"] - RACY_NS:
                return None
            quotes = {(path, line): text for path, line, text in data["quotes"]}
            return findings(data["findings"]), findings(data["redactions"]), quotes
        except (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError):
            return None  # none yet, or damaged: lint

    def save(self, findings: list[Finding], redactions: list[Finding], quotes: dict[tuple[str, int], str]) -> None:
        def rows(items: list[Finding]) -> list[list[object]]:
            return [[f.path, f.line, f.column, f.rule, f.severity.value, f.message] for f in items]

        _write(
            self.path,
            {
                "stamp": self.stamp,
                "written_ns": time.time_ns(),
                "findings": rows(findings),
                "redactions": rows(redactions),
                "quotes": [[path, line, text] for (path, line), text in sorted(quotes.items())],
            },
        )

"""What ``render`` and ``export`` need beyond the runtime: variables from the command
line, render errors as findings, and the bundle format."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from promptctl.catalog import read_tags, scan
from promptctl.config import Settings
from promptctl.document import load, unreadable
from promptctl.errors import UsageError
from promptctl.findings import Finding, Severity
from promptctl.invisible import json_dumps
from promptctl.newlines import to_lf
from promptctl.refs import valid_tags
from promptctl.runtime import BUNDLE_FORMAT, Prompt, PromptRenderError, content_hash

_TRUE = {"true", "yes", "1", "on"}
_FALSE = {"false", "no", "0", "off"}


def coerce_vars(prompt: Prompt, pairs: list[str]) -> dict[str, Any]:
    """``NAME=VALUE`` pairs converted to each variable's declared type."""
    values: dict[str, Any] = {}
    for pair in pairs:
        name, sep, text = pair.partition("=")
        if not sep or not name:
            raise UsageError(f"--var `{pair}` is not NAME=VALUE", "e.g. --var customer_name=Dana")
        spec = prompt.variables.get(name)
        kind = spec.type if spec else "string"
        try:
            if kind == "integer":
                values[name] = int(text)
            elif kind == "number":
                values[name] = float(text) if any(c in text for c in ".eE") else int(text)
            elif kind == "boolean":
                if text.lower() not in _TRUE | _FALSE:
                    raise ValueError(text)
                values[name] = text.lower() in _TRUE
            elif kind in ("array", "object"):
                values[name] = json.loads(text)
            else:
                values[name] = text
        except (ValueError, RecursionError):
            raise PromptRenderError(f"{prompt.id}: variable `{name}` must be {kind}, got {text!r}", kind="variables") from None
    return values


MAX_VARS_FILE = 1024 * 1024


def load_vars_file(path: Path) -> dict[str, Any]:
    import stat

    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # /dev/zero, a FIFO: never read what has no end
            raise UsageError(f"--vars {path}: not a regular file", "write the variables to a .json or .yaml file")
        if info.st_size > MAX_VARS_FILE:
            raise UsageError(f"--vars {path}: {info.st_size:,} bytes; the limit is {MAX_VARS_FILE:,}", "pass a smaller file")
        with path.open("rb") as fh:
            raw = fh.read(MAX_VARS_FILE + 1)
    except OSError as exc:
        raise UsageError(f"--vars {path}: cannot read: {exc.strerror or exc}", "check the path") from None
    if path.suffix == ".json":
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError) as exc:
            reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
            raise UsageError(f"--vars {path}: invalid JSON: {reason}", "fix the file") from None
    else:
        doc, findings = load(str(path), raw)
        blocking = unreadable(findings, also=frozenset({"duplicate-key"}))  # a vars file must not be ambiguous
        if doc is None or blocking:
            first = blocking or findings[0]
            raise UsageError(f"--vars {path}:{first.line}:{first.column}: {first.message}", "fix the file")
        data = doc.data
    if not isinstance(data, dict):
        raise UsageError(f"--vars {path}: expected a mapping of variable names to values", "fix the file")
    return {str(k): v for k, v in data.items()}


def _field_path(field: str) -> tuple[str | int, ...]:
    parts: list[str | int] = []
    for name, index in re.findall(r"([A-Za-z_]+)(?:\[(\d+)\])?", field):
        parts.append(name)
        if index:
            parts.append(int(index))
    return tuple(parts)


def finding_for(settings: Settings, rel: str, raw: bytes, exc: PromptRenderError) -> Finding:
    """A render error as a finding, at the template line in the file when known."""
    doc, _ = load(rel, raw, max_size=settings.max_file_size, max_depth=settings.max_depth)
    pos = (1, 1)
    if doc is not None:
        if exc.field:
            path = _field_path(exc.field)
            needle = None
            name = re.search(r"`([^`]+)` is undefined", exc.message)
            if name:
                needle = name.group(1)
            pos = doc.locate_in_value(path, exc.line or 1, needle) if exc.line else doc.value_position(path)
        else:
            name = re.search(r"variable `([^`]+)`", exc.message)
            if name and ("variables", name.group(1)) in doc.key_positions:
                pos = doc.position(("variables", name.group(1)))
    message = exc.detail
    if exc.hint:
        message += f" ({exc.hint})"
    return Finding(rel, pos[0], pos[1], "render-error", Severity.ERROR, message)


def bundle(settings: Settings) -> bytes:
    """Every version and tag as one deterministic JSON document."""
    prompts: dict[str, Any] = {}
    for name, entry in scan(settings).items():
        versions = {}
        for number in sorted(entry.versions):
            rel = entry.versions[number]
            raw = (settings.root / rel).read_bytes()
            source = to_lf(raw.decode("utf-8-sig"))
            versions[str(number)] = {"path": rel, "sha256": content_hash(raw), "source": source}
        tags = dict(sorted(valid_tags(read_tags(settings, entry)).items()))
        prompts[name] = {"versions": versions, "tags": tags}
    payload = {"format": BUNDLE_FORMAT, "version": 1, "prompts": prompts}
    return (json_dumps(payload, indent=2, sort_keys=True) + "\n").encode("utf-8")

"""One prompt version as ``show`` prints it, and the messages ``render`` produced.

Text is the file (or each message) line by line, never cut or wrapped; only hidden
characters are escaped (see :mod:`promptctl.invisible`). JSON is the data."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, TextIO

from promptctl.invisible import escape, json_dumps


def _bold(out: TextIO, text: str) -> str:
    tty = hasattr(out, "isatty") and out.isatty()
    if tty and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb":
        return f"\x1b[1m{text}\x1b[0m"
    return text


def file_text(out: TextIO, text: str) -> None:
    """A file's text: as it is into a pipe or a file, hidden characters escaped on a
    terminal (where they would act or hide)."""
    tty = hasattr(out, "isatty") and out.isatty()
    out.write(escape(text, keep_lines=True) if tty else text)


def show_version(out: TextIO, fmt: str, *, label: str, path: str, raw: str, data: dict[str, Any]) -> None:
    """``show``: text (the file under its name), json (the data), yaml (the file as is —
    with hidden characters escaped when it goes to a terminal)."""
    if fmt == "json":
        name, _, version = label.rpartition("@")
        out.write(json_dumps({"name": name, "version": int(version), "path": path, "data": data}, indent=2, default=str) + "\n")
        return
    if fmt == "yaml":
        file_text(out, raw)
        return
    out.write(f"{_bold(out, escape(label))}  {escape(path)}\n")
    out.write(escape(raw, keep_lines=True) + ("" if raw.endswith("\n") or not raw else "\n"))


def rendered(out: TextIO, fmt: str, output: Any, *, label: str, model: str, parameters: Mapping[str, Any]) -> None:
    """``render``: text (what it rendered for, then each message), or the JSON an API call
    takes (messages, or OpenAI / Anthropic keyword arguments)."""
    if fmt != "text":
        out.write(json_dumps(output, indent=2) + "\n")
        return
    settings = ", ".join(f"{k} {v}" for k, v in sorted(parameters.items()))
    out.write(escape(f"{label} for {model}" + (f" ({settings})" if settings else "")) + "\n")
    for message in output:
        out.write(_bold(out, f"── {message['role']} ──") + "\n")
        out.write(escape(message["content"].rstrip("\n"), keep_lines=True) + "\n")

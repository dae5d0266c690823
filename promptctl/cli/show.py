from __future__ import annotations

import sys
from enum import Enum
from typing import Annotated

import typer

from promptctl.cli import settings
from promptctl.invisible import escape, json_dumps


class ShowFormat(str, Enum):
    text = "text"
    json = "json"
    yaml = "yaml"


def show(
    spec: Annotated[str, typer.Argument(metavar="NAME[@VERSION|@TAG]", help="A prompt, optionally at a version (3, v3) or tag.")],
    format: Annotated[
        ShowFormat,
        typer.Option(
            "--format",
            "-f",
            help="text (the file with its name), json (the data) or yaml (the file as is; hidden characters escaped on a terminal).",
        ),
    ] = ShowFormat.text,
) -> None:
    """Show one version of a prompt, with its path."""
    from promptctl.catalog import read_data, resolve

    s = settings()
    entry, number = resolve(s, spec)
    rel = entry.versions[number]
    data = read_data(s, rel)
    if format is ShowFormat.json:
        sys.stdout.write(json_dumps({"name": entry.name, "version": number, "path": rel, "data": data}, indent=2, default=str) + "\n")
        return
    raw = (s.root / rel).read_text(encoding="utf-8-sig", errors="replace")
    tty = sys.stdout.isatty()
    if format is ShowFormat.yaml:
        # the file as is for a pipe or a redirect; a terminal never gets raw controls
        sys.stdout.write(escape(raw, keep_lines=True) if tty else raw)
        return
    # The file line by line, never cut or wrapped: only hidden characters are escaped.
    bold = "\x1b[1m" if tty and not _no_color() else ""
    sys.stdout.write(f"{bold}{escape(entry.name)}@{number}{chr(27) + '[0m' if bold else ''}  {escape(rel)}\n")
    sys.stdout.write(escape(raw, keep_lines=True) + ("" if raw.endswith("\n") or not raw else "\n"))


def _no_color() -> bool:
    import os

    return bool(os.environ.get("NO_COLOR")) or os.environ.get("TERM") == "dumb"

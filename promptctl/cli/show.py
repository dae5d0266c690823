from __future__ import annotations

import json
import sys
from enum import Enum

import typer

from promptctl.cli import settings


class ShowFormat(str, Enum):
    text = "text"
    json = "json"
    yaml = "yaml"


def show(
    spec: str = typer.Argument(..., metavar="NAME[@VERSION|@TAG]", help="A prompt, optionally at a version (3, v3) or tag."),
    format: ShowFormat = typer.Option(ShowFormat.text, "--format", "-f", help="text (pretty), json (the data) or yaml (the file as is)."),
) -> None:
    """Show one version of a prompt, with its path."""
    from promptctl.catalog import read_data, resolve

    s = settings()
    entry, number = resolve(s, spec)
    rel = entry.versions[number]
    data = read_data(s, rel)
    if format is ShowFormat.json:
        sys.stdout.write(json.dumps({"name": entry.name, "version": number, "path": rel, "data": data}, indent=2, ensure_ascii=False, default=str) + "\n")
        return
    raw = (s.root / rel).read_text(encoding="utf-8-sig", errors="replace")
    if format is ShowFormat.yaml:
        sys.stdout.write(raw)
        return
    from rich.syntax import Syntax
    from rich.text import Text

    from promptctl.reporters import console, safe

    con = console(sys.stdout, None)
    con.print(Text.assemble((f"{entry.name}@{number}", "bold"), "  ", (rel, "dim")))
    con.print(Syntax(safe(raw), "yaml", theme="ansi_dark", background_color="default", word_wrap=True))

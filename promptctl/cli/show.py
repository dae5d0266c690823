from __future__ import annotations

import sys
from enum import Enum
from typing import Annotated

import typer

from promptctl.cli import settings
from promptctl.cli.options import complete_spec


class ShowFormat(str, Enum):
    text = "text"
    json = "json"
    yaml = "yaml"


def show(
    spec: Annotated[
        str,
        typer.Argument(
            metavar="NAME[@VERSION|@TAG]", help="A prompt, optionally at a version (3, v3) or tag.", autocompletion=complete_spec
        ),
    ],
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
    from promptctl.reporters.prompt import show_version

    s = settings()
    entry, number = resolve(s, spec)
    rel = entry.versions[number]
    data = read_data(s, rel)
    raw = (s.root / rel).read_text(encoding="utf-8-sig", errors="replace")
    show_version(sys.stdout, format.value, label=f"{entry.name}@{number}", path=rel, raw=raw, data=data)

from __future__ import annotations

import json
import sys

import typer

from promptctl.cli import settings
from promptctl.cli.list_ import ListFormat


def log(
    name: str = typer.Argument(..., help="The prompt."),
    format: ListFormat = typer.Option(ListFormat.text, "--format", "-f", help="Output format."),
) -> None:
    """The git history of a prompt: versions added and tag moves, who and when."""
    from promptctl.catalog import lookup
    from promptctl.changelog import events

    s = settings()
    found = events(s, lookup(s, name))
    if format is ListFormat.json:
        sys.stdout.write(json.dumps([e.as_dict() for e in found], indent=2) + "\n")
        return
    if not found:
        typer.echo(f"no committed history for `{name}` yet")
        return
    from rich.table import Table

    from promptctl.reporters import console, safe

    table = Table(box=None, pad_edge=False, header_style="bold")
    for column in ("date", "commit", "author", "change", "subject"):
        table.add_column(column)
    for e in found:
        table.add_row(e.commit.date[:10], e.commit.sha[:10], safe(e.commit.author), safe(e.describe()), safe(e.commit.subject))
    console(sys.stdout, None).print(table)

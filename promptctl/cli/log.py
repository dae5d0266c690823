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
    from promptctl.reporters import print_table

    print_table(
        sys.stdout,
        ["date", "commit", "author", "change", "subject"],
        [[e.commit.date[:10], e.commit.sha[:10], e.commit.author, e.describe(), e.commit.subject] for e in found],
    )

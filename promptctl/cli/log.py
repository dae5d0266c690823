from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from promptctl.cli import settings
from promptctl.cli.options import TableFormat, TableFormatOption, complete_spec


def log(
    spec: Annotated[
        str,
        typer.Argument(
            metavar="NAME[@VERSION]", help="The prompt; NAME@VERSION keeps the events about that version.", autocompletion=complete_spec
        ),
    ],
    count: Annotated[Optional[int], typer.Option("-n", "--max-count", metavar="N", min=1, help="Show the newest N events.")] = None,
    since: Annotated[
        Optional[str], typer.Option("--since", metavar="DATE", help='Events after DATE, as git reads it ("2026-01-31", "2 weeks ago").')
    ] = None,
    format: TableFormatOption = TableFormat.text,
) -> None:
    """The git history of a prompt, newest first: versions added and tag moves, who and when."""
    from promptctl.catalog import lookup, resolve
    from promptctl.changelog import concerns, events
    from promptctl.errors import UsageError
    from promptctl.refs import split_spec
    from promptctl.reporters.listing import log_table
    from promptctl.reporters.table import render

    s = settings()
    name, at = split_spec(spec)
    if since is not None and (not since.strip() or since.startswith("-")):
        raise UsageError(f"--since `{since}` is not a date", 'write a date as git reads it: "2026-01-31" or "2 weeks ago"')
    entry, number = resolve(s, spec) if (at is not None or spec.endswith("@")) else (lookup(s, name), None)
    found = events(s, entry, since=since)
    if number is not None:
        found = [e for e in found if concerns(e, number)]
    render(log_table([e.as_dict() for e in found[:count]], name), sys.stdout, format.value)

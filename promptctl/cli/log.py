from __future__ import annotations

import sys
from typing import Annotated

import typer

from promptctl.cli import settings
from promptctl.cli.options import TableFormat, TableFormatOption


def log(
    name: Annotated[str, typer.Argument(help="The prompt.")],
    format: TableFormatOption = TableFormat.text,
) -> None:
    """The git history of a prompt: versions added and tag moves, who and when."""
    from promptctl.catalog import lookup
    from promptctl.changelog import events
    from promptctl.reporters.listing import log_table
    from promptctl.reporters.table import render

    s = settings()
    render(log_table([e.as_dict() for e in events(s, lookup(s, name))], name), sys.stdout, format.value)

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from promptctl.cli import settings
from promptctl.cli.options import TableFormat, TableFormatOption


def tags(
    name: Annotated[Optional[str], typer.Argument(help="Only this prompt's tags.", show_default=False)] = None,
    format: TableFormatOption = TableFormat.text,
) -> None:
    """List tags and channels: prompt, tag, version."""
    from promptctl.catalog import tag_rows
    from promptctl.reporters.listing import tags_table
    from promptctl.reporters.table import render

    render(tags_table(tag_rows(settings(), name)), sys.stdout, format.value)

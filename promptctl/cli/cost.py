from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from promptctl.cli import settings
from promptctl.cli.options import TableFormat, TableFormatOption


def cost(
    specs: Annotated[
        Optional[list[str]],
        typer.Argument(metavar="[NAME[@VERSION|@TAG]]...", help="Prompts to price (default: all).", show_default=False),
    ] = None,
    all_versions: Annotated[bool, typer.Option("--all", help="Every version, not just the latest.")] = False,
    format: TableFormatOption = TableFormat.text,
) -> None:
    """Estimated tokens and price per call, by model (primary and fallbacks)."""
    from promptctl.models import price_source
    from promptctl.pricing import ASSUMPTION, price_prompts
    from promptctl.reporters.listing import cost_table
    from promptctl.reporters.table import render

    rows, warnings = price_prompts(settings(), list(specs or []), all_versions=all_versions)
    for warning in warnings:
        typer.echo(f"promptctl: warning: {warning}", err=True)
    table = cost_table([r.as_dict() for r in rows], price_source(), ASSUMPTION, sorted({r.method for r in rows}))
    render(table, sys.stdout, format.value)

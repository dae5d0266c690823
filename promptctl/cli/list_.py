from __future__ import annotations

import sys

from promptctl.cli import settings
from promptctl.cli.options import TableFormat, TableFormatOption


def list_prompts(format: TableFormatOption = TableFormat.text) -> None:
    """The prompts: name, latest version, number of versions, model and tags."""
    from promptctl.catalog import listing
    from promptctl.reporters.listing import prompts_table
    from promptctl.reporters.table import render

    s = settings()
    render(prompts_table(listing(s), s.prompts_dir), sys.stdout, format.value)

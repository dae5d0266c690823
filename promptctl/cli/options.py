"""Options and format choices that several commands share, declared once (typer's
``Annotated`` style)."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer


class Format(str, Enum):
    """Output formats of findings."""

    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"
    gitlab = "gitlab"


class TableFormat(str, Enum):
    """Output formats of a table (list, tags, log, cost)."""

    text = "text"
    json = "json"


FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
TableFormatOption = Annotated[
    TableFormat, typer.Option("--format", "-f", help="text: aligned on a terminal, tab-separated in a pipe; json: the data.")
]
StrictOption = Annotated[bool, typer.Option("--strict", help="Fail (exit 1) on warnings too.")]
ExitZeroOption = Annotated[bool, typer.Option("--exit-zero", help="Exit 0 even when there are findings (errors in the run still exit 2).")]

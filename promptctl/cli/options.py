"""Options and format choices that several commands share, declared once (typer's
``Annotated`` style)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

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
SelectOption = Annotated[
    Optional[list[str]],
    typer.Option("--select", metavar="RULES", help="Only these rules (comma-separated; replaces `select`; ALL for every rule)."),
]
ExtendSelectOption = Annotated[
    Optional[list[str]], typer.Option("--extend-select", metavar="RULES", help="Also these rules (opt-in ones too), beside `select`.")
]
IgnoreOption = Annotated[Optional[list[str]], typer.Option("--ignore", metavar="RULES", help="Skip these rules, beside `ignore`.")]
PerFileIgnoresOption = Annotated[
    Optional[list[str]],
    typer.Option("--per-file-ignores", metavar="GLOB:RULES", help="Skip RULES in files matching GLOB, beside `per_file_ignores`."),
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Text: print the summary line only.")]
StatisticsOption = Annotated[bool, typer.Option("--statistics", help="Print the findings counted by rule instead of each finding.")]
OutputFileOption = Annotated[
    Optional[Path],
    typer.Option("--output-file", "-o", metavar="FILE", help="Write --format's output to FILE; the terminal gets the text report."),
]


def complete_spec(incomplete: str) -> list[str]:
    """Shell completion of NAME[@VERSION|@TAG]: prompt names, then after `@` the prompt's
    versions, `latest` and its tags. Never fails: a completion that errors prints nothing."""
    try:
        from promptctl.catalog import read_tags, scan
        from promptctl.cli import settings

        entries = scan(settings())
        name, at, ref = incomplete.partition("@")
        if not at:
            return sorted(n for n in entries if n.startswith(incomplete))
        entry = entries.get(name)
        if entry is None:
            return []
        try:
            tags = [str(t) for t in read_tags(settings(), entry)]
        except Exception:
            tags = []
        refs = [f"v{n}" for n in sorted(entry.versions)] + ["latest", *sorted(tags)]
        return [f"{name}@{r}" for r in refs if r.startswith(ref)]
    except Exception:
        return []


def complete_channel(incomplete: str) -> list[str]:
    try:
        from promptctl.cli import settings

        return [c for c in settings().channels if c.startswith(incomplete)]
    except Exception:
        return []

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from promptctl.cli import exit_with, settings
from promptctl.errors import ExitCode


def export(
    output: Annotated[Path, typer.Option("--output", "-o", metavar="FILE", help="Where to write the bundle (`-` for standard output).")],
) -> None:
    """Write one JSON bundle of all versions and tags, for deployments without the YAML."""
    from promptctl import fsio
    from promptctl.linter import lint
    from promptctl.rendering import bundle
    from promptctl.reporters import reporter

    s = settings()
    report = lint(s)
    if report.errors:
        reporter("text")(report, sys.stderr)
        typer.echo("promptctl: not exported: fix the findings above first", err=True)
        exit_with(ExitCode.FINDINGS)
    data = bundle(s)
    if str(output) == "-":
        sys.stdout.write(data.decode("utf-8"))
        return
    target = output if output.is_absolute() else Path.cwd() / output
    fsio.replace(target, data)
    count = data.count(b'"sha256"')
    typer.echo(f"exported {count} version{'s' if count != 1 else ''} to {output}")

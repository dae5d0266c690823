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
    from promptctl.document import UNSERVABLE_RULES
    from promptctl.findings import Report
    from promptctl.linter import lint
    from promptctl.rendering import bundle
    from promptctl.reporters import reporter

    s = settings()
    report = lint(s)
    refused = [f for f in report.findings if f.rule in UNSERVABLE_RULES]
    if refused:
        reporter("text")(Report(refused, report.files_checked, report.root, report.sources, quotes=report.quotes), sys.stderr)
        typer.echo("promptctl: not exported: these files cannot be read as prompts; fix them first", err=True)
        exit_with(ExitCode.FINDINGS)
    if report.findings:
        # A published version keeps its findings forever: serve it, and say so.
        count, files = len(report.findings), len({f.path for f in report.findings})
        typer.echo(
            f"promptctl: warning: exported with {count} finding{'s' if count != 1 else ''} in {files} file{'s' if files != 1 else ''}"
            " — `promptctl lint` lists them",
            err=True,
        )
    data = bundle(s)
    if str(output) == "-":
        sys.stdout.write(data.decode("utf-8"))
        return
    target = output if output.is_absolute() else Path.cwd() / output
    fsio.replace(target, data)
    count = data.count(b'"sha256"')
    typer.echo(f"exported {count} version{'s' if count != 1 else ''} to {output}")

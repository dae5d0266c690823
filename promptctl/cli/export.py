from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from promptctl.cli import exit_with, settings
from promptctl.cli.options import complete_spec
from promptctl.errors import ExitCode, UsageError


class ExportFormat(str, Enum):
    bundle = "bundle"
    prompty = "prompty"
    dotprompt = "dotprompt"
    github_models = "github-models"
    litellm = "litellm"


def export(
    spec: Annotated[
        Optional[str],
        typer.Argument(metavar="[NAME[@VERSION|@TAG]]", help="The version to export (not with bundle).", autocompletion=complete_spec),
    ] = None,
    format: Annotated[
        ExportFormat,
        typer.Option("--format", "-f", help="bundle (every version and tag, JSON), prompty, dotprompt, github-models or litellm."),
    ] = ExportFormat.bundle,
    every: Annotated[bool, typer.Option("--all", help="Every prompt's latest version (a folder with -o; one file for litellm).")] = False,
    output: Annotated[
        Optional[Path],
        typer.Option("--output", "-o", metavar="PATH", help="The file (`-` or none: standard output), or the folder for --all."),
    ] = None,
) -> None:
    """Write prompts for deployments and other tools: the JSON bundle, or one version in another tool's format."""
    if format is ExportFormat.bundle:
        if spec or every:
            raise UsageError("the bundle holds every version: it takes no NAME and no --all", "drop them, or pick a --format")
        if output is None:
            raise UsageError("the bundle needs --output FILE (`-` for standard output)", "e.g. `promptctl export -o prompts.json`")
        _bundle(output)
        return
    if bool(spec) == every:
        raise UsageError(
            f"--format {format.value} exports NAME[@VERSION] or --all", f"e.g. `promptctl export NAME --format {format.value}`"
        )
    from promptctl import fsio
    from promptctl.interop.exporting import build
    from promptctl.reporters.interop import left_out

    s = settings()
    files = build(s, format.value, spec)
    left_out([export for _, export in files], format.value, sys.stderr)
    if every and format is not ExportFormat.litellm:  # one file per prompt, into a folder
        if output is None or str(output) == "-":
            raise UsageError(f"--all writes one file per prompt ({len(files)}) and needs a folder", "give -o FOLDER")
        folder = output if output.is_absolute() else Path.cwd() / output
        if folder.exists() and not folder.is_dir():
            raise UsageError(f"{output} is not a folder", "give -o FOLDER")
        for name, export in files:
            fsio.replace(folder / name, export.text.encode("utf-8"))
        typer.echo(f"exported {len(files)} prompt{'s' if len(files) != 1 else ''} to {output}/ ({format.value})")
        return
    [(name, export)] = files
    if output is None or str(output) == "-":
        from promptctl.reporters.prompt import file_text

        file_text(sys.stdout, export.text)
        return
    target = output / name if output.is_dir() else output
    fsio.replace(target if target.is_absolute() else Path.cwd() / target, export.text.encode("utf-8"))
    typer.echo(f"exported {export.prompt.id} to {target} ({format.value})")


def _bundle(output: Path) -> None:
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

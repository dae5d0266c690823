from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from promptctl.cli import Format, bulk_allocations, exit_with, settings


def lint(
    paths: Optional[list[Path]] = typer.Argument(None, help="Files or folders to lint. Default: the prompts folder.", show_default=False),
    format: Format = typer.Option(Format.text, "--format", "-f", help="Output format."),
    strict: bool = typer.Option(False, "--strict", help="Fail (exit 1) on warnings too."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Ignore and do not update the cache of unchanged files' results."),
) -> None:
    """Validate prompt and tags files: YAML, schema, naming, templates, variables."""
    from promptctl.linter import lint as run
    from promptctl.reporters import reporter

    with bulk_allocations():
        report = run(settings(), list(paths) if paths else None, use_cache=not no_cache)
    reporter(format.value)(report, sys.stdout)
    exit_with(1 if report.failed(strict) else 0)

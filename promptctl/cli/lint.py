from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from promptctl.cli import bulk_allocations, exit_with, settings
from promptctl.cli.options import Format, FormatOption, StrictOption
from promptctl.errors import ExitCode


def lint(
    paths: Annotated[
        Optional[list[Path]], typer.Argument(help="Files or folders to lint. Default: the prompts folder.", show_default=False)
    ] = None,
    format: FormatOption = Format.text,
    strict: StrictOption = False,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Ignore and do not update the cache of unchanged files' results.")] = False,
) -> None:
    """Validate prompt and tags files: YAML, schema, naming, templates, variables."""
    from promptctl.linter import lint as run
    from promptctl.reporters import reporter

    with bulk_allocations():
        report = run(settings(), list(paths) if paths else None, use_cache=not no_cache)
    reporter(format.value)(report, sys.stdout)
    exit_with(ExitCode.FINDINGS if report.failed(strict) else ExitCode.CLEAN)

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from promptctl.cli import exit_with, settings
from promptctl.errors import ExitCode


class ImportFormat(str, Enum):
    prompty = "prompty"
    dotprompt = "dotprompt"
    github_models = "github-models"
    langfuse = "langfuse"


def import_(
    format: Annotated[ImportFormat, typer.Argument(metavar="FORMAT", help="prompty, dotprompt, github-models or langfuse.")],
    paths: Annotated[list[Path], typer.Argument(metavar="PATH...", help="Source files, or folders of them.")],
    name: Annotated[Optional[str], typer.Option("--name", metavar="NAME", help="The prompt's name (one source only).")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print what would be written; write nothing.")] = False,
) -> None:
    """Bring prompts from other tools in, each as a new version (v1, or the next one): never an overwrite."""
    from promptctl.interop.adoption import plan, write
    from promptctl.reporters.interop import import_plan

    s = settings()
    planned = plan(s, format.value, paths, name)
    if not dry_run:
        for item in planned:
            if item.writable:
                write(s, item)
    import_plan(planned, sys.stdout, sys.stderr, root=str(s.root), dry_run=dry_run)
    refused = sum(1 for item in planned if item.refused)
    if refused:
        typer.echo(
            f"promptctl: {refused} of {len(planned)} not imported: each needs a hand (above); nothing was written for {'them' if refused > 1 else 'it'}",
            err=True,
        )
        exit_with(ExitCode.FINDINGS)

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from promptctl.cli import exit_with, settings
from promptctl.errors import ExitCode


def codeowners(
    check: Annotated[bool, typer.Option("--check", help="Exit 1 when the block is stale; write nothing.")] = False,
    output: Annotated[
        Optional[Path],
        typer.Option("--output", "-o", metavar="FILE", help="The CODEOWNERS file (default: the existing one, else .github/CODEOWNERS)."),
    ] = None,
) -> None:
    """Keep a CODEOWNERS block in sync with the prompts' `owners`."""
    from promptctl import fsio
    from promptctl.codeowners import block, location, updated

    s = settings()
    prefix = ""
    if (s.root / ".git").exists() is False:
        try:
            from promptctl.git import Git

            git = Git(s.root)
            repo_root = git.toplevel()
            prefix = git.prefix(s.root)
        except Exception:
            repo_root = s.root
    else:
        repo_root = s.root
    target = output if output is not None else location(repo_root)
    target = target if target.is_absolute() else Path.cwd() / target
    current = target.read_text(encoding="utf-8") if target.exists() else ""
    new = updated(current, block(s, prefix))
    shown = target.relative_to(repo_root).as_posix() if target.is_relative_to(repo_root) else str(target)
    if check:
        if new != current:
            typer.echo(f"{shown} is out of date with the prompts' owners — run `promptctl codeowners`")
            exit_with(ExitCode.FINDINGS)
        typer.echo(f"{shown} is up to date")
        return
    if new == current:
        typer.echo(f"{shown} is up to date")
        return
    if target.exists():
        fsio.replace(target, new.encode("utf-8"), root=repo_root)
    else:
        fsio.create(target, new.encode("utf-8"), root=repo_root)
    typer.echo(f"updated {shown}")

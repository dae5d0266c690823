from __future__ import annotations

from typing import Annotated, Optional

import typer

from promptctl.cli import settings


def init(
    source: Annotated[
        Optional[str],
        typer.Option(
            "--from",
            metavar="SPEC",
            help="What the generated hooks and workflow install: a pip spec, a path, a wheel or a git URL "
            "(default: promptctl-git at this version).",
        ),
    ] = None,
) -> None:
    """Set up this repository: prompts/, configuration, pre-commit hooks, a CI workflow."""
    from promptctl.scaffold import run

    s = settings()
    for step in run(s.root, s.prompts_dir, source):
        note = f" ({step.note})" if step.note else ""
        typer.echo(f"{step.done:<9} {step.path}{note}")
    typer.echo("next: `pre-commit install`, then `promptctl new NAME`")

from __future__ import annotations

import typer

from promptctl.cli import settings


def init() -> None:
    """Set up this repository: prompts/, configuration, pre-commit hooks, a CI workflow."""
    from promptctl.scaffold import run

    s = settings()
    for step in run(s.root, s.prompts_dir):
        note = f" ({step.note})" if step.note else ""
        typer.echo(f"{step.done:<9} {step.path}{note}")
    typer.echo("next: `pre-commit install`, then `promptctl new NAME`")

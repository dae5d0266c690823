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
    import shutil

    from promptctl import cli
    from promptctl.scaffold import run

    s = settings()
    # `promptctl --project services/llm init` makes that folder a project when it is not one yet.
    root = s.start if cli._project and s.config_path is None and s.start is not None else s.root
    setup = run(root, s.prompts_dir, source)
    for warning in setup.warnings:
        typer.echo(f"promptctl: warning: {warning}", err=True)
    for step in setup.steps:
        note = f" ({step.note})" if step.note else ""
        typer.echo(f"{step.done:<9} {step.path}{note}")
    if setup.branch:
        typer.echo(f"base branch: `{setup.branch}` (versions on it are published)")
    install = "pre-commit install" if shutil.which("pre-commit") else "pip install pre-commit && pre-commit install"
    typer.echo(f"next: `{install}`, then `promptctl new NAME`")

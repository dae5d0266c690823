from __future__ import annotations

from typing import Annotated, Optional

import typer

from promptctl.cli import settings


def new(
    name: Annotated[str, typer.Argument(help="Prompt name, lowercase kebab-case; folders namespace it (billing/refund-triage).")],
    model: Annotated[Optional[str], typer.Option("--model", "-m", help="Model id (default: claude-3-5-sonnet-20241022).")] = None,
    description: Annotated[Optional[str], typer.Option("--description", "-d", help="What the prompt is for.")] = None,
) -> None:
    """Create NAME's first version from a commented template. Never overwrites."""
    from promptctl.layout import relative
    from promptctl.versions import new as create

    s = settings()
    path = create(s, name, model, description)
    typer.echo(f"created {relative(s, path)}")

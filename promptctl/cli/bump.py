from __future__ import annotations

from typing import Annotated

import typer

from promptctl.cli import settings


def bump(
    name: Annotated[str, typer.Argument(help="The prompt to copy to a new version.")],
) -> None:
    """Copy NAME's latest version to the next number; only the `version:` line changes."""
    from promptctl.layout import relative
    from promptctl.versions import bump as write_next

    s = settings()
    path = write_next(s, name)
    typer.echo(f"created {relative(s, path)}")

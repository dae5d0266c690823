from __future__ import annotations

from typing import Annotated

import typer

from promptctl.cli import settings


def bump(
    spec: Annotated[
        str, typer.Argument(metavar="NAME[@VERSION|@TAG]", help="The prompt; @VERSION or @TAG copies that version instead of the latest.")
    ],
) -> None:
    """Copy NAME's latest version (or NAME@X) to the next number; only `version:` changes."""
    from promptctl.catalog import resolve
    from promptctl.layout import relative
    from promptctl.refs import split_spec
    from promptctl.versions import bump as write_next

    s = settings()
    name, at = split_spec(spec)
    entry, number = resolve(s, spec)
    path = write_next(s, name, number if at else None)
    typer.echo(f"created {relative(s, path)}" + (f" (a copy of v{number})" if at and number != entry.latest else ""))

from __future__ import annotations

from typing import Annotated, Optional

import typer

from promptctl.cli import settings
from promptctl.cli.options import complete_spec


def bump(
    spec: Annotated[
        str,
        typer.Argument(
            metavar="NAME[@VERSION|@TAG]",
            help="The prompt; @VERSION or @TAG copies that version instead of the latest.",
            autocompletion=complete_spec,
        ),
    ],
    from_edit: Annotated[
        bool,
        typer.Option(
            "--from-edit",
            help="An edited published version becomes the next version, and the published file is restored (the fix for modified-version).",
        ),
    ] = False,
    base: Annotated[
        Optional[str], typer.Option("--base", metavar="REF", help="With --from-edit: what is published (default: as check).")
    ] = None,
) -> None:
    """Copy NAME's latest version (or NAME@X) to the next number; only `version:` changes."""
    from promptctl.catalog import resolve
    from promptctl.layout import relative
    from promptctl.refs import split_spec
    from promptctl.versions import bump as write_next

    s = settings()
    name, at = split_spec(spec)
    if from_edit:
        from promptctl.errors import UsageError
        from promptctl.versions import bump_from_edit

        if at is not None or spec.endswith("@"):
            raise UsageError("--from-edit finds the edited version itself", f"write `promptctl bump {name} --from-edit`")
        path, restored, label = bump_from_edit(s, name, base)
        typer.echo(f"created {relative(s, path)} with the edit of {restored}")
        typer.echo(f"restored {restored} as published ({label})")
        return
    entry, number = resolve(s, spec)
    path = write_next(s, name, number if at else None)
    typer.echo(f"created {relative(s, path)}" + (f" (a copy of v{number})" if at and number != entry.latest else ""))

from __future__ import annotations

from typing import Annotated

import typer

from promptctl.cli import settings


def tag(
    name: Annotated[str, typer.Argument(help="The prompt.")],
    version: Annotated[str, typer.Argument(help="The version to tag: 3 or v3.")],
    tag_name: Annotated[str, typer.Argument(metavar="TAG", help="The tag or channel (production, staging, 2025-q1-launch ...).")],
) -> None:
    """Create a tag, or move a channel, to a version. Plain tags never move."""
    from promptctl.catalog import lookup, version_number
    from promptctl.tagsfile import write_tag

    s = settings()
    entry = lookup(s, name)
    update = write_tag(s, entry, tag_name, version_number(version))
    if update.before == update.after:
        typer.echo(f"{tag_name} already points at v{update.after} ({update.path}); nothing to do")
    elif update.before is None:
        typer.echo(f"tagged {name}@{update.after} as {tag_name} in {update.path}")
    else:
        typer.echo(f"moved {tag_name}: v{update.before} → v{update.after} in {update.path}")
    if update.before != update.after:
        typer.echo(f'review and commit it: git add {update.path} && git commit -m "{name}: {tag_name} → v{update.after}"')

from __future__ import annotations

from typing import Annotated

import typer

from promptctl.cli import settings


def rollback(
    name: Annotated[str, typer.Argument(help="The prompt.")],
    channel: Annotated[str, typer.Argument(help="The channel to point back (production, staging ...).")],
) -> None:
    """Point a channel back to where it was before its last move (from git history)."""
    from promptctl.catalog import lookup
    from promptctl.changelog import rollback_target
    from promptctl.tagsfile import write_tag

    s = settings()
    entry = lookup(s, name)
    target, reason = rollback_target(s, entry, channel)
    update = write_tag(s, entry, channel, target, moving_allowed=True)
    typer.echo(f"rolled back {channel}: v{update.before} → v{update.after} in {update.path} ({reason})")
    typer.echo(f'review and commit it: git add {update.path} && git commit -m "{name}: roll back {channel} to v{target}"')

from __future__ import annotations

from typing import Annotated

import typer

from promptctl.cli import settings
from promptctl.cli.options import complete_channel, complete_spec


def rollback(
    spec: Annotated[
        str,
        typer.Argument(
            metavar="NAME[@VERSION]", help="The prompt; NAME@VERSION points the channel at that version.", autocompletion=complete_spec
        ),
    ],
    channel: Annotated[str, typer.Argument(help="The channel to point back (production, staging ...).", autocompletion=complete_channel)],
) -> None:
    """Point a channel back one step in its history (from git), or to NAME@VERSION."""
    from promptctl.catalog import lookup, resolve
    from promptctl.changelog import rollback_target
    from promptctl.refs import split_spec
    from promptctl.tagsfile import write_tag

    s = settings()
    name, at = split_spec(spec)
    if at is not None or spec.endswith("@"):
        entry, target = resolve(s, spec)
        reason = "as asked"
    else:
        entry = lookup(s, name)
        target, reason = rollback_target(s, entry, channel)
    update = write_tag(s, entry, channel, target, moving_allowed=True)
    if update.before == update.after:
        typer.echo(f"{channel} already points at v{target} ({update.path}); nothing to do")
        return
    typer.echo(f"rolled back {channel}: v{update.before} → v{update.after} in {update.path} ({reason})")
    typer.echo(f'review and commit it: git add {update.path} && git commit -m "{name}: roll back {channel} to v{target}"')

from __future__ import annotations

from typing import Annotated, Optional

import typer

from promptctl.cli import settings
from promptctl.cli.options import complete_spec


def tag(
    spec: Annotated[
        str,
        typer.Argument(
            metavar="NAME[@VERSION]", help="The prompt, or the prompt at a version or tag (greeting@3).", autocompletion=complete_spec
        ),
    ],
    version: Annotated[str, typer.Argument(metavar="[VERSION]", help="The version to tag (3 or v3), unless NAME@VERSION gave it.")],
    tag_name: Annotated[
        Optional[str], typer.Argument(metavar="TAG", help="The tag or channel (production, staging, 2025-q1-launch ...).")
    ] = None,
) -> None:
    """Create a tag, or move a channel, to a version: `tag NAME VERSION TAG` or `tag NAME@VERSION TAG`.
    Plain tags never move."""
    from promptctl.catalog import lookup, resolve, version_number
    from promptctl.errors import UsageError
    from promptctl.refs import split_spec
    from promptctl.tagsfile import write_tag

    s = settings()
    name, at = split_spec(spec)
    if at is not None or spec.endswith("@"):
        if tag_name is not None:
            raise UsageError(f"`{spec}` already names the version", f"write `promptctl tag {spec} {tag_name}`")
        tag_name = version
        entry, number = resolve(s, spec)
    else:
        if tag_name is None:
            raise UsageError("missing the tag", f"write `promptctl tag {name} VERSION TAG` or `promptctl tag {name}@VERSION TAG`")
        entry, number = lookup(s, name), version_number(version)
    update = write_tag(s, entry, tag_name, number)
    if update.before == update.after:
        typer.echo(f"{tag_name} already points at v{update.after} ({update.path}); nothing to do")
    elif update.before is None:
        typer.echo(f"tagged {name}@{update.after} as {tag_name} in {update.path}")
    else:
        typer.echo(f"moved {tag_name}: v{update.before} → v{update.after} in {update.path}")
    if update.before != update.after:
        typer.echo(f'review and commit it: git add {update.path} && git commit -m "{name}: {tag_name} → v{update.after}"')

from __future__ import annotations

import json
import sys
from typing import Any, Optional

import typer

from promptctl.cli import settings
from promptctl.cli.list_ import ListFormat


def tags(
    name: Optional[str] = typer.Argument(None, help="Only this prompt's tags.", show_default=False),
    format: ListFormat = typer.Option(ListFormat.text, "--format", "-f", help="Output format."),
) -> None:
    """List tags and channels: prompt, tag, version."""
    from promptctl.catalog import lookup, read_tags, scan

    s = settings()
    entries = [lookup(s, name)] if name else list(scan(s).values())
    rows: list[dict[str, Any]] = []
    for entry in entries:
        for tag_name, version in sorted(read_tags(s, entry).items(), key=lambda kv: str(kv[0])):
            rows.append({"name": entry.name, "tag": str(tag_name), "version": version, "channel": str(tag_name) in s.channels})
    if format is ListFormat.json:
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return
    if not rows:
        typer.echo("no tags yet — create one with `promptctl tag NAME VERSION TAG`")
        return
    from promptctl.reporters import print_table

    print_table(
        sys.stdout,
        ["name", "tag", "version", "kind"],
        [[row["name"], row["tag"], f"v{row['version']}", "channel" if row["channel"] else "tag"] for row in rows],
    )

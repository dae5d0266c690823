from __future__ import annotations

import json
import sys
from enum import Enum
from typing import Any

import typer

from promptctl.cli import settings


class ListFormat(str, Enum):
    text = "text"
    json = "json"


def list_prompts(
    format: ListFormat = typer.Option(ListFormat.text, "--format", "-f", help="Output format."),
) -> None:
    """The prompts: name, latest version, number of versions, model and tags."""
    from promptctl.catalog import read_data, read_tags, scan
    from promptctl.errors import PromptctlError

    s = settings()
    rows: list[dict[str, Any]] = []
    for name, entry in scan(s).items():
        try:
            model = read_data(s, entry.versions[entry.latest]).get("model")
        except PromptctlError:
            model = None
        try:
            tags = read_tags(s, entry)
        except PromptctlError:
            tags = {}
        rows.append({
            "name": name,
            "latest": entry.latest,
            "versions": len(entry.versions),
            "model": model if isinstance(model, str) else None,
            "tags": {str(k): v for k, v in sorted(tags.items())},
            "path": entry.versions[entry.latest],
        })
    if format is ListFormat.json:
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return
    from rich.table import Table

    from promptctl.reporters import console, safe

    if not rows:
        typer.echo(f"no prompts in {s.prompts_dir}/ — create one with `promptctl new NAME`")
        return
    table = Table(box=None, pad_edge=False, header_style="bold")
    for column in ("name", "latest", "versions", "model", "tags"):
        table.add_column(column, justify="right" if column in ("latest", "versions") else "left")
    for row in rows:
        shown = ", ".join(f"{k}→v{v}" for k, v in row["tags"].items())
        table.add_row(safe(row["name"]), f"v{row['latest']}", str(row["versions"]), safe(row["model"] or "?"), safe(shown))
    console(sys.stdout, None).print(table)

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
        rows.append(
            {
                "name": name,
                "latest": entry.latest,
                "versions": len(entry.versions),
                "model": model if isinstance(model, str) else None,
                "tags": {str(k): v for k, v in sorted(tags.items())},
                "path": entry.versions[entry.latest],
            }
        )
    if format is ListFormat.json:
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return
    from promptctl.reporters import print_table

    if not rows:
        typer.echo(f"no prompts in {s.prompts_dir}/ — create one with `promptctl new NAME`")
        return
    print_table(
        sys.stdout,
        ["name", "latest", "versions", "model", "tags"],
        [
            [
                row["name"],
                f"v{row['latest']}",
                str(row["versions"]),
                row["model"] or "?",
                ", ".join(f"{k}→v{v}" for k, v in row["tags"].items()),
            ]
            for row in rows
        ],
        right=("latest", "versions"),
    )

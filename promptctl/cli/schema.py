from __future__ import annotations

import sys

import typer


def schema(
    tags: bool = typer.Option(False, "--tags", help="Print the schema of tags files instead."),
) -> None:
    """Print the JSON Schema (draft 2020-12) of prompt files."""
    from promptctl.rules.schema import schema_text

    sys.stdout.write(schema_text("tags" if tags else "prompt"))

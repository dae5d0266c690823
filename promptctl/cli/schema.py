from __future__ import annotations

import sys
from typing import Annotated

import typer


def schema(
    tags: Annotated[bool, typer.Option("--tags", help="Print the schema of tags files instead.")] = False,
) -> None:
    """Print the JSON Schema (draft 2020-12) of prompt files."""
    from promptctl.schema import schema_text

    sys.stdout.write(schema_text("tags" if tags else "prompt"))

"""`promptctl schema`."""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.conftest import ROOT

V = "version: {n}\nmodel: gpt-4o-2024-08-06\nsystem: Hello {n}.\n"


SUPPORT = "version: {n}\nmodel: claude-3-5-sonnet-20241022\nsystem: |\n  {text}\ntemperature: 0.3\nmax_tokens: 500\n"


GOLDEN = Path(__file__).parent / "golden" / "diff"


UPDATE = bool(os.environ.get("PROMPTCTL_UPDATE_GOLDEN"))


LONG = (
    "You are a meticulous assistant for the Acme Corp billing team who reads every ticket carefully, "
    "checks the refund policy before answering, keeps a calm and friendly tone, and never invents order numbers."
)


PAIRS = {
    "one-word": (
        f"version: 1\nmodel: gpt-4o-2024-08-06\nsystem: |\n  {LONG}\n  Second line stays.\n",
        f"version: 2\nmodel: gpt-4o-2024-08-06\nsystem: |\n  {LONG.replace('calm', 'warm')}\n  Second line stays.\n",
    ),
    "reordered-keys": (
        "version: 1\nmodel: gpt-4o-2024-08-06\ntemperature: 0.2\nsystem: Hi.\n",
        "# comment added\nversion: 2\nsystem: Hi.\ntemperature: 0.2\nmodel: gpt-4o-2024-08-06\n",
    ),
    "required-variable": (
        "version: 1\nmodel: gpt-4o-2024-08-06\nsystem: Hi {{ name }}.\nvariables:\n  name: {type: string}\n",
        "version: 2\nmodel: gpt-4o-2024-08-06\nsystem: Hi {{ name }} from {{ city }}.\nvariables:\n  name: {type: string}\n  city: {type: string}\n",
    ),
    "model-change": (
        "version: 1\nmodel: gpt-4o-2024-08-06\nsystem: Hi.\ntemperature: 0.2\n",
        "version: 2\nmodel: claude-3-5-sonnet-20241022\nsystem: Hi.\ntemperature: 0.2\n",
    ),
    "whitespace": (
        "version: 1\nmodel: gpt-4o-2024-08-06\nsystem: |\n  Hello there.\n",
        "version: 2\nmodel: gpt-4o-2024-08-06\nsystem: |\n  Hello  there.\n",
    ),
}


VERDICTS = {
    "one-word": "behavioural",
    "reordered-keys": "cosmetic",
    "required-variable": "breaking",
    "model-change": "behavioural",
    "whitespace": "cosmetic",
}


V1 = "version: 1\nmodel: gpt-4o-2024-08-06\nsystem: Hello.\n"


def test_schema_prints_the_shipped_schema(cli) -> None:  # type: ignore[no-untyped-def]
    out = cli("schema").out
    assert json.loads(out) == json.loads((ROOT / "schemas" / "prompt.schema.json").read_text())
    assert json.loads(cli("schema", "--tags").out)["title"] == "promptctl tags file"


def test_every_schema_property_has_a_description() -> None:
    schema = json.loads((ROOT / "schemas" / "prompt.schema.json").read_text())

    def walk(node: object, where: str) -> None:
        if isinstance(node, dict):
            for name, sub in node.get("properties", {}).items():
                assert "description" in sub or "$ref" in sub, f"{where}.{name} has no description"
                if "$ref" in sub:
                    target = schema["$defs"][sub["$ref"].split("/")[-1]]
                    assert "description" in sub or "description" in target, f"{where}.{name}"
            for value in node.values():
                walk(value, where)
        elif isinstance(node, list):
            for value in node:
                walk(value, where)

    walk(schema, "schema")

"""`promptctl schema`."""

from __future__ import annotations

import json

from tests.conftest import ROOT


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

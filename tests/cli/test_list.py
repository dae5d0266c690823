"""list."""

from __future__ import annotations

import json

from tests.conftest import SEED


def test_list_and_show(project, cli) -> None:  # type: ignore[no-untyped-def]
    project.write("prompts/customer-support-v1.yaml", SEED.replace("version: 3", "version: 1"))
    project.write("prompts/customer-support-v2.yaml", SEED.replace("version: 3", "version: 2").replace("0.3", "0.2"))
    project.write("prompts/customer-support.tags.yaml", "production: 1\n")
    rows = json.loads(cli("list", "--format", "json").out)
    assert rows == [
        {
            "name": "customer-support",
            "latest": 2,
            "versions": 2,
            "model": "claude-3-5-sonnet-20241022",
            "tags": {"production": 1},
            "path": "prompts/customer-support-v2.yaml",
        }
    ]
    text = cli("list").out
    assert "customer-support" in text and "production→v1" in text
    shown = json.loads(cli("show", "customer-support@production", "--format", "json").out)
    assert shown["version"] == 1 and shown["path"] == "prompts/customer-support-v1.yaml"
    assert cli("show", "customer-support").out.startswith("customer-support@2  prompts/customer-support-v2.yaml")
    assert cli("show", "customer-support@v1", "--format", "yaml").out == project.read("prompts/customer-support-v1.yaml")
    missing = cli("show", "customer-support@9")
    assert missing.code == 2 and "versions: v1, v2" in missing.err
    unknown = cli("show", "nobody")
    assert unknown.code == 2 and "known prompts: customer-support" in unknown.err

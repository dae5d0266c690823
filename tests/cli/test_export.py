"""export."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from promptctl import load_prompt
from tests.conftest import SEED, Project


def test_export_bundle_and_load_from_it(prompts: Project, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("export", "--output", str(tmp_path / "bundle.json"))
    assert result.code == 0 and result.out == f"exported 4 versions to {tmp_path / 'bundle.json'}\n"
    bundle = json.loads((tmp_path / "bundle.json").read_text())
    assert bundle["format"] == "promptctl-bundle" and bundle["prompts"]["customer-support"]["tags"] == {"production": 2, "staging": 3}
    # deterministic
    assert cli("export", "--output", "-").out == (tmp_path / "bundle.json").read_text()
    # the YAML is not needed any more
    import shutil

    shutil.rmtree(prompts.root / "prompts")
    from_bundle = load_prompt("customer-support", tag="staging", root=tmp_path / "bundle.json")
    assert from_bundle.sha256 == hashlib.sha256(SEED.encode()).hexdigest()
    assert from_bundle.render()[0]["content"].startswith("You are a customer support agent")


def test_export_refuses_a_project_with_errors(prompts: Project, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    prompts.write("prompts/broken-v1.yaml", "version: [\n")
    result = cli("export", "--output", str(tmp_path / "bundle.json"))
    assert result.code == 1 and "not exported" in result.err
    assert not (tmp_path / "bundle.json").exists()


def test_export_serves_published_versions_that_have_findings(prompts: Project, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # a published file whose model the catalogue no longer knows: still served, with a warning
    prompts.write("prompts/legacy-v1.yaml", "version: 1\nmodel: gpt-4-0314-retired\nsystem: Hi.\n")
    result = cli("export", "--output", str(tmp_path / "bundle.json"))
    assert result.code == 0 and "promptctl: warning: exported with" in result.err, result
    from promptctl import load_prompt

    assert load_prompt("legacy", root=tmp_path / "bundle.json").model == "gpt-4-0314-retired"
    prompts.write("prompts/broken-v1.yaml", "version: 1\nmodel: m\nsystem: Hi.\ntemprature: 0.2\n")  # a schema finding
    assert cli("export", "--output", str(tmp_path / "b2.json")).code == 1

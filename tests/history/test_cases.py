"""History cases on real git repositories, judged both ways: committed on a branch
(`check --base main`) and staged on main (`check --staged`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import Project

CASES = yaml.safe_load((Path(__file__).parent / "cases.yaml").read_text(encoding="utf-8"))["cases"]


def _apply(project: Project, files: dict[str, Any]) -> None:
    for rel, content in files.items():
        path = project.root / rel
        if content is None:
            project.git("rm", "-q", "--", rel)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content.encode("utf-8"))
    project.git("add", "-A")


@pytest.mark.parametrize("mode", ["base", "staged", "base, git before 2.36"])
@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_history_case(case: dict[str, Any], mode: str, project: Project, cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    project.init_git()
    project.git("config", "core.autocrlf", "false")
    _apply(project, case["previous"])
    project.commit("published")
    if mode.endswith("2.36"):
        # git before 2.36 has no `cat-file --batch-command`: the plain-command path
        from promptctl.git import Git

        monkeypatch.setattr(Git, "_supports_batch_command", lambda self: False)
    if mode.startswith("base"):
        project.git("checkout", "-q", "-b", "feature")
        _apply(project, case["current"])
        project.commit("change")
        result = cli("check", "--base", "main", "--format", "json")
    else:
        _apply(project, case["current"])
        result = cli("check", "--staged", "--format", "json")
    assert result.code in (0, 1), result.err
    findings = json.loads(result.out)["findings"]
    got = [[f["rule"], f["path"], f["line"], f["column"]] for f in findings]
    assert got == case["expect"], findings
    assert result.code == case.get("code", 1 if case["expect"] else 0)
    if "contains" in case:
        assert any(case["contains"] in f["message"] for f in findings), findings

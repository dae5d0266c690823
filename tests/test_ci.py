"""`promptctl ci` and `promptctl init` on real repositories."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, Project

V1 = "version: 1\nmodel: gpt-4o-2024-08-06\nsystem: Hello.\n"


@pytest.fixture
def pr(project: Project) -> Project:
    """main has v1; the feature branch edits it and adds a broken v2."""
    project.init_git()
    project.write("prompts/greeting-v1.yaml", V1)
    project.write("prompts/greeting.tags.yaml", "production: 1\n")
    project.commit("v1")
    project.git("checkout", "-q", "-b", "feature")
    project.write("prompts/greeting.tags.yaml", "production: 2\n")
    project.write("prompts/greeting-v1.yaml", V1 + "top_p: 0.5\n")
    project.write("prompts/greeting-v2.yaml", "version: 2\nmodel: gpt-4o-2024-08-06\nsystem: Hi {{ who }}.\n")
    project.commit("change")
    return project


def test_ci_under_github_actions(pr: Project, cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    base = pr.git("rev-parse", "main").stdout.strip()
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"base": {"sha": base}}}))
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(event))
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    pr.git("checkout", "-q", "--detach")  # how actions/checkout leaves a pull request
    result = cli("ci")
    assert result.code == 1
    lines = result.out.splitlines()
    assert "::error file=prompts/greeting-v1.yaml,line=4,col=1,title=promptctl modified-version::" in lines[0]
    assert lines[1].startswith("::error file=prompts/greeting-v2.yaml,line=3,col=15,title=promptctl undeclared-variable::")
    md = summary.read_text()
    assert md.startswith("## promptctl\n")
    assert "| check (against merge-base of `HEAD`" in md and "pull request's base commit" in md
    assert "| `prompts/greeting-v1.yaml` | 4 | `modified-version` |" in md
    assert "- `greeting` production: v1 → v2" in md


def test_ci_base_from_github_base_ref(pr: Project, cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    pr.git("update-ref", "refs/remotes/origin/main", "main")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_BASE_REF", "main")
    monkeypatch.delenv("GITHUB_EVENT_PATH", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    result = cli("ci", "--format", "json")
    assert result.code == 1
    assert "modified-version" in {f["rule"] for f in json.loads(result.out)["findings"]}


def test_ci_under_gitlab_writes_code_quality(pr: Project, cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("GITLAB_CI", "true")
    monkeypatch.setenv("CI_MERGE_REQUEST_DIFF_BASE_SHA", pr.git("rev-parse", "main").stdout.strip())
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    result = cli("ci")
    assert result.code == 1
    report = json.loads((pr.root / "gl-code-quality-report.json").read_text())
    assert {i["check_name"] for i in report} == {"modified-version", "undeclared-variable"}
    for issue in report:
        assert set(issue) >= {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["location"]["lines"]["begin"] >= 1
    assert len({i["fingerprint"] for i in report}) == len(report)


def test_ci_clean_pull_request(project: Project, cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    for var in ("GITHUB_ACTIONS", "GITLAB_CI", "CI_MERGE_REQUEST_DIFF_BASE_SHA", "GITHUB_STEP_SUMMARY"):
        monkeypatch.delenv(var, raising=False)
    project.init_git()
    project.write("prompts/greeting-v1.yaml", V1)
    project.commit("v1")
    project.git("checkout", "-q", "-b", "feature")
    project.write("prompts/greeting-v2.yaml", V1.replace("version: 1", "version: 2"))
    project.commit("v2")
    result = cli("ci")
    assert result.code == 0 and "All checks passed" in result.out


def test_ci_unknown_base_is_exit_2(pr: Project, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("ci", "--base", "origin/nope")
    assert result.code == 2 and "origin/nope" in result.err


def test_action_yml_runs_promptctl_ci() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    runs = " ".join(step.get("run", "") for step in action["runs"]["steps"])
    assert "promptctl ci" in runs and "github.action_path" in runs


def test_init_in_an_empty_repository(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    project.init_git()
    (project.root / "prompts").rmdir()
    result = cli("init")
    assert result.code == 0, result.err
    assert result.out.splitlines()[:4] == [
        "created   prompts/ (with a README; add a prompt with `promptctl new NAME`)",
        "created   promptctl.toml",
        "created   .pre-commit-config.yaml",
        "created   .github/workflows/promptctl.yml",
    ]
    config = yaml.safe_load(project.read(".pre-commit-config.yaml"))
    assert [h["id"] for h in config["repos"][0]["hooks"]] == ["promptctl-lint", "promptctl-check"]
    workflow = yaml.safe_load(project.read(".github/workflows/promptctl.yml"))
    steps = workflow["jobs"]["promptctl"]["steps"]
    assert steps[0]["with"]["fetch-depth"] == 0 and steps[-1]["run"] == "promptctl ci"
    assert cli("new", "greeting").code == 0 and cli("lint").code == 0
    again = cli("init")
    assert [line.split()[0] for line in again.out.splitlines()[:4]] == ["skipped"] * 4


def test_init_extends_existing_files_without_clobbering(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    project.init_git()
    existing = "# my hooks\nrepos:\n    - repo: https://github.com/psf/black\n      rev: 24.1.0\n      hooks:\n          - id: black\n"
    project.write(".pre-commit-config.yaml", existing)
    project.write("pyproject.toml", '[project]\nname = "app"\n')
    result = cli("init")
    assert "extended  pyproject.toml" in result.out and "extended  .pre-commit-config.yaml" in result.out
    text = project.read(".pre-commit-config.yaml")
    assert text.startswith(existing)
    repos = yaml.safe_load(text)["repos"]
    assert [r["repo"] for r in repos] == ["https://github.com/psf/black", "https://github.com/promptctl/promptctl"]
    assert project.read("pyproject.toml").startswith('[project]\nname = "app"\n\n[tool.promptctl]\n')
    assert cli("lint").code == 0  # the commented table is valid configuration


def test_init_leaves_an_unparseable_pre_commit_config_alone(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    project.init_git()
    project.write(".pre-commit-config.yaml", "repos: [\n")
    result = cli("init")
    assert "skipped   .pre-commit-config.yaml (it does not parse" in result.out
    assert project.read(".pre-commit-config.yaml") == "repos: [\n"

"""`promptctl ci`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Project


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


V1 = "version: 1\nmodel: gpt-4o-2024-08-06\nsystem: Hello.\n"


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


def test_a_change_that_touches_no_prompt_passes_beside_published_findings(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    """Rules change, history does not: a published file's findings are never the change's."""
    project.init_git()
    project.write("prompts/old-v1.yaml", "version: 1\nmodel: gpt-4-0314-retired\nsystem: Hi.\n")  # unknown-model today
    project.write("prompts/greeting-v1.yaml", V1)
    project.commit("published long ago")
    project.git("checkout", "-q", "-b", "feature")
    project.write("README.md", "docs\n")
    project.commit("docs only")
    result = cli("ci", "--base", "main")
    assert result.code == 0, result.out
    assert "1 finding in 1 file not part of this change" in result.out
    as_json = json.loads(cli("ci", "--base", "main", "--format", "json").out)
    assert as_json["findings"] == [] and as_json["summary"]["outside_change"] == {"findings": 1, "files": 1}
    # a bad new version fails, with findings on that file only
    project.write("prompts/greeting-v2.yaml", "version: 2\nmodel: gpt-4o-2024-08-06\nsystem: Hi {{ who }}.\n")
    project.commit("bad v2")
    result = cli("ci", "--base", "main", "--format", "json")
    assert result.code == 1 and {f["path"] for f in json.loads(result.out)["findings"]} == {"prompts/greeting-v2.yaml"}
    # the repository owner's view still lists everything; --changed the change's files with uncommitted ones
    assert cli("lint").code == 1
    project.write("prompts/greeting-v3.yaml", "version: 3\nmodel: gpt-4o-2024-08-06\nsystem: Hi.\n")
    changed = json.loads(cli("lint", "--changed", "--format", "json").out)
    assert {f["path"] for f in changed["findings"]} == {"prompts/greeting-v2.yaml"}
    assert changed["summary"]["outside_change"]["files"] == 1

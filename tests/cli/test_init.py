"""`promptctl init`."""

from __future__ import annotations

import yaml

from tests.conftest import Project


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
    assert [r["repo"] for r in repos] == ["https://github.com/psf/black", "local"]
    assert project.read("pyproject.toml").startswith('[project]\nname = "app"\n\n[tool.promptctl]\n')
    assert cli("lint").code == 0  # the commented table is valid configuration


def test_init_leaves_an_unparseable_pre_commit_config_alone(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    project.init_git()
    project.write(".pre-commit-config.yaml", "repos: [\n")
    result = cli("init")
    assert "skipped   .pre-commit-config.yaml (it does not parse" in result.out
    assert project.read(".pre-commit-config.yaml") == "repos: [\n"

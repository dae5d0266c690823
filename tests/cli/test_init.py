"""`promptctl init`."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
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
        "created   .github/workflows/promptctl.yml (runs on pull requests and on pushes to `main`)",
    ]
    config = yaml.safe_load(project.read(".pre-commit-config.yaml"))
    assert [h["id"] for h in config["repos"][0]["hooks"]] == ["promptctl-lint", "promptctl-check"]
    workflow = yaml.safe_load(project.read(".github/workflows/promptctl.yml"))
    steps = workflow["jobs"]["promptctl"]["steps"]
    assert steps[0]["with"]["fetch-depth"] == 0 and steps[-1]["run"] == "promptctl ci --comment"
    assert cli("new", "greeting").code == 0 and cli("lint").code == 0
    again = cli("init")
    assert [line.split()[0] for line in again.out.splitlines()[:5]] == ["skipped"] * 5
    assert (
        project.read(".gitignore") == "# reports written by `promptctl ci` (GitLab)\n/gl-code-quality-report.json\n/promptctl-review.md\n"
    )


@pytest.mark.parametrize(
    ("setup", "branch"),
    [
        ([["init", "-q", "-b", "master"]], "master"),
        ([["init", "-q", "-b", "trunk"]], "trunk"),
        # origin/HEAD wins over the branch checked out
        ([["init", "-q", "-b", "feature"], ["symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/develop"]], "develop"),
    ],
)
def test_init_writes_the_default_branch(project: Project, cli, setup: list[list[str]], branch: str) -> None:  # type: ignore[no-untyped-def]
    for args in setup:
        project.git(*args)
    result = cli("init")
    assert result.code == 0, result.err
    assert f"base branch: `{branch}`" in result.out
    assert f'\nbase_branch = "{branch}"' in project.read("promptctl.toml")
    workflow = yaml.safe_load(project.read(".github/workflows/promptctl.yml"))
    assert workflow[True]["push"]["branches"] == [branch]  # YAML 1.1 reads `on` as true


def test_init_outside_git_warns_and_still_scaffolds(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("init")
    assert result.code == 0
    assert result.err == (
        "promptctl: warning: this is not a git repository: `check` and the hooks need one — run `git init`, then `pre-commit install`\n"
    )
    assert "# base_branch" in project.read("promptctl.toml")


def test_init_tells_how_to_install_pre_commit_when_it_is_missing(project: Project, cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    project.init_git()
    monkeypatch.setenv("PATH", str(Path(shutil.which("git") or "/usr/bin/git").parent))
    result = cli("init")
    assert "next: `pip install pre-commit && pre-commit install`" in result.out


def test_init_extends_a_gitignore(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    project.init_git()
    project.write(".gitignore", "node_modules/\n/promptctl-review.md")
    cli("init")
    assert project.read(".gitignore") == (
        "node_modules/\n/promptctl-review.md\n# reports written by `promptctl ci` (GitLab)\n/gl-code-quality-report.json\n"
    )


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

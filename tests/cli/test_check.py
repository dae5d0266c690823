"""`promptctl check`: its modes, and how it reads pre-commit's environment."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.conftest import Project, findings, git_env

V1 = "version: 1\nmodel: gpt-4o-2024-08-06\nsystem: Hello.\n"


def test_pre_commit_environment_selects_the_mode(repo: Project, cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    repo.write("prompts/greeting-v1.yaml", V1 + "top_p: 0.5\n")
    repo.git("add", "-A")
    monkeypatch.setenv("PRE_COMMIT", "1")
    assert findings(cli("check", "--format", "json")) == [("modified-version", "prompts/greeting-v1.yaml")]
    repo.git("reset", "-q", "--hard")
    # pre-push: judge the pushed commit against the base branch
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("prompts/greeting-v1.yaml", V1 + "top_p: 0.5\n")
    repo.commit("edit")
    sha = repo.git("rev-parse", "HEAD").stdout.strip()
    repo.git("checkout", "-q", "main")
    monkeypatch.setenv("PRE_COMMIT_FROM_REF", "0" * 40)
    monkeypatch.setenv("PRE_COMMIT_TO_REF", sha)
    assert findings(cli("check", "--format", "json")) == [("modified-version", "prompts/greeting-v1.yaml")]


def test_staged_rejects_base(repo: Project, cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("check", "--staged", "--base", "main").code == 2


def test_pre_push_to_main_judges_against_what_the_remote_has(project: Project, cli, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A remote added by hand has no origin/HEAD: the local `main` is the pushed commit
    itself, so the baseline must be what pre-commit says the remote has."""
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True, env=git_env())
    project.init_git()
    project.write("prompts/greeting-v1.yaml", V1)
    project.commit("v1")
    project.git("remote", "add", "upstream", str(remote))
    project.git("push", "-q", "upstream", "main")
    published = project.git("rev-parse", "HEAD").stdout.strip()
    project.write("prompts/greeting-v1.yaml", V1 + "top_p: 0.5\n")
    project.commit("rewrite a published version on main")
    pushed = project.git("rev-parse", "HEAD").stdout.strip()
    for key, value in {
        "PRE_COMMIT": "1",
        "PRE_COMMIT_FROM_REF": published,
        "PRE_COMMIT_TO_REF": pushed,
        "PRE_COMMIT_REMOTE_NAME": "upstream",
        "PRE_COMMIT_REMOTE_BRANCH": "refs/heads/main",
    }.items():
        monkeypatch.setenv(key, value)
    assert findings(cli("check", "--format", "json")) == [("modified-version", "prompts/greeting-v1.yaml")]

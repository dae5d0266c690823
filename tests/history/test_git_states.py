"""`check` on real repositories in the states CI and developers actually have."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import Project, findings, git_env, run_promptctl

V1 = "version: 1\nmodel: gpt-4o-2024-08-06\nsystem: Hello.\n"
V2 = "version: 2\nmodel: gpt-4o-2024-08-06\nsystem: Hi.\n"


def test_mode_change_is_a_modification(repo: Project, cli) -> None:  # type: ignore[no-untyped-def]
    (repo.root / "prompts/greeting-v1.yaml").chmod(0o755)
    repo.git("add", "-A")
    result = cli("check", "--staged", "--format", "json")
    assert findings(result) == [("modified-version", "prompts/greeting-v1.yaml")]
    assert "100644 → 100755" in result.out


def test_version_replaced_by_a_symlink(repo: Project, cli) -> None:  # type: ignore[no-untyped-def]
    repo.write("elsewhere.yaml", V1)
    (repo.root / "prompts/greeting-v1.yaml").unlink()
    os.symlink("../elsewhere.yaml", repo.root / "prompts/greeting-v1.yaml")
    repo.git("add", "-A")
    assert findings(cli("check", "--staged", "--format", "json")) == [
        ("modified-version", "prompts/greeting-v1.yaml"),
        ("symlink", "prompts/greeting-v1.yaml"),
    ]


def test_new_symlinked_version_is_refused(repo: Project, cli) -> None:  # type: ignore[no-untyped-def]
    repo.write("outside.yaml", V2)
    os.symlink("../outside.yaml", repo.root / "prompts/greeting-v2.yaml")
    repo.git("add", "-A")
    assert findings(cli("check", "--staged", "--format", "json")) == [("symlink", "prompts/greeting-v2.yaml")]


def test_drafts_may_be_edited_on_a_branch(repo: Project, cli) -> None:  # type: ignore[no-untyped-def]
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("prompts/greeting-v2.yaml", V2)
    repo.commit("draft v2")
    repo.write("prompts/greeting-v2.yaml", V2.replace("Hi.", "Hi there."))
    repo.git("add", "-A")
    assert findings(cli("check", "--staged", "--format", "json")) == []
    repo.commit("edit draft")
    assert findings(cli("check", "--base", "main", "--format", "json")) == []
    # without a flag, outside pre-commit, check judges HEAD against the base branch
    assert findings(cli("check", "--format", "json")) == []


def test_on_the_base_branch_everything_committed_is_published(repo: Project, cli) -> None:  # type: ignore[no-untyped-def]
    repo.write("prompts/greeting-v1.yaml", V1.replace("Hello", "Howdy"))
    repo.git("add", "-A")
    assert findings(cli("check", "--staged", "--format", "json")) == [("modified-version", "prompts/greeting-v1.yaml")]


def test_stale_branch_does_not_see_mains_new_files_as_deletions(repo: Project, cli) -> None:  # type: ignore[no-untyped-def]
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("prompts/other-v1.yaml", V1)
    repo.commit("feature work")
    repo.git("checkout", "-q", "main")
    repo.write("prompts/greeting-v2.yaml", V2)
    repo.commit("v2 on main")
    repo.git("checkout", "-q", "feature")
    assert findings(cli("check", "--base", "main", "--format", "json")) == []


def test_merge_commits_are_judged_by_content(repo: Project, cli) -> None:  # type: ignore[no-untyped-def]
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("prompts/greeting-v2.yaml", V2)
    repo.commit("v2")
    repo.git("checkout", "-q", "main")
    repo.write("prompts/farewell-v1.yaml", V1)
    repo.commit("farewell")
    repo.git("checkout", "-q", "feature")
    repo.git("merge", "-q", "--no-edit", "main")
    assert findings(cli("check", "--base", "main", "--format", "json")) == []
    # an "evil merge" that edits a published file inside the merge commit is caught
    repo.git("checkout", "-q", "main")
    repo.write("prompts/farewell-v2.yaml", V2)
    repo.commit("farewell v2")
    repo.git("checkout", "-q", "feature")
    repo.git("merge", "-q", "--no-commit", "main")
    repo.write("prompts/greeting-v1.yaml", V1.replace("Hello", "Yo"))
    repo.git("add", "-A")
    repo.git("commit", "-q", "--no-edit")
    assert findings(cli("check", "--base", "main", "--format", "json")) == [("modified-version", "prompts/greeting-v1.yaml")]


def test_autocrlf_work_tree_is_no_false_alarm(repo: Project, cli) -> None:  # type: ignore[no-untyped-def]
    repo.git("config", "core.autocrlf", "true")
    (repo.root / "prompts/greeting-v1.yaml").write_bytes(V1.replace("\n", "\r\n").encode())
    repo.git("add", "-A")
    assert findings(cli("check", "--staged", "--format", "json")) == []


def test_detached_head_with_a_known_base(repo: Project, cli) -> None:  # type: ignore[no-untyped-def]
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("prompts/greeting-v1.yaml", V1 + "temperature: 0.1\n")
    repo.commit("edit")
    repo.git("checkout", "-q", "--detach", "HEAD")
    assert findings(cli("check", "--base", "main", "--format", "json")) == [("modified-version", "prompts/greeting-v1.yaml")]
    sha = repo.git("rev-parse", "HEAD").stdout.strip()
    repo.git("checkout", "-q", "main")
    assert findings(cli("check", "--base", "main", "--head", sha, "--format", "json")) == [("modified-version", "prompts/greeting-v1.yaml")]


def test_no_commits_yet_everything_is_new(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    project.init_git()
    project.write("prompts/greeting-v1.yaml", V1)
    project.git("add", "-A")
    result = cli("check", "--staged")
    assert result.code == 0 and "All checks passed" in result.out
    assert cli("check").code == 0


def test_not_a_repository_is_exit_2_and_lint_still_works(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    project.write("prompts/greeting-v1.yaml", V1)
    result = cli("check")
    assert result.code == 2
    assert "is not inside a git repository" in result.err and result.err.count("\n") == 1
    assert cli("lint").code == 0


def test_unknown_base_is_exit_2(repo: Project, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("check", "--base", "origin/nope")
    assert result.code == 2
    assert result.err == "promptctl: error: git does not know the base ref `origin/nope` — fetch it, or check its name (`git branch -a`)\n"
    assert cli("check", "--base", "main", "--head", "nope").code == 2


def test_no_base_branch_to_be_found_is_exit_2(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    project.git("init", "-q", "-b", "trunk")
    project.write("prompts/greeting-v1.yaml", V1)
    project.commit("v1")
    result = cli("check")
    assert result.code == 2 and "set `base_branch`" in result.err
    project.write("promptctl.toml", 'base_branch = "trunk"\n')
    assert cli("check").code == 0


def test_remote_default_branch_is_the_base(repo: Project, tmp_path: Path, cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(repo.root), str(clone)], check=True, env=git_env())
    monkeypatch.chdir(clone)
    subprocess.run(["git", "checkout", "-q", "-b", "feature"], cwd=clone, check=True, env=git_env())
    (clone / "prompts/greeting-v1.yaml").write_text(V1 + "top_p: 0.5\n")
    subprocess.run(["git", "commit", "-qam", "edit"], cwd=clone, check=True, env=git_env())
    subprocess.run(["git", "branch", "-q", "-D", "main"], cwd=clone, check=True, env=git_env())
    result = cli("check", "--format", "json")
    assert findings(result) == [("modified-version", "prompts/greeting-v1.yaml")]


def test_shallow_clone_without_the_base_says_fetch_depth(repo: Project, tmp_path: Path, cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    for n in range(2, 5):
        repo.write(f"prompts/greeting-v{n}.yaml", V2.replace("version: 2", f"version: {n}"))
        repo.commit(f"v{n}")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("prompts/greeting-v5.yaml", V2.replace("version: 2", "version: 5"))
    repo.commit("v5")
    clone = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", "--branch", "feature", f"file://{repo.root}", str(clone)], check=True, env=git_env()
    )
    monkeypatch.chdir(clone)
    result = cli("check", "--base", "origin/main")
    assert result.code == 2
    assert "shallow" in result.err and "fetch-depth: 0" in result.err


def test_dubious_ownership_is_exit_2(repo: Project, cli) -> None:  # type: ignore[no-untyped-def]
    if os.geteuid() != 0:
        pytest.skip("needs root to give the repository to another user")
    subprocess.run(["chown", "-R", "54321:54321", str(repo.root)], check=True)
    try:
        result = cli("check")
        assert result.code == 2
        assert "owned by another user" in result.err and "safe.directory" in result.err
    finally:
        subprocess.run(["chown", "-R", f"{os.getuid()}:{os.getgid()}", str(repo.root)], check=True)


def test_git_not_installed_is_exit_2(repo: Project) -> None:
    import sys

    bare_path = str(Path(sys.executable).parent)  # python, but no git
    result = run_promptctl("check", cwd=repo.root, env={"PATH": bare_path})
    assert result.code == 2
    assert result.err == "promptctl: error: git is not installed (or not on PATH) — install git; `promptctl lint` works without it\n"


def test_config_in_a_subfolder_of_the_repository(project: Project, cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    project.init_git()
    project.write("service/promptctl.toml", 'prompts_dir = "prompts"\n')
    project.write("service/prompts/greeting-v1.yaml", V1)
    project.commit("v1")
    project.write("service/prompts/greeting-v1.yaml", V1 + "top_p: 0.5\n")
    project.git("add", "-A")
    monkeypatch.chdir(project.root / "service")
    assert findings(cli("check", "--staged", "--format", "json")) == [
        ("modified-version", "service/prompts/greeting-v1.yaml")
    ]  # from the repo root


def test_a_merge_in_progress_cannot_overwrite_what_main_published(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    project.init_git()
    project.write("prompts/greeting-v1.yaml", V1)
    project.commit("v1")
    project.git("checkout", "-q", "-b", "feature")
    project.write("prompts/other-v1.yaml", V1)
    project.commit("feature work")
    project.git("checkout", "-q", "main")
    project.write("prompts/greeting-v2.yaml", V1.replace("version: 1", "version: 2"))
    project.commit("v2 published on main")
    project.git("checkout", "-q", "feature")
    project.git("merge", "-q", "--no-commit", "--no-ff", "main")
    project.write("prompts/greeting-v2.yaml", V1.replace("version: 1", "version: 2") + "temperature: 0.9\n")
    project.git("add", "-A")
    result = cli("check", "--staged", "--format", "json")
    assert result.code == 1, result.out + result.err
    assert [f["rule"] for f in json.loads(result.out)["findings"]] == ["modified-version"]
    project.write("prompts/greeting-v2.yaml", V1.replace("version: 1", "version: 2"))
    project.git("add", "-A")
    assert cli("check", "--staged").code == 0  # the merge as main published it is fine


def test_an_unpushed_commit_on_main_is_still_a_draft(project: Project, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True, env=git_env())
    project.init_git()
    project.write("prompts/greeting-v1.yaml", V1)
    project.commit("v1")
    project.git("remote", "add", "origin", str(remote))
    project.git("push", "-q", "origin", "main")
    project.write("prompts/greeting-v2.yaml", V1.replace("version: 1", "version: 2"))
    project.commit("v2, not pushed yet")
    project.write("prompts/greeting-v2.yaml", V1.replace("version: 1", "version: 2") + "top_p: 0.5\n")
    project.git("add", "-A")
    assert cli("check", "--staged").code == 0  # v2 is a draft until pushed
    project.write("prompts/greeting-v1.yaml", V1 + "top_p: 0.5\n")
    project.git("add", "-A")
    assert findings(cli("check", "--staged", "--format", "json")) == [("modified-version", "prompts/greeting-v1.yaml")]


def test_a_submodule_under_the_prompts_folder(project: Project, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    other = tmp_path / "other"
    other.mkdir()
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=other, check=True, env=git_env())
    (other / "x.yaml").write_text("a: 1\n")
    subprocess.run(["git", "add", "-A"], cwd=other, check=True, env=git_env())
    subprocess.run(["git", "commit", "-q", "-m", "x"], cwd=other, check=True, env=git_env())
    project.init_git()
    project.write("prompts/greeting-v1.yaml", V1)
    project.git("-c", "protocol.file.allow=always", "submodule", "add", "-q", str(other), "prompts/vendor")
    project.commit("v1 and a submodule")
    project.git("checkout", "-q", "-b", "feature")
    (other / "x.yaml").write_text("a: 2\n")
    subprocess.run(["git", "commit", "-qam", "y"], cwd=other, check=True, env=git_env())
    subprocess.run(["git", "pull", "-q"], cwd=project.root / "prompts/vendor", check=True, env=git_env())
    project.commit("update the submodule")
    for args in (("check", "--base", "main"), ("check", "--staged")):
        result = cli(*args)
        assert result.code == 0, result.err


def test_unresolved_conflicts_are_an_error_not_a_deleted_version(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    project.init_git()
    project.write("prompts/greeting-v1.yaml", V1)
    project.commit("v1")
    project.git("checkout", "-q", "-b", "feature")
    project.write("prompts/greeting-v2.yaml", V1.replace("version: 1", "version: 2") + "top_p: 0.1\n")
    project.commit("feature v2")
    project.git("checkout", "-q", "main")
    project.write("prompts/greeting-v2.yaml", V1.replace("version: 1", "version: 2") + "top_p: 0.9\n")
    project.commit("main v2")
    project.git("checkout", "-q", "feature")
    project.git("merge", "-q", "main", check=False)  # conflicts in greeting-v2.yaml
    result = cli("check", "--staged")
    assert result.code == 2 and "unresolved merge conflicts" in result.err and "deleted-version" not in result.out, result


def test_lint_passes_over_a_nested_repository(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    project.write("prompts/greeting-v1.yaml", V1)
    project.write("prompts/vendor/.git", "gitdir: ../../.git/modules/vendor\n")
    project.write("prompts/vendor/config.yaml", "not: a prompt\n")
    result = cli("lint", "--format", "json")
    assert result.code == 0 and json.loads(result.out)["summary"]["files"] == 1, result.out


def test_a_published_link_whose_target_changes_outside_the_folder(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    project.init_git()
    project.write("shared/base-prompt.yaml", V1)
    (project.root / "prompts").mkdir(exist_ok=True)
    (project.root / "prompts/greeting-v1.yaml").symlink_to("../shared/base-prompt.yaml")
    project.commit("published through a link (lint reports the link; history must too)")
    project.git("checkout", "-q", "-b", "feature")
    project.write("shared/base-prompt.yaml", V1 + "top_p: 0.5\n")
    project.commit("edit the target only")
    for args in (("check", "--base", "main", "--format", "json"),):
        result = cli(*args)
        assert result.code == 1, result.out
        found = json.loads(result.out)["findings"]
        assert [(f["rule"], f["path"]) for f in found] == [("modified-version", "prompts/greeting-v1.yaml")]
        assert "shared/base-prompt.yaml" in found[0]["message"]
    project.git("checkout", "-q", "main")
    project.write("shared/base-prompt.yaml", V1 + "top_p: 0.7\n")
    project.git("add", "-A")
    assert cli("check", "--staged").code == 1

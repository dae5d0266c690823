"""The hooks of .pre-commit-hooks.yaml, run by a real pre-commit on real commits."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, Project, git_env, validate_workflow

V1 = "version: 1\nmodel: claude-3-5-sonnet-20241022\nsystem: Hello.\n"
V2 = "version: 2\nmodel: claude-3-5-sonnet-20241022\nsystem: Hello there.\n"


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str, dict[str, str]]]:
    """A git snapshot of this working tree (what pre-commit installs the hooks from),
    and an environment with one pre-commit cache for the whole session."""
    snap = tmp_path_factory.mktemp("promptctl-snapshot")
    env = {**git_env(), "PRE_COMMIT_HOME": str(tmp_path_factory.mktemp("pre-commit-home"))}
    listed = subprocess.run(
        ["git", "ls-files", "-z", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True, check=True, env=env
    ).stdout
    for rel in filter(None, listed.decode().split("\0")):
        src = ROOT / rel
        if src.is_file():
            (snap / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, snap / rel)
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "snapshot"]):
        subprocess.run(["git", *args], cwd=snap, check=True, capture_output=True, env=env)
    sha = subprocess.run(["git", "rev-parse", "HEAD"], cwd=snap, capture_output=True, text=True, check=True, env=env).stdout.strip()
    yield snap, sha, env


def _pre_commit(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["pre-commit", *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=900)


def test_manifest_is_valid() -> None:
    proc = subprocess.run(["pre-commit", "validate-manifest", str(ROOT / ".pre-commit-hooks.yaml")], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"promptctl-lint", "promptctl-check"}
    assert hooks["promptctl-check"]["pass_filenames"] is False and hooks["promptctl-check"]["always_run"] is True


def test_try_repo_runs_both_hooks(project: Project, hook_repo) -> None:  # type: ignore[no-untyped-def]
    snap, sha, env = hook_repo
    project.init_git()
    project.write("prompts/greeting-v1.yaml", V1)
    project.commit("v1")
    project.write("prompts/greeting-v1.yaml", V1.replace("Hello", "Howdy"))
    project.write("prompts/broken-v1.yaml", "version: 1\nmodel: gpt-4o-2024-08-06\nsystem: {{ x }\n")
    project.git("add", "-A")
    lint = _pre_commit("try-repo", str(snap), "promptctl-lint", "--ref", sha, cwd=project.root, env=env)
    assert lint.returncode == 1, lint.stdout + lint.stderr
    assert "prompts/broken-v1.yaml:3:" in lint.stdout
    check = _pre_commit("try-repo", str(snap), "promptctl-check", "--ref", sha, cwd=project.root, env=env)
    assert check.returncode == 1, check.stdout + check.stderr
    assert "modified-version" in check.stdout
    project.git("reset", "-q", "--hard")
    clean = _pre_commit("try-repo", str(snap), "promptctl-check", "--ref", sha, cwd=project.root, env=env)
    assert clean.returncode == 0, clean.stdout + clean.stderr


@pytest.fixture
def hooked(project: Project, hook_repo) -> Project:  # type: ignore[no-untyped-def]
    snap, sha, env = hook_repo
    project.init_git()
    config = {"repos": [{"repo": str(snap), "rev": sha, "hooks": [{"id": "promptctl-lint"}, {"id": "promptctl-check"}]}]}
    project.write(".pre-commit-config.yaml", yaml.safe_dump(config))
    project.write("prompts/greeting-v1.yaml", V1)
    project.git("add", "-A")
    project.git("commit", "-q", "--no-verify", "-m", "v1")
    installed = _pre_commit("install", cwd=project.root, env=env)
    assert installed.returncode == 0, installed.stderr
    project.env = env  # type: ignore[attr-defined]
    return project


def _commit(project: Project, message: str) -> subprocess.CompletedProcess[str]:
    project.git("add", "-A")
    return subprocess.run(["git", "commit", "-m", message], cwd=project.root, capture_output=True, text=True, env=project.env, timeout=900)  # type: ignore[attr-defined]


def _head(project: Project) -> str:
    return project.git("rev-parse", "HEAD").stdout.strip()


@pytest.mark.parametrize("change", ["edit", "delete", "rename"])
def test_commit_is_rejected(hooked: Project, change: str) -> None:
    before = _head(hooked)
    path = hooked.root / "prompts/greeting-v1.yaml"
    if change == "edit":
        path.write_text(V1 + "temperature: 0.1\n")
    elif change == "delete":
        path.unlink()
    else:
        path.rename(hooked.root / "prompts/salutation-v1.yaml")
    proc = _commit(hooked, change)
    assert proc.returncode != 0, proc.stdout + proc.stderr
    expected = {"edit": "modified-version", "delete": "deleted-version", "rename": "renamed-version"}[change]
    assert expected in proc.stdout + proc.stderr
    assert _head(hooked) == before


def test_commit_of_a_new_version_is_accepted(hooked: Project) -> None:
    before = _head(hooked)
    hooked.write("prompts/greeting-v2.yaml", V2)
    proc = _commit(hooked, "v2")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert _head(hooked) != before
    output = proc.stdout + proc.stderr
    assert "promptctl check" in output and "Passed" in output


@pytest.mark.parametrize(
    ("branch", "project_dir", "config"),
    [
        ("main", "", 'prompts_dir = "llm/prompts"\n'),  # a custom prompts folder
        ("master", "", None),  # an older default branch
        ("main", "services/llm", ""),  # a project in a monorepo's folder
    ],
    ids=["custom-prompts-dir", "master", "monorepo"],
)
def test_init_sets_up_hooks_on_a_fresh_repository(  # type: ignore[no-untyped-def]
    project: Project, hook_repo, cli, monkeypatch, branch: str, project_dir: str, config: str | None
) -> None:
    """A fresh repository: `init --from <this checkout>`, real pre-commit, real commits."""
    snap, _, env = hook_repo
    project.git("init", "-q", "-b", branch)
    if config is not None:
        project.write(f"{project_dir}/promptctl.toml".lstrip("/"), config)
    args = ["--project", project_dir] if project_dir else []
    result = cli(*args, "init", "--from", str(snap))
    assert result.code == 0, result.err
    assert f"base branch: `{branch}`" in result.out
    pre_commit = yaml.safe_load((project.root / ".pre-commit-config.yaml").read_text())
    hooks = pre_commit["repos"][0]["hooks"]
    assert pre_commit["repos"][0]["repo"] == "local" and {h["additional_dependencies"][0] for h in hooks} == {str(snap)}
    workflows = list((project.root / ".github/workflows").iterdir())
    assert len(workflows) == 1 and f'pip install "{snap}"' in workflows[0].read_text()
    validate_workflow(workflows[0])
    assert _pre_commit("install", cwd=project.root, env=env).returncode == 0
    folder = "/".join(p for p in (project_dir, "llm/prompts" if config and "llm" in config else "prompts") if p)
    project.write(f"{folder}/greeting-v1.yaml", "version: 1\nmodel: gpt-4o-2024-08-06\nsystem: Hi {{ who }}.\n")
    project.write("notes.yaml", "not: a prompt\n")  # YAML outside the prompts folder is not the lint hook's
    project.git("add", "-A")
    bad = subprocess.run(["git", "commit", "-m", "bad"], cwd=project.root, capture_output=True, text=True, env=env, timeout=900)
    assert bad.returncode != 0 and "undeclared-variable" in bad.stdout + bad.stderr, bad.stdout + bad.stderr
    assert "notes.yaml" not in bad.stdout
    project.write(f"{folder}/greeting-v1.yaml", "version: 1\nmodel: gpt-4o-2024-08-06\nsystem: Hi.\n")
    project.git("add", "-A")
    good = subprocess.run(["git", "commit", "-m", "good"], cwd=project.root, capture_output=True, text=True, env=env, timeout=900)
    assert good.returncode == 0, good.stdout + good.stderr
    output = good.stdout + good.stderr
    assert "promptctl lint" in output and "Passed" in output
    # the published version is now refused an edit, from the repository's top
    project.write(f"{folder}/greeting-v1.yaml", "version: 1\nmodel: gpt-4o-2024-08-06\nsystem: Hello.\n")
    project.git("add", "-A")
    edit = subprocess.run(["git", "commit", "-m", "edit"], cwd=project.root, capture_output=True, text=True, env=env, timeout=900)
    assert edit.returncode != 0 and "modified-version" in edit.stdout + edit.stderr, edit.stdout + edit.stderr


def test_generated_files_install_this_project_at_the_running_version(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    from promptctl._version import __version__

    project.init_git()
    assert cli("init").code == 0
    generated = (project.root / ".pre-commit-config.yaml").read_text() + (project.root / ".github/workflows/promptctl.yml").read_text()
    assert generated.count(f"promptctl-git=={__version__}") == 3
    assert "pip install promptctl==" not in generated and "github.com/promptctl" not in generated

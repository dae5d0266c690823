"""The wheel ships the one copy of the schema, and works without the source tree."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import yaml

from tests.conftest import ROOT, git_env


def test_wheel_contains_the_schema_and_loads_it(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    wheel = next(out.glob("promptctl_git-*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        assert "promptctl/schemas/prompt.schema.json" in names
        assert "promptctl/schemas/tags.schema.json" in names
        assert "promptctl/py.typed" in names
        shipped = zf.read("promptctl/schemas/prompt.schema.json")
        zf.extractall(tmp_path / "site")
    assert shipped == (ROOT / "schemas" / "prompt.schema.json").read_bytes()
    # Import promptctl from the unpacked wheel only: the schema must come from inside it.
    code = (
        "import promptctl.schema as s, pathlib, json;"
        "print(pathlib.Path(s.__file__).resolve().parent);"
        "print(json.loads(s.schema_text())['title'])"
    )
    proc = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(tmp_path / 'site')!r}); {code}"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
    )
    where, title = proc.stdout.splitlines()
    assert Path(where) == (tmp_path / "site" / "promptctl").resolve()
    assert title == json.loads((ROOT / "schemas" / "prompt.schema.json").read_text())["title"]


def test_action_steps_run_for_real(tmp_path: Path) -> None:
    """The Action's own shell steps, run by bash as the runner would (env as the runner
    sets it from the inputs): install into a venv of its own, then `promptctl ci` with
    each `fail-on`, SARIF written, extra args passed through."""
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    steps = {step["name"]: step for step in action["runs"]["steps"]}
    install = next(s for name, s in steps.items() if name.startswith("Install promptctl"))
    run_ci = steps["promptctl ci"]
    assert run_ci["working-directory"] == "${{ inputs.working-directory }}"
    repo = tmp_path / "repo"
    (repo / "prompts").mkdir(parents=True)
    env = {**git_env(), "RUNNER_TEMP": str(tmp_path / "runner"), "VERSION": "", "ACTION_PATH": str(ROOT)}
    (tmp_path / "runner").mkdir()

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, env=env)

    git("init", "-q", "-b", "main")
    (repo / "prompts/greeting-v1.yaml").write_text("version: 1\nmodel: gpt-4o-2024-08-06\nsystem: Hi.\n")
    git("add", "-A")
    git("commit", "-qm", "v1")
    git("checkout", "-q", "-b", "feature")
    (repo / "prompts/greeting-v2.yaml").write_text("version: 2\nmodel: gpt-4o-2024-08-06\nsystem: Hi {{ who }}.\n")
    git("add", "-A")
    git("commit", "-qm", "v2")

    def bash(script: str, **extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
            cwd=repo,
            capture_output=True,
            text=True,
            env={**env, **extra},
            timeout=600,
        )

    installed = bash(install["run"])
    assert installed.returncode == 0, installed.stdout + installed.stderr
    common = {"GITHUB_TOKEN": "", "COMMENT": "false", "ARGS": "--base main --format text"}
    failing = bash(run_ci["run"], FAIL_ON="error", UPLOAD_SARIF="true", **common)
    assert failing.returncode == 1 and "undeclared-variable" in failing.stdout, failing.stdout + failing.stderr
    assert json.loads((tmp_path / "runner/promptctl.sarif").read_text())["runs"][0]["results"]
    assert bash(run_ci["run"], FAIL_ON="never", UPLOAD_SARIF="false", **common).returncode == 0
    wrong = bash(run_ci["run"], FAIL_ON="sometimes", UPLOAD_SARIF="false", **common)
    assert wrong.returncode == 2 and "::error title=promptctl::fail-on is error, warning or never" in wrong.stdout
    (repo / "prompts/greeting-v2.yaml").write_text("version: 2\nmodel: gpt-4o\nsystem: Hi.\n")  # a warning only
    git("commit", "-qam", "v2 fixed")
    assert bash(run_ci["run"], FAIL_ON="error", UPLOAD_SARIF="false", **common).returncode == 0
    assert bash(run_ci["run"], FAIL_ON="warning", UPLOAD_SARIF="false", **common).returncode == 1
    # publish: passed on to `ci --publish`, which refuses a registry it does not know
    unknown = bash(run_ci["run"], FAIL_ON="error", UPLOAD_SARIF="false", PUBLISH="nowhere", **common)
    assert unknown.returncode == 2 and "--publish nowhere: not a registry" in unknown.stderr, unknown.stderr
    quiet = bash(run_ci["run"], FAIL_ON="error", UPLOAD_SARIF="false", PUBLISH="langfuse", **common)
    assert quiet.returncode == 0 and "not published: this run is not for a push to main" in quiet.stderr, quiet.stderr


def test_every_snippet_installs_this_project_at_this_version() -> None:
    import re

    from promptctl._version import __version__

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    installs = re.findall(r"pip install (\S+)", readme)
    assert all(not spec.strip('"').startswith("promptctl=") and spec.strip('"') != "promptctl" for spec in installs), installs
    assert readme.count(f"promptctl-git=={__version__}") >= 4
    assert "github.com/promptctl/promptctl" not in readme

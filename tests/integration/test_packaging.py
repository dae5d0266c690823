"""The wheel ships the one copy of the schema, and works without the source tree."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import yaml

from tests.conftest import ROOT


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


def test_action_yml_runs_promptctl_ci() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    runs = " ".join(step.get("run", "") for step in action["runs"]["steps"])
    assert "promptctl ci" in runs and "github.action_path" in runs


def test_every_snippet_installs_this_project_at_this_version() -> None:
    import re

    from promptctl._version import __version__

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    installs = re.findall(r"pip install (\S+)", readme)
    assert all(not spec.strip('"').startswith("promptctl=") and spec.strip('"') != "promptctl" for spec in installs), installs
    assert readme.count(f"promptctl-git=={__version__}") >= 4
    assert "github.com/promptctl/promptctl" not in readme

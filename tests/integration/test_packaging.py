"""The wheel ships the one copy of the schema, and works without the source tree."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import yaml

from tests.conftest import ROOT

V = "version: {n}\nmodel: gpt-4o-2024-08-06\nsystem: Hello {n}.\n"


SUPPORT = "version: {n}\nmodel: claude-3-5-sonnet-20241022\nsystem: |\n  {text}\ntemperature: 0.3\nmax_tokens: 500\n"


GOLDEN = Path(__file__).parent / "golden" / "diff"


UPDATE = bool(os.environ.get("PROMPTCTL_UPDATE_GOLDEN"))


LONG = (
    "You are a meticulous assistant for the Acme Corp billing team who reads every ticket carefully, "
    "checks the refund policy before answering, keeps a calm and friendly tone, and never invents order numbers."
)


PAIRS = {
    "one-word": (
        f"version: 1\nmodel: gpt-4o-2024-08-06\nsystem: |\n  {LONG}\n  Second line stays.\n",
        f"version: 2\nmodel: gpt-4o-2024-08-06\nsystem: |\n  {LONG.replace('calm', 'warm')}\n  Second line stays.\n",
    ),
    "reordered-keys": (
        "version: 1\nmodel: gpt-4o-2024-08-06\ntemperature: 0.2\nsystem: Hi.\n",
        "# comment added\nversion: 2\nsystem: Hi.\ntemperature: 0.2\nmodel: gpt-4o-2024-08-06\n",
    ),
    "required-variable": (
        "version: 1\nmodel: gpt-4o-2024-08-06\nsystem: Hi {{ name }}.\nvariables:\n  name: {type: string}\n",
        "version: 2\nmodel: gpt-4o-2024-08-06\nsystem: Hi {{ name }} from {{ city }}.\nvariables:\n  name: {type: string}\n  city: {type: string}\n",
    ),
    "model-change": (
        "version: 1\nmodel: gpt-4o-2024-08-06\nsystem: Hi.\ntemperature: 0.2\n",
        "version: 2\nmodel: claude-3-5-sonnet-20241022\nsystem: Hi.\ntemperature: 0.2\n",
    ),
    "whitespace": (
        "version: 1\nmodel: gpt-4o-2024-08-06\nsystem: |\n  Hello there.\n",
        "version: 2\nmodel: gpt-4o-2024-08-06\nsystem: |\n  Hello  there.\n",
    ),
}


VERDICTS = {
    "one-word": "behavioural",
    "reordered-keys": "cosmetic",
    "required-variable": "breaking",
    "model-change": "behavioural",
    "whitespace": "cosmetic",
}


V1 = "version: 1\nmodel: gpt-4o-2024-08-06\nsystem: Hello.\n"


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

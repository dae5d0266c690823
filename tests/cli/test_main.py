"""The command line as a whole: entry point, errors, help."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Project, run_promptctl

V = "version: {n}\nmodel: gpt-4o-2024-08-06\nsystem: Hello {n}.\n"


def _repo(project: Project, versions: int = 3) -> Project:
    project.init_git()
    for n in range(1, versions + 1):
        project.write(f"prompts/greeting-v{n}.yaml", V.format(n=n))
    project.commit("versions")
    return project


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


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


@pytest.fixture
def pr(project: Project) -> Project:
    project.init_git()
    project.write("prompts/greeting-v1.yaml", "version: 1\nmodel: gpt-4o-2024-08-06\nsystem: Hello.\ntemperature: 0.2\n")
    project.write("prompts/greeting-v2.yaml", "version: 2\nmodel: gpt-4o-2024-08-06\nsystem: Hello there.\ntemperature: 0.2\n")
    project.write("prompts/greeting.tags.yaml", "production: 1\nstaging: 2\n")
    project.commit("published")
    project.git("checkout", "-q", "-b", "feature")
    project.write("prompts/greeting-v3.yaml", "version: 3\nmodel: gpt-4o-2024-08-06\nsystem: Hello there, friend.\ntemperature: 0.4\n")
    project.write("prompts/greeting-v4.yaml", "version: 4\nmodel: gpt-4o-2024-08-06\nsystem: Hi, friend.\ntemperature: 0.4\n")
    project.write("prompts/greeting.tags.yaml", "production: 2\nstaging: 4\n")
    project.write("prompts/farewell-v1.yaml", "version: 1\nmodel: gpt-4o-2024-08-06\nsystem: Goodbye.\n")
    project.commit("feature")
    return project


V1 = "version: 1\nmodel: gpt-4o-2024-08-06\nsystem: Hello.\n"


def test_console_script_and_module_agree(project) -> None:  # type: ignore[no-untyped-def]

    exe = shutil.which("promptctl", path=str(Path(sys.executable).parent))
    assert exe, "the promptctl console script is installed beside the interpreter"
    version = subprocess.run([exe, "--version"], capture_output=True, text=True)
    assert version.returncode == 0 and version.stdout.startswith("promptctl ")
    assert run_promptctl("--version", cwd=project.root).out == version.stdout


def test_every_command_has_its_test_module() -> None:
    """Tests mirror the package: `promptctl/cli/log.py` is tested in `tests/cli/test_log.py`."""
    from tests.conftest import ROOT

    commands = {p.stem.rstrip("_") for p in (ROOT / "promptctl/cli").glob("*.py") if p.stem not in ("__init__", "options")}
    tested = {p.stem.removeprefix("test_") for p in (ROOT / "tests/cli").glob("test_*.py")}
    assert commands <= tested, sorted(commands - tested)

"""The command line as a whole: entry point, errors, help."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Project, run_promptctl


def test_console_script_and_module_agree(project) -> None:  # type: ignore[no-untyped-def]

    exe = shutil.which("promptctl", path=str(Path(sys.executable).parent))
    assert exe, "the promptctl console script is installed beside the interpreter"
    version = subprocess.run([exe, "--version"], capture_output=True, text=True)
    assert version.returncode == 0 and version.stdout.startswith("promptctl ")
    assert run_promptctl("--version", cwd=project.root).out == version.stdout


def test_every_command_has_its_test_module() -> None:
    """Tests mirror the package: `promptctl/cli/log.py` is tested in `tests/cli/test_log.py`."""
    from tests.conftest import ROOT

    commands = {p.stem.rstrip("_") for p in (ROOT / "promptctl/cli").glob("*.py") if p.stem not in ("__init__", "options", "output")}
    tested = {p.stem.removeprefix("test_") for p in (ROOT / "tests/cli").glob("test_*.py")}
    assert commands <= tested, sorted(commands - tested)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["lnt"], "promptctl: error: no command `lnt` — did you mean `promptctl lint`?"),
        (
            ["lint", "--strct"],
            "promptctl: error: No such option: --strct — did you mean `--strict`? (`promptctl lint -h` lists the options)",
        ),
        (["tag", "greeting"], "promptctl: error: Missing argument '[VERSION]' — run `promptctl tag -h`"),
        (["lint", "--format", "xml"], "promptctl: error: Invalid value for '--format' / '-f': 'xml' is not one of"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(args: list[str], expected: str, project: Project) -> None:
    result = run_promptctl(*args, cwd=project.root)
    assert result.code == 2 and result.out == ""
    assert result.err.startswith(expected) and result.err.count("\n") == 1, result.err


def test_shell_completion_of_commands_names_versions_and_tags(project: Project) -> None:
    from tests.conftest import versioned_repo

    versioned_repo(project, versions=2)
    project.write("prompts/greeting.tags.yaml", "production: 1\nlaunch: 2\n")

    def complete(line: str) -> list[str]:
        words = line.split(" ")
        env = {"_PROMPTCTL_COMPLETE": "complete_bash", "COMP_WORDS": line, "COMP_CWORD": str(len(words) - 1)}
        result = run_promptctl(cwd=project.root, env=env)
        assert result.code == 0, result.err
        return result.out.split()

    assert complete("promptctl li") == ["lint", "list"]
    assert complete("promptctl show gr") == ["greeting"]
    assert complete("promptctl render greeting@") == [
        "greeting@v1",
        "greeting@v2",
        "greeting@latest",
        "greeting@launch",
        "greeting@production",
    ]
    assert complete("promptctl diff greeting@p") == []  # diff takes NAME A B: no completion of refs there
    assert complete("promptctl rollback greeting st") == ["staging"]
    # typer detects the shell from the parent process; the tests name it instead
    shown = run_promptctl("--show-completion", "bash", cwd=project.root, env={"_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"})
    assert shown.code == 0 and "_PROMPTCTL_COMPLETE=complete_bash" in shown.out

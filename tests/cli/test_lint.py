"""`promptctl lint`."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEED, Project, run_promptctl


def test_shipped_prompts_lint_clean() -> None:
    result = run_promptctl("lint", cwd=ROOT)
    assert result.code == 0, result.out + result.err
    assert "All checks passed" in result.out


def test_exit_codes(project, cli) -> None:  # type: ignore[no-untyped-def]
    project.write("prompts/customer-support-v1.yaml", SEED.replace("version: 3", "version: 1"))
    assert cli("lint").code == 0
    project.write("prompts/customer-support-v2.yaml", SEED.replace("version: 3", "version: 2") + "variables:\n  unused: {}\n")
    warned = cli("lint")
    assert warned.code == 0 and "unused-variable (warning)" in warned.out
    assert cli("lint", "--strict").code == 1
    project.write("prompts/customer-support-v3.yaml", "version: [")
    assert cli("lint").code == 1


def test_lint_explicit_files_and_folders(project, cli) -> None:  # type: ignore[no-untyped-def]
    project.write("prompts/a-v1.yaml", "version: 1\nmodel: gpt-4o-2024-08-06\nsystem: hi\n")
    project.write("prompts/b-v1.yaml", "version: 2\nmodel: gpt-4o-2024-08-06\nsystem: hi\n")
    assert cli("lint", "prompts/a-v1.yaml").code == 0
    only_b = cli("lint", "prompts/b-v1.yaml", "--format", "json")
    assert {f["path"] for f in json.loads(only_b.out)["findings"]} == {"prompts/b-v1.yaml"}
    assert cli("lint", "prompts").code == 1


def test_missing_path_is_exit_2(project, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("lint", "prompts/nope-v1.yaml")
    assert result.code == 2
    assert result.err.startswith("promptctl: error: no such file or folder: prompts/nope-v1.yaml — ")


def test_no_prompts_folder_is_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    result = cli("lint")
    assert result.code == 2
    assert "no prompts folder `prompts`" in result.err and "promptctl init" in result.err


def test_usage_error_is_exit_2(project, cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("lint", "--format", "xml").code == 2
    assert cli("no-such-command").code == 2


def test_unreadable_file_is_exit_2(project, cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import builtins

    import promptctl.linter

    project.write("prompts/a-v1.yaml", "version: 1\n")
    real = builtins.open

    def denied(file, *args, **kwargs):  # type: ignore[no-untyped-def]
        if str(file).endswith("a-v1.yaml"):
            raise PermissionError(13, "Permission denied")
        return real(file, *args, **kwargs)

    monkeypatch.setattr(promptctl.linter, "open", denied, raising=False)
    result = cli("lint")
    assert result.code == 2
    assert (
        result.err == "promptctl: error: prompts/a-v1.yaml: cannot read: Permission denied — check that the file exists and is readable\n"
    )


def test_fifo_is_a_finding_not_a_hang(project, cli) -> None:  # type: ignore[no-untyped-def]

    os.mkfifo(project.root / "prompts" / "pipe-v1.yaml")
    result = cli("lint", "--format", "json")
    assert result.code == 1
    assert [(f["path"], f["rule"]) for f in json.loads(result.out)["findings"]] == [("prompts/pipe-v1.yaml", "yaml-syntax")]


def test_internal_error_is_exit_2_without_traceback(project, cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import promptctl.linter

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("kaboom")

    monkeypatch.setattr(promptctl.linter, "lint", boom)
    result = cli("lint")
    assert result.code == 2
    assert result.err.startswith("promptctl: error: internal error: RuntimeError: kaboom")
    assert "Traceback" not in result.err
    debug = cli("--debug", "lint")
    assert debug.code == 2 and "Traceback" in debug.err


def test_the_context_window_is_judged_on_the_rendered_prompt(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    project.write(
        "prompts/huge-v1.yaml",
        "version: 1\nmodel: gpt-4o-2024-08-06\nsystem: \"{{ 'ab ' * 200000 }}\"\nmax_tokens: 1000\nbudget: {max_input_tokens: 1000}\n",
    )
    result = cli("lint", "--format", "json")
    rules = {f["rule"] for f in json.loads(result.out)["findings"]}
    assert result.code == 1 and {"parameter-range", "budget"} <= rules, result.out + result.err

"""The command line through its real entry point: exit codes, errors, formats."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEED, Project, run_promptctl


def test_shipped_prompts_lint_clean() -> None:
    result = run_promptctl("lint", cwd=ROOT)
    assert result.code == 0, result.out + result.err
    assert "All checks passed" in result.out


def test_console_script_and_module_agree(project) -> None:  # type: ignore[no-untyped-def]
    import shutil
    import subprocess

    exe = shutil.which("promptctl", path=str(Path(sys.executable).parent))
    assert exe, "the promptctl console script is installed beside the interpreter"
    version = subprocess.run([exe, "--version"], capture_output=True, text=True)
    assert version.returncode == 0 and version.stdout.startswith("promptctl ")
    assert run_promptctl("--version", cwd=project.root).out == version.stdout


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
    import os

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


def test_schema_prints_the_shipped_schema(cli) -> None:  # type: ignore[no-untyped-def]
    out = cli("schema").out
    assert json.loads(out) == json.loads((ROOT / "schemas" / "prompt.schema.json").read_text())
    assert json.loads(cli("schema", "--tags").out)["title"] == "promptctl tags file"


def test_every_schema_property_has_a_description() -> None:
    schema = json.loads((ROOT / "schemas" / "prompt.schema.json").read_text())

    def walk(node: object, where: str) -> None:
        if isinstance(node, dict):
            for name, sub in node.get("properties", {}).items():
                assert "description" in sub or "$ref" in sub, f"{where}.{name} has no description"
                if "$ref" in sub:
                    target = schema["$defs"][sub["$ref"].split("/")[-1]]
                    assert "description" in sub or "description" in target, f"{where}.{name}"
            for value in node.values():
                walk(value, where)
        elif isinstance(node, list):
            for value in node:
                walk(value, where)

    walk(schema, "schema")


def test_rules_lists_every_rule_with_its_docstring(cli) -> None:  # type: ignore[no-untyped-def]
    from promptctl.rules import REGISTRY

    listing = cli("rules").out
    for rule_id in REGISTRY:
        assert rule_id in listing
    one = cli("rules", "duplicate-key")
    assert one.code == 0 and "YAML silently keeps the last value" in one.out
    assert cli("rules", "no-such-rule").code == 2
    as_json = json.loads(cli("rules", "--json").out)
    assert {r["id"] for r in as_json} == set(REGISTRY)


def test_list_and_show(project, cli) -> None:  # type: ignore[no-untyped-def]
    project.write("prompts/customer-support-v1.yaml", SEED.replace("version: 3", "version: 1"))
    project.write("prompts/customer-support-v2.yaml", SEED.replace("version: 3", "version: 2").replace("0.3", "0.2"))
    project.write("prompts/customer-support.tags.yaml", "production: 1\n")
    rows = json.loads(cli("list", "--format", "json").out)
    assert rows == [
        {
            "name": "customer-support",
            "latest": 2,
            "versions": 2,
            "model": "claude-3-5-sonnet-20241022",
            "tags": {"production": 1},
            "path": "prompts/customer-support-v2.yaml",
        }
    ]
    text = cli("list").out
    assert "customer-support" in text and "production→v1" in text
    shown = json.loads(cli("show", "customer-support@production", "--format", "json").out)
    assert shown["version"] == 1 and shown["path"] == "prompts/customer-support-v1.yaml"
    assert cli("show", "customer-support").out.startswith("customer-support@2  prompts/customer-support-v2.yaml")
    assert cli("show", "customer-support@v1", "--format", "yaml").out == project.read("prompts/customer-support-v1.yaml")
    missing = cli("show", "customer-support@9")
    assert missing.code == 2 and "versions: v1, v2" in missing.err
    unknown = cli("show", "nobody")
    assert unknown.code == 2 and "known prompts: customer-support" in unknown.err


def test_show_prints_the_file_as_it_is(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    text = "version: 1\nmodel: gpt-4o-2024-08-06\nsystem: |\n  " + "word " * 100 + "\n  \tTabbed.\n  Café 👍\n  \u202e hidden\n"
    project.write("prompts/greet-v1.yaml", text)
    out = cli("show", "greet").out
    assert out == "greet@1  prompts/greet-v1.yaml\n" + text.replace("\u202e", "<U+202E>")
    assert cli("show", "greet", "--format", "yaml").out == text  # a pipe gets the file as is

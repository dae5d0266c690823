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


# -- ruff's habits ------------------------------------------------------------------

BAD = "version: 1\nmodel: gpt-4o\nsystem: Hi {{ who }}.\n"  # floating-model (warning), undeclared-variable (error)


def _rules(result) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(f["rule"] for f in json.loads(result.out)["findings"])


def test_rule_selection_on_the_command_line(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    project.write("prompts/p-v1.yaml", BAD)
    project.write("promptctl.toml", 'ignore = ["floating-model"]\n')
    assert _rules(cli("lint", "-f", "json")) == ["undeclared-variable"]
    assert _rules(cli("lint", "-f", "json", "--select", "floating-model,undeclared-variable")) == [
        "undeclared-variable"
    ]  # config's ignore stays
    assert _rules(cli("lint", "-f", "json", "--ignore", "undeclared-variable")) == []
    assert _rules(cli("lint", "-f", "json", "--extend-select", "missing-owners")) == ["undeclared-variable"]  # opt-in, not on the channel
    assert _rules(cli("lint", "-f", "json", "--per-file-ignores", "prompts/p-*:undeclared-variable")) == []
    unknown = cli("lint", "--ignore", "undeclared-variabel")
    assert unknown.code == 2 and unknown.err == (
        "promptctl: error: --ignore names unknown rule `undeclared-variabel` — did you mean `undeclared-variable`?\n"
    )
    assert cli("lint", "--per-file-ignores", "no-colon").code == 2


def test_config_file_exit_zero_quiet_and_statistics(project: Project, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    project.write("prompts/p-v1.yaml", BAD)
    project.write("prompts/q-v1.yaml", BAD)
    other = project.root / "ci.toml"
    other.write_text('ignore = ["undeclared-variable"]\n')
    assert cli("--config", str(other), "lint").code == 0
    assert cli("lint", "--config", "missing.toml").err.startswith("promptctl: error: --config missing.toml: no such file")
    assert cli("lint", "--exit-zero").code == 0
    quiet = cli("lint", "--quiet")
    assert quiet.code == 1 and quiet.out == "Found 2 errors and 2 warnings in 2 files (2 files checked).\n"
    stats = cli("lint", "--statistics")
    assert stats.out == "2  floating-model         warning\n2  undeclared-variable    error\n"
    assert json.loads(cli("lint", "--statistics", "-f", "json").out) == [
        {"rule": "floating-model", "severity": "warning", "count": 2},
        {"rule": "undeclared-variable", "severity": "error", "count": 2},
    ]


def test_output_file_gets_the_format_and_the_terminal_the_text(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    project.write("prompts/p-v1.yaml", BAD)
    result = cli("lint", "--format", "sarif", "--output-file", "out.sarif")
    assert result.code == 1
    assert "prompts/p-v1.yaml:3:15: undeclared-variable" in result.out and "Found 1 error" in result.out
    sarif = json.loads((project.root / "out.sarif").read_text())
    assert {r["ruleId"] for r in sarif["runs"][0]["results"]} == {"undeclared-variable", "floating-model"}
    bad = cli("lint", "-o", "prompts/p-v1.yaml/out.json", "-f", "json")  # under a file
    assert bad.code == 2 and "cannot write" in bad.err and "p-v1.yaml/out.json: Not a directory" in bad.err


def test_text_paths_are_relative_to_the_working_directory(project: Project, cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    project.write("prompts/p-v1.yaml", BAD)
    project.write("promptctl.toml", "")
    monkeypatch.chdir(project.root / "prompts")
    out = cli("lint").out
    assert out.startswith("p-v1.yaml:2:8: floating-model")
    assert json.loads(cli("lint", "-f", "json").out)["findings"][0]["path"] == "prompts/p-v1.yaml"  # JSON: from the root


def test_lint_stdin_for_editors(project: Project) -> None:
    result = run_promptctl("lint", "-", "--stdin-filename", "prompts/draft-v1.yaml", cwd=project.root, input=BAD)
    assert result.code == 1
    assert result.out.startswith("prompts/draft-v1.yaml:2:8: floating-model") and "3 | system: Hi {{ who }}." in result.out
    assert not (project.root / "prompts/draft-v1.yaml").exists()
    missing = run_promptctl("lint", "-", cwd=project.root, input=BAD)
    assert missing.code == 2 and "needs --stdin-filename PATH" in missing.err


@pytest.mark.parametrize(
    ("args", "env", "colored"),
    [
        ([], {}, True),
        ([], {"NO_COLOR": "1"}, False),
        ([], {"TERM": "dumb"}, False),
        (["--color", "never"], {}, False),
        (["--color", "always"], {"NO_COLOR": "1"}, True),
        ([], {"NO_COLOR": "1", "FORCE_COLOR": "1"}, True),
    ],
)
def test_colour_in_a_real_terminal(project: Project, args: list[str], env: dict[str, str], colored: bool) -> None:
    from tests.conftest import in_terminal

    project.write("prompts/p-v1.yaml", BAD)
    base = {"NO_COLOR": "<unset>", "FORCE_COLOR": "<unset>", "TERM": "xterm-256color"}
    out = in_terminal([*args, "lint"], str(project.root), env={**base, **env})
    assert ("\x1b[" in out) is colored, out


def test_colour_in_a_pipe_only_when_forced(project: Project) -> None:
    project.write("prompts/p-v1.yaml", BAD)
    assert "\x1b[" not in run_promptctl("lint", cwd=project.root).out
    assert "\x1b[" in run_promptctl("--color", "always", "lint", cwd=project.root).out
    assert "\x1b[" in run_promptctl("lint", cwd=project.root, env={"FORCE_COLOR": "1"}).out
    bad = run_promptctl("--color", "sometimes", "lint", cwd=project.root)
    assert bad.code == 2 and bad.err == "promptctl: error: --color sometimes: not a choice — use auto, always or never\n"


def test_check_takes_the_same_selection(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    project.init_git()
    project.write("prompts/p-v1.yaml", "version: 1\nmodel: gpt-4o-2024-08-06\nsystem: Hi.\n")
    project.commit("v1")
    project.write("prompts/p-v1.yaml", "version: 1\nmodel: gpt-4o-2024-08-06\nsystem: Hello.\n")
    project.git("add", "-A")
    assert cli("check", "--staged").code == 1
    assert cli("check", "--staged", "--exit-zero").code == 0
    assert cli("check", "--staged", "--ignore", "modified-version").code == 0
    assert cli("check", "--staged", "--statistics").out == "1  modified-version       error\n"


# -- --fix --------------------------------------------------------------------------


def test_fix_repairs_drafts_and_never_a_published_file(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    project.init_git()
    published = "version: 2\nmodel: gpt-4o\nsystem: Hi.\n"  # version-mismatch and floating-model, published long ago
    project.write("prompts/old-v1.yaml", published)
    project.commit("published")
    project.write(
        "prompts/draft-v1.yaml",
        "version: 3   # copied\nmodel: openai/gpt-4o\ndescription: no\nsystem: |\n  Hello {{ user }}.\n"
        "variables:\n  user: {type: string}\n  tone:\n    type: string\n    description: never used\nexamples:\n  - user: Ann\n",
    )
    project.write("prompts/hbs-v1.yaml", "version: 1\nmodel: gpt-4o-2024-08-06\nsystem: |\n  {{#each items}}- {{this}}{{/each}}\n")
    result = cli("lint", "--fix", "--format", "json")
    assert result.err == (
        "Fixed 5 findings in 2 files. 2 fixable in published files left alone: fix them in a new version (`promptctl bump NAME`).\n"
    )
    assert project.read("prompts/old-v1.yaml") == published
    assert project.read("prompts/draft-v1.yaml") == (
        'version: 1   # copied\nmodel: openai/gpt-4o-2024-11-20\ndescription: "no"\nsystem: |\n  Hello {{ user }}.\n'
        "variables:\n  user: {type: string}\nexamples:\n  - user: Ann\n"
    )
    assert project.read("prompts/hbs-v1.yaml").startswith("version: 1\ntemplate_format: none\n")
    left = {(f["path"], f["rule"]) for f in json.loads(result.out)["findings"]}
    assert left == {("prompts/old-v1.yaml", "version-mismatch"), ("prompts/old-v1.yaml", "floating-model")}


def test_fix_leaves_a_file_whose_fix_would_bring_a_finding(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    # template_format: none would make {{ b }} literal, and `b` an unused variable
    text = "version: 1\nmodel: gpt-4o-2024-08-06\nsystem: '{{#if a}}x{{/if}}'\nuser: '{{ b }}'\nvariables:\n  b: {type: string}\n"
    project.write("prompts/p-v1.yaml", text)
    result = cli("lint", "--fix")
    assert result.code == 1 and result.err == "Fixed 0 findings in 0 files.\n"
    assert project.read("prompts/p-v1.yaml") == text


def test_fix_keeps_crlf(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    (project.root / "prompts/p-v1.yaml").write_bytes(b"version: 1\r\nmodel: gpt-4o\r\nsystem: Hi.\r\n")
    assert cli("lint", "--fix").code == 0
    assert (project.root / "prompts/p-v1.yaml").read_bytes() == b"version: 1\r\nmodel: gpt-4o-2024-11-20\r\nsystem: Hi.\r\n"

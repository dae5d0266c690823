"""`promptctl new`."""

from __future__ import annotations

import os
from pathlib import Path


def test_new_writes_a_lint_clean_commented_v1(project, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("new", "customer-support", "--model", "gpt-4o-2024-08-06", "--description", "Answers: tickets")
    assert result.code == 0
    assert result.out == "created prompts/customer-support-v1.yaml\n"
    text = project.read("prompts/customer-support-v1.yaml")
    assert text.startswith("# customer-support: Answers: tickets\n")
    assert "model: gpt-4o-2024-08-06\n" in text and "description: 'Answers: tickets'\n" in text
    lint = cli("lint", "--strict")
    assert lint.code == 0, lint.out


def test_new_namespaced_and_nested(project, cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("new", "billing/refund-triage").out == "created prompts/billing/refund-triage-v1.yaml\n"
    project.write("promptctl.toml", 'layout = "nested"\n')
    assert cli("new", "summarise").out == "created prompts/summarise/v1.yaml\n"
    assert cli("lint").code == 0


def test_new_refuses_existing_and_bad_names(project, cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("new", "greeting").code == 0
    before = project.read("prompts/greeting-v1.yaml")
    again = cli("new", "greeting")
    assert again.code == 2
    assert again.err == "promptctl: error: prompt `greeting` exists (prompts/greeting-v1.yaml) — run `promptctl bump greeting` to make v2\n"
    assert project.read("prompts/greeting-v1.yaml") == before
    for bad in ("Greeting", "snake_case", "../escape", "a//b", "x-"):
        result = cli("new", bad)
        assert result.code == 2 and "not a valid prompt name" in result.err, bad
    assert cli("new", "x", "--model", "two words").code == 2


def test_new_refuses_a_planted_symlink(project, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    outside = tmp_path / "outside.yaml"
    os.symlink(outside, project.root / "prompts" / "greeting-v1.yaml")
    result = cli("new", "greeting")
    assert result.code == 2
    assert not outside.exists()
    # a linked folder on the way is refused too
    (tmp_path / "elsewhere").mkdir()
    os.symlink(tmp_path / "elsewhere", project.root / "prompts" / "team")
    result = cli("new", "team/greeting")
    assert result.code == 2 and "symbolic link" in result.err
    assert list((tmp_path / "elsewhere").iterdir()) == []


def test_no_temporary_files_left(project, cli) -> None:  # type: ignore[no-untyped-def]
    cli("new", "a")
    cli("bump", "a")
    cli("new", "a")
    leftovers = [p.name for p in (project.root / "prompts").iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_file_mode_follows_the_umask(project, cli) -> None:  # type: ignore[no-untyped-def]
    old = os.umask(0o027)
    try:
        cli("new", "a")
    finally:
        os.umask(old)
    assert (project.root / "prompts/a-v1.yaml").stat().st_mode & 0o777 == 0o640


def test_new_points_editors_at_the_schema_init_placed(project, cli) -> None:  # type: ignore[no-untyped-def]
    import json
    from pathlib import Path

    import jsonschema
    import yaml

    assert "# yaml-language-server" not in (cli("new", "plain") and project.read("prompts/plain-v1.yaml"))  # no copy: no line
    project.init_git()
    assert "created   .promptctl/prompt.schema.json" in cli("init").out
    assert cli("new", "billing/refund").code == 0
    text = project.read("prompts/billing/refund-v1.yaml")
    first = text.splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../.promptctl/prompt.schema.json"
    schema_path = (project.root / "prompts/billing" / first.split("=", 1)[1]).resolve()
    assert schema_path == (project.root / ".promptctl/prompt.schema.json").resolve()
    jsonschema.validate(yaml.safe_load(text), json.loads(Path(schema_path).read_text()))  # the editor's view agrees with lint
    assert cli("lint").code == 0
    assert "skipped   .promptctl/prompt.schema.json (up to date)" in cli("init").out

"""`promptctl show`."""

from __future__ import annotations

from tests.conftest import Project


def test_show_prints_the_file_as_it_is(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    text = "version: 1\nmodel: gpt-4o-2024-08-06\nsystem: |\n  " + "word " * 100 + "\n  \tTabbed.\n  Café 👍\n  \u202e hidden\n"
    project.write("prompts/greet-v1.yaml", text)
    out = cli("show", "greet").out
    assert out == "greet@1  prompts/greet-v1.yaml\n" + text.replace("\u202e", "<U+202E>")
    assert cli("show", "greet", "--format", "yaml").out == text  # a pipe gets the file as is


def test_show_name_at_nothing_is_an_error_not_the_latest(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import versioned_repo

    versioned_repo(project)
    result = cli("show", "greeting@")
    assert result.code == 2
    assert result.err == (
        "promptctl: error: `greeting@` names no version or tag — write `greeting`, `greeting@3`, `greeting@latest` or `greeting@production`\n"
    )

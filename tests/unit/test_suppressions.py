"""Inline suppressions through the linter: what they cover, and what they never do."""

from __future__ import annotations

import json

from tests.conftest import Project


def _rules(cli) -> list[tuple[str, int]]:  # type: ignore[no-untyped-def]
    result = cli("lint", "--format", "json")
    return [(f["rule"], f["line"]) for f in json.loads(result.out)["findings"]]


def test_key_suppression_covers_its_value_only(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    project.write(
        "prompts/p-v1.yaml",
        "version: 1\nmodel: gpt-4o-2024-08-06\n"
        "system: |  # promptctl: ignore[undeclared-variable]\n  Hi {{ name }}.\n"
        "user: |\n  {{ question }}\n",
    )
    assert _rules(cli) == [("undeclared-variable", 6)]


def test_file_suppression_covers_the_file_and_a_directive_in_text_does_not(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    project.write(
        "prompts/p-v1.yaml",
        "# promptctl: ignore-file[undeclared-variable, floating-model]\n"
        "version: 1\nmodel: gpt-4o\nsystem: Hi {{ name }}.\nuser: |\n  {{ q }}\n  # promptctl: ignore-file[unused-variable]\n"
        "variables:\n  extra: {type: string}\n",
    )
    assert _rules(cli) == [("unused-variable", 9)]


def test_a_suppressed_secret_is_still_masked_where_a_line_is_quoted(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    from tests.rules.test_cases import SECRETS

    key = SECRETS["anthropic"]
    project.write(
        "prompts/p-v1.yaml",
        f'# promptctl: ignore-file[secret]\nversion: 1\nmodel: gpt-4o-2024-08-06\nsystem: "Use {key} for {{{{ x }}}}"\n',
    )
    out = cli("lint").out
    assert "undeclared-variable" in out and "secret" not in out.split("\n")[0]
    assert key not in out and key[:8] in out  # the quoted line is masked

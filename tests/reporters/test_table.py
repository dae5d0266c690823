"""Tables (`list`, `tags`, `log`, `cost`) as a person sees them: aligned and never cut on
a terminal (a real pseudo-terminal), one tab-separated row per line in a pipe."""

from __future__ import annotations

import json

import pytest

from tests.conftest import Project, in_terminal

LONG_MODEL = "ft:gpt-4o-mini-2024-07-18:acme-corporation-research::" + "x" * 60


@pytest.fixture
def listed(project: Project) -> Project:
    project.write("prompts/a-very-long-prompt-name-for-the-billing-team-v1.yaml", f"version: 1\nmodel: {LONG_MODEL}\nsystem: Hi.\n")
    project.write("prompts/b-v1.yaml", "version: 1\nmodel: gpt-4o-2024-08-06\nsystem: Hi.\n")
    project.write("prompts/b.tags.yaml", "production: 1\n")
    return project


def test_a_terminal_gets_aligned_columns_and_nothing_cut(listed: Project) -> None:
    out = in_terminal(["list"], str(listed.root))
    lines = out.splitlines()
    assert lines[0].split() == ["name", "latest", "versions", "model", "tags"]
    assert LONG_MODEL in out and "a-very-long-prompt-name-for-the-billing-team" in out and "…" not in out
    assert lines[1].index("v1") == lines[2].index("v1")  # aligned


def test_a_pipe_gets_one_tab_separated_row_per_line(listed: Project, cli) -> None:  # type: ignore[no-untyped-def]
    out = cli("list").out
    assert out.splitlines() == [
        f"a-very-long-prompt-name-for-the-billing-team\tv1\t1\t{LONG_MODEL}\t",
        "b\tv1\t1\tgpt-4o-2024-08-06\tproduction→v1",
    ]
    assert cli("tags").out == "b\tproduction\tv1\tchannel\n"
    cost = cli("cost").out
    assert all(line.count("\t") == 7 for line in cost.splitlines()) and "Token counts" not in cost


def test_text_and_json_hold_the_same_rows(listed: Project, cli) -> None:  # type: ignore[no-untyped-def]
    rows = json.loads(cli("list", "--format", "json").out)
    assert [r["name"] for r in rows] == [line.split("\t")[0] for line in cli("list").out.splitlines()]


def test_log_is_one_line_per_event(listed: Project, cli) -> None:  # type: ignore[no-untyped-def]
    listed.init_git()
    listed.commit("first\tcommit")
    out = cli("log", "b").out.splitlines()
    assert len(out) == 2 and all(line.count("\t") == 4 and line.endswith("first<U+0009>commit") for line in out), out


def test_a_narrow_terminal_wraps_the_last_column_and_keeps_every_other_cell_whole(project: Project) -> None:
    from promptctl.rules import REGISTRY

    out = in_terminal(["rules"], str(project.root), columns=80)
    lines = out.splitlines()
    table = lines[: next(i for i, line in enumerate(lines) if line.startswith("`promptctl rules RULE`"))]
    assert all(len(line) <= 80 for line in table), [line for line in table if len(line) > 80]
    starts = {line.split()[0] for line in table[1:] if not line.startswith(" ")}
    assert starts == set(REGISTRY)  # one row per rule, its id whole
    summary = REGISTRY["ambiguous-value"].summary
    joined = " ".join(" ".join(line.split()) for line in table)
    assert summary in joined  # the summary wrapped, every word kept

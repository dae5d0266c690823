"""`promptctl diff`."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import ROOT, Project

SUPPORT = "version: {n}\nmodel: claude-3-5-sonnet-20241022\nsystem: |\n  {text}\ntemperature: 0.3\nmax_tokens: 500\n"


GOLDEN = Path(__file__).parent.parent / "golden" / "diff"


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


def test_diff_shows_the_cost_change(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    project.write("prompts/support-v1.yaml", SUPPORT.format(n=1, text="You are helpful."))
    project.write("prompts/support-v2.yaml", SUPPORT.format(n=2, text="You are helpful. " * 40))
    text = cli("diff", "support").out
    assert "cost: input +" in text and "per call, +" in text and "(estimated: cl100k_base approximation)" in text
    cost = json.loads(cli("diff", "support", "--format", "json").out)["changes"][0]["cost"]
    assert cost["input_tokens"]["after"] > cost["input_tokens"]["before"]
    assert cost["percent"] > 0
    assert "Cost: input +" in cli("diff", "support", "--format", "markdown").out


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_shipped_examples_golden(fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli) -> None:  # type: ignore[no-untyped-def]
    shutil.copytree(ROOT / "prompts", tmp_path / "prompts")
    monkeypatch.chdir(tmp_path)
    result = cli("diff", "customer-support", "1", "3", "--format", fmt)
    assert result.code == 0, result.err
    _golden(f"customer-support-1-3.{fmt}", result.out)


@pytest.mark.parametrize("pair", sorted(PAIRS))
@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_crafted_pairs_golden(pair: str, fmt: str, project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    before, after = PAIRS[pair]
    project.write("prompts/p-v1.yaml", before)
    project.write("prompts/p-v2.yaml", after)
    result = cli("diff", "p", "--format", fmt)
    assert result.code == 0, result.err
    _golden(f"{pair}.{fmt}", result.out)
    if fmt == "json":
        assert json.loads(result.out)["verdict"] == VERDICTS[pair]


def test_one_word_in_a_long_paragraph_shows_that_word(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    before, after = PAIRS["one-word"]
    project.write("prompts/p-v1.yaml", before)
    project.write("prompts/p-v2.yaml", after)
    out = cli("diff", "p").out
    assert "[-calm-]{+warm+}" in out
    assert LONG not in out and out.count("meticulous") == 0  # elided context, not the paragraph twice
    assert "Second line" not in out


def test_whitespace_only_is_said(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    before, after = PAIRS["whitespace"]
    project.write("prompts/p-v1.yaml", before)
    project.write("prompts/p-v2.yaml", after)
    assert "whitespace-only change" in cli("diff", "p").out


def test_refs_forms_and_fail_on(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    before, after = PAIRS["required-variable"]
    project.write("prompts/p-v1.yaml", before)
    project.write("prompts/p-v2.yaml", after)
    project.write("prompts/p.tags.yaml", "production: 1\n")
    a = cli("diff", "p", "production", "v2", "--format", "json").out
    b = cli("diff", "p@1", "p@2", "--format", "json").out
    assert json.loads(a)["changes"][0]["settings"] == json.loads(b)["changes"][0]["settings"]
    assert json.loads(a)["changes"][0]["before_label"] == "production (v1)"
    assert cli("diff", "p", "--fail-on", "breaking").code == 1
    assert cli("diff", "p", "--fail-on", "breaking", "--format", "json").code == 1
    same = cli("diff", "p", "2", "2", "--fail-on", "cosmetic")
    assert same.code == 0 and "no changes" in same.out


def test_a_single_version_is_shown_as_new(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    project.write("prompts/p-v1.yaml", "version: 1\nmodel: gpt-4o-2024-08-06\nsystem: Hi.\n")
    out = cli("diff", "p").out
    assert "p v1 (new prompt)" in out and "+ Hi." in out


def test_bad_input_is_exit_2(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    project.write("prompts/p-v1.yaml", "version: 1\nmodel: gpt-4o-2024-08-06\nsystem: Hi.\n")
    project.write("prompts/p.tags.yaml", "production: 1\n")
    unknown_version = cli("diff", "p", "1", "7")
    assert unknown_version.code == 2 and "versions: v1; tags: production" in unknown_version.err
    unknown_name = cli("diff", "q", "1", "2")
    assert unknown_name.code == 2 and "known prompts: p" in unknown_name.err
    assert cli("diff", "p@1", "q@1").code == 2
    assert cli("diff", "p", "1").code == 2
    assert cli("diff").code == 2
    project.init_git()
    project.commit("init")
    bad_ref = cli("diff", "--base", "nope")
    assert bad_ref.code == 2 and "`nope`" in bad_ref.err


def test_pull_request_diff(pr: Project, cli) -> None:  # type: ignore[no-untyped-def]
    payload = json.loads(cli("diff", "--base", "main", "--format", "json").out)
    pairs = [(c["name"], c["before_label"], c["after_label"]) for c in payload["changes"]]
    assert pairs == [
        ("farewell", None, "v1"),  # a new prompt, shown whole
        ("greeting", "v2", "v3"),  # against the latest published version ...
        ("greeting", "v2", "v4"),  # ... not N-1
        ("greeting", "production was v1", "production now v2"),  # each channel move: old target vs new target
        ("greeting", "staging was v2", "staging now v4"),
    ]
    assert [(m["tag"], m["before"], m["after"], m["channel"]) for m in payload["tag_moves"]] == [
        ("production", 1, 2, True),
        ("staging", 2, 4, True),
    ]
    text = cli("diff", "--base", "main").out
    assert text.startswith("Prompt changes against merge-base")
    assert "channel greeting production: v1 → v2" in text
    md = cli("diff", "--base", "main", "--format", "markdown").out
    assert md.startswith("### Prompt changes (against merge-base")
    assert md.count("<details") == 5 and "- `greeting` channel `production`: v1 → v2" in md


def test_ci_summary_contains_the_review_diff(pr: Project, cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("GITLAB_CI", raising=False)
    result = cli("ci", "--base", "main")
    assert result.code == 0, result.out + result.err
    md = summary.read_text()
    assert "### Prompt changes" in md and "<b>greeting v2 → v4</b>" in md


def test_markdown_is_capped_at_1_mib(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    import io

    from promptctl.diffing import diff_data
    from promptctl.reporters.diff import render_markdown

    big = "word " * 20000
    diffs = [
        diff_data(
            f"p{i}",
            None,
            {"version": 1, "model": "m", "system": big},
            before_label=None,
            after_label="v1",
            before_version=None,
            after_version=1,
        )
        for i in range(20)
    ]
    out = io.StringIO()
    render_markdown(diffs, out)
    text = out.getvalue()
    assert len(text.encode()) <= 1024 * 1024
    assert "_Truncated:" in text and "more changes would not fit here" in text


def test_a_fresh_bump_is_no_change_besides_the_version_number(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    project.write(
        "prompts/p-v1.yaml", "# why this prompt exists\nversion: 1   # bumped by promptctl\nmodel: gpt-4o-2024-08-06\nsystem: Hi.\n"
    )
    assert cli("bump", "p").code == 0
    result = cli("diff", "p", "--fail-on", "cosmetic")
    assert result.code == 0
    assert result.out == "p v1 → v2  [none]\n  no changes besides the version number\n\n"
    assert "cost" not in result.out
    # a comment edited as well is cosmetic
    project.write("prompts/p-v2.yaml", project.read("prompts/p-v2.yaml").replace("why", "what"))
    assert "[cosmetic]" in cli("diff", "p").out

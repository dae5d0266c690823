"""The table of hostile pull requests: each row is a change an attacker who can open a
pull request might push, built in a real repository (published on `main`, the change on
a branch) and judged by the command CI runs. Add a row with every report."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

import pytest

from tests.conftest import Project

V1 = "version: 1\nmodel: gpt-4o-2024-08-06\nsystem: Hello.\n"
EDITED = "version: 1\nmodel: gpt-4o-2024-08-06\nsystem: Goodbye.\n"


@dataclass
class Hostile:
    name: str
    change: dict[str, str | None]  # path -> new content, None deletes
    command: tuple[str, ...] = ("ci", "--base", "main", "--format", "json")
    published: dict[str, str] = field(default_factory=lambda: {"prompts/greeting-v1.yaml": V1})
    blocked_by: str = "modified-version"  # the rule that must still fail the change
    cwd: str = ""


TABLE = [
    Hostile(
        "ignores the history rule in pyproject.toml",
        {"pyproject.toml": '[tool.promptctl]\nignore = ["modified-version"]\n', "prompts/greeting-v1.yaml": EDITED},
    ),
    Hostile(
        "adds a promptctl.toml that wins over pyproject.toml",
        {"promptctl.toml": 'ignore = ["modified-version", "deleted-version"]\n', "prompts/greeting-v1.yaml": EDITED},
    ),
    Hostile(
        "per_file_ignores for every published file",
        {"promptctl.toml": '[per_file_ignores]\n"**" = ["modified-version"]\n', "prompts/greeting-v1.yaml": EDITED},
    ),
    Hostile("select without the history rules", {"promptctl.toml": 'select = ["schema"]\n', "prompts/greeting-v1.yaml": EDITED}),
    Hostile(
        "moves the prompts folder away from its published versions",
        {"promptctl.toml": 'prompts_dir = "empty"\n', "empty/.keep": "", "prompts/greeting-v1.yaml": EDITED},
    ),
    Hostile(
        "switches the layout so that no file is a version",
        {"promptctl.toml": 'layout = "nested"\n', "prompts/greeting-v1.yaml": EDITED},
        command=("check", "--base", "main", "--format", "json"),
    ),
    Hostile(
        "names its own branch as the base branch",
        {"promptctl.toml": 'base_branch = "feature"\n', "prompts/greeting-v1.yaml": EDITED},
        command=("check", "--format", "json"),
    ),
    Hostile(
        "deletes the configuration of a sub-project",
        {"services/llm/promptctl.toml": None, "services/llm/prompts/greeting-v1.yaml": EDITED},
        published={"services/llm/promptctl.toml": 'channels = ["production"]\n', "services/llm/prompts/greeting-v1.yaml": V1},
        command=("check", "--base", "main", "--format", "json"),
        cwd="services/llm",
    ),
]


def _write(project: Project, files: Mapping[str, str | None]) -> None:
    for rel, content in files.items():
        if content is None:
            project.git("rm", "-q", "--", rel)
        else:
            project.write(rel, content)


@pytest.mark.parametrize("row", TABLE, ids=[row.name for row in TABLE])
def test_hostile_pull_request_is_still_judged(row: Hostile, project: Project, cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    project.init_git()
    _write(project, row.published)
    project.commit("published")
    project.git("checkout", "-q", "-b", "feature")
    _write(project, row.change)
    project.commit("hostile change")
    if row.cwd:
        monkeypatch.chdir(project.root / row.cwd)
    result = cli(*row.command)
    assert result.code == 1, result.out + result.err
    findings = json.loads(result.out)["findings"]
    assert row.blocked_by in {f["rule"] for f in findings}, findings


def test_a_secret_is_never_printed_whole(project: Project, cli, monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Whichever rule's message, diff line or output format carries it."""
    from tests.rules.test_cases import SECRETS

    key = SECRETS["anthropic"]
    project.init_git()
    project.write("prompts/greeting-v1.yaml", V1)
    project.commit("published")
    project.git("checkout", "-q", "-b", "feature")
    project.write("prompts/greeting-v1.yaml", V1 + f"# {key}\n")  # modified-version's diff line
    project.write(
        "prompts/greeting-v2.yaml",
        f'version: 2\nmodel: {key}\nsystem: Hi {{{{ n }}}}\ntemperature: "{key}"\n'
        "variables:\n  n: {type: integer}\nexamples:\n" + f"  - {{n: {key}}}\n",
    )
    project.commit("leaky change")
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    outputs = []
    for fmt in ("text", "json", "github", "sarif"):
        for command in (
            ("ci", "--base", "main", "--format", fmt, "--gitlab-report", str(tmp_path / "gl.json")),
            ("check", "--base", "main", "--format", fmt),
            ("lint", "--format", fmt),
        ):
            result = cli(*command)
            assert result.code == 1, result.err
            outputs += [result.out, result.err]
    for fmt in ("text", "json", "markdown"):
        outputs.append(cli("diff", "--base", "main", "--format", fmt).out)
    outputs += [summary.read_text(), (tmp_path / "gl.json").read_text()]
    assert all(key not in text for text in outputs)
    assert any(key[:8] in text for text in outputs)  # masked, not dropped

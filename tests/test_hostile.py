"""Bad input of every kind: a finding or a one-line error, never a traceback, a hang or
a partly written file. Includes a bounded property-based fuzz run."""

from __future__ import annotations

import json
import os
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from promptctl.config import Settings
from promptctl.findings import Finding
from promptctl.linter import lint_file
from tests.conftest import Project

FUZZ = settings(max_examples=int(os.environ.get("PROMPTCTL_FUZZ_EXAMPLES", "300")), deadline=5000, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
V1 = "version: 1\nmodel: m\nsystem: Hello.\n"


def _valid(findings: list[Finding]) -> None:
    for f in findings:
        assert f.line >= 1 and f.column >= 1 and f.rule and f.message


@FUZZ
@given(st.binary(max_size=3000))
def test_random_bytes_never_raise(raw: bytes) -> None:
    findings, _ = lint_file("prompts/fuzz-v1.yaml", raw, Settings())
    _valid(findings)


_FRAGMENTS = st.sampled_from([
    "version: 1\n", "model: m\n", "system: |\n  ", "{{ x }}", "{% if a %}", "{% endfor %}", "- ", "  ", "\n", ": ", "&a ", "*a",
    "!!python/object ", "<<: ", "---\n", "'", '"', "[", "]", "{", "}", "#", "\t", "\r\n", "\u202e", "\U000e0041", "é", "010", "no",
    "1:20", "2024-01-01", "sk-ant-api03-", "variables:\n  x: {type: string}\n", "messages:\n  - role: user\n    content: ",
    "{{ 9 ** 9 ** 9 }}", "{{ ((((((((((1)))))))))) }}", "? ", "|-\n", ">\n", "~", "null", "\\u0000", "\x00",
])


@FUZZ
@given(st.lists(_FRAGMENTS | st.text(string.printable, max_size=8), max_size=60).map("".join))
def test_random_yaml_never_raises(text: str) -> None:
    findings, _ = lint_file("prompts/fuzz-v1.yaml", text.encode("utf-8", "surrogatepass"), Settings())
    _valid(findings)


@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(content=st.binary(max_size=500))
def test_cli_lint_and_check_exit_0_1_or_2(content: bytes, tmp_path_factory: pytest.TempPathFactory) -> None:
    import subprocess

    from tests.conftest import git_env, run_promptctl

    root = tmp_path_factory.mktemp("fuzz")
    (root / "prompts").mkdir()
    (root / "prompts/greeting-v1.yaml").write_text(V1)
    env = git_env()
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "v1"]):
        subprocess.run(["git", *args], cwd=root, check=True, env=env, capture_output=True)
    (root / "prompts/greeting-v1.yaml").write_bytes(content)
    (root / "prompts/greeting-v2.yaml").write_bytes(content)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True, env=env)
    for command in (["lint", "--format", "json"], ["check", "--staged", "--format", "json"]):
        result = run_promptctl(*command, cwd=root)
        assert result.code in (0, 1, 2), result.err
        assert "Traceback" not in result.err
        if result.code != 2:
            json.loads(result.out)
    check = run_promptctl("check", "--staged", cwd=root)
    assert check.code == (0 if content == V1.encode() else 1), check.out + check.err


def test_names_with_spaces_and_newlines_are_reported_whole(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    project.write("prompts/my prompt-v1.yaml", V1)
    project.write("prompts/evil\nname-v1.yaml", V1)
    result = cli("lint", "--format", "json")
    paths = sorted(f["path"] for f in json.loads(result.out)["findings"])
    assert paths == ["prompts/evil\nname-v1.yaml", "prompts/my prompt-v1.yaml"]
    assert '"prompts/evil\\nname-v1.yaml"' in result.out  # JSON-escaped, whole
    text = cli("lint").out
    assert "prompts/evil<U+000A>name-v1.yaml:1:1: filename" in text
    github = cli("lint", "--format", "github").out
    assert "file=prompts/evil%0Aname-v1.yaml," in github and github.count("\n") == 2


def test_symlink_is_reported_whatever_its_target(project: Project, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "outside.yaml"
    target.write_text(V1)
    os.symlink(target, project.root / "prompts/greeting-v1.yaml")
    first = cli("lint", "--format", "json").out
    target.write_text("version: 1\nmodel: m\nsystem: Now something else entirely.\n")
    second = cli("lint", "--format", "json").out
    assert first == second
    assert [f["rule"] for f in json.loads(second)["findings"]] == ["symlink"]


def test_tag_refuses_a_planted_symlink_tags_file(project: Project, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    project.write("prompts/greeting-v1.yaml", V1)
    outside = tmp_path / "tags.yaml"
    outside.write_text("production: 1\n")
    os.symlink(outside, project.root / "prompts/greeting.tags.yaml")
    result = cli("tag", "greeting", "1", "staging")
    assert result.code == 2
    assert outside.read_text() == "production: 1\n"


def test_an_interrupted_write_leaves_nothing(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    from promptctl import fsio

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "link", interrupted)
    with pytest.raises(KeyboardInterrupt):
        fsio.create(project.root / "prompts/greeting-v1.yaml", b"data", root=project.root)
    assert list((project.root / "prompts").iterdir()) == []
    monkeypatch.setattr(os, "replace", interrupted)
    project.write("prompts/greeting.tags.yaml", "production: 1\n")
    with pytest.raises(KeyboardInterrupt):
        fsio.replace(project.root / "prompts/greeting.tags.yaml", b"production: 2\n", root=project.root)
    assert [p.name for p in (project.root / "prompts").iterdir()] == ["greeting.tags.yaml"]
    assert project.read("prompts/greeting.tags.yaml") == "production: 1\n"


def test_deep_template_nesting_is_a_finding(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    project.write("prompts/a-v1.yaml", "version: 1\nmodel: m\nsystem: " + json.dumps("{{" + "(" * 5000 + "1" + ")" * 5000 + "}}") + "\n")
    result = cli("lint", "--format", "json")
    assert result.code == 1
    assert [f["rule"] for f in json.loads(result.out)["findings"]] == ["template-syntax"]


def test_huge_published_file_diff_is_bounded(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    import time

    project.init_git()
    project.write("promptctl.toml", "max_file_size = 10000000\n")
    body = "".join(f"  line {i}\n" for i in range(40000))
    project.write("prompts/a-v1.yaml", "version: 1\nmodel: m\nsystem: |\n" + body)
    project.commit("big")
    project.write("prompts/a-v1.yaml", "version: 1\nmodel: m\nsystem: |\n" + body.replace("line 20000\n", "line twenty thousand\n"))
    project.git("add", "-A")
    start = time.monotonic()
    result = cli("check", "--staged", "--format", "json")
    assert time.monotonic() - start < 30
    finding = json.loads(result.out)["findings"][0]
    assert finding["rule"] == "modified-version" and finding["line"] == 20004

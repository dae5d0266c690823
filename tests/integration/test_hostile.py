"""Bad input of every kind: a finding or a one-line error, never a traceback, a hang or
a partly written file. Includes a bounded property-based fuzz run."""

from __future__ import annotations

import json
import os
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from promptctl.config import Settings
from promptctl.findings import Finding
from promptctl.linter import lint_file
from tests.conftest import Project

FUZZ = settings(
    max_examples=int(os.environ.get("PROMPTCTL_FUZZ_EXAMPLES", "300")),
    deadline=5000,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
V1 = "version: 1\nmodel: gpt-4o-2024-08-06\nsystem: Hello.\n"


def _valid(findings: list[Finding]) -> None:
    for f in findings:
        assert f.line >= 1 and f.column >= 1 and f.rule and f.message


@FUZZ
@given(st.binary(max_size=3000))
def test_random_bytes_never_raise(raw: bytes) -> None:
    findings, _ = lint_file("prompts/fuzz-v1.yaml", raw, Settings())
    _valid(findings)


_FRAGMENTS = st.sampled_from(
    [
        "version: 1\n",
        "model: gpt-4o-2024-08-06\n",
        "system: |\n  ",
        "{{ x }}",
        "{% if a %}",
        "{% endfor %}",
        "- ",
        "  ",
        "\n",
        ": ",
        "&a ",
        "*a",
        "!!python/object ",
        "<<: ",
        "---\n",
        "'",
        '"',
        "[",
        "]",
        "{",
        "}",
        "#",
        "\t",
        "\r\n",
        "\u202e",
        "\U000e0041",
        "é",
        "010",
        "no",
        "1:20",
        "2024-01-01",
        "sk-ant-api03-",
        "variables:\n  x: {type: string}\n",
        "messages:\n  - role: user\n    content: ",
        "{{ 9 ** 9 ** 9 }}",
        "{{ ((((((((((1)))))))))) }}",
        "? ",
        "|-\n",
        ">\n",
        "~",
        "null",
        "\\u0000",
        "\x00",
    ]
)


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
    target.write_text("version: 1\nmodel: gpt-4o-2024-08-06\nsystem: Now something else entirely.\n")
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
    project.write(
        "prompts/a-v1.yaml",
        "version: 1\nmodel: gpt-4o-2024-08-06\nsystem: " + json.dumps("{{" + "(" * 5000 + "1" + ")" * 5000 + "}}") + "\n",
    )
    result = cli("lint", "--format", "json")
    assert result.code == 1
    assert [f["rule"] for f in json.loads(result.out)["findings"]] == ["template-syntax"]


def test_huge_published_file_diff_is_bounded(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    import time

    project.init_git()
    project.write("promptctl.toml", "max_file_size = 10000000\n")
    body = "".join(f"  line {i}\n" for i in range(40000))
    project.write("prompts/a-v1.yaml", "version: 1\nmodel: gpt-4o-2024-08-06\nsystem: |\n" + body)
    project.commit("big")
    project.write(
        "prompts/a-v1.yaml", "version: 1\nmodel: gpt-4o-2024-08-06\nsystem: |\n" + body.replace("line 20000\n", "line twenty thousand\n")
    )
    project.git("add", "-A")
    start = time.monotonic()
    result = cli("check", "--staged", "--format", "json")
    assert time.monotonic() - start < 30
    finding = json.loads(result.out)["findings"][0]
    assert finding["rule"] == "modified-version" and finding["line"] == 20004


@FUZZ
@given(
    source=st.lists(_FRAGMENTS | st.text(string.printable, max_size=6), max_size=40).map("".join),
    value=st.one_of(st.text(max_size=20), st.integers(), st.lists(st.integers(), max_size=5)),
)
def test_render_never_raises_unexpectedly(source: str, value: object) -> None:
    from promptctl.templating import RenderError, render

    try:
        out = render(source, {"x": value, "a": value}, timeout=2.0, max_output=100_000)
    except RenderError as exc:
        assert exc.message
    else:
        assert len(out) <= 100_000


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{{ 9 ** 999999 }}", "too large"),
        ("{{ 'ha' * 999999999 }}", "a repetition would be"),
        ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", "steps | longer than"),
        ("{% set s = 'x' * 100000 %}{% for a in s %}{% for b in s %}{% endfor %}{% endfor %}", "steps | longer than"),
        ("{{ '%999999999d' % 1 }}", "format width"),
        ("{{ '{:>999999999}'.format(1) }}", "format width"),
        ("{{ 'x'|center(999999999) }}", "`center` filter"),
        ("{{ 'x'.ljust(999999999) }}", "str.ljust()"),
        ("{% set s = 'x' * 100000 %}{{ s|replace('x', s) }}", "`replace` filter"),
        ("{% set ns = namespace(s='xx') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}", "namespace value"),
        ("{% set ns = namespace(l=[1]) %}{% for i in range(60) %}{% set ns.l = ns.l + ns.l %}{% endfor %}", "concatenation"),
        ("{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}", "recurses too deeply"),
        ("{% for x in range(10) recursive %}{{ loop(range(100000)) }}{% endfor %}", "recurses too deeply"),
        ("{{ lipsum(100000) }}", "lipsum"),
        ("{{ lipsum(1, False, 10**9, 10**9+1) }}", "lipsum"),
        ("{{ lipsum }}", "is a function"),
        ("{{ range }}", "is a function"),
        ("{{ ([[1, 2, 3, 4, 5, 6, 7, 8]] * 100000)|sum(start=[])|length }}", "would be"),
        ("{% set a = [1] * 1000 %}{{ [a, a, a, a, a, a, a, a, a, a] * 100 }}", "a repetition would be"),
        ("{{ ['a' * 1000000] * 1000000 }}", "a repetition would be"),
        ("{% macro d(s, n) %}{% if n %}{{ d(s ~ s, n - 1) }}{% endif %}{% endmacro %}{{ d('ab', 40) }}", "an argument would be"),
        # CVE-2025-27516: |attr reached str.format past the sandbox before Jinja2 3.1.6
        ("{{ '{0.__init__.__globals__}'|attr('format')(cycler) }}", "not allowed"),
        ("{% for i in range(100000) %}{{ 'x' * 100 }}{% endfor %}", "the rendered text would be"),
        ("{% include '/etc/passwd' %}", "`include` is not allowed"),
        ("{% extends 'base.html' %}", "`extends` is not allowed"),
        ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "not allowed"),
        ("{{ cycler.__init__.__globals__ }}", "not allowed"),
    ],
)
def test_hostile_templates_are_stopped(template: str, expected: str) -> None:
    import time

    from promptctl.templating import RenderError, render

    start = time.monotonic()
    with pytest.raises(RenderError) as info:
        render(template, {}, timeout=1.0)
    assert any(option in info.value.message for option in expected.split(" | ")), info.value.message  # whichever limit comes first
    # stopped by its limit, not by the test's patience: 1 s of budget, generous room for a loaded machine
    assert time.monotonic() - start < 1.0 + 9


def test_render_timeout_is_configurable() -> None:
    import time

    from promptctl.templating import RenderError, render

    start = time.monotonic()
    with pytest.raises(RenderError, match="longer than 0.2 s"):
        render("{% for i in range(100000) %}{% for j in range(99) %}{{ '' }}{% endfor %}{% endfor %}", {}, timeout=0.2)
    assert time.monotonic() - start < 0.2 + 9  # the unlimited loop runs for minutes


@pytest.mark.parametrize("by_descriptor", [True, False], ids=["folder descriptors", "paths (Windows)"])
def test_the_walk_sorts_every_kind_of_entry(project: Project, tmp_path: Path, by_descriptor: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    from promptctl import layout
    from promptctl.config import load_settings
    from promptctl.layout import discover

    monkeypatch.setattr(layout, "_SCAN_BY_FD", by_descriptor)

    prompts = project.root / "prompts"
    (prompts / "a-v1.yaml").write_text(V1)
    (prompts / "odd.yaml").mkdir()  # a folder with a YAML name is walked into
    (prompts / "odd.yaml" / "b-v1.yml").write_text(V1)
    (prompts / "team").mkdir()
    (prompts / "team" / "c-v1.yaml").write_text(V1)
    (prompts / "notes.txt").write_text("not YAML")
    (prompts / ".hidden-v1.yaml").write_text(V1)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "d-v1.yaml").write_text(V1)
    os.symlink(outside, prompts / "linked")  # a link to a folder: reported, not followed
    os.symlink(outside / "d-v1.yaml", prompts / "d-v1.yaml")
    os.symlink(outside / "d-v1.yaml", prompts / "readme.md")  # not YAML: ignored
    os.mkfifo(prompts / "pipe-v1.yaml")
    found = discover(load_settings(project.root))
    assert found.files == ["prompts/a-v1.yaml", "prompts/odd.yaml/b-v1.yml", "prompts/team/c-v1.yaml"]
    assert found.symlinks == ["prompts/d-v1.yaml", "prompts/linked"]
    assert found.special == ["prompts/pipe-v1.yaml"]
    assert set(found.stats) == set(found.files)
    assert all(found.stats[rel] == os.lstat(project.root / rel) for rel in found.files)


def test_a_folder_swapped_for_a_link_while_walking_is_not_followed(
    project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from promptctl import layout
    from promptctl.config import load_settings

    (project.root / "prompts" / "team").mkdir()
    (project.root / "prompts" / "team" / "a-v1.yaml").write_text(V1)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "b-v1.yaml").write_text(V1)
    lexists = os.path.lexists

    def swap(path: str) -> bool:  # called as the walk meets the folder, before it is read
        if path.endswith(os.path.join("team", ".git")):
            team = project.root / "prompts" / "team"
            team.rename(tmp_path / "moved")
            os.symlink(outside, team)
        return lexists(path)

    monkeypatch.setattr(os.path, "lexists", swap)
    found = layout.discover(load_settings(project.root))
    assert found.files == []  # neither the moved file nor the link's target


def test_folders_nested_a_thousand_deep_are_walked(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    project.write("prompts/a-v1.yaml", V1)
    folder = project.root / "prompts"
    for _ in range(1100):  # past Python's recursion limit
        folder = folder / "d"
        folder.mkdir()
    (folder / "b-v1.yaml").write_text(V1)
    before = len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else None
    try:
        result = cli("lint")
        assert result.code == 0, result.err
        assert "All checks passed (2 files checked)." in result.out
        if before is not None:
            assert len(os.listdir("/proc/self/fd")) == before  # every folder's descriptor closed
    finally:  # removed from the bottom up: shutil.rmtree (pytest's clean-up) recurses
        (folder / "b-v1.yaml").unlink()
        while folder != project.root / "prompts":
            folder.rmdir()
            folder = folder.parent


def test_no_output_line_is_a_workflow_command(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    project.write("prompts/evil\n::warning file=x::pwned-v1.yaml", V1)
    project.write("prompts/greet-v1.yaml", 'version: 1\nmodel: gpt-4o-2024-08-06\nsystem: "::error::x\\n"\n')
    for fmt in ("text", "github"):
        out = cli("lint", "--format", fmt).out
        lines = out.splitlines()
        assert lines and not any(line.lstrip().startswith("::warning file=x") for line in lines), out


def test_a_control_character_in_a_commit_message_hides_nothing(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    project.init_git()
    project.write("prompts/greet-v1.yaml", V1)
    project.write("prompts/greet-v2.yaml", V1.replace("version: 1", "version: 2"))
    project.write("prompts/greet.tags.yaml", "production: 1\n")
    project.commit("first\x01 of all")
    project.write("prompts/greet.tags.yaml", "production: 2\n")
    project.commit("move\x01production")
    log = cli("log", "greet")
    assert log.code == 0 and "move<U+0001>production" in log.out and "first<U+0001> of all" in log.out, log.out
    result = cli("rollback", "greet", "production")
    assert result.code == 0, result.err
    assert project.read("prompts/greet.tags.yaml") == "production: 1\n"


def test_a_huge_integer_is_a_finding_on_its_file_only(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    project.write("prompts/big-v1.yaml", V1 + "metadata:\n  n: " + "9" * 4301 + "\n  d: 2024-02-30\n")
    project.write("prompts/greet-v1.yaml", V1)
    result = cli("lint", "--format", "json")
    assert result.code == 1, result.err
    found = {(f["path"], f["rule"]) for f in json.loads(result.out)["findings"]}
    assert found == {("prompts/big-v1.yaml", "yaml-limits"), ("prompts/big-v1.yaml", "ambiguous-value")}
    listing = cli("list", "--format", "json")
    assert listing.code == 0 and "greet" in listing.out
    cost = cli("cost", "--format", "json")
    assert cost.code == 0 and "greet@1" in cost.out and "skipped prompts/big-v1.yaml" in cost.err


def test_prompts_dir_through_a_link_out_of_the_repository_is_refused(project: Project, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret-v1.yaml").write_text("version: 1\nmodel: m\nsystem: TOP SECRET\n")
    (project.root / "linked").symlink_to(outside)
    project.write("promptctl.toml", 'prompts_dir = "linked"\n')
    for command in (("lint",), ("list",), ("show", "secret")):
        result = cli(*command)
        assert result.code == 2 and "outside the project" in result.err and "TOP SECRET" not in result.out, result
    project.write("promptctl.toml", 'prompts_dir = "linked/sub"\n')
    assert cli("lint").code == 2


def test_tag_refuses_a_fifo_tags_file_without_blocking(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    project.write("prompts/greeting-v1.yaml", V1)
    os.mkfifo(project.root / "prompts/greeting.tags.yaml")
    result = cli("tag", "greeting", "1", "staging")
    assert result.code == 2 and "not a regular file" in result.err


@pytest.mark.parametrize("target", ["/dev/zero", "fifo", "deep.json", "big.json"])
def test_vars_files_that_never_end_or_nest_too_deeply(target: str, project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    project.write("prompts/greeting-v1.yaml", V1)
    if target == "fifo":
        os.mkfifo(project.root / "fifo")
    elif target == "deep.json":
        project.write("deep.json", "[" * 100_000 + "]" * 100_000)
    elif target == "big.json":
        project.write("big.json", '{"a": "' + "x" * 2_000_000 + '"}')
    result = cli("render", "greeting", "--vars", target)
    assert result.code == 2 and result.err.startswith("promptctl: error: --vars"), result.err


def test_deep_json_in_var(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    project.write("prompts/greeting-v1.yaml", V1 + "variables:\n  items: {type: array}\n")
    result = cli("render", "greeting", "--var", "items=" + "[" * 100_000 + "]" * 100_000)
    assert result.code == 1 and "must be array" in result.out + result.err, result


def test_writes_the_system_refuses_are_one_line_errors(project: Project, cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    import errno

    project.write("prompts/greeting-v1.yaml", V1)
    (project.root / "out").mkdir()
    result = cli("export", "--output", "out")
    assert result.code == 2 and "it is a folder" in result.err and "Traceback" not in result.err
    result = cli("export", "--output", "/proc/promptctl-bundle.json")  # a folder nobody may write, root included
    assert result.code == 2 and "cannot write /proc/promptctl-bundle.json" in result.err, result.err

    def full(*args: object, **kwargs: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    result = cli("bump", "greeting")
    assert result.code == 2 and "No space left on device" in result.err
    assert sorted(p.name for p in (project.root / "prompts").iterdir()) == ["greeting-v1.yaml"]


def test_a_killed_write_leaves_no_temp_file_for_long(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    project.write("prompts/greeting-v1.yaml", V1)
    stale = project.root / "prompts/.greeting-v2.yaml.dead0001.tmp"
    stale.write_text("half")
    os.utime(stale, (1, 1))
    fresh = project.root / "prompts/.greeting-v2.yaml.live0002.tmp"
    fresh.write_text("another run is writing this")
    assert cli("bump", "greeting").code == 0
    assert not stale.exists() and fresh.exists()


def test_new_and_init_create_no_folder_through_a_link(project: Project, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    real = project.root / "real"  # inside the project: the configuration allows it, the writer must not
    real.mkdir()
    (project.root / "prompts").rmdir()
    (project.root / "prompts").symlink_to(real)
    result = cli("new", "billing/refund")
    assert result.code == 2 and "symbolic link" in result.err, result
    assert list(real.iterdir()) == []


def test_hidden_characters_stay_escaped_in_every_format(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    project.write("prompts/h-v1.yaml", 'version: 1\nmodel: gpt-4o-2024-08-06\nsystem: "Hi \\u202e there 👨\u200d👩\u200d👧"\n')
    project.write("prompts/h-v2.yaml", 'version: 2\nmodel: gpt-4o-2024-08-06\nsystem: "Hi \\u202e there \\e[31m 👨\u200d👩\u200d👧"\n')
    outputs = {
        "render json": cli("render", "h", "--format", "json").out,
        "show json": cli("show", "h", "--format", "json").out,
        "diff json": cli("diff", "h", "--format", "json").out,
        "diff markdown": cli("diff", "h", "--format", "markdown").out,
        "diff text": cli("diff", "h").out,
        "render text": cli("render", "h").out,
    }
    for name, out in outputs.items():
        assert out and "\u202e" not in out and "\x1b" not in out, name
        assert "👨\u200d👩\u200d👧" in out or name.startswith("diff") and "markdown" not in name, name  # emoji stay emoji
    for name in ("render json", "show json", "diff json"):
        assert "\\u202e" in outputs[name] and json.loads(outputs[name])
    assert "<U+202E>" in outputs["diff markdown"] and "<U+001B>" in outputs["diff markdown"]

"""`new` and `bump`: atomic, never overwrite, never follow links, byte-for-byte copies."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import git_env, run_promptctl


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


def test_bump_copies_byte_for_byte_but_the_version_line(project, cli) -> None:  # type: ignore[no-untyped-def]
    original = (
        "# Support agent.  Keep   this comment.\n"
        "model:   'claude-3-5-sonnet-20241022'   # quoted on purpose\n"
        "version:   1   # the version\n"
        "system: >-\n  Folded\n  text.\n"
        "metadata: {z: 1, a: 2}\n"
    )
    project.write("prompts/support-v1.yaml", original)
    result = cli("bump", "support")
    assert result.code == 0 and result.out == "created prompts/support-v2.yaml\n"
    assert project.read("prompts/support-v2.yaml") == original.replace("version:   1   #", "version:   2   #")
    assert project.read("prompts/support-v1.yaml") == original
    assert cli("bump", "support").out == "created prompts/support-v3.yaml\n"
    assert "version:   3   #" in project.read("prompts/support-v3.yaml")


def test_bump_keeps_crlf_and_bom(project, cli) -> None:  # type: ignore[no-untyped-def]
    raw = b"\xef\xbb\xbfversion: 9\r\nmodel: m\r\nsystem: hi\r\n"
    project.write("prompts/x-v9.yaml", raw)
    assert cli("bump", "x").code == 0
    assert (project.root / "prompts/x-v10.yaml").read_bytes() == raw.replace(b"version: 9", b"version: 10")


def test_bump_nested_layout_stays_nested(project, cli) -> None:  # type: ignore[no-untyped-def]
    project.write("prompts/sum/v1.yaml", "version: 1\nmodel: gpt-4o-2024-08-06\nsystem: hi\n")
    assert cli("bump", "sum").out == "created prompts/sum/v2.yaml\n"


def test_bump_errors(project, cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("bump", "nothing").code == 2
    project.write("prompts/broken-v1.yaml", "model: gpt-4o-2024-08-06\nsystem: [\n")
    result = cli("bump", "broken")
    assert result.code == 2 and "cannot bump prompts/broken-v1.yaml" in result.err
    assert not (project.root / "prompts/broken-v2.yaml").exists()


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


def test_eight_concurrent_bumps_lose_nothing(project) -> None:  # type: ignore[no-untyped-def]
    project.write("prompts/race-v1.yaml", "version: 1\nmodel: gpt-4o-2024-08-06\nsystem: hi\n")
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "promptctl", "bump", "race"],
            cwd=project.root,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=git_env(),
        )
        for _ in range(8)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    created = sorted(out.strip() for out, _ in outputs)
    expected = sorted(f"created prompts/race-v{n}.yaml" for n in range(2, 10))
    assert created == expected
    for n in range(1, 10):
        assert f"version: {n}\n" in project.read(f"prompts/race-v{n}.yaml")
    assert run_promptctl("lint", cwd=project.root).code == 0

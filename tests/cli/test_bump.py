"""`promptctl bump`."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import git_env, run_promptctl


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


def test_bump_from_an_older_version(project, cli) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import versioned_repo

    versioned_repo(project)
    project.write("prompts/greeting.tags.yaml", "production: 1\n")
    result = cli("bump", "greeting@production")
    assert result.out == "created prompts/greeting-v4.yaml (a copy of v1)\n"
    assert project.read("prompts/greeting-v4.yaml") == project.read("prompts/greeting-v1.yaml").replace("version: 1", "version: 4")
    assert cli("bump", "greeting@9").code == 2


def test_bump_from_edit_turns_an_edit_of_a_published_version_into_the_next(project, cli) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import versioned_repo

    versioned_repo(project, versions=2)
    published = project.read("prompts/greeting-v1.yaml")
    edited = published + "top_p: 0.5\n"
    project.write("prompts/greeting-v1.yaml", edited)
    project.git("add", "-A")
    assert cli("check", "--staged").code == 1  # modified-version
    result = cli("bump", "greeting", "--from-edit")
    assert result.code == 0, result.err
    assert result.out.splitlines()[0] == "created prompts/greeting-v3.yaml with the edit of prompts/greeting-v1.yaml"
    assert project.read("prompts/greeting-v1.yaml") == published
    assert project.read("prompts/greeting-v3.yaml") == edited.replace("version: 1", "version: 3")
    project.git("add", "-A")
    assert cli("check", "--staged").code == 0
    again = cli("bump", "greeting", "--from-edit")
    assert again.code == 2 and "no published version of `greeting` is edited" in again.err


def test_bump_from_edit_refuses_two_edits_and_a_version(project, cli) -> None:  # type: ignore[no-untyped-def]
    from tests.conftest import versioned_repo

    versioned_repo(project, versions=2)
    for n in (1, 2):
        project.write(f"prompts/greeting-v{n}.yaml", project.read(f"prompts/greeting-v{n}.yaml") + "top_p: 0.5\n")
    two = cli("bump", "greeting", "--from-edit")
    assert two.code == 2 and "2 published versions of `greeting` are edited" in two.err
    assert not (project.root / "prompts/greeting-v3.yaml").exists()
    assert cli("bump", "greeting@1", "--from-edit").code == 2

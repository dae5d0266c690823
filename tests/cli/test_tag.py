"""`promptctl tag`."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import Project, git_env, versioned_repo


def test_tag_creates_the_file_and_moves_channels(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    versioned_repo(project)
    result = cli("tag", "greeting", "2", "production")
    assert result.code == 0
    assert result.out.splitlines()[0] == "tagged greeting@2 as production in prompts/greeting.tags.yaml"
    assert project.read("prompts/greeting.tags.yaml") == "production: 2\n"
    moved = cli("tag", "greeting", "v3", "production")
    assert moved.out.splitlines()[0] == "moved production: v2 → v3 in prompts/greeting.tags.yaml"
    assert cli("tag", "greeting", "3", "production").out.startswith("production already points at v3")
    assert cli("lint").code == 0


def test_tag_keeps_comments_and_other_lines(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    versioned_repo(project)
    project.write("prompts/greeting.tags.yaml", '# who uses what\nproduction: 1   # since March\n"2025-q1-launch": 1\r\n')
    cli("tag", "greeting", "2", "production")
    cli("tag", "greeting", "3", "on")
    assert (project.root / "prompts/greeting.tags.yaml").read_bytes() == (
        b"# who uses what\nproduction: 2   # since March\n\"2025-q1-launch\": 1\r\n'on': 3\r\n"
    )
    assert cli("lint").code == 0


def test_plain_tags_do_not_move(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    versioned_repo(project)
    cli("tag", "greeting", "1", "launch")
    refused = cli("tag", "greeting", "2", "launch")
    assert refused.code == 2
    assert "tag `launch` of `greeting` points at v1 and is not a channel" in refused.err
    assert project.read("prompts/greeting.tags.yaml") == "launch: 1\n"


def test_tag_errors(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    versioned_repo(project)
    assert cli("tag", "greeting", "9", "production").code == 2
    assert cli("tag", "greeting", "x", "production").code == 2
    assert cli("tag", "greeting", "1", "bad tag").code == 2
    assert cli("tag", "nobody", "1", "production").code == 2
    project.write("prompts/greeting.tags.yaml", "production: [\n")
    broken = cli("tag", "greeting", "1", "production")
    assert broken.code == 2 and "prompts/greeting.tags.yaml:2:1" in broken.err


def test_concurrent_tags_lose_no_write(project: Project) -> None:
    versioned_repo(project)
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "promptctl", "tag", "greeting", "1", f"t{i}"],
            cwd=project.root,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=git_env(),
        )
        for i in range(8)
    ]
    for p in procs:
        p.communicate(timeout=120)
        assert p.returncode == 0
    text = project.read("prompts/greeting.tags.yaml")
    assert sorted(text.splitlines()) == sorted(f"t{i}: 1" for i in range(8))


def test_tags_file_not_in_plain_lines_is_refused_not_rewritten(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    """Valid YAML that is not one `tag: N` per line: refused with exit 2, file untouched."""
    versioned_repo(project)
    for text in ("{production: 1, staging: 1}\n", "production:\n  1\nstaging: 1\n"):
        project.write("prompts/greeting.tags.yaml", text)
        result = cli("tag", "greeting", "2", "production")
        assert result.code == 2, text
        assert result.err == (
            "promptctl: error: cannot set `production` in prompts/greeting.tags.yaml in place: it is not written as plain "
            "`tag: N` lines — rewrite it one tag per line (e.g. `production: 3`), then run this again\n"
        )
        assert project.read("prompts/greeting.tags.yaml") == text


def test_tag_takes_name_at_version_or_tag(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    versioned_repo(project)
    assert cli("tag", "greeting@2", "staging").out.startswith("tagged greeting@2 as staging")
    # promote what staging runs to production
    assert cli("tag", "greeting@staging", "production").out.startswith("tagged greeting@2 as production")
    assert project.read("prompts/greeting.tags.yaml") == "staging: 2\nproduction: 2\n"
    both = cli("tag", "greeting@2", "3", "production")
    assert both.code == 2 and "`greeting@2` already names the version" in both.err
    missing = cli("tag", "greeting", "2")
    assert missing.code == 2 and "missing the tag" in missing.err
    assert cli("tag", "greeting@", "production").code == 2

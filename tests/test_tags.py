"""`tag`, `tags`, `log` and `rollback` on real repositories."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import Project, git_env

V = "version: {n}\nmodel: gpt-4o-2024-08-06\nsystem: Hello {n}.\n"


def _repo(project: Project, versions: int = 3) -> Project:
    project.init_git()
    for n in range(1, versions + 1):
        project.write(f"prompts/greeting-v{n}.yaml", V.format(n=n))
    project.commit("versions")
    return project


def test_tag_creates_the_file_and_moves_channels(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    _repo(project)
    result = cli("tag", "greeting", "2", "production")
    assert result.code == 0
    assert result.out.splitlines()[0] == "tagged greeting@2 as production in prompts/greeting.tags.yaml"
    assert project.read("prompts/greeting.tags.yaml") == "production: 2\n"
    moved = cli("tag", "greeting", "v3", "production")
    assert moved.out.splitlines()[0] == "moved production: v2 → v3 in prompts/greeting.tags.yaml"
    assert cli("tag", "greeting", "3", "production").out.startswith("production already points at v3")
    assert cli("lint").code == 0


def test_tag_keeps_comments_and_other_lines(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    _repo(project)
    project.write("prompts/greeting.tags.yaml", '# who uses what\nproduction: 1   # since March\n"2025-q1-launch": 1\r\n')
    cli("tag", "greeting", "2", "production")
    cli("tag", "greeting", "3", "on")
    assert (project.root / "prompts/greeting.tags.yaml").read_bytes() == (
        b"# who uses what\nproduction: 2   # since March\n\"2025-q1-launch\": 1\r\n'on': 3\r\n"
    )
    assert cli("lint").code == 0


def test_plain_tags_do_not_move(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    _repo(project)
    cli("tag", "greeting", "1", "launch")
    refused = cli("tag", "greeting", "2", "launch")
    assert refused.code == 2
    assert "tag `launch` of `greeting` points at v1 and is not a channel" in refused.err
    assert project.read("prompts/greeting.tags.yaml") == "launch: 1\n"


def test_tag_errors(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    _repo(project)
    assert cli("tag", "greeting", "9", "production").code == 2
    assert cli("tag", "greeting", "x", "production").code == 2
    assert cli("tag", "greeting", "1", "bad tag").code == 2
    assert cli("tag", "nobody", "1", "production").code == 2
    project.write("prompts/greeting.tags.yaml", "production: [\n")
    broken = cli("tag", "greeting", "1", "production")
    assert broken.code == 2 and "prompts/greeting.tags.yaml:2:1" in broken.err


def test_tags_listing(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    _repo(project)
    project.write("prompts/greeting.tags.yaml", "production: 3\nlaunch: 1\n")
    rows = json.loads(cli("tags", "--format", "json").out)
    assert rows == [
        {"name": "greeting", "tag": "launch", "version": 1, "channel": False},
        {"name": "greeting", "tag": "production", "version": 3, "channel": True},
    ]
    assert "production" in cli("tags", "greeting").out


def test_concurrent_tags_lose_no_write(project: Project) -> None:
    _repo(project)
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


def test_log_shows_versions_and_tag_moves(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    _repo(project, versions=1)
    project.write("prompts/greeting.tags.yaml", "production: 1\n")
    project.commit("tag production")
    project.write("prompts/greeting-v2.yaml", V.format(n=2))
    project.write("prompts/greeting.tags.yaml", "production: 2\n")
    project.commit("ship v2")
    project.write("prompts/other-v1.yaml", V.format(n=1))
    project.commit("unrelated")
    events = json.loads(cli("log", "greeting", "--format", "json").out)
    assert [(e["subject"], e["event"], e["version"], e["tag"], e["before"], e["after"]) for e in events] == [
        ("ship v2", "version-added", 2, None, None, None),
        ("ship v2", "tag-moved", None, "production", 1, 2),
        ("tag production", "tag-set", None, "production", None, 1),
        ("versions", "version-added", 1, None, None, None),
    ]
    assert all(e["author"] == "Test <test@example.com>" for e in events)
    text = cli("log", "greeting").out
    assert "production v1 → v2" in text and "ship v2" in text


def test_rollback_points_the_channel_back(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    _repo(project)
    project.write("prompts/greeting.tags.yaml", "production: 1\nstaging: 1\n")
    project.commit("production on v1")
    project.write("prompts/greeting.tags.yaml", "production: 2\nstaging: 1\n")
    project.commit("production on v2")
    project.write("prompts/greeting.tags.yaml", "production: 2\nstaging: 3\n")
    project.commit("staging on v3")
    result = cli("rollback", "greeting", "production")
    assert result.code == 0, result.err
    assert result.out.startswith("rolled back production: v2 → v1 in prompts/greeting.tags.yaml (as before ")
    assert "git add prompts/greeting.tags.yaml" in result.out
    assert project.read("prompts/greeting.tags.yaml") == "production: 1\nstaging: 3\n"
    # rolling back again undoes the uncommitted rollback
    assert cli("rollback", "greeting", "production").code == 0
    assert project.read("prompts/greeting.tags.yaml") == "production: 2\nstaging: 3\n"


def test_rollback_refusals(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    _repo(project)
    project.write("prompts/greeting.tags.yaml", "production: 1\nlaunch: 1\n")
    project.commit("tags")
    never_moved = cli("rollback", "greeting", "production")
    assert never_moved.code == 2 and "has not moved since it was created" in never_moved.err
    assert cli("rollback", "greeting", "launch").code == 2
    assert cli("rollback", "greeting", "staging").code == 2

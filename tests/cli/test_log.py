"""`promptctl log`."""

from __future__ import annotations

import json
import subprocess

from tests.conftest import Project, V, git_env, versioned_repo


def test_log_shows_versions_and_tag_moves(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    versioned_repo(project, versions=1)
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


def test_log_takes_a_version_a_count_and_a_date(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    versioned_repo(project, versions=1)
    project.write("prompts/greeting.tags.yaml", "production: 1\n")
    project.git("add", "-A")
    old = {**git_env(), "GIT_AUTHOR_DATE": "2020-01-01T00:00:00Z", "GIT_COMMITTER_DATE": "2020-01-01T00:00:00Z"}
    subprocess.run(["git", "commit", "-q", "-m", "tag production"], cwd=project.root, check=True, env=old)
    project.write("prompts/greeting-v2.yaml", V.format(n=2))
    project.write("prompts/greeting.tags.yaml", "production: 2\n")
    project.commit("ship v2")

    def subjects(*args: str) -> list[tuple[str, str]]:
        return [(e["subject"], e["change"]) for e in json.loads(cli("log", *args, "--format", "json").out)]

    assert subjects("greeting@2") == [("ship v2", "added v2"), ("ship v2", "production v1 → v2")]
    assert subjects("greeting", "-n", "1") == [("ship v2", "added v2")]
    assert [s for s, _ in subjects("greeting", "--since", "2021-01-01")] == ["ship v2", "ship v2"]
    assert cli("log", "greeting@9").code == 2
    bad = cli("log", "greeting", "--since", "-1")
    assert bad.code == 2 and bad.err.startswith("promptctl: error: --since `-1` is not a date")
    assert cli("log", "greeting", "-n", "0").code == 2

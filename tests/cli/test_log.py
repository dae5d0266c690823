"""`promptctl log`."""

from __future__ import annotations

import json

from tests.conftest import Project, V, versioned_repo


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

"""`promptctl tags`."""

from __future__ import annotations

import json

from tests.conftest import Project

V = "version: {n}\nmodel: gpt-4o-2024-08-06\nsystem: Hello {n}.\n"


def _repo(project: Project, versions: int = 3) -> Project:
    project.init_git()
    for n in range(1, versions + 1):
        project.write(f"prompts/greeting-v{n}.yaml", V.format(n=n))
    project.commit("versions")
    return project


def test_tags_listing(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    _repo(project)
    project.write("prompts/greeting.tags.yaml", "production: 3\nlaunch: 1\n")
    rows = json.loads(cli("tags", "--format", "json").out)
    assert rows == [
        {"name": "greeting", "tag": "launch", "version": 1, "channel": False},
        {"name": "greeting", "tag": "production", "version": 3, "channel": True},
    ]
    assert "production" in cli("tags", "greeting").out

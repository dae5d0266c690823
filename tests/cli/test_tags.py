"""`promptctl tags`."""

from __future__ import annotations

import json

from tests.conftest import Project, versioned_repo


def test_tags_listing(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    versioned_repo(project)
    project.write("prompts/greeting.tags.yaml", "production: 3\nlaunch: 1\n")
    rows = json.loads(cli("tags", "--format", "json").out)
    assert rows == [
        {"name": "greeting", "tag": "launch", "version": 1, "channel": False},
        {"name": "greeting", "tag": "production", "version": 3, "channel": True},
    ]
    assert "production" in cli("tags", "greeting").out

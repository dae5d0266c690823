"""`promptctl rollback`."""

from __future__ import annotations

from tests.conftest import Project, versioned_repo


def test_rollback_points_the_channel_back(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    versioned_repo(project)
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
    versioned_repo(project)
    project.write("prompts/greeting.tags.yaml", "production: 1\nlaunch: 1\n")
    project.commit("tags")
    never_moved = cli("rollback", "greeting", "production")
    assert never_moved.code == 2 and "has not moved since it was created" in never_moved.err
    assert cli("rollback", "greeting", "launch").code == 2
    assert cli("rollback", "greeting", "staging").code == 2

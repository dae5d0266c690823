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
    assert result.out.startswith("rolled back production: v2 → v1 in prompts/greeting.tags.yaml (where it was before ")
    assert "“production on v2”" in result.out
    assert "git add prompts/greeting.tags.yaml" in result.out
    assert project.read("prompts/greeting.tags.yaml") == "production: 1\nstaging: 3\n"
    # rolling back again does not return to v2: production never was anywhere before v1
    again = cli("rollback", "greeting", "production")
    assert again.code == 2 and "`production` of `greeting` is at v1 and was never anywhere before it" in again.err
    assert project.read("prompts/greeting.tags.yaml") == "production: 1\nstaging: 3\n"


def test_rollback_twice_walks_back_without_ping_pong(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    versioned_repo(project)
    for version in (1, 2, 3):
        project.write("prompts/greeting.tags.yaml", f"production: {version}\n")
        project.commit(f"production on v{version}")
    first = cli("rollback", "greeting", "production")
    assert first.out.startswith("rolled back production: v3 → v2")
    project.commit("roll back production to v2")
    second = cli("rollback", "greeting", "production")
    assert second.code == 0, second.err
    assert second.out.startswith("rolled back production: v2 → v1 in prompts/greeting.tags.yaml (where it was before ")
    assert "“production on v2”; skipping v3, already rolled back from)" in second.out
    project.commit("roll back production to v1")
    assert cli("rollback", "greeting", "production").code == 2  # the bottom: nothing older
    # a forward move starts a new step: rolling back returns to v1
    project.write("prompts/greeting.tags.yaml", "production: 3\n")
    project.commit("production on v3 again")
    third = cli("rollback", "greeting", "production")
    assert third.out.startswith("rolled back production: v3 → v1") and "skipping" not in third.out


def test_rollback_refusals(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    versioned_repo(project)
    project.write("prompts/greeting.tags.yaml", "production: 1\nlaunch: 1\n")
    project.commit("tags")
    never_moved = cli("rollback", "greeting", "production")
    assert never_moved.code == 2 and "was never anywhere before it" in never_moved.err
    assert cli("rollback", "greeting", "launch").code == 2
    assert cli("rollback", "greeting", "staging").code == 2


def test_rollback_to_a_named_version(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    versioned_repo(project)
    project.write("prompts/greeting.tags.yaml", "production: 3\n")
    project.commit("production on v3")
    result = cli("rollback", "greeting@1", "production")
    assert result.out.startswith("rolled back production: v3 → v1 in prompts/greeting.tags.yaml (as asked)")
    assert cli("rollback", "greeting@1", "production").out.startswith("production already points at v1")

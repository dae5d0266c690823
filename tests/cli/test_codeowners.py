"""`promptctl codeowners`."""

from __future__ import annotations

import pytest

from tests.conftest import Project

SUPPORT = "version: {n}\nmodel: claude-3-5-sonnet-20241022\nsystem: |\n  {text}\ntemperature: 0.3\nmax_tokens: 500\n"


def test_codeowners_writes_and_checks_a_block(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    project.init_git()
    project.write("prompts/support-v1.yaml", SUPPORT.format(n=1, text="Hi.") + "owners: ['@acme/support', 'ann@acme.dev']\n")
    project.write("prompts/support-vip-v1.yaml", SUPPORT.format(n=1, text="Hi.") + "owners: ['@acme/vip']\n")
    project.write("prompts/billing/refunds/v1.yaml", SUPPORT.format(n=1, text="Hi.") + "owners: ['@acme/billing']\n")
    project.write("prompts/unowned-v1.yaml", SUPPORT.format(n=1, text="Hi."))
    project.write(".github/CODEOWNERS", "# team rules\n* @acme/everyone\n")
    assert cli("codeowners", "--check").code == 1
    result = cli("codeowners")
    assert result.out == "updated .github/CODEOWNERS\n"
    text = project.read(".github/CODEOWNERS")
    assert text.startswith("# team rules\n* @acme/everyone\n\n# BEGIN promptctl")
    block = text.split("# BEGIN promptctl", 1)[1]
    lines = [line for line in block.splitlines()[1:] if not line.startswith("#")]
    assert lines == [
        "/prompts/support-v*.yaml @acme/support ann@acme.dev",
        "/prompts/billing/refunds/ @acme/billing",
        "/prompts/support.tags.yaml @acme/support ann@acme.dev",
        "/prompts/support-vip-v*.yaml @acme/vip",  # more specific, later: the last match wins
        "/prompts/support-vip.tags.yaml @acme/vip",
    ]
    assert cli("codeowners", "--check").code == 0
    # lines outside the block are never touched; a second run changes nothing
    project.write(".github/CODEOWNERS", text + "/docs/ @acme/docs\n")
    assert cli("codeowners").out == ".github/CODEOWNERS is up to date\n"
    assert project.read(".github/CODEOWNERS").endswith("# END promptctl\n/docs/ @acme/docs\n")
    project.write("prompts/support-v2.yaml", SUPPORT.format(n=2, text="Hi.") + "owners: ['@acme/support-v2']\n")
    assert cli("codeowners", "--check").code == 1
    cli("codeowners")
    assert "/prompts/support-v*.yaml @acme/support-v2" in project.read(".github/CODEOWNERS")
    assert project.read(".github/CODEOWNERS").startswith("# team rules\n* @acme/everyone\n")


@pytest.mark.parametrize("owner", ["@acme/team\\n* @evil", "@acme/team\\n", "* @evil", "@a b", "@acme/team # c"])
def test_codeowners_refuses_owners_that_are_not_owners(owner: str, project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    project.write("prompts/greet-v1.yaml", f'version: 1\nmodel: gpt-4o-2024-08-06\nsystem: Hi.\nowners: ["{owner}"]\n')
    result = cli("codeowners")
    assert result.code == 2 and "is not @user" in result.err, result
    assert not (project.root / ".github/CODEOWNERS").exists()

"""`promptctl cost`, the cost delta in `diff`, token estimates and `codeowners`."""

from __future__ import annotations

import json

import pytest

from tests.conftest import Project

SUPPORT = "version: {n}\nmodel: claude-3-5-sonnet-20241022\nsystem: |\n  {text}\ntemperature: 0.3\nmax_tokens: 500\n"


def test_cost_per_prompt_with_fallbacks(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    project.write("prompts/support-v1.yaml", SUPPORT.format(n=1, text="You are helpful."))
    project.write(
        "prompts/triage-v1.yaml",
        "version: 1\nmodel: gpt-4o-2024-08-06\nsystem: 'Triage: {{ t }}'\nvariables:\n  t: {type: string}\nmax_tokens: 100\n"
        "fallbacks:\n  - model: claude-3-5-haiku-20241022\nexamples:\n  - t: short\n  - t: " + "much longer text " * 20 + "\n",
    )
    result = cli("cost", "--format", "json")
    assert result.code == 0, result.err
    payload = json.loads(result.out)
    assert payload["prices"].startswith("genai-prices ")
    rows = {(r["id"], r["role"]): r for r in payload["estimates"]}
    assert set(rows) == {("support@1", "primary"), ("triage@1", "primary"), ("triage@1", "fallback 1")}
    triage = rows[("triage@1", "primary")]
    assert triage["tokens"] == "estimated: o200k_base"
    assert triage["input_tokens"]["worst"] > triage["input_tokens"]["typical"] > 0
    assert triage["usd_per_call"]["worst"] > triage["usd_per_call"]["typical"] > 0
    assert triage["usd_per_1000_calls"] == pytest.approx(triage["usd_per_call"]["typical"] * 1000)
    assert rows[("support@1", "primary")]["tokens"] == "estimated: cl100k_base approximation"
    # gpt-4o at $2.50 / $10 per million: typical = input + 50 output tokens
    expected = triage["input_tokens"]["typical"] * 2.5e-6 + 50 * 10e-6
    assert triage["usd_per_call"]["typical"] == pytest.approx(expected, rel=1e-6)
    text = cli("cost").out  # a pipe: rows only; the method and prices are in the JSON
    assert "support@1" in text and "fallback 1" in text and "Token counts are estimated" not in text
    assert "genai-prices" in json.loads(cli("cost", "--format", "json").out)["prices"]


def test_cost_selection(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    for n in (1, 2):
        project.write(f"prompts/support-v{n}.yaml", SUPPORT.format(n=n, text="You are helpful." * n))
    project.write("prompts/support.tags.yaml", "production: 1\n")

    def ids(*args: str) -> list[str]:
        return [r["id"] for r in json.loads(cli("cost", *args, "--format", "json").out)["estimates"]]

    assert ids() == ["support@2"]
    assert ids("--all") == ["support@1", "support@2"]
    assert ids("support@production") == ["support@1"]
    assert cli("cost", "nope").code == 2


def test_unknown_model_costs_are_unknown(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    project.write("prompts/x-v1.yaml", "version: 1\nmodel: not-a-real-model\nsystem: Hi.\nmax_tokens: 10\n")
    row = json.loads(cli("cost", "--format", "json").out)["estimates"][0]
    assert row["known_model"] is False and row["usd_per_call"]["typical"] is None
    assert "(unknown)" in cli("cost").out


def test_diff_shows_the_cost_change(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    project.write("prompts/support-v1.yaml", SUPPORT.format(n=1, text="You are helpful."))
    project.write("prompts/support-v2.yaml", SUPPORT.format(n=2, text="You are helpful. " * 40))
    text = cli("diff", "support").out
    assert "cost: input +" in text and "per call, +" in text and "(estimated: cl100k_base approximation)" in text
    cost = json.loads(cli("diff", "support", "--format", "json").out)["changes"][0]["cost"]
    assert cost["input_tokens"]["after"] > cost["input_tokens"]["before"]
    assert cost["percent"] > 0
    assert "Cost: input +" in cli("diff", "support", "--format", "markdown").out


def test_token_counts_are_real_bpe() -> None:
    from promptctl.tokens import count

    assert count("hello world", "gpt-4o-2024-08-06") == (2, count("hello world", "gpt-4o-2024-08-06")[1])
    n, method = count("The quick brown fox jumps over the lazy dog.", "gpt-4-0613")
    assert n == 10 and method.label == "estimated: cl100k_base"


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


@pytest.mark.parametrize("text", ["<|endoftext|> and <|im_start|>", "ab " * 200_000])
def test_token_counts_never_fail(text: str) -> None:
    from promptctl.tokens import count

    n, method = count(text, "gpt-4o-2024-08-06")
    assert n > 0 and method.encoding == "o200k_base"


def test_the_context_window_is_judged_on_the_rendered_prompt(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    project.write(
        "prompts/huge-v1.yaml",
        "version: 1\nmodel: gpt-4o-2024-08-06\nsystem: \"{{ 'ab ' * 200000 }}\"\nmax_tokens: 1000\nbudget: {max_input_tokens: 1000}\n",
    )
    result = cli("lint", "--format", "json")
    rules = {f["rule"] for f in json.loads(result.out)["findings"]}
    assert result.code == 1 and {"parameter-range", "budget"} <= rules, result.out + result.err

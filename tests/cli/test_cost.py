"""`promptctl cost`."""

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


def test_without_max_tokens_a_typical_reply_is_the_configured_size(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    project.write("prompts/open-v1.yaml", "version: 1\nmodel: gpt-4o-2024-08-06\nsystem: Hi.\n")
    row = json.loads(cli("cost", "--format", "json").out)["estimates"][0]
    tokens = row["input_tokens"]["typical"]
    assert row["usd_per_call"]["typical"] == pytest.approx(tokens * 2.5e-6 + 500 * 10e-6)  # not 16,384 / 2
    assert row["usd_per_call"]["worst"] == pytest.approx(tokens * 2.5e-6 + 16384 * 10e-6)
    project.write("promptctl.toml", "typical_output_tokens = 100\n")
    assert json.loads(cli("cost", "--format", "json").out)["estimates"][0]["usd_per_call"]["typical"] == pytest.approx(
        tokens * 2.5e-6 + 100 * 10e-6
    )
    assert "typical_output_tokens" in json.loads(cli("cost", "--format", "json").out)["assumption"]

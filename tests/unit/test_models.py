"""Model ids as teams write them, judged against every id the catalogue knows."""

from __future__ import annotations

import re

import pytest

from promptctl.models import Catalogue, canonical_id

DATE = re.compile(r"\d{8}|\d{4}-\d{2}-\d{2}")


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return Catalogue()


def test_a_floating_id_is_pinned_to_a_dated_snapshot_of_the_same_model(catalogue: Catalogue) -> None:
    checked = 0
    for known in catalogue.known_ids():
        pinned = catalogue.snapshot_for(known)
        if pinned is None or pinned.startswith("a dated"):
            continue
        checked += 1
        base = canonical_id(known).removesuffix("-latest")  # `anthropic/claude-sonnet-4` is pinned as the provider writes it
        assert pinned.startswith(base + "-"), (known, pinned)
        assert DATE.fullmatch(pinned[len(base) + 1 :]), (known, pinned)
    assert checked > 20
    assert catalogue.snapshot_for("gpt-5") == "gpt-5-2025-08-07"
    assert catalogue.snapshot_for("claude-sonnet-4") == "claude-sonnet-4-20250514"


def test_unknown_model_never_suggests_the_id_it_rejects(catalogue: Catalogue) -> None:
    for known in catalogue.known_ids()[::7]:
        typo = known + "-x"
        assert typo not in catalogue.suggestions(typo)
        assert known not in catalogue.suggestions(known)


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("openai/gpt-4o-2024-08-06", "gpt-4o-2024-08-06"),
        ("anthropic/claude-3-5-sonnet-20241022", "claude-3-5-sonnet-20241022"),
        ("anthropic.claude-3-5-sonnet-20241022-v2:0", "claude-3-5-sonnet-20241022"),
        ("us.anthropic.claude-3-5-haiku-20241022-v1:0", "claude-3-5-haiku-20241022"),
        ("claude-3-5-sonnet-v2@20241022", "claude-3-5-sonnet-20241022"),
        ("gpt-4o-2024-08-06", "gpt-4o-2024-08-06"),
    ],
)
def test_platform_spellings_resolve_to_the_catalogue(written: str, canonical: str, catalogue: Catalogue) -> None:
    assert canonical_id(written) == canonical
    assert catalogue.lookup(written) is not None


DECLARED = """
[tool.promptctl.models."ft:gpt-4o-mini-*:acme::*"]
like = "gpt-4o-mini-2024-07-18"
[tool.promptctl.models."llama-3.1-70b-instruct"]
provider = "meta"
context_window = 128000
max_output = 4096
input_price = 0.60
output_price = 0.60
[tool.promptctl.models."acme-prod-deployment"]
provider = "azure"
"""


def test_declared_models_are_known_and_priced_by_their_declaration(project, cli) -> None:  # type: ignore[no-untyped-def]
    import json

    project.write("pyproject.toml", DECLARED)
    for name, model in [
        ("tuned", "ft:gpt-4o-mini-2024-07-18:acme::abc123"),
        ("hosted", "llama-3.1-70b-instruct"),
        ("azure", "acme-prod-deployment"),
        ("routed", "openai/gpt-4o-2024-08-06"),
        ("bedrock", "anthropic.claude-3-5-sonnet-20241022-v2:0"),
    ]:
        project.write(f"prompts/{name}-v1.yaml", f"version: 1\nmodel: {model}\nsystem: Hi.\nmax_tokens: 100\n")
    result = cli("lint", "--format", "json")
    assert result.code == 0, result.out
    rows = {r["id"]: r for r in json.loads(cli("cost", "--format", "json").out)["estimates"]}
    assert rows["hosted@1"]["known_model"] and rows["hosted@1"]["provider"] == "meta"
    tokens = rows["hosted@1"]["input_tokens"]["typical"]
    assert rows["hosted@1"]["usd_per_call"]["worst"] == pytest.approx((tokens * 0.6 + 100 * 0.6) / 1e6)
    assert rows["tuned@1"]["usd_per_call"]["worst"] > 0  # the prices of the model it is like
    assert rows["azure@1"]["usd_per_call"]["typical"] is None and rows["azure@1"]["known_model"]
    assert "no price" in cli("cost", "azure").out
    project.write("prompts/other-v1.yaml", "version: 1\nmodel: ft:gpt-4o-mini-2024-07-18:other::x\nsystem: Hi.\n")
    assert "unknown-model" in cli("lint").out


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ('[tool.promptctl.models."x"]\nprice = 1\n', "unknown key `price`"),
        ('[tool.promptctl.models."x"]\ncontext_window = "big"\n', "wrong type"),
        ("[tool.promptctl]\nmodels = 3\n", "`models` must be"),
    ],
)
def test_bad_model_declarations_are_exit_2(body: str, needle: str, project, cli) -> None:  # type: ignore[no-untyped-def]
    project.write("pyproject.toml", body)
    result = cli("lint")
    assert result.code == 2 and needle in result.err, result.err


@pytest.mark.parametrize(
    "model", ["o3-2025-04-16", "o4-mini-2025-04-16", "gpt-5-2025-08-07", "gpt-4o-2024-08-06", "claude-sonnet-4-20250514"]
)
def test_new_writes_a_file_that_lints_clean_for_any_known_model(model: str, project, cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("new", "demo", "-m", model).code == 0
    assert cli("lint").code == 0, cli("lint").out


def test_reasoning_models_take_max_completion_tokens_and_no_temperature(project, cli) -> None:  # type: ignore[no-untyped-def]
    import json

    project.write("prompts/think-v1.yaml", "version: 1\nmodel: o3-2025-04-16\nsystem: Think.\nmax_tokens: 900\ntemperature: 0.2\n")
    findings = json.loads(cli("lint", "--format", "json").out)["findings"]
    assert [(f["rule"], f["line"]) for f in findings] == [("parameter-range", 5)] and "reasoning model" in findings[0]["message"]
    kwargs = json.loads(cli("render", "think", "-f", "openai").out)
    assert kwargs["max_completion_tokens"] == 900 and "max_tokens" not in kwargs
    project.write("pyproject.toml", '[tool.promptctl.models."acme-reasoner"]\nprovider = "openai"\nreasoning = true\n')
    project.write("prompts/acme-v1.yaml", "version: 1\nmodel: acme-reasoner\nsystem: Think.\ntop_p: 0.5\n")
    assert "`acme-reasoner` is a reasoning model" in cli("lint").out


def test_new_refuses_a_model_nobody_knows(project, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("new", "demo", "-m", "claude-3-5-sonet-20241022")
    assert result.code == 2 and "declare it first" in result.err and "`claude-3-5-sonet-20241022`," not in result.err
    assert not list((project.root / "prompts").iterdir())

"""A parameter is outside what the model accepts.

Why: the provider rejects the call (or silently clamps it). Checked for the primary
model and each fallback (with the parameters it inherits):

- `temperature` outside the provider's range (Anthropic 0-1, OpenAI and Google 0-2);
- `max_tokens` above the model's output limit;
- the estimated input plus `max_tokens` above the model's context window.

Example (fails): `model: claude-3-5-sonnet-20241022` with `temperature: 1.5`.

Fix: bring the value into range.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from promptctl.findings import Finding, Severity
from promptctl.rules.base import DocumentRule, FileContext


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def check(ctx: FileContext) -> Iterator[Finding]:
    from promptctl.models import TEMPERATURE_RANGE

    data = ctx.doc.data
    for path, model, facts in ctx.model_facts():
        owner = path[:-1]  # () for the primary, ("fallbacks", i) for a fallback
        spec = ctx.doc.value_at(owner) if owner else data
        provider = facts.provider if facts.known else None

        def where(key: str, spec: Any = spec, owner: tuple[Any, ...] = owner) -> tuple[tuple[Any, ...], Any]:
            if isinstance(spec, dict) and key in spec:
                return (*owner, key), spec[key]
            return (key,), data.get(key)

        from promptctl.models import is_reasoning

        if is_reasoning(model, ctx.settings):
            for key in ("temperature", "top_p"):
                key_path, value = where(key)
                if value is not None:
                    yield ctx.finding(
                        RULE, ctx.doc.position(key_path), f"`{model}` is a reasoning model: it does not accept `{key}`; remove it"
                    )
            continue
        temp_path, temperature = where("temperature")
        low, high = TEMPERATURE_RANGE.get(provider or "", (0.0, 2.0))
        if _number(temperature) and not low <= temperature <= high:
            yield ctx.finding(
                RULE,
                ctx.doc.value_position(temp_path),
                f"temperature {temperature} is outside {provider}'s range {low:g}-{high:g} for `{model}`",
            )
        max_path, max_tokens = where("max_tokens")
        limit = facts.output_limit
        if isinstance(max_tokens, int) and limit and max_tokens > limit:
            yield ctx.finding(
                RULE, ctx.doc.value_position(max_path), f"max_tokens {max_tokens:,} is above `{model}`'s output limit of {limit:,}"
            )
        window = facts.context_window
        if window and isinstance(max_tokens, int):
            size = ctx.input_bytes()  # the rendered input, not the file: `{{ "ab " * 200000 }}` is 600 KB
            if size is not None and size + max_tokens > window:  # tokens never exceed bytes: only then count them
                estimate = ctx.input_estimate(model)
                if estimate is not None and estimate[0] + max_tokens > window:
                    yield ctx.finding(
                        RULE,
                        ctx.doc.value_position(max_path),
                        f"input (~{estimate[0]:,} tokens, {estimate[1]}) plus max_tokens {max_tokens:,} exceeds `{model}`'s context window of {window:,}",
                    )


RULE = DocumentRule("parameter-range", Severity.ERROR, __doc__, check=check)

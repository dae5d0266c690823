"""The estimated cost of one call exceeds the prompt's `budget`.

Why: token usage is the cost of an LLM feature; a change that doubles it should fail
in review, not show up on the invoice. `budget.max_input_tokens` bounds the input of one
call (the largest rendered example, or the prompt as written); `budget.max_cost_usd`
bounds its price: that input plus `max_tokens` of output, at the catalogue's prices.
Estimates are offline and say which method made them.

Example (fails): `budget: {max_input_tokens: 100}` on a 2,000-token system prompt.

Fix: shorten the prompt, lower `max_tokens`, pick a cheaper model — or raise the budget
in a reviewed change.
"""

from __future__ import annotations

from collections.abc import Iterator

from promptctl.findings import Finding, Severity
from promptctl.rules.base import DocumentRule, FileContext


def check(ctx: FileContext) -> Iterator[Finding]:
    budget = ctx.doc.data.get("budget")
    model = ctx.doc.data.get("model")
    if not ctx.is_prompt or not isinstance(budget, dict) or not isinstance(model, str):
        return
    from decimal import Decimal

    from promptctl.models import facts_for
    from promptctl.pricing import usd

    facts = facts_for(model, ctx.settings)
    max_tokens = ctx.doc.data.get("max_tokens")
    max_tokens = max_tokens if isinstance(max_tokens, int) and not isinstance(max_tokens, bool) else facts.output_limit or 0
    limit = budget.get("max_input_tokens")
    cost = budget.get("max_cost_usd")
    limit = limit if isinstance(limit, int) and not isinstance(limit, bool) else None
    cost = cost if isinstance(cost, (int, float)) and not isinstance(cost, bool) else None
    price_in, price_out = facts.input_mtok, facts.output_mtok

    def price(tokens: int) -> Decimal | None:
        if price_in is None or price_out is None:
            return None
        return (Decimal(str(price_in)) * tokens + Decimal(str(price_out)) * max_tokens) / 1_000_000

    # A BPE token is at least one byte: count tokens only when that bound could break the budget.
    bound = ctx.input_bytes()
    if bound is None:
        return
    bound_cost = price(bound)
    if (limit is None or bound <= limit) and (cost is None or (bound_cost is not None and bound_cost <= Decimal(str(cost)))):
        return
    estimate = ctx.input_estimate(model)
    if estimate is None:
        return
    tokens, method = estimate
    if limit is not None and tokens > limit:
        yield ctx.finding(
            RULE,
            ctx.doc.value_position(("budget", "max_input_tokens")),
            f"input is ~{tokens:,} tokens ({method}), above the budget of {limit:,}",
        )
    worst = price(tokens)
    if cost is not None and worst is not None and worst > Decimal(str(cost)):
        yield ctx.finding(
            RULE,
            ctx.doc.value_position(("budget", "max_cost_usd")),
            f"a call may cost {usd(worst)} (~{tokens:,} input tokens + {max_tokens:,} output, {method}), above the budget of ${cost}",
        )


RULE = DocumentRule("budget", Severity.ERROR, __doc__, check=check)

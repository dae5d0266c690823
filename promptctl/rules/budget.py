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
from promptctl.rules.base import FileContext, Rule

RULE = Rule.define(__doc__, "budget", Severity.ERROR, "document")


@RULE.checks
def check(ctx: FileContext) -> Iterator[Finding]:
    budget = ctx.doc.data.get("budget")
    model = ctx.doc.data.get("model")
    if not ctx.is_prompt or not isinstance(budget, dict) or not isinstance(model, str):
        return
    from promptctl.pricing import estimate, usd

    prompt = ctx.runtime_prompt()
    if prompt is None:
        return
    result = estimate(prompt, ctx.doc.data.get("examples") if isinstance(ctx.doc.data.get("examples"), list) else None)
    limit = budget.get("max_input_tokens")
    if isinstance(limit, int) and not isinstance(limit, bool) and result.input_worst > limit:
        yield ctx.finding(RULE, ctx.doc.value_position(("budget", "max_input_tokens")),
                          f"input is ~{result.input_worst:,} tokens ({result.method}), above the budget of {limit:,}")
    cost = budget.get("max_cost_usd")
    if isinstance(cost, (int, float)) and not isinstance(cost, bool) and result.worst is not None and result.worst > type(result.worst)(str(cost)):
        yield ctx.finding(RULE, ctx.doc.value_position(("budget", "max_cost_usd")),
                          f"a call may cost {usd(result.worst)} (~{result.input_worst:,} input tokens + {result.max_tokens or 0:,} output), above the budget of ${cost}")

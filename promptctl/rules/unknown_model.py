"""The model is not in the catalogue.

Why: a typo in a model id (`gpt4o`, `claude-3-5-sonet`) fails at run time, in
production. Model ids, providers, prices and context windows come from the genai-prices
snapshot that ships with promptctl (nothing is fetched); the finding suggests the
closest known ids. Checked for the primary model and every fallback.

Example (fails): `model: gpt4o`

Fix: use the provider's exact id; if the model is new and missing from the catalogue,
upgrade promptctl's genai-prices dependency, or ignore the rule for that file.
"""

from __future__ import annotations

from collections.abc import Iterator

from promptctl.findings import Finding, Severity
from promptctl.rules.base import DocumentRule, FileContext


def check(ctx: FileContext) -> Iterator[Finding]:
    for path, model, facts in ctx.model_facts():
        if not facts.known:
            close = facts.suggestions
            hint = f"; did you mean {', '.join(f'`{c}`' for c in close)}?" if close else ""
            yield ctx.finding(RULE, ctx.doc.value_position(path), f"unknown model `{model}`{hint}")


RULE = DocumentRule("unknown-model", Severity.ERROR, __doc__, check=check)

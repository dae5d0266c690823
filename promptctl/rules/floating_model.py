"""The model id is an alias that can change under you.

Why: `gpt-4o` or `claude-3-5-sonnet-latest` point at whatever snapshot the provider
serves today; when it moves, your published prompt behaves differently without any
change in the repository. Pin a dated snapshot (`gpt-4o-2024-08-06`,
`claude-3-5-sonnet-20241022`) and move deliberately, in a reviewed new version.
A warning; ignore it in the configuration if you prefer to float.

Example (warns): `model: claude-3-5-sonnet-latest`

Fix: use the dated snapshot the finding suggests.
"""

from __future__ import annotations

from collections.abc import Iterator

from promptctl.findings import Finding, Severity
from promptctl.rules.base import DocumentRule, FileContext


def check(ctx: FileContext) -> Iterator[Finding]:
    for path, model, facts in ctx.model_facts():
        if not facts.known:
            continue  # unknown-model reports it
        pinned = facts.snapshot_for
        if pinned:
            yield ctx.finding(
                RULE,
                ctx.doc.value_position(path),
                f"`{model}` is an alias that can change under you; pin {pinned if pinned.startswith('a ') else f'`{pinned}`'}",
            )


RULE = DocumentRule("floating-model", Severity.WARNING, __doc__, check=check)

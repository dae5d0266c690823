"""A declared variable is used by no template.

Why: callers must pass (or may pass) a value that changes nothing — usually a
leftover from an earlier version or a typo in the template.

Example (warns):

    variables:
      tone: {type: string}
    system: You are helpful.

Fix: use it in a template, or remove the declaration.
"""

from __future__ import annotations

from collections.abc import Iterator

from promptctl.findings import Finding, Severity
from promptctl.rules.base import DocumentRule, FileContext


def check(ctx: FileContext) -> Iterator[Finding]:
    declared = ctx.declared_variables()
    if not declared:
        return
    templates = ctx.templates()
    if any(parsed.error for _, parsed in templates):
        return  # cannot know what a broken template uses
    used = {name for _, parsed in templates for name in parsed.uses}
    for name in declared:
        if name not in used:
            yield ctx.finding(RULE, ctx.doc.position(("variables", name)), f"variable `{name}` is declared but no template uses it")


RULE = DocumentRule("unused-variable", Severity.WARNING, __doc__, check=check)

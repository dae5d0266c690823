"""A template uses a variable that is not declared under `variables`.

Why: the declaration is the prompt's interface: callers learn from it what to pass,
`render` validates against it, and `diff` reports a new required variable as a
breaking change. An undeclared variable fails at render time.

Example (fails):

    system: Hello {{ customer_name }}.

Fix: declare it:

    variables:
      customer_name: {type: string, description: The customer's first name}
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from promptctl.findings import Finding, Severity
from promptctl.rules.base import DocumentRule, FileContext
from promptctl.templating.language import foreign_hint


def check(ctx: FileContext) -> Iterator[Finding]:
    declared = ctx.declared_variables()
    reported: set[str] = set()
    for path, parsed in ctx.templates():
        for name, lines in sorted(parsed.uses.items(), key=lambda item: (item[1][0], item[0])):
            if name in declared or name in reported:
                continue
            reported.add(name)
            line, col = ctx.doc.locate_in_value(path, lines[0], name)
            text = ctx.doc.lines[line - 1] if line <= len(ctx.doc.lines) else ""
            # where the template reads it: inside a {{ }} or {% %}, not the word in prose before it
            used = re.compile(rf"\{{[{{%][^}}]*?\b({re.escape(name)})\b").search(text, max(0, col - 1 - len(name)))
            if used is None:
                used = re.compile(rf"\b({re.escape(name)})\b").search(text, col - 1)
            if used:
                col = used.start(1) + 1
            yield ctx.finding(RULE, (line, col), f"`{name}` is used but not declared under `variables`{foreign_hint(parsed.source)}")


RULE = DocumentRule("undeclared-variable", Severity.ERROR, __doc__, check=check)

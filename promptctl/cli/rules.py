from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from promptctl.cli import settings
from promptctl.cli.options import TableFormat, TableFormatOption


def rules(
    rule: Annotated[Optional[str], typer.Argument(help="Show one rule's documentation.", show_default=False)] = None,
    format: TableFormatOption = TableFormat.text,
    as_json: Annotated[bool, typer.Option("--json", hidden=True, help="Same as --format json.")] = False,
) -> None:
    """List the lint and check rules: severity, where they run, whether enabled here."""
    from promptctl.errors import UsageError
    from promptctl.reporters.listing import rules_table
    from promptctl.reporters.table import render
    from promptctl.rules import REGISTRY, canonical, enabled_rules

    enabled = enabled_rules(settings())
    if rule is not None:
        rid = canonical(rule)
        if rid not in REGISTRY:
            import difflib

            close = difflib.get_close_matches(rule, list(REGISTRY), n=1)
            raise UsageError(f"no rule `{rule}`", f"did you mean `{close[0]}`?" if close else "run `promptctl rules` to list them")
        chosen = [REGISTRY[rid]]
    else:
        chosen = [REGISTRY[r] for r in sorted(REGISTRY)]
    rows = [
        {
            "id": r.id,
            "severity": r.severity.value,
            "runs_in": "check" if r.scope == "history" else "lint",
            "default": r.default,
            "enabled": r.id in enabled,
            "summary": r.summary.removesuffix("(opt-in)").rstrip(),
            "doc": r.doc,
        }
        for r in chosen
    ]
    if format is TableFormat.json or as_json:
        render(rules_table(rows), sys.stdout, "json")
    elif rule is None:
        render(rules_table(rows), sys.stdout, "text")
    else:
        r = rows[0]
        state = ("enabled" if r["enabled"] else "not enabled") + ("" if r["default"] else ", opt-in")
        sys.stdout.write(f"{r['id']} ({r['severity']}, a {r['runs_in']} rule, {state} here)\n\n{r['doc']}\n")

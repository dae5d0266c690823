from __future__ import annotations

import json
import sys
from typing import Annotated, Optional

import typer

from promptctl.cli import exit_with
from promptctl.errors import ExitCode


def rules(
    rule: Annotated[Optional[str], typer.Argument(help="Show one rule's documentation.", show_default=False)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable list.")] = False,
) -> None:
    """List the lint and check rules with their documentation."""
    from promptctl.errors import UsageError
    from promptctl.rules import REGISTRY, canonical

    if rule is not None:
        rid = canonical(rule)
        if rid not in REGISTRY:
            raise UsageError(f"no rule `{rule}`", "run `promptctl rules` to list them")
        chosen = [REGISTRY[rid]]
    else:
        chosen = [REGISTRY[r] for r in sorted(REGISTRY)]
    if as_json:
        payload = [{"id": r.id, "severity": r.severity.value, "default": r.default, "summary": r.summary, "doc": r.doc} for r in chosen]
        sys.stdout.write(json.dumps(payload, indent=2) + "\n")
        exit_with(ExitCode.CLEAN)
    for r in chosen:
        if rule is None:
            flag = "" if r.default else "  (opt-in)"
            sys.stdout.write(f"{r.id:<22} {r.severity.value:<8} {r.summary}{flag}\n")
        else:
            sys.stdout.write(f"{r.id} ({r.severity.value}{'' if r.default else ', opt-in'})\n\n{r.doc}\n")
    if rule is None:
        sys.stdout.write("\n`promptctl rules RULE` shows one rule's documentation.\n")

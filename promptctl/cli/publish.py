from __future__ import annotations

import os
import sys
from enum import Enum
from typing import Annotated, Optional

import typer

from promptctl.cli import exit_with, settings
from promptctl.errors import ExitCode


class Target(str, Enum):
    mlflow = "mlflow"
    phoenix = "phoenix"
    langfuse = "langfuse"


class PublishFormat(str, Enum):
    text = "text"
    json = "json"


def publish(
    to: Annotated[Target, typer.Option("--to", help="The registry: mlflow, phoenix or langfuse.")],
    names: Annotated[Optional[list[str]], typer.Argument(metavar="[NAME]...", help="Only these prompts (default: all).")] = None,
    url: Annotated[
        Optional[str], typer.Option("--url", metavar="URL", help="The registry's URL (default: its tool's environment variable).")
    ] = None,
    base: Annotated[Optional[str], typer.Option("--base", metavar="REF", help="What is published (default: the base branch).")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the plan; write nothing.")] = False,
    format: Annotated[PublishFormat, typer.Option("--format", "-f", help="text or json (the plan and the result).")] = PublishFormat.text,
) -> None:
    """Make a prompt registry follow git: publish the versions it lacks, point its labels where the tags file says."""
    code = run_publish(to.value, names or [], url=url, base=base, dry_run=dry_run, as_json=format is PublishFormat.json)
    if code:
        exit_with(code)


def run_publish(target: str, names: list[str], *, url: str | None, base: str | None, dry_run: bool, as_json: bool) -> ExitCode:
    """The publish flow, shared with `ci --publish`: plan, print, write, say what was done."""
    from promptctl.publishing import apply, plan, snapshot
    from promptctl.publishing.targets import registry
    from promptctl.reporters.publish import done_text, plan_json, plan_text, summary_text

    s = settings()
    snap = snapshot(s, base, names)
    reg = registry(target, os.environ, url)
    plans = plan(snap, reg)
    if as_json:
        if not dry_run:
            apply(snap, reg, plans)
        plan_json(plans, snap, reg.target, reg.url, sys.stdout, dry_run=dry_run)
    else:
        plan_text(plans, snap, reg.target, reg.url, sys.stdout, dry_run=dry_run)
        if not dry_run:
            apply(snap, reg, plans, log=lambda _, step: done_text(step, sys.stdout))
        summary_text(plans, sys.stdout, dry_run=dry_run)
    return ExitCode.FINDINGS if any(p.conflicts or p.refused for p in plans) else ExitCode.CLEAN

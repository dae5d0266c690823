"""The publish plan and what was done: text for people, JSON for bots."""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from promptctl.invisible import json_dumps
from promptctl.reporters import safe

if TYPE_CHECKING:
    from promptctl.publishing import PromptPlan, Snapshot, Step


def plan_text(plans: list[PromptPlan], snap: Snapshot, target: str, url: str, out: TextIO, *, dry_run: bool) -> None:
    out.write(f"{'plan' if dry_run else 'publish'}: {safe(snap.base)} ({snap.commit[:10]}) to {target} at {safe(url)}\n")
    for p in plans:
        shown = p.name if p.remote_name == p.name else f"{p.name} (as {p.remote_name})"
        if p.refused or p.conflicts:
            for why in p.refused:
                out.write(f"  {safe(shown)}: cannot publish {safe(why)}\n")
            for why in p.conflicts:
                out.write(f"  {safe(shown)}: conflict: {safe(why)}; never overwritten, nothing written for it\n")
        elif len(p.steps) == 1:
            out.write(f"  {safe(shown)}: {safe(p.steps[0].describe())}\n")
        elif p.steps:  # one step a line: a plan is read like a diff
            out.write(f"  {safe(shown)}:\n" + "".join(f"    {safe(s.describe())}\n" for s in p.steps))
        else:
            out.write(f"  {safe(shown)}: up to date\n")


def done_text(step: Step, out: TextIO) -> None:
    out.write(f"  done: {safe(step.name)}: {safe(step.describe())}\n")


def summary_text(plans: list[PromptPlan], out: TextIO, *, dry_run: bool) -> None:
    steps = [s for p in plans for s in p.steps]
    created = sum(1 for s in steps if s.action == "create")
    labels = len(steps) - created
    problems = sum(1 for p in plans if p.refused or p.conflicts)
    if not steps and not problems:
        out.write("nothing to publish: the registry follows git\n")
        return
    verb = "would create" if dry_run else "created"
    line = f"{verb} {created} version{'s' if created != 1 else ''}, {'would set' if dry_run else 'set'} {labels} label{'s' if labels != 1 else ''}"
    if problems:
        line += f"; {problems} prompt{'s' if problems != 1 else ''} not published (above)"
    out.write(line + (" (dry run: nothing written)\n" if dry_run else "\n"))


def plan_json(plans: list[PromptPlan], snap: Snapshot, target: str, url: str, out: TextIO, *, dry_run: bool) -> None:
    data = {
        "target": target,
        "url": url,
        "base": snap.base,
        "commit": snap.commit,
        "dry_run": dry_run,
        "prompts": [
            {
                "name": p.name,
                "remote_name": p.remote_name,
                "steps": [s.as_dict() for s in p.steps],
                "conflicts": p.conflicts,
                "refused": p.refused,
            }
            for p in plans
        ],
    }
    out.write(json_dumps(data, indent=2) + "\n")

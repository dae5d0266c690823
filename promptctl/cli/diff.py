from __future__ import annotations

import sys
from enum import Enum
from typing import Annotated, Optional

import typer

from promptctl.cli import exit_with, settings
from promptctl.errors import ExitCode


class DiffFormat(str, Enum):
    text = "text"
    markdown = "markdown"
    json = "json"


class FailOn(str, Enum):
    breaking = "breaking"
    behavioural = "behavioural"
    cosmetic = "cosmetic"
    never = "never"


def diff(
    args: Annotated[
        Optional[list[str]],
        typer.Argument(
            metavar="NAME [A B] | NAME@A NAME@B",
            help="A prompt and two versions or tags; just NAME for latest vs previous.",
            show_default=False,
        ),
    ] = None,
    base: Annotated[Optional[str], typer.Option("--base", metavar="REF", help="Everything a pull request changes against REF.")] = None,
    head: Annotated[Optional[str], typer.Option("--head", metavar="REF", help="With --base: compare REF instead of HEAD.")] = None,
    format: Annotated[DiffFormat, typer.Option("--format", "-f", help="Output format.")] = DiffFormat.text,
    fail_on: Annotated[FailOn, typer.Option("--fail-on", help="Exit 1 when a change is at least this severe.")] = FailOn.never,
) -> None:
    """Show what really changed between versions: settings, words, and a verdict."""
    from promptctl.diffing import ChangeSet, Verdict
    from promptctl.errors import UsageError
    from promptctl.refs import split_spec
    from promptctl.reporters.diff import render_json, render_markdown, render_text
    from promptctl.review import compare, pull_request

    s = settings()
    args = list(args or [])
    changes: ChangeSet | None = None
    if base is not None:
        if args:
            raise UsageError("--base compares a whole pull request; it takes no prompt names", "drop the names, or drop --base")
        changes = pull_request(s, base, head)
        diffs = changes.diffs
    else:
        if head is not None:
            raise UsageError("--head goes with --base", "add --base REF")
        if not args:
            raise UsageError("diff needs a prompt, or --base REF", "e.g. promptctl diff customer-support 2 3")
        if len(args) == 2 and "@" in args[0] and "@" in args[1]:
            (name_a, ref_a), (name_b, ref_b) = split_spec(args[0]), split_spec(args[1])
            if name_a != name_b:
                raise UsageError(f"cannot compare two prompts (`{name_a}` and `{name_b}`)", "compare versions of one prompt")
            diffs = [compare(s, name_a, ref_a, ref_b)]
        elif len(args) in (1, 3):
            name, ref = split_spec(args[0])
            if ref is not None:
                raise UsageError(f"`{args[0]}`: give two versions", f"e.g. promptctl diff {name}@1 {name}@2")
            diffs = [compare(s, name, *(args[1:] if len(args) == 3 else (None, None)))]
        else:
            raise UsageError("diff takes NAME, NAME A B, or NAME@A NAME@B", "e.g. promptctl diff customer-support 2 3")
    if format is DiffFormat.json:
        render_json(changes if changes is not None else diffs, sys.stdout)
    elif format is DiffFormat.markdown:
        render_markdown(changes if changes is not None else diffs, sys.stdout)
    else:
        header = f"Prompt changes against {changes.base_label}" if changes is not None else None
        if changes is not None and not diffs and not changes.tag_moves:
            typer.echo("no prompt changes")
        render_text(
            diffs,
            sys.stdout,
            header=header if diffs or (changes and changes.tag_moves) else None,
            tag_moves=changes.tag_moves if changes is not None else None,
        )
    worst = Verdict.worst(d.verdict for d in diffs)
    exit_with(ExitCode.FINDINGS if fail_on is not FailOn.never and worst.level >= Verdict(fail_on.value).level else ExitCode.CLEAN)

from __future__ import annotations

import os
import sys
from typing import Annotated, Optional

import typer

from promptctl.cli import exit_with, settings
from promptctl.cli.options import Format, FormatOption, StrictOption
from promptctl.errors import ExitCode


def check(
    staged: Annotated[bool, typer.Option("--staged", help="Judge the index (what will be committed): the pre-commit mode.")] = False,
    base: Annotated[
        Optional[str], typer.Option("--base", metavar="REF", help="Judge HEAD against its merge-base with REF: the CI mode.")
    ] = None,
    head: Annotated[Optional[str], typer.Option("--head", metavar="REF", help="With --base: judge REF instead of HEAD.")] = None,
    format: FormatOption = Format.text,
    strict: StrictOption = False,
) -> None:
    """Refuse changes to published versions and tags (append-only).

    With no flag: --staged inside a pre-commit run (the pre-push stage judges the pushed
    commit), otherwise --base with the base branch.
    """
    from promptctl.errors import UsageError
    from promptctl.history import collect, judge
    from promptctl.reporters import reporter

    if staged and (base or head):
        raise UsageError("--staged judges the index; it does not take --base or --head", "use one mode")
    if not staged and base is None and head is None and os.environ.get("PRE_COMMIT"):
        if os.environ.get("PRE_COMMIT_TO_REF"):
            from promptctl.history import pre_push_refs

            base, head = pre_push_refs(settings(), dict(os.environ))  # pre-push: what is pushed
        else:
            staged = True
    report = judge(collect(settings(), staged=staged, base=base, head=head))
    reporter(format.value)(report, sys.stdout)
    exit_with(ExitCode.FINDINGS if report.failed(strict) else ExitCode.CLEAN)

from __future__ import annotations

import os
from typing import Annotated, Optional

import typer

from promptctl.cli import exit_with, settings
from promptctl.cli.options import (
    ExitZeroOption,
    ExtendSelectOption,
    Format,
    FormatOption,
    IgnoreOption,
    OutputFileOption,
    PerFileIgnoresOption,
    QuietOption,
    SelectOption,
    StatisticsOption,
    StrictOption,
)


def check(
    staged: Annotated[bool, typer.Option("--staged", help="Judge the index (what will be committed): the pre-commit mode.")] = False,
    base: Annotated[
        Optional[str], typer.Option("--base", metavar="REF", help="Judge HEAD against its merge-base with REF: the CI mode.")
    ] = None,
    head: Annotated[Optional[str], typer.Option("--head", metavar="REF", help="With --base: judge REF instead of HEAD.")] = None,
    format: FormatOption = Format.text,
    strict: StrictOption = False,
    select: SelectOption = None,
    extend_select: ExtendSelectOption = None,
    ignore: IgnoreOption = None,
    per_file_ignores: PerFileIgnoresOption = None,
    exit_zero: ExitZeroOption = False,
    quiet: QuietOption = False,
    statistics: StatisticsOption = False,
    output_file: OutputFileOption = None,
) -> None:
    """Refuse changes to published versions and tags (append-only).

    With no flag: --staged inside a pre-commit run (the pre-push stage judges the pushed
    commit), otherwise --base with the base branch.
    """
    from promptctl.cli.output import emit, selected
    from promptctl.errors import UsageError
    from promptctl.history import collect, judge

    if staged and (base or head):
        raise UsageError("--staged judges the index; it does not take --base or --head", "use one mode")
    if not staged and base is None and head is None and os.environ.get("PRE_COMMIT"):
        if os.environ.get("PRE_COMMIT_TO_REF"):
            from promptctl.history import pre_push_refs

            base, head = pre_push_refs(settings(), dict(os.environ))  # pre-push: what is pushed
        else:
            staged = True
    history = collect(settings(), staged=staged, base=base, head=head)
    # the judge's own selection comes from the baseline; the command line's is the caller's
    history.settings = selected(history.settings, select, extend_select, ignore, per_file_ignores)
    report = judge(history)
    exit_with(emit(report, format.value, strict=strict, exit_zero=exit_zero, quiet=quiet, statistics=statistics, output_file=output_file))

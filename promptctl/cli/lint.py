from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from promptctl.cli import bulk_allocations, exit_with, settings
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
from promptctl.errors import ExitCode


def lint(
    paths: Annotated[
        Optional[list[Path]], typer.Argument(help="Files or folders to lint. Default: the prompts folder.", show_default=False)
    ] = None,
    format: FormatOption = Format.text,
    strict: StrictOption = False,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Ignore and do not update the cache of unchanged files' results.")] = False,
    base: Annotated[
        Optional[str],
        typer.Option("--base", metavar="REF", help="Report only files the work adds or changes against REF (published files are counted)."),
    ] = None,
    changed: Annotated[bool, typer.Option("--changed", help="--base with the base branch.")] = False,
    only_prompts: Annotated[
        bool, typer.Option("--only-prompts", help="Pass over given files outside the prompts folder (what the pre-commit hook passes).")
    ] = False,
    stdin_filename: Annotated[
        Optional[str], typer.Option("--stdin-filename", metavar="PATH", help="With `-`: the path the text on stdin stands for (editors).")
    ] = None,
    select: SelectOption = None,
    extend_select: ExtendSelectOption = None,
    ignore: IgnoreOption = None,
    per_file_ignores: PerFileIgnoresOption = None,
    exit_zero: ExitZeroOption = False,
    quiet: QuietOption = False,
    statistics: StatisticsOption = False,
    output_file: OutputFileOption = None,
    fix: Annotated[
        bool, typer.Option("--fix", help="Fix what is safe to fix in draft files (never a published one), then report what is left.")
    ] = False,
) -> None:
    """Validate prompt and tags files: YAML, schema, naming, templates, variables.

    With no flag every file is reported (the repository owner's view). With --base or
    --changed only what the change adds or modifies is: a finding on a published file
    can never be fixed there, so it is counted in one line instead."""
    from promptctl.cli.output import emit, selected
    from promptctl.linter import lint as run

    s = selected(settings(), select, extend_select, ignore, per_file_ignores)
    if paths and str(paths[0]) == "-":
        from promptctl.linter import lint_text

        if len(paths) > 1 or not stdin_filename:
            from promptctl.errors import UsageError

            raise UsageError(
                "`lint -` reads one file from stdin and needs --stdin-filename PATH", "e.g. `lint - --stdin-filename prompts/x-v2.yaml`"
            )
        report = lint_text(s, stdin_filename, sys.stdin.buffer.read())
        exit_with(
            emit(report, format.value, strict=strict, exit_zero=exit_zero, quiet=quiet, statistics=statistics, output_file=output_file)
        )
    if only_prompts and paths:
        folder = s.prompts_path.resolve()
        paths = [p for p in paths if folder == p.resolve().parent or folder in p.resolve().parents]
        if not paths:
            typer.echo("no prompt files among the given files")
            exit_with(ExitCode.CLEAN)
    with bulk_allocations():
        report = run(s, list(paths) if paths else None, use_cache=not no_cache)
    if fix:
        from promptctl.fixes import apply

        done = apply(s, report.findings)
        if done.files:
            report = run(s, list(paths) if paths else None, use_cache=not no_cache)
        note = f"Fixed {done.fixed} finding{'s' if done.fixed != 1 else ''} in {len(done.files)} file{'s' if len(done.files) != 1 else ''}."
        if done.published:
            note += f" {done.published} fixable in published files left alone: fix them in a new version (`promptctl bump NAME`)."
        sys.stderr.write(note + "\n")
    if base is not None or changed:
        from promptctl.history import changed_files

        report = report.limited_to(changed_files(s, base))
    exit_with(emit(report, format.value, strict=strict, exit_zero=exit_zero, quiet=quiet, statistics=statistics, output_file=output_file))

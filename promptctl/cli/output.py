"""What lint, check and ci share beyond their options: the rule selection given on the
command line, and where the report goes (format, file, quiet, statistics, exit code)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from promptctl.errors import ExitCode, UsageError

if TYPE_CHECKING:
    from promptctl.config import Settings
    from promptctl.findings import Report


def _ids(option: str, values: list[str] | None) -> tuple[str, ...]:
    import difflib

    from promptctl.rules import known_ids

    known = known_ids()
    out: list[str] = []
    for value in values or []:
        for rule in (r.strip() for r in value.split(",")):
            if not rule:
                continue
            if rule not in known and rule != "ALL":
                close = difflib.get_close_matches(rule, sorted(known), n=1)
                raise UsageError(
                    f"{option} names unknown rule `{rule}`", f"did you mean `{close[0]}`?" if close else "`promptctl rules` lists them"
                )
            out.append(rule)
    return tuple(out)


def selected(
    settings: Settings,
    select: list[str] | None = None,
    extend_select: list[str] | None = None,
    ignore: list[str] | None = None,
    per_file_ignores: list[str] | None = None,
) -> Settings:
    """``settings`` with the command line's rule selection: --select replaces `select`;
    --extend-select, --ignore and --per-file-ignores add to theirs (as ruff's do)."""
    from dataclasses import replace

    changes: dict[str, Any] = {}
    if select:
        changes["select"] = _ids("--select", select)
    if extend_select:
        changes["extend_select"] = settings.extend_select + _ids("--extend-select", extend_select)
    if ignore:
        changes["ignore"] = settings.ignore + _ids("--ignore", ignore)
    if per_file_ignores:
        added = []
        for item in per_file_ignores:
            glob, colon, rules = item.rpartition(":")
            if not colon or not glob:
                raise UsageError(
                    f"--per-file-ignores `{item}` is not GLOB:RULES", "e.g. --per-file-ignores 'prompts/legacy-*:unknown-model'"
                )
            added.append((glob, _ids("--per-file-ignores", [rules])))
        changes["per_file_ignores"] = settings.per_file_ignores + tuple(added)
    return replace(settings, **changes) if changes else settings


def emit(
    report: Report,
    fmt: str,
    *,
    strict: bool = False,
    exit_zero: bool = False,
    quiet: bool = False,
    statistics: bool = False,
    output_file: Path | None = None,
) -> ExitCode:
    """Write the report where it was asked for; the exit code the findings decide."""
    import io

    from promptctl.reporters import reporter, text

    def render(out: TextIO, chosen: str) -> None:
        if statistics and chosen == "text":
            text.statistics(report, out)
        elif statistics and chosen == "json":
            from promptctl.invisible import json_dumps

            rows = [{"rule": rule, "severity": severity, "count": n} for rule, severity, n in report.statistics()]
            out.write(json_dumps(rows, indent=2) + "\n")
        elif chosen == "text":
            text.render(report, out, quiet=quiet)
        else:
            reporter(chosen)(report, out)

    if output_file is not None:
        from promptctl import fsio
        from promptctl.redaction import redact

        buffer = io.StringIO()
        render(buffer, fmt)
        target = output_file if output_file.is_absolute() else Path.cwd() / output_file
        fsio.replace(target, redact(buffer.getvalue()).encode("utf-8"))  # refuses with a one-line error
        render(sys.stdout, "text")
    else:
        render(sys.stdout, fmt)
    return ExitCode.FINDINGS if report.failed(strict) and not exit_zero else ExitCode.CLEAN

"""``--format text``: ``path:line:col: rule message``, the source line with a caret under
the column (as ruff does), and a summary line."""

from __future__ import annotations

from typing import TextIO

from promptctl.findings import Report, Severity
from promptctl.reporters import console, safe


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def render(report: Report, out: TextIO, *, color: bool | None = None) -> None:
    from rich.text import Text

    con = console(out, color)
    for f in report.findings:
        style = "red" if f.severity is Severity.ERROR else "yellow"
        head = Text()
        head.append(safe(f.path), style="bold")
        head.append(f":{f.line}:{f.column}: ")
        head.append(f.rule, style=f"bold {style}")
        if f.severity is Severity.WARNING:
            head.append(" (warning)", style=style)
        head.append(" " + "\n".join(safe(line) for line in f.message.split("\n")))
        con.print(head)
        lines = report.sources.get(f.path, "").split("\n")
        if report.sources.get(f.path) is not None and 1 <= f.line <= len(lines):
            source = lines[f.line - 1]
            shown = safe(source[: f.column - 1])
            gutter = str(f.line)
            pad = " " * len(gutter)
            con.print(Text(f"{pad} |", style="blue"))
            con.print(Text.assemble((f"{gutter} | ", "blue"), safe(source)))
            con.print(Text.assemble((f"{pad} | ", "blue"), (" " * len(shown) + "^", style)))
            con.print()
    if report.findings:
        parts = []
        if report.errors:
            parts.append(_plural(report.errors, "error"))
        if report.warnings:
            parts.append(_plural(report.warnings, "warning"))
        files = len({f.path for f in report.findings})
        con.print(Text(f"Found {' and '.join(parts)} in {_plural(files, 'file')} ({_plural(report.files_checked, 'file')} checked).", style="bold"))
    else:
        con.print(Text(f"All checks passed ({_plural(report.files_checked, 'file')} checked).", style="bold green"))

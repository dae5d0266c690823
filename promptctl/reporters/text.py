"""``--format text``: ``path:line:col: rule message``, the source line with a caret under
the column (as ruff does), and a summary line. Written with plain ANSI codes rather than
rich: this is the pre-commit hook's output, and it should not pay for a layout engine."""

from __future__ import annotations

from typing import TextIO

from promptctl.findings import Report, Severity
from promptctl.reporters import safe, use_color

# Rules whose message continues on further lines by design (a diff of the edit), each
# continuation starting with a marker of its own. Any other message is one line: a
# newline in a file name must not print a line of its own (`::warning …` at column 0
# is a GitHub workflow command).
MULTILINE_RULES = frozenset({"modified-version"})

_CODES = {"bold": "1", "red": "31", "yellow": "33", "blue": "34", "green": "32"}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


WINDOW = 120  # characters of a quoted source line; a 150 KB single line is shown around the column


def window(text: str, column: int) -> tuple[str, str]:
    """The quoted part of a source line, terminal-safe, split at the column: the whole
    line when it is short, else about :data:`WINDOW` characters around the column with
    `…` where it is cut."""
    index = max(0, min(column - 1, len(text)))
    if len(text) <= WINDOW:
        return safe(text[:index]), safe(text[index:])
    start = max(0, min(index - WINDOW // 2, len(text) - WINDOW))
    end = start + WINDOW
    return ("…" if start else "") + safe(text[start:index]), safe(text[index:end]) + ("…" if end < len(text) else "")


def render(report: Report, out: TextIO, *, color: bool | None = None, quiet: bool = False) -> None:
    """``quiet``: the summary line only."""
    colored = use_color(out, color)

    def style(*styles: str) -> tuple[str, str]:
        """The codes that start and end ``styles`` (none without colour)."""
        return (f"\x1b[{';'.join(_CODES[s] for s in styles)}m", "\x1b[0m") if colored else ("", "")

    def paint(text: str, *styles: str) -> str:
        start, end = style(*styles)
        return f"{start}{text}{end}"

    bold, blue = style("bold"), style("blue")
    tones = {  # severity -> (its colour, the rule's style, the label after the rule)
        Severity.ERROR: (style("red"), style("bold", "red"), ""),
        Severity.WARNING: (style("yellow"), style("bold", "yellow"), paint(" (warning)", "yellow")),
    }
    shown: dict[str, str] = {}
    lines: list[str] = []
    for f in [] if quiet else report.findings:
        tone, rule, label = tones[f.severity]
        message = "\n".join(safe(line) for line in f.message.split("\n")) if f.rule in MULTILINE_RULES else safe(f.message)
        path = shown.get(f.path)
        if path is None:
            path = shown[f.path] = safe(report.shown_path(f.path))
        lines.append(f"{bold[0]}{path}{bold[1]}:{f.line}:{f.column}: {rule[0]}{f.rule}{rule[1]}{label} {message}")
        quoted = report.source_line(f.path, f.line)
        if quoted is not None:
            before, after = window(quoted, f.column)
            gutter = str(f.line)
            pad = " " * len(gutter)
            lines += (
                f"{blue[0]}{pad} |{blue[1]}",
                f"{blue[0]}{gutter} | {blue[1]}{before}{after}",
                f"{blue[0]}{pad} | {blue[1]}{tone[0]}{' ' * len(before)}^{tone[1]}",
                "",
            )
    if report.findings:
        parts = []
        if report.errors:
            parts.append(_plural(report.errors, "error"))
        if report.warnings:
            parts.append(_plural(report.warnings, "warning"))
        files = len({f.path for f in report.findings})
        lines.append(
            paint(f"Found {' and '.join(parts)} in {_plural(files, 'file')} ({_plural(report.files_checked, 'file')} checked).", "bold")
        )
    else:
        lines.append(paint(f"All checks passed ({_plural(report.files_checked, 'file')} checked).", "bold", "green"))
    if report.outside_note:
        lines.append(report.outside_note)
    out.write("\n".join(lines) + "\n")


def statistics(report: Report, out: TextIO) -> None:
    """Findings counted by rule, most frequent first (ruff's --statistics)."""
    rows = report.statistics()
    width = max((len(str(n)) for _, _, n in rows), default=1)
    for rule, severity, n in rows:
        out.write(f"{n:>{width}}  {rule:<22} {severity}\n")
    if not rows:
        out.write(f"All checks passed ({_plural(report.files_checked, 'file')} checked).\n")

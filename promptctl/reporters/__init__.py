"""Output formats. Each is a projection of a :class:`~promptctl.findings.Report`,
looked up by name; machine formats never pass through rich (no colour, no wrapping)."""

from __future__ import annotations

from importlib import import_module
from typing import Any, Literal, Protocol, TextIO

from promptctl.findings import Report
from promptctl.invisible import escape

Format = Literal["text", "json", "github", "sarif", "gitlab"]
REPORTER_BY_NAME: dict[str, str] = {
    "text": "promptctl.reporters.text",
    "json": "promptctl.reporters.json",
    "github": "promptctl.reporters.github",
    "sarif": "promptctl.reporters.sarif",
    "gitlab": "promptctl.reporters.gitlab",
}


class Reporter(Protocol):
    def __call__(self, report: Report, out: TextIO, *, color: bool | None = None) -> None: ...


def reporter(name: str) -> Reporter:
    module = import_module(REPORTER_BY_NAME[name])
    render: Reporter = module.render
    return render


def safe(text: str) -> str:
    """Text fit for a terminal: hidden characters and line breaks shown as ``<U+XXXX>``
    (see :mod:`promptctl.invisible`), instead of acting on the terminal or hiding."""
    return escape(text)


def console(out: TextIO, color: bool | None) -> Any:
    """The one rich Console: colour on a TTY unless NO_COLOR is set (or color=False)."""
    from rich.console import Console

    tty = hasattr(out, "isatty") and out.isatty()
    return Console(
        file=out,
        width=None if tty else 240,
        highlight=False,
        soft_wrap=True,
        emoji=False,
        markup=False,
        no_color=(color is False) or None,
        force_terminal=True if color else None,
    )

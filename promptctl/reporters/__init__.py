"""Output formats. Each is a projection of a :class:`~promptctl.findings.Report`,
looked up by name; machine formats never pass through rich (no colour, no wrapping)."""

from __future__ import annotations

import os
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


COLOR: bool | None = None  # --color: True always, False never, None auto (set by the CLI)


def use_color(out: TextIO, color: bool | None = None) -> bool:
    """Whether to colour ``out``, decided in one place: an explicit ``color``, else
    `--color`, else FORCE_COLOR, NO_COLOR and TERM=dumb, else whether it is a terminal."""
    if color is not None:
        return color
    if COLOR is not None:
        return COLOR
    if os.environ.get("FORCE_COLOR", "") not in ("", "0"):
        return True
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return hasattr(out, "isatty") and out.isatty()


def console(out: TextIO, color: bool | None) -> Any:
    """The one rich Console, coloured as :func:`use_color` decides."""
    from rich.console import Console

    tty = hasattr(out, "isatty") and out.isatty()
    colored = use_color(out, color)
    return Console(
        file=out,
        width=None if tty else 240,
        highlight=False,
        soft_wrap=True,
        emoji=False,
        markup=False,
        no_color=not colored,
        force_terminal=True if colored else None,
    )

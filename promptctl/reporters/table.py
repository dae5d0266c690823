"""Tables (``list``, ``tags``, ``log``, ``cost``) as text or JSON: one projection of the
rows per format, looked up by name.

Text on a terminal is aligned in columns and never cut: a long name or model id widens
its column (the terminal wraps it, as ``gh`` lets it). Text into a pipe or a file is one
row per line, cells separated by a tab, without the header, padding or notes — ready
for ``cut``, ``awk`` and ``sort``. Every cell is made terminal-safe. Plain writes, no layout
engine: a table costs what its JSON costs.
"""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TextIO

from promptctl.invisible import escape, json_dumps
from promptctl.reporters import use_color


@dataclass
class Table:
    columns: list[str]
    rows: list[dict[str, Any]]  # the data, as JSON shows it
    cells: Callable[[dict[str, Any]], list[str]]  # a row as text cells
    right: tuple[str, ...] = ()  # columns aligned right
    empty: str = ""  # said instead of an empty table (text only)
    notes: list[str] = field(default_factory=list)  # lines after the table (text only)
    extra: dict[str, Any] = field(default_factory=dict)  # JSON: keys beside the rows …
    key: str = "rows"  # … which then stand under this key


def _json(table: Table, out: TextIO) -> None:
    payload: Any = {**table.extra, table.key: table.rows} if table.extra else table.rows
    out.write(json_dumps(payload, indent=2) + "\n")


def _text(table: Table, out: TextIO) -> None:
    if not table.rows:
        if table.empty:
            out.write(escape(table.empty) + "\n")
        return
    # a tab inside a cell would split it in a pipe and misalign it on a terminal
    body = [[escape(cell).replace("\t", "<U+0009>") for cell in table.cells(row)] for row in table.rows]
    if not (hasattr(out, "isatty") and out.isatty()):
        out.write("".join("\t".join(cells) + "\n" for cells in body))
        return  # rows only: the notes are for people (and in the JSON)
    color = use_color(out)
    widths = [max(len(c) for c in column) for column in zip(table.columns, *body, strict=True)]
    # On a narrow terminal the last column (prose: a summary, a subject, tags) wraps
    # under itself; every other cell — names and model ids among them — stays whole.
    start = sum(widths[:-1]) + 2 * (len(widths) - 1)
    room = shutil.get_terminal_size().columns - start
    wrap = widths[-1] > room >= 20

    def lines(cells: list[str]) -> list[str]:
        padded = [c.rjust(w) if name in table.right else c.ljust(w) for c, w, name in zip(cells, widths, table.columns, strict=True)]
        first = "  ".join(padded[:-1])
        parts = textwrap.wrap(cells[-1], room, break_long_words=False, break_on_hyphens=False) if wrap else []
        if len(parts) < 2:
            return [(first + "  " + cells[-1]).rstrip()]
        return [(first + "  " + parts[0]).rstrip(), *(" " * start + part for part in parts[1:])]

    header = lines(table.columns)[0]
    out.write((f"\x1b[1m{header}\x1b[0m" if color else header) + "\n")
    out.write("".join(text + "\n" for cells in body for text in lines(cells)))
    for note in table.notes:
        out.write(escape(note) + "\n")


FORMATS: dict[str, Callable[[Table, TextIO], None]] = {"text": _text, "json": _json}


def render(table: Table, out: TextIO, fmt: str) -> None:
    FORMATS[fmt](table, out)

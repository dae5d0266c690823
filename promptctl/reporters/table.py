"""Tables (``list``, ``tags``, ``log``, ``cost``) as text or JSON: one projection of the
rows per format, looked up by name.

Text on a terminal is aligned in columns and never cut: a long name or model id widens
its column (the terminal wraps it, as ``gh`` lets it). Text into a pipe or a file is one
row per line, cells separated by a tab, without the header, padding or notes — ready
for ``cut``, ``awk`` and ``sort``. Every cell is made terminal-safe. Plain writes, no layout
engine: a table costs what its JSON costs.
"""

from __future__ import annotations

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
    else:
        color = use_color(out)
        widths = [max(len(c) for c in column) for column in zip(table.columns, *body, strict=True)]

        def line(cells: list[str]) -> str:
            padded = [c.rjust(w) if name in table.right else c.ljust(w) for c, w, name in zip(cells, widths, table.columns, strict=True)]
            return "  ".join(padded).rstrip()

        header = line(table.columns)
        out.write((f"\x1b[1m{header}\x1b[0m" if color else header) + "\n")
        out.write("".join(line(cells) + "\n" for cells in body))
    for note in table.notes:
        out.write(escape(note) + "\n")


FORMATS: dict[str, Callable[[Table, TextIO], None]] = {"text": _text, "json": _json}


def render(table: Table, out: TextIO, fmt: str) -> None:
    FORMATS[fmt](table, out)

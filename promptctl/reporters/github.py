"""``--format github``: GitHub Actions workflow commands, one annotation per finding."""

from __future__ import annotations

from typing import TextIO

from promptctl.findings import Report, capped


def data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: Report, out: TextIO, *, color: bool | None = None) -> None:
    for f in report.findings:
        level = "error" if f.severity.value == "error" else "warning"
        out.write(
            f"::{level} file={_property(report.repository_path(f.path))},line={f.line},col={f.column},"
            f"title={_property('promptctl ' + f.rule)}::{data(capped(f.message))}\n"
        )
    if report.outside_note:
        out.write(f"::notice title=promptctl::{data(report.outside_note)}\n")

"""``--format json``: ``{"version": 1, "findings": [...], "summary": {...}}``."""

from __future__ import annotations

from typing import TextIO

from promptctl.findings import Report
from promptctl.invisible import json_dumps


def render(report: Report, out: TextIO, *, color: bool | None = None) -> None:
    summary: dict[str, object] = {"files": report.files_checked, "errors": report.errors, "warnings": report.warnings}
    if report.outside[0]:
        summary["outside_change"] = {"findings": report.outside[0], "files": report.outside[1]}
    payload = {
        "version": 1,
        "findings": [{**f.as_dict(), "path": report.repository_path(f.path)} for f in report.findings],
        "summary": summary,
    }
    out.write(json_dumps(payload, indent=2) + "\n")

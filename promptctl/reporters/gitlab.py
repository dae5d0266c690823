"""``--format gitlab``: a GitLab code-quality report (the Code Climate JSON subset GitLab
reads), so merge requests show findings inline."""

from __future__ import annotations

import hashlib
from typing import TextIO

from promptctl.findings import Report, capped
from promptctl.invisible import json_dumps


def render(report: Report, out: TextIO, *, color: bool | None = None) -> None:
    issues = []
    for f in report.findings:
        fingerprint = hashlib.sha256(f"{f.path}\0{f.line}\0{f.column}\0{f.rule}\0{f.message}".encode()).hexdigest()
        issues.append(
            {
                "type": "issue",
                "check_name": f.rule,
                "description": capped(f"{f.rule}: {f.message}"),
                "categories": ["Bug Risk"],
                "severity": "major" if f.severity.value == "error" else "minor",
                "fingerprint": fingerprint,
                "location": {"path": report.repository_path(f.path), "lines": {"begin": f.line}},
            }
        )
    out.write(json_dumps(issues, indent=2) + "\n")

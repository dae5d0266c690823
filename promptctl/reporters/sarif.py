"""``--format sarif``: SARIF 2.1.0 with the full rule catalogue, for code scanning."""

from __future__ import annotations

from typing import Any, TextIO

from promptctl._version import __version__
from promptctl.findings import Report
from promptctl.invisible import json_dumps

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def render(report: Report, out: TextIO, *, color: bool | None = None) -> None:
    from promptctl.rules import REGISTRY

    ids = sorted(REGISTRY)
    index = {rule_id: i for i, rule_id in enumerate(ids)}
    rules: list[dict[str, Any]] = []
    for rule_id in ids:
        rule = REGISTRY[rule_id]
        rules.append(
            {
                "id": rule.id,
                "name": "".join(part.capitalize() for part in rule.id.split("-")),
                "shortDescription": {"text": rule.summary},
                "fullDescription": {"text": rule.doc},
                "help": {"text": rule.doc},
                "defaultConfiguration": {"level": rule.severity.value, "enabled": rule.default},
            }
        )
    results = []
    for f in report.findings:
        result: dict[str, Any] = {
            "ruleId": f.rule,
            "level": f.severity.value,
            "message": {"text": f.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": report.repository_path(f.path), "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": f.line, "startColumn": f.column},
                    }
                }
            ],
        }
        if f.rule in index:
            result["ruleIndex"] = index[f.rule]
        results.append(result)
    sarif = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "promptctl",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": "https://pypi.org/project/promptctl-git/",
                        "rules": rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    out.write(json_dumps(sarif, indent=2) + "\n")

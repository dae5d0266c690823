"""The versions of a prompt skip a number.

Why: versions run 1, 2, 3 ... so that "the one before" is always defined; a gap
usually means a file was deleted or misnamed. The finding is reported on the first
file after the gap.

Example (fails): `greeting-v1.yaml` and `greeting-v3.yaml` with no `greeting-v2.yaml`.

Fix: restore or rename the missing version.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from promptctl.findings import Finding, Severity
from promptctl.rules.base import ProjectContext, ProjectRule


def check(project: ProjectContext) -> Iterator[Finding]:
    versions: dict[str, dict[int, str]] = defaultdict(dict)
    for p in project.all_paths:
        if p.kind == "version" and p.name and p.version:
            versions[p.name].setdefault(p.version, p.rel)
    for name, by_number in versions.items():
        expected = 1
        for number in sorted(by_number):
            rel = by_number[number]
            if number != expected and rel in project.linted:
                missing = f"version {expected}" if number == expected + 1 else f"versions {expected}-{number - 1}"
                yield RULE.at(rel, (1, 1), f"`{name}` has no {missing} before v{number}")
            expected = number + 1


RULE = ProjectRule("version-gap", Severity.ERROR, __doc__, check=check)

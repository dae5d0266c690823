"""A prompt on the production channel names no owners (opt-in).

Why: someone must review changes to what runs in production; `owners` feeds
`promptctl codeowners`, which makes those reviewers required on GitHub. This rule
applies to the version the `production` tag points at. Enable it with
`extend_select = ["missing-owners"]`.

Fix: add `owners: ["@your-org/your-team"]` (in a new version).
"""

from __future__ import annotations

from collections.abc import Iterator

from promptctl.findings import Finding, Severity
from promptctl.rules.base import ProjectContext, ProjectRule


def check(project: ProjectContext) -> Iterator[Finding]:
    for facts in project.production_versions():
        if not facts.owners:
            yield RULE.at(facts.rel, (1, 1), f"{facts.name}@{facts.version} is on production but names no owners")


RULE = ProjectRule("missing-owners", Severity.ERROR, __doc__, default=False, check=check)

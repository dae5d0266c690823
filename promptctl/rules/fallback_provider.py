"""A prompt on the production channel has no fallback on another provider (opt-in).

Why: when the primary provider has an outage, a fallback on the same provider fails
with it. This rule applies to the version the `production` tag points at: it needs at
least one fallback, and no fallback may repeat the primary's provider. Enable it with
`extend_select = ["fallback-provider"]`.

Example (fails): production on a `claude-...` model whose only fallback is another
`claude-...` model.

Fix: add a fallback on a different provider (with its own system prompt if needed).
"""

from __future__ import annotations

from collections.abc import Iterator

from promptctl.findings import Finding, Severity
from promptctl.rules.base import ProjectContext, ProjectRule


def check(project: ProjectContext) -> Iterator[Finding]:
    from promptctl.models import provider_of

    for facts in project.production_versions():
        if not facts.model:
            continue
        primary = provider_of(facts.model)
        if not facts.fallback_models:
            yield RULE.at(facts.rel, (1, 1), f"{facts.name}@{facts.version} is on production but has no fallback on another provider")
            continue
        for model in facts.fallback_models:
            if provider_of(model) == primary:
                yield RULE.at(
                    facts.rel, (1, 1), f"fallback `{model}` of {facts.name}@{facts.version} repeats the primary's provider ({primary})"
                )


RULE = ProjectRule("fallback-provider", Severity.ERROR, __doc__, default=False, check=check)

"""A tag points at a version that does not exist.

Why: `load_prompt(name, tag=...)`, `render NAME@TAG` and deployments resolve tags to
version files; a tag that points nowhere fails at run time.

Example (fails): `production: 4` in `prompts/greeting.tags.yaml` with only v1-v3.

Fix: point the tag at an existing version, or add the version first.
"""

from __future__ import annotations

from collections.abc import Iterator

from promptctl.findings import Finding, Severity
from promptctl.rules.base import ProjectContext, ProjectRule


def check(project: ProjectContext) -> Iterator[Finding]:
    versions: dict[str, set[int]] = {}
    for p in project.all_paths:
        if p.kind == "version" and p.name and p.version:
            versions.setdefault(p.name, set()).add(p.version)
    for facts in project.facts.values():
        if facts.kind != "tags" or not facts.tags or not facts.name:
            continue
        have = versions.get(facts.name, set())
        for tag, target in facts.tags.items():
            if not isinstance(target, int) or isinstance(target, bool):
                continue  # the schema rule reports it
            if target not in have:
                known = ", ".join(f"v{n}" for n in sorted(have)) or "none"
                line, col = facts.tag_positions.get(tag, (1, 1))
                yield RULE.at(
                    facts.rel, (line, col), f"tag `{tag}` points at v{target}, but `{facts.name}` has no such version (versions: {known})"
                )


RULE = ProjectRule("tag-target", Severity.ERROR, __doc__, check=check)

"""Two paths, or two files of one version, that are the same thing on some machines.

Why: macOS and Windows file systems ignore case, and Unicode has several ways to write
the same name (`é` as one code point or as `e` plus an accent); two such files check out
as one on a colleague's laptop and one silently wins. Likewise a version written in both
layouts (`greeting-v2.yaml` and `greeting/v2.yaml`) has two contents for one id.

Example (fails): `prompts/Greeting-v1.yaml` beside `prompts/greeting-v1.yaml`.

Fix: keep one of them.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterator

from promptctl.findings import Finding, Severity
from promptctl.rules.base import ProjectContext, ProjectRule


def check(project: ProjectContext) -> Iterator[Finding]:
    paths = project.all_paths
    keys = [p.rel.lower() if p.rel.isascii() else unicodedata.normalize("NFKC", p.rel).casefold() for p in paths]
    ids = [(p.name, p.version) for p in paths if p.kind == "version" and p.name and p.version]
    if len(set(keys)) == len(keys) and len(set(ids)) == len(ids):
        return  # the usual case, decided without grouping
    folded: dict[str, list[str]] = defaultdict(list)
    identity: dict[tuple[str, int], list[str]] = defaultdict(list)
    for p, key in zip(paths, keys, strict=True):
        folded[key].append(p.rel)
        if p.kind == "version" and p.name and p.version:
            identity[(p.name, p.version)].append(p.rel)
    for group in folded.values():
        if len(group) > 1:
            first, *others = sorted(group)
            for rel in others:
                if rel in project.linted:
                    yield RULE.at(
                        rel, (1, 1), f"`{rel}` and `{first}` are the same path on case-insensitive or Unicode-normalising file systems"
                    )
    for (name, version), group in identity.items():
        if len(group) > 1:
            first, *others = sorted(group)
            for rel in others:
                if rel in project.linted:
                    yield RULE.at(rel, (1, 1), f"{name}@{version} is defined twice: `{rel}` and `{first}`")


RULE = ProjectRule("name-collision", Severity.ERROR, __doc__, check=check)

"""The file's path does not follow the layout.

Why: a prompt's name and version come from its path: `prompts/<name>-v<N>.yaml`
(flat) or `prompts/<name>/v<N>.yaml` (nested), with sub-folders as namespaces and tags
in `<name>.tags.yaml` or `<name>/tags.yaml`. Names are lowercase kebab-case; versions
are whole numbers from 1 without leading zeros; the extension is `.yaml`.

Example (fails): `prompts/Customer_Support-v01.yml`

Fix: rename the file, e.g. `prompts/customer-support-v1.yaml`.
"""

from __future__ import annotations

from collections.abc import Iterator

from promptctl.findings import Finding, Severity
from promptctl.rules.base import DocumentRule, FileContext


def check(ctx: FileContext) -> Iterator[Finding]:
    if ctx.where.problem:
        yield ctx.finding(RULE, (1, 1), ctx.where.problem)


RULE = DocumentRule("filename", Severity.ERROR, __doc__, check=check)

"""The `version:` field differs from the N in the file name.

Why: the file name is how promptctl, git and reviewers find a version; the field is
what an application sees. They must agree.

Example (fails): `prompts/customer-support-v3.yaml` containing `version: 2` — or
`version: 3.0` or `0x3`, which YAML reads as 3 but a reader does not.

Fix: make the field equal the number in the file name (to make a new version, use
`promptctl bump NAME`, which sets both).
"""

from __future__ import annotations

from collections.abc import Iterator

from promptctl.findings import Finding, Severity
from promptctl.rules.base import DocumentRule, FileContext


def check(ctx: FileContext) -> Iterator[Finding]:
    expected = ctx.where.version
    written = ctx.doc.data.get("version")
    if expected is None or ctx.where.kind != "version":
        return
    text = ctx.doc.written(("version",))
    if (
        isinstance(written, (int, float))
        and not isinstance(written, bool)
        and written == expected
        and text is not None
        and text != str(expected)
    ):
        # `1.0`, `0x1`, `0o1`, `1_0`: YAML reads a number, but not the one a reader sees
        yield ctx.finding(RULE, ctx.doc.value_position(("version",)), f"`version: {text}`: write the integer {expected}")
        return
    if isinstance(written, int) and not isinstance(written, bool) and written != expected:
        text = ctx.doc.written(("version",)) or str(written)
        shown = text if text == str(written) else f"{text}` (read as {written})"
        shown = f"`version: {shown}" + ("`" if text == str(written) else "")
        yield ctx.finding(RULE, ctx.doc.value_position(("version",)), f"{shown} but the file name says v{expected}")


RULE = DocumentRule("version-mismatch", Severity.ERROR, __doc__, check=check)

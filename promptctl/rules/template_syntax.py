"""A prose field is not a valid Jinja2 template, or reaches outside the prompt.

Why: `system`, `user`, each message's `content` and a fallback's `system` are Jinja2
templates (unless the file says `template_format: none`). A syntax error would fail
at run time, in production. `include`, `import`, `extends` and `from ... import` are
refused: a prompt is self-contained and rendering never touches the file system.
Templates are only parsed, never compiled or rendered, during lint. The position is
the line in the file, not in the block.

Example (fails):

    system: |
      Hello {{ customer_name }

Fix: close the tag — or, for a prompt that quotes braces literally (code samples,
other template languages), set `template_format: none`.
"""

from __future__ import annotations

from collections.abc import Iterator

from promptctl.findings import Finding, Severity
from promptctl.rules.base import DocumentRule, FileContext
from promptctl.templating.language import foreign_hint


def check(ctx: FileContext) -> Iterator[Finding]:
    for path, parsed in ctx.templates():
        if parsed.error:
            line, message = parsed.error
            line, needle, message = _where(parsed.source, line, message)
            yield ctx.finding(RULE, ctx.doc.locate_in_value(path, line, needle), f"template: {message}{foreign_hint(parsed.source)}")
        for line, tag in parsed.forbidden:
            yield ctx.finding(
                RULE, ctx.doc.locate_in_value(path, line, "{%"), f"`{tag}` is not allowed: a prompt is self-contained and never reads files"
            )


def _where(source: str, line: int, message: str) -> tuple[int, str | None, str]:
    """The template line, a needle that marks the error on it, and the message — with
    Jinja2's offset into the template (`at 14`) turned into a place in the file."""
    import re

    char = re.search(r"unexpected char (.+?) at (\d+)$", message)
    if char:
        offset = int(char.group(2))
        line = source.count("\n", 0, offset) + 1
        rest = source[offset:].split("\n", 1)[0]
        return line, rest or None, message[: char.start(2) - 4]
    lines = source.split("\n")
    text = lines[line - 1] if 1 <= line <= len(lines) else ""
    tag = re.search(r"unknown tag '(\w+)'", message) or re.search(r"block that needs to be closed is '(\w+)'", message)
    if tag:
        found = list(re.finditer(r"\{%-?\s*" + re.escape(tag.group(1)) + r"\b", text))
        if found:
            return line, found[-1].group(), message
    return line, _needle(source, line), message


def _needle(source: str, line: int) -> str | None:
    lines = source.split("\n")
    if 1 <= line <= len(lines):
        text = lines[line - 1]
        for opener in ("{{", "{%", "{#"):
            if opener in text:
                return opener
        return text.strip()[:20] or None
    return None


RULE = DocumentRule("template-syntax", Severity.ERROR, __doc__, check=check)

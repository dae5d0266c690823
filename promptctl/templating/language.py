"""What the template language is, for every part of the templating package: the names
Jinja2 gives every template, the tags a prompt may not use, and the one error type."""

from __future__ import annotations

import re

JINJA_GLOBALS = frozenset(
    {"range", "dict", "lipsum", "cycler", "joiner", "namespace", "loop", "caller", "varargs", "kwargs", "self", "super"}
)
FORBIDDEN_TAGS = {"Include": "include", "Import": "import", "FromImport": "from ... import", "Extends": "extends"}


class RenderError(Exception):
    """A template or its variables could not be rendered. ``line`` is the 1-based line
    inside the template (None when unknown)."""

    def __init__(self, message: str, line: int | None = None, kind: str = "render") -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.kind = kind  # "render", "undefined", "limit", "syntax", "variables"


# Braces that belong to another template language: text written for it reads as broken
# or undeclared Jinja2. Each with what it looks like, in the order they are tried.
_FOREIGN = [
    (re.compile(r"\$\{\{"), "GitHub Actions expressions (`${{ … }}`)"),
    (re.compile(r"\{\{\s*[#/^>!]"), "Handlebars or Mustache (`{{#each}}`, `{{/if}}`)"),
    (re.compile(r"=\{\{"), "JSX attributes (`style={{ … }}`)"),
    (re.compile(r"\{\{\s*\.[A-Za-z]"), "Go templates (`{{ .Name }}`)"),
    (re.compile(r"\{\{[A-Z][A-Z0-9_]*\}\}"), "placeholders of another tool (`{{HOME}}`)"),
]


def foreign_syntax(source: str) -> str | None:
    """Which other template language ``source`` seems to hold, if any."""
    for pattern, what in _FOREIGN:
        if pattern.search(source):
            return what
    return None


def foreign_hint(source: str) -> str:
    """A sentence for a template finding when the text may not be Jinja2 at all."""
    what = foreign_syntax(source)
    if what is None:
        return ""
    return f"; the text may be another template language ({what}): add `template_format: none` to keep its braces literal"

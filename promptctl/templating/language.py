"""What the template language is, for every part of the templating package: the names
Jinja2 gives every template, the tags a prompt may not use, and the one error type."""

from __future__ import annotations

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

"""Sandboxed, strict Jinja2.

Lint only *parses* templates (``Environment.parse``): it never compiles or renders
them, because compiling runs the constant folder, which an expression like
``{{ 9 ** 9 ** 9 }}`` turns into a hang.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Names Jinja2 provides to every template; using them is not using a variable.
JINJA_GLOBALS = frozenset({"range", "dict", "lipsum", "cycler", "joiner", "namespace", "loop", "caller", "varargs", "kwargs", "self", "super"})
FORBIDDEN_TAGS = {"Include": "include", "Import": "import", "FromImport": "from ... import", "Extends": "extends"}

_env: Any = None


def environment() -> Any:
    global _env
    if _env is None:
        from jinja2 import StrictUndefined
        from jinja2.sandbox import ImmutableSandboxedEnvironment

        _env = ImmutableSandboxedEnvironment(
            undefined=StrictUndefined,
            autoescape=False,
            keep_trailing_newline=True,
            optimized=False,
        )
    return _env


@dataclass
class ParsedTemplate:
    source: str
    error: tuple[int, str] | None = None  # (1-based line in the template, message)
    # variable name -> 1-based lines in the template where it is read
    uses: dict[str, list[int]] = field(default_factory=dict)
    forbidden: list[tuple[int, str]] = field(default_factory=list)


def parse(source: str) -> ParsedTemplate:
    from jinja2 import TemplateSyntaxError, nodes

    result = ParsedTemplate(source)
    try:
        ast = environment().parse(source)
        names = list(ast.find_all(nodes.Name))
        blocks = list(ast.find_all((nodes.Macro, nodes.CallBlock)))
        forbidden = [(node.lineno, tag) for name, tag in FORBIDDEN_TAGS.items() for node in ast.find_all(getattr(nodes, name))]
    except TemplateSyntaxError as exc:
        result.error = (exc.lineno or 1, exc.message or "invalid template")
        return result
    except RecursionError:
        # The parser and the tree walk recurse once per nesting level.
        result.error = (1, "the template nests too deeply to be read")
        return result
    stored: set[str] = {node.name for node in names if node.ctx in ("store", "param")}
    for block in blocks:
        stored.update(arg.name for arg in block.args)
        if isinstance(block, nodes.Macro):
            stored.add(block.name)
    for node in names:
        if node.ctx == "load" and node.name not in stored and node.name not in JINJA_GLOBALS:
            result.uses.setdefault(node.name, []).append(node.lineno)
    result.forbidden = sorted(forbidden)
    return result

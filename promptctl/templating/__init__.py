"""Sandboxed, strict Jinja2: reading templates (what lint needs to know) and rendering
them.

- :mod:`.language` — Jinja2's global names, forbidden tags, :class:`RenderError`;
- :mod:`.subset` — the common subset (placeholders, `if`, `for` over a list, a few
  filters), read and rendered without Jinja2, with the same result;
- :mod:`.reader` — everyday Jinja read into Jinja2's own tree without Jinja2's parser
  (anything else, and every syntax error, is Jinja2's to parse);
- :mod:`.walker` — such trees rendered by walking them with Jinja2's own filters, tests
  and sandbox, without compiling them;
- :mod:`.sandbox` — every other template, compiled without constant folding (which would
  run ``{{ 9 ** 9 ** 9 }}`` outside the limits) and rendered in Jinja2's sandbox;
- :mod:`.isolation` — the CLI's child process with hard time and memory limits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from promptctl.templating.language import FORBIDDEN_TAGS, JINJA_GLOBALS, RenderError
from promptctl.templating.sandbox import compile_template, remember_parse, render_environment, render_jinja

if TYPE_CHECKING:
    from promptctl.templating.reader import Facts
    from promptctl.templating.subset import Program

__all__ = [
    "FORBIDDEN_TAGS",
    "JINJA_GLOBALS",
    "ParsedTemplate",
    "RenderError",
    "compile_template",
    "parse",
    "render",
    "render_environment",
    "render_jinja",
    "subset_program",
]


@dataclass
class ParsedTemplate:
    source: str
    error: tuple[int, str] | None = None  # (1-based line in the template, message)
    # variable name -> 1-based lines in the template where it is read
    uses: dict[str, list[int]] = field(default_factory=dict)
    forbidden: list[tuple[int, str]] = field(default_factory=list)


_programs: dict[str, Program | None] = {}


def subset_program(source: str) -> Program | None:
    """The template compiled by :mod:`promptctl.templating.subset`, or None when it needs
    Jinja2. Kept for the few templates of one file: lint parses, then renders examples."""
    try:
        return _programs[source]
    except KeyError:
        pass
    from promptctl.templating import subset as template_subset

    if len(_programs) > 16:
        _programs.clear()
    program = _programs[source] = template_subset.compile(source)
    return program


def parse(source: str) -> ParsedTemplate:
    """What lint needs to know of a template: its syntax error, the variables it reads
    (lines sorted), and the tags it may not use."""
    program = subset_program(source)
    if program is not None:
        return ParsedTemplate(source, uses={name: list(lines) for name, lines in program.uses.items()})
    return _parse_jinja(source)


def _parse_jinja(source: str) -> ParsedTemplate:
    result = ParsedTemplate(source)
    from jinja2 import TemplateSyntaxError, nodes

    try:
        facts = _read(source)
    except TemplateSyntaxError as exc:
        result.error = (exc.lineno or 1, exc.message or "invalid template")
        return result
    except RecursionError:
        # The parser and the tree walk recurse once per nesting level.
        result.error = (1, "the template nests too deeply to be read")
        return result
    remember_parse(source, facts.tree)  # example-render compiles this very tree instead of parsing again
    result.forbidden = sorted(facts.forbidden)
    stored: set[str] = {node.name for node in facts.names if node.ctx in ("store", "param")}
    for block in facts.blocks:
        stored.update(arg.name for arg in block.args)
        if isinstance(block, nodes.Macro):
            stored.add(block.name)
    for node in facts.names:
        if node.ctx == "load" and node.name not in stored and node.name not in JINJA_GLOBALS:
            result.uses.setdefault(node.name, []).append(node.lineno)
    for lines in result.uses.values():
        lines.sort()
    return result


def _tree(source: str) -> Any:
    """The parsed tree of ``source`` (the one lint just parsed, when there is one), or
    None when it does not parse: Jinja2 then words the error."""
    from jinja2 import TemplateSyntaxError

    from promptctl.templating.sandbox import parsed_tree

    ast = parsed_tree(source)
    if ast is not None:
        return ast
    try:
        ast = _read(source).tree
    except (TemplateSyntaxError, RecursionError):
        return None
    remember_parse(source, ast)
    return ast


def _read(source: str) -> Facts:
    """Jinja2's tree of ``source`` and its facts: read by :mod:`.reader` when it can,
    else parsed by Jinja2 (which raises its syntax errors) and walked once. The walker's
    verdict on the tree is settled here, from the same facts."""
    from promptctl.templating.reader import facts_of
    from promptctl.templating.reader import parse as read
    from promptctl.templating.walker import walkable

    env = render_environment()
    facts = read(source, env)
    if facts is None:
        facts = facts_of(env.parse(source))
    walkable(facts.tree, facts)
    return facts


_rendered: dict[tuple[str, str, int], str] = {}


def render(source: str, variables: dict[str, Any], *, timeout: float = 5.0, max_output: int = 1024 * 1024) -> str:
    """Render one template under the sandbox and the limits; raises :class:`RenderError`.
    A file's examples are rendered by more than one rule (example-render, the budget and
    context-window checks): the text of the last few renders is kept. The time limit is
    not part of the key: it bounds how long a render may take, not what it writes (the
    example rule renders under what is left of the file's budget, the others under the
    whole limit, and both want the same text)."""
    try:
        key = (source, repr(sorted(variables.items())), max_output)
    except TypeError:  # keys that do not sort: not kept
        return _render(source, variables, timeout=timeout, max_output=max_output)
    text = _rendered.get(key)
    if text is None:
        text = _render(source, variables, timeout=timeout, max_output=max_output)
        if len(_rendered) > 64:
            _rendered.clear()
        _rendered[key] = text
    return text


def _render(source: str, variables: dict[str, Any], *, timeout: float, max_output: int) -> str:
    program = subset_program(source)
    if program is not None:
        from promptctl.templating.subset import run

        text = run(program, variables, max_output)
        if text is not None:
            return text
    ast = _tree(source)
    if ast is not None:
        from promptctl.templating.walker import run as walk

        text = walk(ast, variables, timeout=timeout, max_output=max_output)
        if text is not None:
            return text
    from promptctl.templating import isolation

    if isolation.enabled():
        return isolation.render(source, variables, timeout=timeout, max_output=max_output)
    return render_jinja(source, variables, timeout=timeout, max_output=max_output)

"""The common subset of Jinja2 that promptctl reads and renders by itself.

Most prompt templates are prose with ``{{ name }}`` placeholders, a few ``{% if name %}``
sections, a ``{% for step in [...] %}`` list and an ``| upper``. Jinja2 lexes, parses
and compiles such a template to Python before it renders anything — about a
millisecond, most of a lint run's time. A template written only in the subset below is
read here in one regular-expression scan and run as a small tree instead; the result is
the same text, byte for byte (a property test renders random templates both ways).

Anything outside the subset — a comment, whitespace control, an operator, an
attribute, a call, a filter with arguments, a ``\\r`` in the text — makes
:func:`compile` return None, and the caller uses Jinja2. So does any render that
needs more than plain values (:func:`run` returns None): a value that is not a list
to loop over, a value whose ``str()`` fails, or output that approaches the limits,
which Jinja2 then enforces with its own messages.

The subset::

    {{ ref ( | filter )* }}                 filter: upper, lower, trim, capitalize
    {% if [not] ref %} … ({% elif [not] ref %} …)* ({% else %} …)? {% endif %}
    {% for name in ref %} … {% endfor %}    ref may also be a list of quoted strings
    ref: a name, or inside a loop loop.index, .index0, .revindex, .revindex0,
         .first, .last, .length
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from promptctl.templating.language import JINJA_GLOBALS, RenderError

# Names that are not variables to Jinja2: constants, operators, keywords, and its globals.
RESERVED = JINJA_GLOBALS | {
    "true",
    "false",
    "none",
    "True",
    "False",
    "None",
    "and",
    "or",
    "not",
    "in",
    "is",
    "if",
    "else",
    "elif",
    "for",
    "endfor",
    "endif",
    "block",
    "endblock",
    "__promptctl_iter",
}
FILTERS = {
    "upper": str.upper,
    "lower": str.lower,
    "trim": str.strip,
    "capitalize": str.capitalize,
}
LOOP_ATTRIBUTES = frozenset({"index", "index0", "revindex", "revindex0", "first", "last", "length"})
MAX_NESTING = 32  # deeper templates go to Jinja2 (and its own recursion limits)
MAX_STEPS = 100_000  # a longer run goes to Jinja2, which enforces the time limit

_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_OPEN = re.compile(r"\{[{%#]")
_VAR = re.compile(rf"\{{\{{[ \t]*({_NAME})(?:\.({_NAME}))?((?:[ \t]*\|[ \t]*{_NAME})*)[ \t]*\}}\}}")
_STMT = re.compile(r"\{%[ \t]*([a-z]+)(?:[ \t]+([^%{}\r\n]*?))?[ \t]*%\}")
_COND = re.compile(rf"(?:(not)[ \t]+)?({_NAME})(?:\.({_NAME}))?")
_STRING = r"""(?:'[^'\\\r\n]*'|"[^"\\\r\n]*")"""
_FOR = re.compile(rf"({_NAME})[ \t]+in[ \t]+(?:({_NAME})|\[[ \t]*((?:{_STRING}[ \t]*,[ \t]*)*(?:{_STRING}[ \t]*)?)\])")
_ITEM = re.compile(_STRING)

# Tree nodes: text is a plain str; the others are tuples tagged by their first item.
OUT, IF, FOR = 0, 1, 2
LOOP = "\x00loop"  # a reference to the loop is (LOOP, attribute)


class Program(NamedTuple):
    body: list[Any]
    uses: dict[str, list[int]]  # variable -> lines where it is read


class _Fallback(Exception):
    """The render needs Jinja2."""


def compile(source: str) -> Program | None:
    """The template as a tree, or None when it is not in the subset."""
    if "\r" in source or "{#" in source:
        return None
    root: list[Any] = []
    body = root
    frames: list[list[Any]] = []  # open blocks: [kind, node, outer body]
    loads: list[tuple[str, int]] = []
    stored: set[str] = set()
    pos = 0
    line = 1
    search = _OPEN.search
    while True:
        match = search(source, pos)
        if match is None:
            if pos < len(source):
                body.append(source[pos:])
            break
        start = match.start()
        if start > pos:
            body.append(source[pos:start])
            line += source.count("\n", pos, start)
        if source[start + 1] == "{":
            var = _VAR.match(source, start)
            if var is None:
                return None
            name, attribute, filters = var.groups()
            ref = _ref(name, attribute, frames, loads, line)
            if ref is None:
                return None
            chain = tuple(f.strip(" \t") for f in filters.split("|")[1:]) if filters else ()
            if any(f not in FILTERS for f in chain):
                return None
            body.append((OUT, ref, tuple(FILTERS[f] for f in chain), line))
            pos = var.end()
            continue
        stmt = _STMT.match(source, start)
        if stmt is None:
            return None
        keyword, argument = stmt.group(1), stmt.group(2) or None
        pos = stmt.end()
        if keyword in ("if", "elif"):
            cond = _COND.fullmatch(argument or "")
            if cond is None:
                return None
            negate, name, attribute = cond.groups()
            ref = _ref(name, attribute, frames, loads, line)
            if ref is None:
                return None
            if keyword == "if":
                if len(frames) >= MAX_NESTING:
                    return None
                node: tuple[Any, ...] = (IF, [(bool(negate), ref, [], line)], [])
                body.append(node)
                frames.append(["if", node, body])
                body = node[1][0][2]
            else:
                if not frames or frames[-1][0] != "if":
                    return None
                branches = frames[-1][1][1]
                branches.append((bool(negate), ref, [], line))
                body = branches[-1][2]
        elif keyword == "else" and argument is None:
            if not frames or frames[-1][0] != "if":
                return None
            frames[-1][0] = "else"  # nothing may follow but endif
            body = frames[-1][1][2]
        elif keyword == "endif" and argument is None:
            if not frames or frames[-1][0] not in ("if", "else"):
                return None
            body = frames.pop()[2]
        elif keyword == "for":
            loop = _FOR.fullmatch(argument or "")
            if loop is None or len(frames) >= MAX_NESTING:
                return None
            target, name, items = loop.groups()
            if target in RESERVED:
                return None
            if name is not None:
                iterable: Any = _ref(name, None, frames, loads, line)
                if iterable is None:
                    return None
            else:
                iterable = tuple(item[1:-1] for item in _ITEM.findall(items or ""))
            stored.add(target)
            node = (FOR, target, iterable, [], line)
            body.append(node)
            frames.append(["for", node, body])
            body = node[3]
        elif keyword == "endfor" and argument is None:
            if not frames or frames[-1][0] != "for":
                return None
            body = frames.pop()[2]
        else:
            return None
    if frames:
        return None
    uses: dict[str, list[int]] = {}
    for name, at in loads:
        if name not in stored:
            uses.setdefault(name, []).append(at)
    return Program(root, uses)


def _ref(name: str, attribute: str | None, frames: list[list[Any]], loads: list[tuple[str, int]], line: int) -> Any:
    if attribute is not None:
        if name == "loop" and attribute in LOOP_ATTRIBUTES and any(f[0] == "for" for f in frames):
            return (LOOP, attribute)
        return None
    if name in RESERVED:
        return None
    loads.append((name, line))
    return name


def run(program: Program, variables: dict[str, Any], max_output: int) -> str | None:
    """The rendered text; None when the render needs Jinja2. An undefined name raises
    :class:`promptctl.templating.language.RenderError`, as Jinja2's strict mode does."""
    out: list[str] = []
    state = [0, 0, max_output]  # steps, characters, limit
    try:
        _exec(program.body, variables, None, out, state)
    except _Fallback:
        return None
    return "".join(out)


def _value(ref: Any, scope: dict[str, Any], loop: tuple[int, int] | None, line: int) -> Any:
    if type(ref) is str:
        try:
            return scope[ref]
        except KeyError:
            raise RenderError(f"`{ref}` is undefined", line, "undefined") from None
    assert loop is not None  # compile only accepts loop.* inside a loop
    index0, length = loop
    attribute = ref[1]
    if attribute == "index":
        return index0 + 1
    if attribute == "index0":
        return index0
    if attribute == "revindex":
        return length - index0
    if attribute == "revindex0":
        return length - index0 - 1
    if attribute == "first":
        return index0 == 0
    if attribute == "last":
        return index0 == length - 1
    return length


def _exec(body: list[Any], scope: dict[str, Any], loop: tuple[int, int] | None, out: list[str], state: list[int]) -> None:
    for node in body:
        state[0] += 1
        if type(node) is str:
            text = node
        elif node[0] == OUT:
            value = _value(node[1], scope, loop, node[3])
            try:
                text = value if type(value) is str else str(value)
                for f in node[2]:
                    text = f(text)
            except Exception:  # a value whose str() fails: Jinja2 says what failed
                raise _Fallback from None
        elif node[0] == IF:
            for negate, ref, branch, line in node[1]:
                value = _value(ref, scope, loop, line)
                try:
                    truth = bool(value)
                except Exception:
                    raise _Fallback from None
                if truth != negate:
                    _exec(branch, scope, loop, out, state)
                    break
            else:
                _exec(node[2], scope, loop, out, state)
            continue
        else:
            _, target, iterable, inner, line = node
            # a literal list is a tuple of strings; a variable is its name
            items = iterable if type(iterable) is tuple else _value(iterable, scope, loop, line)
            if type(items) not in (list, tuple, str, dict):
                raise _Fallback
            local = dict(scope)
            length = len(items)
            for index0, item in enumerate(items):
                state[0] += 1
                if state[0] > MAX_STEPS:
                    raise _Fallback  # a long run: Jinja2 enforces the time limit
                local[target] = item
                _exec(inner, local, (index0, length), out, state)
            continue
        state[1] += len(text)
        if state[1] * 2 > state[2] or state[0] > MAX_STEPS:
            raise _Fallback  # near a limit: Jinja2 enforces it and says so
        out.append(text)

"""Everyday Jinja read into Jinja2's own tree, without Jinja2's lexer and parser.

Lint parses every template of every file, and for templates that use filters, tests,
comparisons and attribute access Jinja2's parse is most of that time: a generator of
token objects and a dozen nested calls per operand. This module reads the same
templates with one regular expression per tag and a short recursive descent over the
tag's tokens, and builds the very nodes Jinja2's parser builds, with the same fields,
the same line numbers and the same environment — so everything downstream (the
variables lint reports, :mod:`.walker`, Jinja2's compiler) cannot tell the difference.
A property test holds it to Jinja2's parser on generated templates.

What it reads: text; comments; ``{{ … }}``; ``{% if %}``/``elif``/``else``/``endif``;
``{% for name in … %}`` with ``{% else %}``; ``{% set name = … %}``; whitespace control
(``-`` and ``+``); names, strings, integers, floats, list literals; attribute and index
access; filters and tests with arguments; ``not``/``and``/``or``, comparisons, ``in``,
arithmetic, ``~`` and ``x if c else y``. Anything else — another tag, a call, a dict, a
slice, a tag that spans lines, a string with a backslash, a ``\\r``, a syntax error —
returns None, and Jinja2 parses the template (and words its errors).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

MAX_NESTING = 32  # deeper templates go to Jinja2 (and its own recursion limits)

_OPEN = re.compile(r"\{[{%#]")
_STRING = r"""'[^'\\\n]*'|"[^"\\\n]*\""""
# A whole tag; its body may not hold a line break, and strings are skipped over so that
# a `}}` or `%}` inside one does not end the tag (as in Jinja2's lexer).
_VAR = re.compile(rf"""\{{\{{([-+]?)((?:[^'"{{}}\n]|{_STRING})*?)(-?)\}}\}}""")
_BLOCK = re.compile(rf"""\{{%([-+]?)((?:[^'"{{}}%\n]|%(?!\}})|{_STRING})*?)([-+]?)%\}}""")
_COMMENT = re.compile(r"\{#([-+]?)(.*?)([-+]?)#\}", re.S)
_TRAILING_SPACE = re.compile(r"\s*")  # what `-%}` swallows: Jinja2's own `\s*`
# The tokens of a tag body; anything else (the last group) makes the tag unreadable here.
_TOKEN = re.compile(
    r"[ \t]*(?:(\d+(?:\.\d+)?)(?![\w.])|([A-Za-z_][A-Za-z0-9_]*)(?![^\x00-\x7f])|"
    rf"({_STRING})|(\*\*|//|==|!=|<=|>=|[-+*/%~<>.|,()\[\]=])|(\S))"
)
_COMPARE = {"==": "eq", "!=": "ne", "<": "lt", "<=": "lteq", ">": "gt", ">=": "gteq"}
# Binary operators by how tightly they bind, as Jinja2's chain of parse_* methods orders
# them: `or` 1, `and` 2, (`not` 3), comparisons 4, `+ -` 5, `~` 6, `* / // %` 7, `**` 8.
_MATH = {"+": 5, "-": 5, "~": 6, "*": 7, "/": 7, "//": 7, "%": 7, "**": 8}
_END = ("", None)  # after a tag's last token
_CONST = {"true": True, "True": True, "false": False, "False": False, "none": None, "None": None}
_TEST_ARG = frozenset({"name", "string", "integer", "float", "(", "["})
_NOT_TEST_ARG = frozenset({("name", "else"), ("name", "or"), ("name", "and")})


class _Unread(Exception):
    """Not for this reader: Jinja2 parses the template."""


@dataclass
class Facts:
    """What lint and the walker need to know of a tree besides its shape: noted while
    reading, or gathered by :func:`facts_of` from a tree Jinja2 parsed."""

    tree: Any
    names: list[Any] = field(default_factory=list)  # every Name node
    blocks: list[Any] = field(default_factory=list)  # Macro and CallBlock nodes
    kinds: set[type] = field(default_factory=set)  # the node classes in the tree
    filters: set[str] = field(default_factory=set)
    tests: set[str] = field(default_factory=set)
    forbidden: list[tuple[int, str]] = field(default_factory=list)  # (line, tag) of each tag lint refuses


def parse(source: str, environment: Any) -> Facts | None:
    """Jinja2's ``environment.parse(source)`` and its facts, or None when the template
    is not read here."""
    if "\r" in source:
        return None  # Jinja2 normalises line breaks first
    try:
        items = _scan(source)
        parser = _Parser(items, environment)
        tree = parser.template()
    except (_Unread, IndexError, RecursionError):
        return None
    return Facts(tree, parser.names, [], parser.kinds, parser.filters, parser.tests)  # it reads no forbidden tag


@functools.cache
def _forbidden_nodes() -> dict[type, str]:
    """The node class of each tag lint refuses, with the tag's name."""
    from jinja2 import nodes

    from promptctl.templating.language import FORBIDDEN_TAGS

    return {getattr(nodes, name): tag for name, tag in FORBIDDEN_TAGS.items()}


def facts_of(tree: Any) -> Facts:
    """The facts of a tree Jinja2 parsed, in one walk."""
    from jinja2 import nodes

    forbidden = _forbidden_nodes()
    facts = Facts(tree)
    kinds = facts.kinds
    stack = [tree]
    while stack:
        node = stack.pop()
        kind = type(node)
        kinds.add(kind)
        if kind is nodes.Name:
            facts.names.append(node)
        elif kind is nodes.Filter:
            facts.filters.add(node.name)
        elif kind is nodes.Test:
            facts.tests.add(node.name)
        elif kind is nodes.Macro or kind is nodes.CallBlock:
            facts.blocks.append(node)
        if kind in forbidden:
            facts.forbidden.append((node.lineno, forbidden[kind]))
        stack.extend(node.iter_child_nodes())
    return facts


def _scan(source: str) -> list[tuple[str, Any, int]]:
    """The template as ("data", text, line), ("var"|"block", tokens, line) items, with
    whitespace control already applied to the text, as Jinja2's lexer applies it."""
    items: list[tuple[str, Any, int]] = []
    pos = 0
    line = 1
    data_start = 0  # where the pending text starts (after what a `-` end swallowed)
    search = _OPEN.search
    count = source.count
    while True:
        match = search(source, pos)
        if match is None:
            if data_start < len(source):
                items.append(("data", source[data_start:], line))
            return items
        start = match.start()
        kind = source[start + 1]
        tag = (_VAR if kind == "{" else _BLOCK if kind == "%" else _COMMENT).match(source, start)
        if tag is None:
            raise _Unread
        begin, body, end = tag.groups()
        text = source[data_start:start]
        if begin == "-":
            text = text.rstrip()
        if text:
            items.append(("data", text, line))
        line += count("\n", data_start, start)
        if kind != "#":
            items.append(("var" if kind == "{" else "block", _tokens_of(body), line))
        else:
            line += count("\n", start, tag.end())
        pos = tag.end()
        if end == "-":
            pos = _TRAILING_SPACE.match(source, pos).end()  # type: ignore[union-attr]
            line += count("\n", tag.end(), pos)
        data_start = pos


def _tokens(body: str) -> list[tuple[str, Any]]:
    """(kind, value) of each token, then :data:`_END`: kind is "name", "string",
    "integer", "float" or the operator itself."""
    out: list[tuple[str, Any]] = []
    for number, name, string, op, other in _TOKEN.findall(body):
        if other:
            raise _Unread
        if name:
            out.append(("name", name))
        elif op:
            out.append((op, op))
        elif string:
            out.append(("string", string[1:-1]))
        elif "." in number:
            out.append(("float", float(number)))
        elif len(number) > 1 and number[0] == "0":
            raise _Unread  # Jinja2 reads `05` as two tokens
        else:
            out.append(("integer", int(number)))
    out.append(_END)
    return out


def _node_factory(environment: Any, kinds: set[type]) -> Any:
    """Build a node as Jinja2's parser leaves it — its fields, its line, the environment —
    without the generic constructor's checks (a quarter of the time)."""
    new = object.__new__
    seen = kinds.add

    def node(cls: type, lineno: int | None, *values: Any) -> Any:
        seen(cls)
        names = cls.fields  # type: ignore[attr-defined]
        count = len(values)
        if count != len(names):
            raise TypeError(f"{cls.__name__} takes {len(names)} fields, not {count}")
        obj: Any = new(cls)
        if count == 1:  # most nodes: written out, a dict display is the fastest
            obj.__dict__ = {names[0]: values[0], "lineno": lineno, "environment": environment}
        elif count == 2:
            obj.__dict__ = {names[0]: values[0], names[1]: values[1], "lineno": lineno, "environment": environment}
        else:
            attributes = dict(zip(names, values, strict=True))
            attributes["lineno"] = lineno
            attributes["environment"] = environment
            obj.__dict__ = attributes
        return obj

    return node


_token_lists: dict[str, list[tuple[str, Any]]] = {}


def _tokens_of(body: str) -> list[tuple[str, Any]]:
    """:func:`_tokens`, remembered: tag bodies repeat (`endif`, `item | trim`, `loop.index`)
    within a template and across a repository's versions. Token lists are never changed."""
    tokens = _token_lists.get(body)
    if tokens is None:
        if len(_token_lists) > 4096:
            _token_lists.clear()
        tokens = _token_lists[body] = _tokens(body)
    return tokens


class _Parser:
    """Jinja2's parser (``jinja2/parser.py``) over the scanned items: the same grammar,
    the same nodes. Its chain of one method per precedence level is folded into
    :meth:`binary`, which builds the same trees with far fewer calls."""

    def __init__(self, items: list[tuple[str, Any, int]], environment: Any) -> None:
        from jinja2 import nodes

        self.n = nodes
        self.kinds: set[type] = set()
        self.names: list[Any] = []
        self.filters: set[str] = set()
        self.tests: set[str] = set()
        self.node = _node_factory(environment, self.kinds)
        self.items = items
        self.at = 0  # the next item
        self.toks: list[tuple[str, Any]] = [_END]  # the current tag's tokens
        self.i = 0
        self.line = 1
        self.depth = 0
        self.math = {"+": nodes.Add, "-": nodes.Sub, "*": nodes.Mul, "/": nodes.Div, "//": nodes.FloorDiv, "%": nodes.Mod, "**": nodes.Pow}

    def template(self) -> Any:
        return self.node(self.n.Template, 1, self.subparse(None))

    # -- statements -----------------------------------------------------------------

    def subparse(self, end: tuple[str, ...] | None) -> list[Any]:
        n, node = self.n, self.node
        body: list[Any] = []
        buffer: list[Any] = []
        items = self.items
        while self.at < len(items):
            kind, value, line = items[self.at]
            self.at += 1
            if kind == "data":
                buffer.append(node(n.TemplateData, line, value))
            elif kind == "var":
                self.toks, self.i, self.line = value, 0, line
                buffer.append(self.tuple_(True))
                self._close()
            else:
                if buffer:
                    body.append(node(n.Output, buffer[0].lineno, buffer))
                    buffer = []
                self.toks, self.i, self.line = value, 0, line
                keyword = value[0][1] if value[0][0] == "name" else None
                if end is not None and keyword in end:
                    return body  # the caller reads the end tag
                if keyword == "set":
                    body.append(self.set_())
                    continue
                if keyword not in ("if", "for") or self.depth >= MAX_NESTING:
                    raise _Unread  # another tag: Jinja2 parses (or refuses) it
                self.depth += 1
                body.append(self.if_() if keyword == "if" else self.for_())
                self.depth -= 1
        if end is not None:
            raise _Unread  # an unclosed block: Jinja2 says which
        if buffer:
            body.append(node(n.Output, buffer[0].lineno, buffer))
        return body

    def if_(self) -> Any:
        node, line = self.node, self.line
        self.i += 1
        test = self.tuple_(False)
        self._close()
        result = node(self.n.If, line, test, self.subparse(("elif", "else", "endif")), [], [])
        while True:
            keyword = self.toks[0][1]  # subparse stopped at this tag
            self.i = 1
            if keyword == "elif":
                line = self.line
                test = self.tuple_(False)
                self._close()
                result.elif_.append(node(self.n.If, line, test, self.subparse(("elif", "else", "endif")), [], []))
                continue
            if keyword == "else":
                self._close()
                result.else_ = self.subparse(("endif",))
                self.i = 1
            self._close()
            return result

    def for_(self) -> Any:
        line = self.line
        self.i += 1
        target = self._target()
        if self.toks[self.i] != ("name", "in"):
            raise _Unread
        self.i += 1
        if self.toks[self.i] == ("name", "recursive"):
            raise _Unread  # no iterable: Jinja2 words the error
        iterable = self.binary(1)
        self._close()
        body = self.subparse(("endfor", "else"))
        self.i = 1
        else_: list[Any] = []
        if self.toks[0][1] == "else":
            self._close()
            else_ = self.subparse(("endfor",))
            self.i = 1
        self._close()
        return self.node(self.n.For, line, target, iterable, body, else_, None, False)

    def set_(self) -> Any:
        line = self.line
        self.i += 1
        target = self._target()
        if self.toks[self.i][0] != "=":
            raise _Unread  # a `{% set x %}` block
        self.i += 1
        value = self.tuple_(True)
        self._close()
        return self.node(self.n.Assign, line, target, value)

    def _target(self) -> Any:
        kind, name = self.toks[self.i]
        self.i += 1
        if kind != "name" or name in _CONST or name == "in" or self.toks[self.i][0] in (".", ","):
            raise _Unread  # not assignable, no target, a namespace or a tuple: Jinja2's business
        target = self.node(self.n.Name, self.line, name, "store")
        self.names.append(target)
        return target

    def _close(self) -> None:
        if self.toks[self.i] is not _END:
            raise _Unread  # something left in the tag: a syntax error, or more than read here

    # -- expressions ----------------------------------------------------------------

    def tuple_(self, condexpr: bool) -> Any:
        """``parse_tuple``: one expression (a bare tuple is not read here)."""
        expr = self.condexpr() if condexpr else self.binary(1)
        if self.toks[self.i][0] == ",":
            raise _Unread
        return expr

    def condexpr(self) -> Any:
        line = self.line
        expr1 = self.binary(1)
        toks = self.toks
        while toks[self.i] == ("name", "if"):
            self.i += 1
            expr2 = self.binary(1)
            expr3 = None
            if toks[self.i] == ("name", "else"):
                self.i += 1
                expr3 = self.condexpr()
            expr1 = self.node(self.n.CondExpr, line, expr2, expr1, expr3)
        return expr1

    def binary(self, level: int) -> Any:
        """What Jinja2's ``parse_or`` (level 1), ``parse_and`` (2), ``parse_not`` (3),
        ``parse_compare`` (4), ``parse_math1`` (5), ``parse_concat`` (6), ``parse_math2``
        (7) and ``parse_pow`` (8) read."""
        n, node, toks, line = self.n, self.node, self.toks, self.line
        if level <= 3 and toks[self.i] == ("name", "not"):
            self.i += 1
            left = node(n.Not, line, self.binary(3))
        else:
            left = self.unary(True)
        while True:
            kind, value = toks[self.i]
            if kind == "name":
                if value == "or" and level <= 1:
                    self.i += 1
                    left = node(n.Or, line, left, self.binary(2))
                elif value == "and" and level <= 2:
                    self.i += 1
                    left = node(n.And, line, left, self.binary(3))
                elif level <= 4 and (value == "in" or (value == "not" and toks[self.i + 1] == ("name", "in"))):
                    left = self._compare(left)
                else:
                    return left
            elif kind in _COMPARE:
                if level > 4:
                    return left
                left = self._compare(left)
            else:
                rank = _MATH.get(kind)
                if rank is None or rank < level:
                    return left
                self.i += 1
                if kind == "~":
                    args = [left, self.binary(7)]
                    while toks[self.i][0] == "~":
                        self.i += 1
                        args.append(self.binary(7))
                    left = node(n.Concat, line, args)
                elif kind == "**":
                    left = node(n.Pow, line, left, self.unary(True))
                else:
                    left = node(self.math[kind], line, left, self.binary(rank + 1))

    def _compare(self, expr: Any) -> Any:
        n, node, toks = self.n, self.node, self.toks
        ops: list[Any] = []
        while True:
            kind, value = toks[self.i]
            if kind in _COMPARE:
                self.i += 1
                op = _COMPARE[kind]
            elif toks[self.i] == ("name", "in"):
                self.i += 1
                op = "in"
            elif toks[self.i] == ("name", "not") and toks[self.i + 1] == ("name", "in"):
                self.i += 2
                op = "notin"
            else:
                return node(n.Compare, self.line, expr, ops)
            ops.append(node(n.Operand, None, op, self.binary(5)))  # Jinja2 gives an operand no line

    def unary(self, with_filter: bool) -> Any:
        kind = self.toks[self.i][0]
        if kind == "-" or kind == "+":
            self.i += 1
            expr = self.node(self.n.Neg if kind == "-" else self.n.Pos, self.line, self.unary(False))
        else:
            expr = self.primary()
        expr = self.postfix(expr)
        if with_filter:
            expr = self.filtered(expr)
        return expr

    def primary(self) -> Any:
        n, node, line = self.n, self.node, self.line
        kind, value = self.toks[self.i]
        self.i += 1
        if kind == "name":
            if value in _CONST:
                return node(n.Const, line, _CONST[value])
            name = node(n.Name, line, value, "load")
            self.names.append(name)
            return name
        if kind == "string":
            parts = [value]
            while self.toks[self.i][0] == "string":
                parts.append(self.toks[self.i][1])
                self.i += 1
            return node(n.Const, line, "".join(parts))
        if kind == "integer" or kind == "float":
            return node(n.Const, line, value)
        if kind == "(":
            expr = self.tuple_(True)
            self._expect(")")
            return expr
        if kind == "[":
            items: list[Any] = []
            while self.toks[self.i][0] != "]":
                if items:
                    self._expect(",")
                    if self.toks[self.i][0] == "]":
                        break
                items.append(self.condexpr())
            self.i += 1
            return node(n.List, line, items)
        raise _Unread

    def postfix(self, expr: Any) -> Any:
        n, node, line, toks = self.n, self.node, self.line, self.toks
        while True:
            kind = toks[self.i][0]
            if kind == ".":
                attr_kind, attr = toks[self.i + 1]
                self.i += 2
                if attr_kind == "name":
                    expr = node(n.Getattr, line, expr, attr, "load")
                elif attr_kind == "integer":
                    expr = node(n.Getitem, line, expr, node(n.Const, line, attr), "load")
                else:
                    raise _Unread
            elif kind == "[":
                self.i += 1
                arg = self.condexpr()
                self._expect("]")  # a slice or several subscripts: Jinja2 reads those
                expr = node(n.Getitem, line, expr, arg, "load")
            elif kind == "(":
                raise _Unread  # a call
            else:
                return expr

    def filtered(self, expr: Any) -> Any:
        n, node, line, toks = self.n, self.node, self.line, self.toks
        while True:
            kind, value = toks[self.i]
            if kind == "|":
                self.i += 1
                name = self._name()
                self.filters.add(name)
                args, kwargs = self._args() if toks[self.i][0] == "(" else ([], [])
                expr = node(n.Filter, line, expr, name, args, kwargs, None, None)
            elif kind == "name" and value == "is":
                self.i += 1
                negated = toks[self.i] == ("name", "not")
                if negated:
                    self.i += 1
                name = self._name()
                self.tests.add(name)
                args, kwargs = [], []
                token = toks[self.i]
                if token[0] == "(":
                    args, kwargs = self._args()
                elif token[0] in _TEST_ARG and token not in _NOT_TEST_ARG:
                    if token == ("name", "is"):
                        raise _Unread  # chained tests: Jinja2 words the error
                    args = [self.postfix(self.primary())]
                expr = node(n.Test, line, expr, name, args, kwargs, None, None)
                if negated:
                    expr = node(n.Not, line, expr)
            elif kind == "(":
                raise _Unread  # a call
            else:
                return expr

    def _name(self) -> str:
        kind, value = self.toks[self.i]
        self.i += 1
        if kind != "name" or self.toks[self.i][0] == ".":
            raise _Unread  # a dotted filter or test name: Jinja2's business
        return str(value)

    def _args(self) -> tuple[list[Any], list[Any]]:
        toks = self.toks
        self.i += 1  # (
        args: list[Any] = []
        kwargs: list[Any] = []
        while toks[self.i][0] != ")":
            if args or kwargs:
                self._expect(",")
                if toks[self.i][0] == ")":
                    break
            kind = toks[self.i][0]
            if kind == "*" or kind == "**" or kind == "":
                raise _Unread
            if kind == "name" and toks[self.i + 1][0] == "=":
                key = toks[self.i][1]
                self.i += 2
                value = self.condexpr()
                kwargs.append(self.node(self.n.Keyword, self.line, key, value))
            else:
                if kwargs:
                    raise _Unread  # a positional argument after a keyword one
                args.append(self.condexpr())
        self.i += 1
        return args, kwargs

    def _expect(self, kind: str) -> None:
        if self.toks[self.i][0] != kind:
            raise _Unread
        self.i += 1

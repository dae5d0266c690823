"""Render a parsed Jinja2 tree by walking it: the everyday Jinja of real prompt
repositories, without compiling the template to Python and without the isolated child.

Jinja2 turns every template into Python source, compiles it and runs it — for a lint
run that renders each file's examples once, code generation is most of the time, and
the CLI adds a round trip to the child process of :mod:`.isolation` on top. The
templates real prompts hold are small trees of a few kinds of node. This module walks
those trees with Jinja2's own pieces — its parser, its filters and tests, its
sandboxed attribute and item access, its loop object, its undefined values and the
guarded operators of :mod:`.sandbox` — so the text is Jinja2's, byte for byte.

What it walks: text and ``{{ … }}``; names, constants, list, tuple and dict literals;
attribute and index access; the filters in :data:`FILTERS` with constant or simple
arguments; ``is`` tests; comparisons, ``in``, ``and``/``or``/``not``, ``~`` and
arithmetic; ``x if c else y``; ``{% if %}``/``elif``/``else``; ``{% for x in … %}``
with ``loop`` and ``{% else %}``; ``{% set x = … %}`` outside loops; whitespace
control (the parser has already applied it). Anything else — a call, a macro, a
filter not listed, a value that is not plain data, an error of any kind, a limit
reached — returns None, and the caller renders with Jinja2 under its hard limits: a
template never gets a different answer here, only a faster one (a property test
renders random templates both ways).
"""

from __future__ import annotations

import functools
import operator
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from promptctl.templating.language import RenderError

if TYPE_CHECKING:
    from promptctl.templating.reader import Facts

# Filters whose whole behaviour is a function of their arguments (no context, no
# environment state, no unbounded output that the sandbox's weighing does not cover).
FILTERS = frozenset(
    {
        "default", "d", "join", "length", "count", "tojson", "replace", "title", "round", "upper", "lower",
        "trim", "capitalize", "first", "last", "string", "int", "float", "abs", "list", "wordcount",
        "truncate", "unique", "sort", "reverse", "min", "max", "sum", "center", "indent",
    }
)  # fmt: skip
TESTS = frozenset(
    {
        "defined", "undefined", "none", "number", "string", "mapping", "sequence", "iterable", "boolean",
        "true", "false", "integer", "float", "lower", "upper", "even", "odd", "divisibleby", "in",
        "eq", "ne", "lt", "le", "gt", "ge", "equalto", "sameas",
    }
)  # fmt: skip
MAX_STEPS = 200_000
_COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "eq": operator.eq,
    "ne": operator.ne,
    "lt": operator.lt,
    "lteq": operator.le,
    "gt": operator.gt,
    "gteq": operator.ge,
    "in": lambda a, b: a in b,
    "notin": lambda a, b: a not in b,
}
_PLAIN = (str, int, float, bool, type(None), list, tuple, dict)


class _Fallback(Exception):
    """Not for this walker: Jinja2 renders it."""


class _Walker:
    def __init__(self, env: Any, variables: dict[str, Any], budget: Any) -> None:
        from jinja2 import Undefined, nodes
        from jinja2.runtime import LoopContext

        self.env = env
        self.nodes = nodes
        self.loop_context = LoopContext
        self.undefined_type = Undefined
        self.eval_ctx = nodes.EvalContext(env)
        self.frames: list[dict[str, Any]] = [dict(variables)]
        self.budget = budget
        self.steps = 0
        self.out: list[str] = []
        self.size = 0
        self.in_loop = 0
        self.dispatch = _dispatch(nodes)

    # -- statements ---------------------------------------------------------------

    def block(self, body: list[Any]) -> None:
        n = self.nodes
        output, data = n.Output, n.TemplateData
        for node in body:
            self._tick()
            kind = type(node)
            if kind is output:
                for child in node.nodes:
                    if type(child) is data:
                        self._emit(child.data)
                    else:
                        self._emit(self._text(self.expr(child)))
            elif kind is n.If:
                self._if(node)
            elif kind is n.For:
                self._for(node)
            elif kind is n.Assign:
                if self.in_loop or type(node.target) is not n.Name:
                    raise _Fallback  # Jinja2's loop scoping of `set` is its own business
                self.frames[-1][node.target.name] = self.expr(node.node)
            else:
                raise _Fallback

    def _if(self, node: Any) -> None:
        if self._truth(self.expr(node.test)):
            self.block(node.body)
            return
        for elif_ in node.elif_:
            if self._truth(self.expr(elif_.test)):
                self.block(elif_.body)
                return
        self.block(node.else_)

    def _for(self, node: Any) -> None:
        from promptctl.templating.sandbox import _guarded_iter

        if node.test is not None or node.recursive or type(node.target) is not self.nodes.Name:
            raise _Fallback
        iterable = self.expr(node.iter)
        if not isinstance(iterable, (list, tuple, dict, str)):
            raise _Fallback
        loop = self.loop_context(_guarded_iter(iterable), self.env.undefined)
        ran = False
        self.in_loop += 1
        try:
            for item, _ in loop:
                ran = True
                self.frames.append({node.target.name: item, "loop": loop})
                try:
                    self.block(node.body)
                finally:
                    self.frames.pop()
        finally:
            self.in_loop -= 1
        if not ran:
            self.block(node.else_)

    # -- expressions --------------------------------------------------------------

    def expr(self, node: Any) -> Any:
        self._tick()
        handler = self.dispatch.get(type(node))
        if handler is None:
            raise _Fallback
        return handler(self, node)

    def _const(self, node: Any) -> Any:
        return node.value

    def _name(self, node: Any) -> Any:
        return self._lookup(node.name)

    def _getattr(self, node: Any) -> Any:
        obj, attr = self.expr(node.node), node.attr
        if type(obj) is dict and attr not in _DICT_ATTRIBUTES:
            # What the sandbox's getattr comes to for a plain dict and a name that is not
            # one of its attributes (after an AttributeError it pays for): the item, or
            # an undefined value naming it.
            return self._plain(obj[attr]) if attr in obj else self.env.undefined(obj=obj, name=attr)
        if type(obj) is self.loop_context and attr in _LOOP_FIELDS:
            return self._plain(getattr(obj, attr))  # the sandbox allows each of these
        return self._plain(self.env.getattr(obj, attr))

    def _getitem(self, node: Any) -> Any:
        if type(node.arg) is self.nodes.Slice:
            raise _Fallback
        return self._plain(self.env.getitem(self.expr(node.node), self.expr(node.arg)))

    def _compare(self, node: Any) -> Any:
        left = self.expr(node.expr)
        for operand in node.ops:
            right = self.expr(operand.expr)
            if not _COMPARE[operand.op](left, right):
                return False
            left = right
        return True

    def _and(self, node: Any) -> Any:
        left = self.expr(node.left)
        return self.expr(node.right) if self._truth(left) else left

    def _or(self, node: Any) -> Any:
        left = self.expr(node.left)
        return left if self._truth(left) else self.expr(node.right)

    def _not(self, node: Any) -> Any:
        return not self._truth(self.expr(node.node))

    def _condexpr(self, node: Any) -> Any:
        if node.expr2 is None:
            raise _Fallback
        return self.expr(node.expr1) if self._truth(self.expr(node.test)) else self.expr(node.expr2)

    def _concat(self, node: Any) -> Any:
        text = "".join(self._scalar(self.expr(child)) for child in node.nodes)
        self.budget.size(len(text), "a concatenation")
        return text

    def _list(self, node: Any) -> Any:
        return [self.expr(item) for item in node.items]

    def _tuple(self, node: Any) -> Any:
        return tuple(self.expr(item) for item in node.items)

    def _dict(self, node: Any) -> Any:
        return {self.expr(pair.key): self.expr(pair.value) for pair in node.items}

    def _sign(self, node: Any) -> Any:
        value = self.expr(node.node)
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise _Fallback
        return -value if type(node) is self.nodes.Neg else +value

    def _lookup(self, name: str) -> Any:
        for frame in reversed(self.frames):
            if name in frame:
                return frame[name]
        if name in self.env.globals:
            raise _Fallback  # range(), lipsum(), namespace(), … are Jinja2's to run
        return self.env.undefined(name=name)

    def _arith(self, node: Any) -> Any:
        left, right = self.expr(node.left), self.expr(node.right)
        numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (left, right))
        joined = type(node) is self.nodes.Add and isinstance(left, str) and isinstance(right, str)
        if not (numbers or joined):
            raise _Fallback  # sequences, and strings beyond `+`: Jinja2's guarded operators
        symbol = node.operator
        if symbol in self.env.intercepted_binops:
            return self.env.call_binop(None, symbol, left, right)
        return {"-": operator.sub, "/": operator.truediv}[symbol](left, right)

    def _arguments(self, node: Any) -> tuple[list[Any], dict[str, Any]]:
        if node.dyn_args is not None or node.dyn_kwargs is not None:
            raise _Fallback
        return [self.expr(a) for a in node.args], {kw.key: self.expr(kw.value) for kw in node.kwargs}

    def _filter(self, node: Any) -> Any:
        call = _callables(self.env)[0].get(node.name)
        if call is None or node.node is None:
            raise _Fallback
        value = self.expr(node.node)
        args, kwargs = self._arguments(node)
        return self._plain(self._call(call, value, args, kwargs))

    def _test(self, node: Any) -> Any:
        call = _callables(self.env)[1].get(node.name)
        if call is None:
            raise _Fallback
        value = self.expr(node.node)
        args, kwargs = self._arguments(node)
        return self._call(call, value, args, kwargs)

    def _call(self, call: tuple[Callable[..., Any], str], value: Any, args: list[Any], kwargs: dict[str, Any]) -> Any:
        """A filter or test called as ``Environment.call_filter``/``call_test`` calls it
        from a template: with the evaluation context or the environment first, when
        the function asks for it."""
        func, first = call
        if first == "eval_context":
            return func(self.eval_ctx, value, *args, **kwargs)
        if first == "environment":
            return func(self.env, value, *args, **kwargs)
        return func(value, *args, **kwargs)

    # -- values -------------------------------------------------------------------

    def _plain(self, value: Any) -> Any:
        if isinstance(value, _PLAIN) or isinstance(value, self.undefined_type):
            return value
        raise _Fallback  # a method, a date, a Markup …: Jinja2 knows what to do with it

    def _truth(self, value: Any) -> bool:
        return bool(value)  # an undefined value raises here, as in Jinja2

    def _text(self, value: Any) -> str:
        value = self.env.finalize(value)
        if type(value) is str:
            return value
        if isinstance(value, (list, tuple, dict)):
            from promptctl.templating.sandbox import _weight

            self.budget.size(_weight(value, self.budget.max_output), "a printed value")
        elif not isinstance(value, (str, int, float, bool, type(None))):
            raise _Fallback
        return str(value)

    def _scalar(self, value: Any) -> str:
        if not isinstance(value, (str, int, float, bool, type(None))):
            raise _Fallback
        return str(value)

    def _emit(self, text: str) -> None:
        self.size += len(text)
        if self.size > self.budget.max_output:
            self.budget.size(self.size, "the rendered text")
        self.out.append(text)

    def _tick(self) -> None:
        self.steps += 1
        if not self.steps & 63:  # the clock, now and then (Jinja2's budget does the same)
            if self.steps > MAX_STEPS or time.monotonic() > self.budget.deadline:
                raise _Fallback  # a long run: Jinja2 renders it under its limits, and says which


_DICT_ATTRIBUTES = frozenset(dir(dict))
# The values of `loop` in a `for` (its methods, `cycle` and `changed`, are left to Jinja2).
_LOOP_FIELDS = frozenset({"index", "index0", "revindex", "revindex0", "first", "last", "length", "depth", "depth0", "previtem", "nextitem"})


@functools.cache
def _callables(env: Any) -> tuple[dict[str, tuple[Callable[..., Any], str]], dict[str, tuple[Callable[..., Any], str]]]:
    """The environment's functions for :data:`FILTERS` and :data:`TESTS`, each with what
    it asks to be passed first (Jinja2's ``pass_eval_context``/``pass_environment``;
    one that wants the template's context is left to Jinja2), looked up once instead of
    on every call."""
    try:
        from jinja2.utils import _PassArg
    except ImportError:  # pragma: no cover - a Jinja2 without it: every filter is Jinja2's to call
        return {}, {}

    def table(functions: dict[str, Any], names: frozenset[str]) -> dict[str, tuple[Callable[..., Any], str]]:
        out = {}
        for name in names & functions.keys():
            func = functions[name]
            passed = _PassArg.from_obj(func)
            if passed is not _PassArg.context:
                out[name] = (func, passed.name if passed is not None else "")
        return out

    return table(env.filters, FILTERS), table(env.tests, TESTS)


@functools.cache
def _dispatch(nodes: Any) -> dict[type, Callable[[_Walker, Any], Any]]:
    """The method that evaluates each kind of expression node."""
    w = _Walker
    table: dict[type, Callable[[_Walker, Any], Any]] = {
        nodes.Const: w._const, nodes.Name: w._name, nodes.Getattr: w._getattr, nodes.Getitem: w._getitem,
        nodes.Filter: w._filter, nodes.Test: w._test, nodes.Compare: w._compare, nodes.And: w._and, nodes.Or: w._or,
        nodes.Not: w._not, nodes.CondExpr: w._condexpr, nodes.Concat: w._concat, nodes.List: w._list,
        nodes.Tuple: w._tuple, nodes.Dict: w._dict, nodes.Neg: w._sign, nodes.Pos: w._sign,
    }  # fmt: skip
    for kind in (nodes.Add, nodes.Sub, nodes.Mul, nodes.Div, nodes.FloorDiv, nodes.Mod):
        table[kind] = w._arith
    return table


@functools.cache
def _known_nodes() -> frozenset[type]:
    """Every node the walker knows: the expressions it evaluates (:func:`_dispatch`), the
    statements :meth:`_Walker.block` runs, and the parts they hold."""
    from jinja2 import nodes

    statements = {nodes.Template, nodes.Output, nodes.TemplateData, nodes.If, nodes.For, nodes.Assign}
    parts = {nodes.Operand, nodes.Pair, nodes.Keyword}
    return frozenset(_dispatch(nodes)) | statements | parts


_checked: dict[int, tuple[Any, bool]] = {}  # id(tree) -> (tree, walkable): the tree kept, so the id stays its


def walkable(ast: Any, facts: Facts | None = None) -> bool:
    """Whether every node of the tree — run or not — is one the walker knows. Jinja2
    refuses an unknown filter or test when it compiles, even in a branch that never
    runs; so must this. Decided once per tree (a file's examples share it), from the
    facts the reader noted when there are some, else from a walk of the tree."""
    known = _checked.get(id(ast))
    if known is not None and known[0] is ast:
        return known[1]
    if len(_checked) > 32:
        _checked.clear()
    if facts is None:
        from promptctl.templating.reader import facts_of

        facts = facts_of(ast)
    result = facts.kinds <= _known_nodes() and facts.filters <= FILTERS and facts.tests <= TESTS
    _checked[id(ast)] = (ast, result)
    return result


def run(ast: Any, variables: dict[str, Any], *, timeout: float, max_output: int) -> str | None:
    """The text ``ast`` renders with ``variables``, or None when Jinja2 must render it
    (something this walker does not know, any error, any limit: Jinja2 then gives the
    finding its own words)."""
    from promptctl.templating.sandbox import _Budget, _budget, render_environment

    if not walkable(ast):
        return None
    walker = _Walker(render_environment(), variables, _Budget(timeout, max_output))
    token = _budget.set(walker.budget)
    try:
        walker.block(ast.body)
    except (_Fallback, RenderError, RecursionError, MemoryError):
        return None
    except Exception:
        return None
    finally:
        _budget.reset(token)
    return "".join(walker.out)

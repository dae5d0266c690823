"""The Jinja2 sandbox: immutable, strict, no file access, and limits that make "blow-up"
expressions fail fast instead of hanging or exhausting memory. Security-critical:
review changes here on their own.

Every loop is wrapped in an iterator that watches the clock, every call and operator is
checked against the deadline, and the operators, methods and filters that multiply
sizes (`**`, `*`, `+`, `%`, `center`, `replace`, `join`, `sum`, `tojson`, format widths
…) are weighed before the value is built. What these checks cannot see is bounded by
:mod:`promptctl.templating.isolation`.
"""

from __future__ import annotations

import contextvars
import re as _re
import time as _time
from collections.abc import Iterator as _Iterator
from typing import Any

from promptctl.templating.language import FORBIDDEN_TAGS, RenderError

MAX_INT_BITS = 4096
MAX_STEPS = 10_000_000


class _Budget:
    def __init__(self, timeout: float, max_output: int) -> None:
        self.deadline = _time.monotonic() + timeout
        self.timeout = timeout
        self.max_output = max_output
        self.steps = 0

    def tick(self) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise RenderError(f"the template runs more than {MAX_STEPS:,} steps", kind="limit")
        if self.steps % 64 == 0 and _time.monotonic() > self.deadline:
            raise RenderError(f"rendering took longer than {self.timeout:g} s (config `render_timeout`)", kind="limit")

    def size(self, n: int, what: str) -> None:
        if n > self.max_output:
            raise RenderError(
                f"{what} would be {n:,} characters; the limit is {self.max_output:,} (config `render_max_output`)", kind="limit"
            )


_budget: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar("promptctl_render_budget", default=None)


def _current() -> _Budget:
    budget = _budget.get()
    if budget is None:  # pragma: no cover - templates are only run inside render()
        raise RenderError("template run outside render()", kind="limit")
    return budget


def _length(value: Any) -> int | None:
    return len(value) if isinstance(value, (str, list, tuple)) else None


def _weight(value: Any, limit: int) -> int:
    """About how many characters ``value`` prints as, counting a repeated element every
    time it repeats (``['a' * 10**6] * 10**6`` weighs 10**12); stops counting past
    ``limit``, so the cost is bounded by the limit, not by the value."""
    if isinstance(value, str):
        return len(value)
    total = 0
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            total += len(item) + 2
        elif isinstance(item, (list, tuple)):
            total += 2 + len(item)
            if total <= limit:
                stack.extend(item)
        elif isinstance(item, dict):
            total += 2 + 2 * len(item)
            if total <= limit:
                stack.extend(item.keys())
                stack.extend(item.values())
        else:
            total += 8
        if total > limit:
            return total
    return total


def _check_value(value: Any, budget: _Budget, what: str) -> None:
    if isinstance(value, (str, list, tuple, dict)):
        budget.size(_weight(value, budget.max_output), what)


_WIDTH = _re.compile(r"(\d+)")


def _check_widths(spec: str, budget: _Budget) -> None:
    for match in _WIDTH.finditer(spec):
        budget.size(int(match.group(1)), "a format width")


def _guard_method(obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any], budget: _Budget) -> None:
    target = getattr(obj, "__wrapped__", obj)
    owner = getattr(target, "__self__", None)
    name = getattr(target, "__name__", "")
    if not isinstance(owner, str):
        return
    if name in ("center", "ljust", "rjust", "zfill") and args and isinstance(args[0], int):
        budget.size(args[0], f"str.{name}()")
    elif name == "expandtabs":
        size = args[0] if args and isinstance(args[0], int) else 8
        budget.size(len(owner) + owner.count("\t") * size, "str.expandtabs()")
    elif name == "replace" and len(args) >= 2 and isinstance(args[0], str) and isinstance(args[1], str):
        hits = owner.count(args[0]) if args[0] else len(owner) + 1
        budget.size(len(owner) + hits * max(0, len(args[1]) - len(args[0])), "str.replace()")
    elif name == "join" and args:
        items = list(args[0]) if not isinstance(args[0], str) else list(args[0])
        budget.size(sum(len(str(i)) for i in items) + len(owner) * max(0, len(items) - 1), "str.join()")
    elif name in ("format", "format_map"):
        _check_widths(owner, budget)


def _guarded_iter(iterable: Any) -> _Iterator[Any]:
    budget = _current()
    for item in iterable:
        budget.tick()
        yield item


def _guarded_environment() -> Any:
    from jinja2 import StrictUndefined, Undefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment
    from jinja2.utils import Namespace

    class GuardedNamespace(Namespace):
        def __setitem__(self, name: str, value: Any) -> None:
            n = _length(value)
            if n is not None:
                _current().size(n, f"namespace value `{name}`")
            super().__setitem__(name, value)

    class GuardedEnvironment(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset({"**", "*", "+", "%", "//"})

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            budget = _current()
            budget.tick()
            if operator == "**" and isinstance(left, int) and isinstance(right, (int, float)):
                if abs(left) > 1 and right > 0 and abs(left).bit_length() * right > MAX_INT_BITS:
                    raise RenderError(f"{left} ** {right} is too large to compute", kind="limit")
            elif operator == "*":
                for seq, count in ((left, right), (right, left)):
                    if _length(seq) is not None and isinstance(count, int) and not isinstance(count, bool):
                        budget.size(_weight(seq, budget.max_output) * max(count, 0), "a repetition")
                if isinstance(left, int) and isinstance(right, int) and left.bit_length() + right.bit_length() > MAX_INT_BITS:
                    raise RenderError("an integer product is too large to compute", kind="limit")
            elif operator == "+":
                if _length(left) is not None and _length(right) is not None:
                    budget.size(_weight(left, budget.max_output) + _weight(right, budget.max_output), "a concatenation")
            elif operator == "%" and isinstance(left, str):
                _check_widths(left, budget)
            return super().call_binop(context, operator, left, right)

        def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
            budget = _current()
            budget.tick()
            _guard_method(__obj, args, kwargs, budget)
            for value in (*args, *kwargs.values()):  # a macro doubling its argument stops here
                _check_value(value, budget, "an argument")
            return super().call(__context, __obj, *args, **kwargs)

    # optimized=False: no constant folding at compile time (it would run blow-up
    # expressions outside the limits).
    def finalize(value: Any) -> Any:
        # `{{ lipsum }}` would print a function's repr, with a memory address: never
        # the same output twice, and never what the author meant.
        if callable(value) and not isinstance(value, (str, bytes, Undefined)):
            raise RenderError(
                f"`{getattr(value, '__name__', type(value).__name__)}` is a function; call it, e.g. `{{{{ name() }}}}`", kind="render"
            )
        return value

    env = GuardedEnvironment(
        undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True, loader=None, optimized=False, finalize=finalize
    )
    env.globals["namespace"] = GuardedNamespace
    lipsum: Any = env.globals["lipsum"]

    def guarded_lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> Any:
        if not all(isinstance(x, int) and 0 <= x <= 1000 for x in (n, min, max)) or n > 100:
            raise RenderError("lipsum() is limited to 100 paragraphs of 1,000 words", kind="limit")
        return lipsum(n, html, min, max)

    env.globals["lipsum"] = guarded_lipsum
    env.globals["__promptctl_iter"] = _guarded_iter
    filters = env.filters

    def sized(name: str, estimate: Any) -> None:
        original = filters[name]

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            budget = _current()
            budget.tick()
            budget.size(estimate(*args, **kwargs), f"the `{name}` filter")
            return original(*args, **kwargs)

        for attr in ("jinja_pass_arg",):
            if hasattr(original, attr):
                setattr(wrapper, attr, getattr(original, attr))
        filters[name] = wrapper

    def strip_ctx(args: tuple[Any, ...]) -> tuple[Any, ...]:
        return args[1:] if args and hasattr(args[0], "autoescape") else args  # drop eval_ctx

    def center(*args: Any, **kwargs: Any) -> int:
        a = strip_ctx(args)
        width = a[1] if len(a) > 1 else kwargs.get("width", 80)
        return width if isinstance(width, int) else 0

    def indent(*args: Any, **kwargs: Any) -> int:
        a = strip_ctx(args)
        text = str(a[0]) if a else ""
        width = a[1] if len(a) > 1 else kwargs.get("width", 4)
        size = width if isinstance(width, int) else len(str(width))
        return len(text) + (text.count("\n") + 1) * size

    def replace(*args: Any, **kwargs: Any) -> int:
        a = strip_ctx(args)
        if len(a) < 3:
            return 0
        text, old, new = str(a[0]), str(a[1]), str(a[2])
        hits = text.count(old) if old else len(text) + 1
        return len(text) + hits * max(0, len(new) - len(old))

    def join(*args: Any, **kwargs: Any) -> int:
        a = strip_ctx(args)
        if not a or isinstance(a[0], str):
            return len(a[0]) if a else 0
        items = list(a[0]) if isinstance(a[0], (list, tuple)) else []
        sep = a[1] if len(a) > 1 else kwargs.get("d", "")
        return sum(len(str(i)) for i in items) + len(str(sep)) * max(0, len(items) - 1)

    def format_(*args: Any, **kwargs: Any) -> int:
        return max((int(m) for m in _WIDTH.findall(str(args[0]))), default=0) if args else 0

    def sum_(*args: Any, **kwargs: Any) -> int:
        a = strip_ctx(args)
        start = a[2] if len(a) > 2 else kwargs.get("start", 0)
        if not a or not isinstance(start, (str, list, tuple)):
            return 0
        return _weight(a[0], _current().max_output) + _weight(start, _current().max_output)

    def printed(*args: Any, **kwargs: Any) -> int:
        a = strip_ctx(args)
        return _weight(a[0], _current().max_output) if a else 0

    for name, estimate in (
        ("center", center),
        ("indent", indent),
        ("replace", replace),
        ("join", join),
        ("format", format_),
        ("sum", sum_),
        ("tojson", printed),
        ("pprint", printed),
        ("string", printed),
        ("list", printed),
    ):
        sized(name, estimate)
    return env


_render_env: Any = None


def render_environment() -> Any:
    """The one Jinja2 environment: lint parses with it, render compiles with it."""
    global _render_env
    if _render_env is None:
        _render_env = _guarded_environment()
    return _render_env


_compiled: dict[str, Any] = {}
_parsed: dict[str, Any] = {}  # source -> AST from the last lint parse, used once by _compile


def remember_parse(source: str, ast: Any) -> None:
    """Keep the tree lint just parsed: rendering the file's examples walks it. A few
    trees only — a file's templates — never a whole run's."""
    if len(_parsed) > 16:
        _parsed.clear()
    _parsed[source] = ast


def parsed_tree(source: str) -> Any:
    """The tree lint parsed for ``source``, if it is kept (not consumed)."""
    return _parsed.get(source)


def compile_template(source: str) -> Any:
    """Parse ``source`` and wrap every loop's iterable in the guarded iterator. Compiled
    templates are kept (a few hundred at most): examples of one prompt share them."""
    template = _compiled.get(source)
    if template is None:
        if len(_compiled) > 16:  # a template is rendered for its own file's examples only
            _compiled.clear()
        template = _compiled[source] = _compile(source)
    return template


def _compile(source: str) -> Any:
    from jinja2 import TemplateSyntaxError, nodes

    env = render_environment()
    try:
        ast = env.parse(source)  # the loops of this tree get wrapped: never the shared, walked tree
        forbidden_types = {getattr(nodes, name): tag for name, tag in FORBIDDEN_TAGS.items()}
        stack = [ast]
        while stack:  # one walk: refuse file access, and wrap every loop's iterable
            node = stack.pop()
            tag = forbidden_types.get(type(node))
            if tag is not None:
                raise RenderError(f"`{tag}` is not allowed: a prompt is self-contained and never reads files", node.lineno, "syntax")
            if isinstance(node, nodes.For):
                node.iter = nodes.Call(
                    nodes.Name("__promptctl_iter", "load", lineno=node.lineno), [node.iter], [], None, None, lineno=node.lineno
                )
            stack.extend(node.iter_child_nodes())
        return env.from_string(ast)
    except TemplateSyntaxError as exc:
        raise RenderError(f"template: {exc.message}", exc.lineno, "syntax") from None
    except RecursionError:
        raise RenderError("the template nests too deeply to be read", 1, "syntax") from None


def _template_line(tb: Any) -> int | None:
    line = None
    while tb is not None:
        frame = tb.tb_frame
        if frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def render_jinja(source: str, variables: dict[str, Any], *, timeout: float, max_output: int) -> str:
    from jinja2 import TemplateError, UndefinedError
    from jinja2.exceptions import SecurityError

    template = compile_template(source)
    token = _budget.set(_Budget(timeout, max_output))
    try:
        budget = _current()
        parts: list[str] = []
        total = 0
        for chunk in template.generate(**variables):
            total += len(chunk)
            budget.size(total, "the rendered text")
            budget.tick()
            parts.append(chunk)
        return "".join(parts)
    except RenderError as exc:
        if exc.line is None:
            exc.line = _template_line(exc.__traceback__)
        raise
    except UndefinedError as exc:
        name = _re.search(r"'([^']+)' is undefined", str(exc))
        message = f"`{name.group(1)}` is undefined" if name else str(exc)
        raise RenderError(message, _template_line(exc.__traceback__), "undefined") from None
    except SecurityError as exc:
        raise RenderError(f"not allowed in a prompt: {exc}", _template_line(exc.__traceback__), "render") from None
    except RecursionError:
        raise RenderError("the template recurses too deeply", None, "limit") from None
    except MemoryError:
        raise RenderError("the template needs too much memory", None, "limit") from None
    except (TemplateError, ArithmeticError, TypeError, ValueError, AttributeError, KeyError, IndexError) as exc:
        raise RenderError(f"{type(exc).__name__}: {exc}", _template_line(exc.__traceback__), "render") from None
    finally:
        _budget.reset(token)

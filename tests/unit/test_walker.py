"""The tree walker (everyday Jinja rendered without compiling) against Jinja2 itself:
the same text whenever it answers, and no answer whenever Jinja2 fails."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from promptctl.templating import RenderError, render_environment, render_jinja
from promptctl.templating.walker import run as walk

NAMES = ["name", "items", "account", "flag", "missing"]
FILTERS = [
    "default('x')", "d", "join(', ')", "join", "length", "count", "tojson", "replace('a', 'b')", "title", "round(1)",
    "round", "upper", "lower", "trim", "capitalize", "first", "last", "string", "int", "float", "abs", "list",
    "unique", "sort", "reverse", "sum", "truncate(5)", "center(6)", "indent(2)", "wordcount",
    "batch(2)", "map('upper')", "e", "format(1)",  # not walked: Jinja2 renders these
]  # fmt: skip
TESTS = [
    "defined",
    "undefined",
    "none",
    "number",
    "string",
    "mapping",
    "sequence",
    "iterable",
    "even",
    "odd",
    "divisibleby(2)",
    "in(['a'])",
]
ATOM = st.sampled_from(
    [
        *NAMES * 3,
        "'a'",
        '"b c"',
        "1",
        "2.5",
        "none",
        "true",
        "[1, 2]",
        "['a', 'b']",
        "{'k': 1}",
        "loop.index",
        "loop.last",
        "loop.revindex0",
        "loop.previtem",
        "loop.length",
        "loop.cycle",
        "range(3)",
    ]
)


def _expr() -> st.SearchStrategy[str]:
    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            st.builds(lambda a, f: f"{a} | {f}", inner, st.sampled_from(FILTERS)),
            st.builds(lambda a, t, neg: f"{a} is {'not ' if neg else ''}{t}", inner, st.sampled_from(TESTS), st.booleans()),
            st.builds(lambda a, op, b: f"({a} {op} {b})", inner, st.sampled_from(["==", "!=", "<", ">=", "in", "not in", "and", "or", "~", "+", "-", "*", "/", "//", "%"]), inner),
            st.builds(lambda a: f"not {a}", inner),
            st.builds(lambda a, b, c: f"({a} if {b} else {c})", inner, inner, inner),
            st.builds(lambda a, name: f"{a}.{name}", inner, st.sampled_from(["plan", "plan", "items", "keys", "upper", "k"])),
            st.builds(lambda a, i: f"{a}[{i}]", inner, st.sampled_from(["0", "'k'", "-1", "1:2"])),
        )  # fmt: skip

    return st.recursive(ATOM, extend, max_leaves=4)


SPACE = st.sampled_from(["", " ", "-", "- "])


def _template() -> st.SearchStrategy[str]:
    out = st.builds(
        lambda left, e, right: "{{" + left + " " + e + " " + right + "}}", st.sampled_from(["", "-"]), _expr(), st.sampled_from(["", "-"])
    )
    text = st.sampled_from(["Hello ", "\n", "  a\n", ", ", ""])
    leaf = st.one_of(out, text, st.builds(lambda n, e: "{% set " + n + " = " + e + " %}", st.sampled_from(["name", "z"]), _expr()))

    def blocks(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        seq = st.lists(inner, max_size=3).map("".join)
        if_block = st.builds(
            lambda s, c, a, b: "{%" + s + "if " + c + " %}" + a + "{% else " + s + "%}" + b + "{% endif %}", SPACE, _expr(), seq, seq
        )
        for_block = st.builds(
            lambda s, t, it, body, e: "{%" + s + f"for {t} in {it} %}}" + body + ("{% else %}" + e if e else "") + "{% endfor %}",
            SPACE,
            st.sampled_from(["item", "name"]),
            st.sampled_from(["items", "name", "account", "['a', 'b']", "missing", "[]"]),
            seq,
            st.sampled_from(["", "none"]),
        )
        return st.one_of(if_block, for_block)

    return st.recursive(leaf, lambda inner: st.one_of(blocks(inner), st.lists(inner, max_size=4).map("".join)), max_leaves=8)


VALUES = st.one_of(
    st.text(alphabet="aB c", max_size=4),
    st.integers(-3, 3),
    st.none(),
    st.booleans(),
    st.lists(st.one_of(st.text(alphabet="ab", max_size=2), st.integers(0, 3)), max_size=3),
    st.dictionaries(st.sampled_from(["plan", "k", "items"]), st.one_of(st.text(alphabet="ab", max_size=2), st.integers(0, 2)), max_size=2),
    st.floats(allow_nan=False, allow_infinity=False, width=16),
)
VARIABLES = st.dictionaries(st.sampled_from(NAMES[:-1]), VALUES, max_size=4)


def _jinja(source: str, variables: dict[str, Any]) -> str | None:
    try:
        return render_jinja(source, dict(variables), timeout=5.0, max_output=10_000)
    except RenderError:
        return None


@settings(max_examples=2500, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(_template(), VARIABLES)
def test_the_walker_renders_exactly_like_jinja_or_not_at_all(source: str, variables: dict[str, Any]) -> None:
    from jinja2 import TemplateSyntaxError

    try:
        ast = render_environment().parse(source)
    except TemplateSyntaxError:
        return
    walked = walk(ast, dict(variables), timeout=5.0, max_output=10_000)
    if walked is not None:
        assert walked == _jinja(source, variables), source


EVERYDAY = [
    "Greet {{ name | default('there') | title }} by name.",
    "{% if name is defined and name %}Use {{ name | replace('_', ' ') }}.{% endif %}",
    "{%- if name is none or not flag -%} Ask for it first. {%- endif %}",
    "Known items: {{ items | join(', ') }} ({{ items | length }} in all).",
    "{% set limit = 3 %}Offer at most {{ limit }} options about {{ name }}.",
    "{% if name == 'gold' or flag in ['vip', 'partner'] %}Priority.{% else %}Standard.{% endif %}",
    "Context as JSON: {{ account | tojson }}",
    "Score: {{ (items | length) / 3 | round(1) }}",
    "The plan is {{ account.plan }} (tier {{ account['tier'] }}).",
    "{% for item in items %}{{ loop.index }}. {{ item | trim }}{% if not loop.last %}, {% endif %}{% endfor %}",
]
EVERYDAY_VALUES = {"name": "gold_member", "items": [" a", "b "], "account": {"plan": "pro", "tier": 2}, "flag": "vip"}


@pytest.mark.parametrize("source", EVERYDAY)
def test_everyday_jinja_is_walked(source: str) -> None:
    ast = render_environment().parse(source)
    walked = walk(ast, dict(EVERYDAY_VALUES), timeout=5.0, max_output=10_000)
    assert walked is not None and walked == _jinja(source, EVERYDAY_VALUES)


@pytest.mark.parametrize(
    "source",
    [
        "{{ range(3) | list }}",  # a call
        "{% macro m() %}x{% endmacro %}{{ m() }}",
        "{{ missing }}",  # an error: Jinja2 words it
        "{% for i in items %}{% set z = i %}{% endfor %}",  # set inside a loop
        "{{ name.upper() }}",
        "{{ 'ab' * 3 }}",  # a sequence operator: the guarded path
        "{% include 'x' %}",
    ],
)
def test_everything_else_is_left_to_jinja(source: str) -> None:
    ast = render_environment().parse(source)
    assert walk(ast, dict(EVERYDAY_VALUES), timeout=5.0, max_output=10_000) is None


def test_limits_leave_it_to_jinja() -> None:
    ast = render_environment().parse("{% for i in items %}{% for j in items %}{{ i }}{% endfor %}{% endfor %}")
    assert walk(ast, {"items": list(range(1000))}, timeout=5.0, max_output=10_000) is None  # output over the limit
    ast = render_environment().parse("{{ name | replace('a', name) }}")
    assert walk(ast, {"name": "a" * 5000}, timeout=5.0, max_output=1_000_000) is None  # weighed before it is built


@pytest.mark.parametrize(
    "source",
    [
        "{{ account.plan }}",
        "{{ account.missing is defined }}",
        "{{ account.items is defined }}",  # a dict's method, not its item: Jinja2 prefers the attribute
        "{{ account.keys is undefined }}",
        "{{ account.get is none }}",
        "{{ account.items | default('none') is string }}",
        "{{ account.tier.level is defined }}",
    ],
)
def test_an_attribute_of_a_dict_is_looked_up_as_jinja_does(source: str) -> None:
    variables = {"account": {"plan": "pro", "items": ["x"], "tier": {"level": 2}}}
    walked = walk(render_environment().parse(source), dict(variables), timeout=5.0, max_output=10_000)
    assert walked in (None, _jinja(source, variables))
    assert walked is not None or "items" in source or "keys" in source or "get" in source  # methods are Jinja2's

"""The reader (everyday Jinja read into Jinja2's tree without Jinja2's parser) against
Jinja2's parser itself: whenever it answers, the tree is Jinja2's — node for node,
field for field, line for line — with the same facts; and it never accepts what Jinja2
refuses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from promptctl.templating import parse, render_environment
from promptctl.templating.reader import Facts, facts_of
from promptctl.templating.reader import parse as read

REPO = Path(__file__).resolve().parents[2]


def _same(mine: Any, theirs: Any) -> bool:
    if type(mine) is not type(theirs) or mine.lineno != theirs.lineno or mine.environment is not theirs.environment:
        return False
    if mine != theirs:  # the fields, compared recursively by Jinja2's own __eq__
        return False
    ours, other = list(mine.iter_child_nodes()), list(theirs.iter_child_nodes())
    return len(ours) == len(other) and all(_same(a, b) for a, b in zip(ours, other, strict=True))


def _summary(facts: Facts) -> tuple[Any, ...]:
    names = sorted((n.name, n.ctx, n.lineno) for n in facts.names)
    return names, facts.kinds, facts.filters, facts.tests, len(facts.blocks)


def _check(source: str) -> Facts | None:
    """The reader's answer, held to Jinja2's."""
    from jinja2 import TemplateSyntaxError

    env = render_environment()
    facts = read(source, env)
    try:
        theirs = env.parse(source)
    except (TemplateSyntaxError, RecursionError):
        assert facts is None, f"read what Jinja2 refuses: {source!r}"
        return None
    if facts is not None:
        assert _same(facts.tree, theirs), source
        assert _summary(facts) == _summary(facts_of(theirs)), source
    return facts


# -- generated templates ---------------------------------------------------------------

NAMES = ["name", "items", "account", "loop", "x_1", "_y", "not", "in", "is", "if", "else", "and", "or", "recursive",
         "true", "False", "none", "None", "range", "ns", "é"]  # fmt: skip
NUMBERS = ["0", "1", "42", "05", "00", "1_000", "1e5", "2.5", "0.5", "0x1F", "1.", "3.14.1"]
STRINGS = ["'a'", '"b c"', "''", "'}}'", "'%}'", "'{{'", '"it\'s"', "'a\\'b'", "'\\n'", '"é ✓"', "'#}'", "'a' 'b'"]
FILTERS = ["default('x')", "d", "join(', ')", "length", "tojson", "replace('_', ' ')", "title", "round(1)",
           "round(1, 'floor')", "truncate(5, killwords=true)", "indent(2, first=true)", "default(x, true)", "upper",
           "map(attribute='name')", "dictsort", "a.b", "join(*x)", "default(k=1, 2)", "trim()", "first(,)"]  # fmt: skip
TESTS = ["defined", "undefined", "none", "divisibleby 3", "divisibleby(3)", "sameas true", "sameas false", "in ['a']",
         "eq name", "string", "not defined", "not none", "is defined", "in(x)", "a.b", "number and true", "odd or x",
         "defined else y", "'x'", "[1]", "{'a': 1}", "equalto -1"]  # fmt: skip
BINARY = ["==", "!=", "<", "<=", ">", ">=", "in", "not in", "and", "or", "~", "+", "-", "*", "/", "//", "%", "**"]
ODD = ["=", ":", ",", "!", "is"]  # never right between two operands
SPACE = st.sampled_from([" "] * 6 + ["", "  ", "\t", "\n", "\xa0"])
# Mostly what parses, with some of everything that does not: most generated templates
# should be ones Jinja2 accepts, or the reader's trees are barely compared.
GOOD_NAMES = NAMES[:6]
GOOD_NUMBERS = ["0", "1", "42", "2.5", "0.5"]
GOOD_STRINGS = ["'a'", '"b c"', "''", "'}}'", "'%}'", '"é ✓"', "'a' 'b'"]


def _expr(clean: bool) -> st.SearchStrategy[str]:
    def pick(good: list[str], everything: list[str]) -> st.SearchStrategy[str]:
        return st.sampled_from(good if clean else good * 3 + everything)

    atom = st.one_of(
        pick(GOOD_NAMES, NAMES),
        pick(GOOD_NUMBERS, NUMBERS),
        pick(GOOD_STRINGS, STRINGS),
        pick(["[]", "[1, 2]", "['a', 'b',]"], ["[,]", "()", "(1, 2)", "{}", "{'k': 1}", "range(3)", "x()"]),
    )
    binary = pick(BINARY, ODD)
    space = SPACE if not clean else st.sampled_from([" "] * 6 + ["", "  ", "\t"])

    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            st.builds(lambda a, s, f: f"{a}{s}|{s}{f}", inner, space, pick(FILTERS[:13], FILTERS)),
            st.builds(lambda a, t: f"{a} is {t}", inner, pick(TESTS[:12], TESTS)),
            st.builds(lambda a, s, op, b: f"{a}{s}{op}{s}{b}", inner, space, binary, inner),
            st.builds(lambda a, s, op, b: f"({a}{s}{op}{s}{b})", inner, space, binary, inner),
            st.builds(lambda prefix, a: f"{prefix}{a}", st.sampled_from(["not ", "-", "+", "- ", "not not "]), inner),
            st.builds(lambda a, b, c: f"({a} if {b} else {c})", inner, inner, inner),
            st.builds(lambda a, b: f"({a} if {b})", inner, inner),
            st.builds(lambda a, p: f"{a}{p}", inner, pick([".plan", "['k']", "[0]", ".0", "[-1]"], [".0.1", "[1:2]", "[]", "[a, b]", ".items()", "(1)"])),
        )  # fmt: skip

    return st.recursive(atom, extend, max_leaves=5)


def _tag(body: st.SearchStrategy[str], kind: str, clean: bool) -> st.SearchStrategy[str]:
    close = "%}" if kind == "%" else "}}"
    signs = ["", "", "-"] + (["+"] if kind == "%" else [])
    space = SPACE if not clean else st.sampled_from([" "] * 6 + ["", "\t"])
    openers, closers = st.sampled_from(signs if clean else [*signs, "+"]), st.sampled_from(signs if clean else [*signs, "+"])
    return st.builds(lambda o, s1, b, s2, c: "{" + kind + o + s1 + b + s2 + c + close, openers, space, body, space, closers)


def _template(clean: bool) -> st.SearchStrategy[str]:
    """Templates that mostly parse (``clean``), or that hold some of everything that
    does not: both kinds, or the reader's trees are barely compared."""
    good_text = ["Hello ", "\n", "  a\n", ", ", "", "  \n  ", "}", "%}", "#}", "a { b }", "é ✓ ", "50%"]
    text = st.sampled_from(good_text if clean else [*good_text, "{", "{ {", "\r\n"])
    expr = _expr(clean)
    output = _tag(expr, "{", clean)
    comment = st.builds(lambda o, body, c: "{#" + o + body + c + "#}", st.sampled_from(["", "-", "+"]), st.sampled_from([" note ", "\n", " {{ x }} ", ""]), st.sampled_from(["", "-", "+"]))  # fmt: skip
    target = st.sampled_from(["x", "name"] if clean else ["x", "name"] * 4 + ["true", "a.b", "a, b", "in"])
    setter = _tag(st.builds(lambda t, e: f"set {t} = {e}", target, expr), "%", clean)
    other = _tag(st.sampled_from(["raw", "endraw", "macro m()", "endmacro", "include 'x'", "do x", "break", "", "set x", "endset", "else", "endif", "endfor", "elif x", "filter upper", "call m()"]), "%", clean)  # fmt: skip
    leaf = st.one_of(output, output, text, text, comment, setter) if clean else st.one_of(output, text, comment, setter, other)

    def closing(name: str) -> st.SearchStrategy[str]:
        right = _tag(st.just(name), "%", clean)
        if clean:
            return right
        return st.one_of(*[right] * 6, st.just(""), _tag(st.just(name + " x"), "%", clean), _tag(st.just("endif" if name == "endfor" else "endfor"), "%", clean))  # fmt: skip

    def blocks(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        seq = st.lists(inner, max_size=3).map("".join)
        else_ = st.one_of(st.just(""), st.builds(lambda t, b: t + b, _tag(st.just("else"), "%", clean), seq))
        if_block = st.builds(
            lambda i, a, elifs, e, end: i + a + "".join(elifs) + e + end,
            _tag(st.builds(lambda c: f"if {c}", expr), "%", clean),
            seq,
            st.lists(st.builds(lambda t, b: t + b, _tag(st.builds(lambda c: f"elif {c}", expr), "%", clean), seq), max_size=2),
            else_,
            closing("endif"),
        )
        loop_target = st.sampled_from(["item", "name"] if clean else ["item", "name"] * 4 + ["a, b", "in", "true", "x.y"])
        loop_tail = st.sampled_from([""] if clean else [""] * 8 + [" if x", " recursive", ","])
        for_block = st.builds(
            lambda head, body, e, end: head + body + e + end,
            _tag(st.builds(lambda t, it, tail: f"for {t} in {it}{tail}", loop_target, expr, loop_tail), "%", clean),
            seq,
            else_,
            closing("endfor"),
        )
        return st.one_of(if_block, for_block)

    return st.recursive(leaf, lambda inner: st.one_of(blocks(inner), st.lists(inner, max_size=4).map("".join)), max_leaves=8)


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(_template(clean=True))
def test_the_reader_builds_jinjas_tree(source: str) -> None:
    _check(source)


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(_template(clean=False))
def test_the_reader_never_reads_what_jinja_refuses(source: str) -> None:
    _check(source)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from([*NAMES, *NUMBERS, *STRINGS, *BINARY, "|", "is", ".", "[", "]", "(", ")", "title", "x"]), max_size=8), st.sampled_from(["{{ ", "{% if ", "{% for x in ", "{% set y = "]))  # fmt: skip
def test_token_soup_is_never_read_where_jinja_refuses_it(tokens: list[str], head: str) -> None:
    close = " }}" if head.startswith("{{") else " %}a" + ("{% endif %}" if "if" in head else "{% endfor %}" if "for" in head else "")
    _check(head + " ".join(tokens) + close)


# -- real-shaped templates -------------------------------------------------------------

EVERYDAY = [
    "Greet {{ name | default('there') | title }} by name.\n",
    "{% if name is defined and name %}Use {{ name | replace('_', ' ') }}.{% endif %}",
    "{%- if name is none or not flag -%}\n  Ask for it first.\n{%- endif %}\n",
    "Known items: {{ items | join(', ') }} ({{ items | length }} in all).",
    "{% set limit = 3 %}Offer at most {{ limit }} options about {{ name }}.",
    "{% if tier == 'gold' or flag in ['vip', 'partner'] %}Priority.{% elif tier != 'none' %}Normal.{% else %}Standard.{% endif %}",
    "Context as JSON: {{ account | tojson }}",
    "Score: {{ (items | length) / 3 | round(1) }}",
    "The plan is {{ account.plan }} (tier {{ account['tier'] }}, first {{ items[0] }}, second {{ items.1 }}).",
    "{% for item in items %}{{ loop.index }}. {{ item | trim }}{% if not loop.last %}, {% endif %}{% else %}none{% endfor %}",
    "{# a comment that says why #}\n{{ 'Dear ' ~ name ~ ',' }}\n{#- trimmed -#}\nThanks.",
    "{{ name if name else 'friend' }} has {{ count * 2 + 1 - offset // 3 % 2 }} credits, {{ -count }} owed.",
    "{{ text | truncate(200, killwords=true, end='…') }} {{ notes | default('', true) | indent(2, first=true) }}",
    "```python\nprint({{ code | tojson }})\n```\nUse `process.env.API_KEY`; 50% off {{ '{{' }} literal {{ '}}' }}.",
    "{{ user.name | title }} ({{ user.email | lower }}) is {{ 'an admin' if user.is_admin else 'a member' }}. 🎉\n",
    "{% if a is divisibleby 3 and b is not none %}{{ a is sameas true }}{% endif %}\n{{ x is in ['a', 'b'] }}",
]


@pytest.mark.parametrize("source", EVERYDAY)
def test_everyday_jinja_is_read(source: str) -> None:
    assert _check(source) is not None


@pytest.mark.parametrize(
    "expression",
    [
        "a ** b ** c", "a - b - c + d", "a / b // c % d * e", "a ~ b + c ~ d", "a + b ~ c * d ~ e", "-a ** 2", "- a.b[0] | abs",
        "-a | abs ** 2", "+a - -b", "not a == b and c or d", "a and not b or not not c", "a < b <= c != d", "a not in b in c",
        "a in b and c not in d", "not a in b", "a or b and c or d", "a if b else c if d else e", "(a if b) ~ c",
        "a | default(b) is defined", "a is divisibleby 3 + 1", "a is not sameas b.c and d", "a | join(', ') ~ b | length",
        "[a, b | upper, 'c'][0]", "a.b.c[d][e.f]", "a.0", "'x' 'y' ~ \"z\"", "a | replace('a', 'b') | title | trim",
        "a | round(1, method='floor') + 1", "a is in [1, 2] or b",
    ],
)  # fmt: skip
def test_precedence_and_associativity_as_jinja_reads_them(expression: str) -> None:
    assert _check("{{ " + expression + " }}") is not None
    if " if " not in expression:  # an `if` tag's test takes no `x if y else z`
        assert _check("{% if " + expression + " %}x{% endif %}") is not None


def _shipped_templates() -> list[str]:
    sources = []
    for path in sorted([*REPO.glob("prompts/**/*.yaml"), *REPO.glob("tests/data/**/*.yaml")]):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError):
            continue
        if not isinstance(data, dict):
            continue
        sources += [data[k] for k in ("system", "user") if isinstance(data.get(k), str)]
        sources += [m["content"] for m in data.get("messages") or [] if isinstance(m, dict) and isinstance(m.get("content"), str)]
    return sources


def test_the_shipped_and_test_prompts_read_as_jinja_parses_them() -> None:
    sources = _shipped_templates()
    assert len(sources) >= 8
    for source in sources:
        _check(source)


@pytest.mark.parametrize(
    "source",
    [
        "{{ x }}\r\n",  # Jinja2 normalises line breaks
        "{% if a\n and b %}x{% endif %}",  # a tag over two lines
        "{{ items.0.name }}",  # `0.` reads as a float to us, not to Jinja2's lexer
        "{{ x | join('\\n') }}",  # a backslash escape
        "{% raw %}{{ x }}{% endraw %}",
        "{% macro m() %}x{% endmacro %}{{ m() }}",
        "{{ range(3) | list }}",  # a call
        "{{ {'a': 1} }}",
        "{{ x[1:2] }}",
        "{% for a, b in pairs %}{{ a }}{% endfor %}",
        "{% set ns.x = 1 %}",
        "{{ x | a.b }}",
        "{{ 1_000 }}",
        "{{ né }}",
    ],
)
def test_what_the_reader_leaves_to_jinja(source: str) -> None:
    assert read(source, render_environment()) is None
    _check(source)


def test_a_syntax_error_is_still_worded_by_jinja() -> None:
    parsed = parse("line one\n{% if name %}\n{{ name | }}\n{% endif %}")
    assert parsed.error is not None
    assert parsed.error == (3, "expected token 'name', got 'end of print statement'")


def test_variables_and_lines_come_from_the_read_tree() -> None:
    source = "{% set limit = 3 %}{{ limit }}\n{{ account.plan | default(fallback) }}\n{% for i in items %}{{ i }}{% endfor %}"
    assert read(source, render_environment()) is not None
    assert parse(source).uses == {"account": [2], "fallback": [2], "items": [3]}


# -- the whole lint, with and without the fast paths -----------------------------------

REAL_SHAPED = [
    "You are a helpful assistant for {{ company | default('Acme') }}. 🎉\n",
    "```js\nconst key = process.env.OPENAI_API_KEY;\nif (a != b && c * 2 > 3) { return {x: [1, 2]}; }\n```\n",
    "{% if user.tier == 'gold' or user.tier in ['vip', 'partner'] %}Priority.{% elif user %}Standard.{% else %}Guest.{% endif %}\n",
    "{%- for item in items -%}\n  {{ loop.index }}. {{ item.name | title }}: {{ item.price | round(2) }}{% if not loop.last %},{% endif %}\n{%- endfor %}\n",
    "Handlebars elsewhere: {{ '{{' }}#each items{{ '}}' }} and {% raw %}{{ not_jinja }}{% endraw %}\n",
    "{# reviewer note #}Reply in {{ language | default('English') | upper }}.\n",
    "{% set limit = max_items | default(3) %}Offer at most {{ limit }} options.\n",
    "Context: {{ context | tojson }}\nScore: {{ (score * 100) | round(1) }}%\n",
    "{{ 'Dear ' ~ user.name ~ ',' if user.name else 'Hello,' }}\n",
    "Use ${{ secrets.API_KEY }} in CI, never a literal key.\n",
    "{{ notes | truncate(120, killwords=true) }} {{ tags | join(', ') }} {{ missing_var }}\n",
    "{% if a is defined and a is not none %}{{ a[0] }} {{ a.1 }}{% endif %}\n",
    "Weird: {{ x | default('}}') }} 50% off {% if y %}%{% endif %}\n",
    "{{ range(3) | list }} {{ name | }}\n",
    "{% macro m(x) %}{{ x }}{% endmacro %}{{ m(1) }}\n",
]


def test_lint_finds_the_same_with_and_without_the_reader(project: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Real-shaped prompts (code samples, other template languages, emoji, references to
    secrets, a 100 KB line) linted with the reader and the YAML gate's block-scalar rule,
    then with both off: the same findings, line for line."""
    import random

    from promptctl import document, linter
    from promptctl.config import load_settings
    from promptctl.templating import reader

    rng = random.Random(7)
    variables = "".join(f"  {v}: {{type: {t}, required: false}}\n" for v, t in [
        ("company", "string"), ("items", "array"), ("user", "object"), ("language", "string"), ("max_items", "integer"),
        ("context", "object"), ("score", "number"), ("notes", "string"), ("tags", "array"), ("a", "array"), ("x", "string"),
        ("y", "boolean"), ("name", "string"),
    ])  # fmt: skip
    example = "examples:\n  - {company: Initech, items: [{name: pen, price: 1.5}], user: {name: Ann, tier: gold}, score: 0.75, a: [1, 2], y: true}\n"
    for i in range(60):
        body = "".join(rng.choice(REAL_SHAPED) for _ in range(rng.randint(2, 7))) + (
            "A" * 100_000 + " {{ company }}\n" if i % 20 == 0 else ""
        )
        system = "".join(f"  {line}\n" for line in body.splitlines())
        project.write(
            f"prompts/p{i}-v1.yaml",
            f"version: 1\nmodel: gpt-4o-2024-08-06\nowners: ['@team']\nsystem: |\n{system}variables:\n{variables}{example}",
        )

    def findings() -> list[tuple[Any, ...]]:
        report = linter.lint(load_settings(project.root), use_cache=False)
        return sorted((f.path, f.line, f.column, f.rule, f.message) for f in report.findings)

    fast = findings()
    monkeypatch.setattr(reader, "parse", lambda source, environment: None)
    monkeypatch.setattr(document, "_structure_lines", lambda text: None)
    slow = findings()
    assert fast == slow
    assert {f[3] for f in fast} >= {"template-syntax", "undeclared-variable", "example-render"}

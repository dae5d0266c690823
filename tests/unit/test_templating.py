"""The template subset promptctl runs by itself must behave exactly like Jinja2."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from promptctl import templating
from promptctl.templating import RenderError
from promptctl.templating import subset as template_subset

NAMES = ["name", "items", "flag", "x_1"]
LOOP_REFS = ["loop.index", "loop.index0", "loop.revindex", "loop.revindex0", "loop.first", "loop.last", "loop.length"]
ODD_REFS = ["loop", "true", "range", "loop.cycle", "name.upper", "items.0"]  # outside the subset
# sampled_from picks uniformly: repeating the usual choices makes most templates valid
REF = st.sampled_from(NAMES * 4 + LOOP_REFS + ODD_REFS)
FILTER = st.sampled_from(["upper", "lower", "trim", "capitalize"] * 3 + ["title", "length", "e"])
SPACE = st.sampled_from(["", " ", " ", " ", "  ", "\t", "\n", "-", "+"])
TEXT = st.one_of(st.text(alphabet="ab \n", max_size=12), st.text(alphabet="ab {}%#-\n\r\t'\"|.", max_size=6))
JUNK = st.sampled_from(
    [
        "{# note #}",
        "{{ 1 + 2 }}",
        "{% endif %}",
        "{% else %}",
        "{% raw %}x{% endraw %}",
        "{{ name }",
        "{%",
        "{{",
        "{% endfor %}",
        "{% elif flag %}",
        "{{{ name }}}",
    ]
)


def _placeholder() -> st.SearchStrategy[str]:
    filters = st.lists(st.tuples(SPACE, FILTER, SPACE), max_size=2)
    return st.builds(lambda a, ref, fs, b: "{{" + a + ref + "".join(f"{x}|{y}{f}" for x, f, y in fs) + b + "}}", SPACE, REF, filters, SPACE)


def _tag(a: str, body: str, b: str) -> str:
    return "{%" + a + body + b + "%}"


LIST = st.lists(st.sampled_from(["'a'", '"b c"', "'{{ x }}'", "''", "'%}'"]), max_size=3).map(lambda xs: "[" + ", ".join(xs) + "]")
COND = st.builds(lambda neg, ref: neg + ref, st.sampled_from(["", "", "not "]), REF)


def _template() -> st.SearchStrategy[str]:
    leaf = st.one_of(TEXT, _placeholder(), _placeholder(), JUNK)

    def blocks(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        seq = st.lists(inner, max_size=4).map("".join)
        if_block = st.builds(
            lambda s, c, a, elifs, b, e: (
                _tag(s, "if " + c, " ")
                + a
                + "".join(_tag(" ", "elif " + x, s) + y for x, y in elifs)
                + ((_tag(s, "else", s) + b) if e else "")
                + _tag(" ", "endif", s)
            ),
            SPACE,
            COND,
            seq,
            st.lists(st.tuples(COND, seq), max_size=2),
            seq,
            st.booleans(),
        )
        for_block = st.builds(
            lambda s, t, it, body: _tag(s, f"for {t} in {it}", " ") + body + _tag(" ", "endfor", s),
            SPACE,
            st.sampled_from(["step", "step", "name", "loop"]),
            st.one_of(LIST, st.sampled_from(NAMES)),
            seq,
        )
        return st.one_of(if_block, for_block, for_block)

    return st.recursive(leaf, lambda inner: st.one_of(blocks(inner), st.lists(inner, max_size=4).map("".join)), max_leaves=12)


VALUES = st.one_of(
    st.text(alphabet="aB {}\n", max_size=4),
    st.integers(-3, 3),
    st.none(),
    st.booleans(),
    st.lists(st.text(alphabet="ab", max_size=2), max_size=3),
    st.floats(allow_nan=False, width=16),
)
VARIABLES = st.dictionaries(st.sampled_from(NAMES), VALUES, max_size=len(NAMES))


def _outcome(fn: Any, source: str, variables: dict[str, Any]) -> tuple[str, Any]:
    try:
        return "ok", fn(source, dict(variables), timeout=5.0, max_output=10_000)
    except RenderError as exc:
        return exc.kind, (exc.message, exc.line)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_template(), VARIABLES)
def test_subset_renders_and_reads_exactly_like_jinja(source: str, variables: dict[str, Any]) -> None:
    templating._programs.clear()
    program = template_subset.compile(source)
    if program is None:
        return
    # what lint reads: the variables and the lines they are read on
    assert templating.parse(source).uses == templating._parse_jinja(source).uses
    assert templating._parse_jinja(source).error is None
    # what a render produces: the same text, or the same error at the same line
    assert _outcome(templating.render, source, variables) == _outcome(templating.render_jinja, source, variables)


@pytest.mark.parametrize(
    "source",
    [
        "Hello {{ name }}.",
        "{% if flag %}Mention {{ name | upper }} once.{% endif %}",
        "{% for step in ['verify', 'answer', 'confirm'] %}{{ loop.index }}. {{ step }}\n{% endfor %}",
        "{% if not flag %}a{% elif name %}b{% else %}c{% endif %}",
        "{%for s in items%}{{ s|trim|capitalize }}{% if not loop.last %}, {% endif %}{%endfor%}",
    ],
)
def test_common_templates_are_in_the_subset(source: str) -> None:
    assert template_subset.compile(source) is not None


@pytest.mark.parametrize(
    "source",
    [
        "a\r\nb {{ name }}",  # Jinja2 turns \r\n into \n
        "{# comment #}{{ name }}",
        "{{- name }}",
        "{%- if name %}x{% endif %}",
        "{{ user.name }}",
        "{{ loop.index }}",  # outside a loop
        "{{ name | default('x') }}",
        "{{ name | title }}",
        "{% if a == b %}x{% endif %}",
        "{% for x in items %}x{% else %}y{% endfor %}",
        "{% if x %}x{% else %}y{% elif z %}{% endif %}",
        "{% if x %}unclosed",
        "{% endfor %}",
        "{{ range }}",
        "{{{ name }}",
        "{% raw %}{{ name }}{% endraw %}",
        "{% for loop in items %}{% endfor %}",
    ],
)
def test_everything_else_goes_to_jinja(source: str) -> None:
    assert template_subset.compile(source) is None


def test_a_long_run_or_a_large_output_is_left_to_jinja_and_its_limits() -> None:
    many = {"items": ["x"] * 1000}
    source = "{% for a in items %}{% for b in items %}{% endfor %}{% endfor %}"
    program = template_subset.compile(source)
    assert program is not None and template_subset.run(program, many, 10_000) is None
    assert template_subset.run(template_subset.compile("{% for a in items %}{{ a }}{% endfor %}"), many, 1000) is None  # type: ignore[arg-type]
    with pytest.raises(RenderError) as exc:
        templating.render("{% for a in items %}{{ a }}{% endfor %}", many, max_output=500)
    assert exc.value.kind == "limit"


def test_a_value_that_cannot_be_printed_is_left_to_jinja() -> None:
    class Broken:
        def __str__(self) -> str:
            raise ValueError("no")

    program = template_subset.compile("{{ name }}")
    assert program is not None and template_subset.run(program, {"name": Broken()}, 1000) is None
    with pytest.raises(RenderError, match="ValueError: no"):
        templating.render("{{ name }}", {"name": Broken()})


def test_undefined_names_are_errors_at_their_line() -> None:
    with pytest.raises(RenderError) as exc:
        templating.render("line one\n{% if flag %}\n{{ missing }}{% endif %}", {"flag": True})
    assert (exc.value.kind, exc.value.message, exc.value.line) == ("undefined", "`missing` is undefined", 3)


EVERY_PART = [f"{{{{ name | {f} }}}}" for f in ("upper", "lower", "trim", "capitalize")] + [
    "{% for s in items %}" + "|".join(f"{{{{ loop.{a} }}}}" for a in sorted(template_subset.LOOP_ATTRIBUTES)) + "{{ s }};{% endfor %}",
    "{% for s in ['a', \"b\", ''] %}{{ loop.revindex0 }}{{ s | upper }}{% if loop.last %}.{% endif %}{% endfor %}",
    "{% if not flag %}no{% elif name %}name{% else %}else{% endif %}",
    "{% for s in name %}{{ s }}{% if not loop.first %},{% endif %}{% endfor %}",
]
SAMPLE_VALUES = [" mIxed Case \t", "", "\n x\n", 0, 3, None, True, False, 1.5, ["a", " B "], [], "ß ǆ"]


@pytest.mark.parametrize("source", EVERY_PART)
def test_each_part_of_the_subset_on_awkward_values(source: str) -> None:
    """Every filter and loop attribute, on values a random draw rarely hits."""
    assert template_subset.compile(source) is not None
    for value in SAMPLE_VALUES:
        for flag in (True, False):
            variables = {"name": value, "items": value if isinstance(value, list) else ["x", "y", "z"], "flag": flag}
            assert _outcome(templating.render, source, variables) == _outcome(templating.render_jinja, source, variables), (source, value)

"""Template dialect conversions: each refusal names its line and says why; what is kept
renders the same (the differential tests against the real renderers are in
tests/integration/test_dialects.py)."""

from __future__ import annotations

import pytest

from promptctl.interop.dialects import (
    GITHUB_VARIABLE,
    Sections,
    Untranslatable,
    jinja_literal,
    jinja_to_handlebars,
    jinja_to_substitution,
    logic_to_jinja,
    substitution_to_jinja,
)
from promptctl.templating import render

KINDS = {"name": "string", "n": "integer", "flag": "boolean", "items": "array", "order": "object"}


@pytest.mark.parametrize(
    ("source", "line", "message"),
    [
        ("Hi.\n{{history}}\n", 2, "the Dotprompt helper `{{history}}`"),
        ("{{json order}}", 1, "the Dotprompt helper `{{json order}}`"),
        ("a\nb\n{{> header}}", 3, "the helper `>`"),
        ("{{~name}}", 1, "whitespace control"),
        ("{{#with order}}{{id}}{{/with}}", 1, "the block helper `#with`"),
        ("{{#if flag}}\nopen", 2, "`#if` is never closed"),
        ("{{/if}}", 1, "closes no open block"),
        ("JSON: x {{{name}}", 1, "a `{` right before a tag"),
        ("{{#each items}}{{../../x}}{{/each}}", 1, "`../` climbs out of the template"),
        ("{{this}}", 1, "outside a loop is the whole input"),
        ("Use {{ none }}.", 1, "not a name a Jinja2 variable can have"),
        ("unclosed {{ here", 1, "a `{{` that no `}}` closes"),
    ],
)
def test_handlebars_refusals_name_the_line(source: str, line: int, message: str) -> None:
    with pytest.raises(Untranslatable) as caught:
        logic_to_jinja(source, mustache=False)
    assert caught.value.line == line and message in caught.value.message


def test_handlebars_kept_shapes() -> None:
    source = (
        "Dear {{name}},\n{{#each items}}\n  {{@index}}. {{this.title}} for {{@root.name}} {{../name}}\n{{/each}}\n\\{{literal}} 🙂 {%raw%}"
    )
    [(role, converted)] = logic_to_jinja(source, mustache=False)
    assert role is None and converted.names == ["name", "items"]
    items = [{"title": "Anvil"}, {"title": "Rocket"}]
    assert render(converted.text, {"name": "Ann", "items": items}) == (
        "Dear Ann,\n  0. Anvil for Ann Ann\n  1. Rocket for Ann Ann\n{{literal}} 🙂 {%raw%}"
    )


def test_role_markers_split_the_turns() -> None:
    parts = logic_to_jinja('{{role "system"}}\nBe brief.\n{{role "user"}}\n{{question}}', mustache=False)
    assert [(role, c.text) for role, c in parts] == [(None, ""), ("system", "\nBe brief.\n"), ("user", "\n{{ question }}")]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{#topic}}x{{/topic}}", "not declared as an array"),
        ("{{#items}}{{name}}{{/items}}", "may be the item's field or an outer variable"),
        ("\\{{x}}", "not an escape in Mustache"),
    ],
)
def test_mustache_refusals(source: str, message: str) -> None:
    with pytest.raises(Untranslatable) as caught:
        logic_to_jinja(source, mustache=True, sections=Sections(frozenset({"items"}), escape=True))
    assert message in caught.value.message


def test_mustache_keeps_html_escaping() -> None:
    [(_, converted)] = logic_to_jinja("{{name}} / {{{name}}} / {{& name}}", mustache=True, sections=Sections(escape=True))
    assert render(converted.text, {"name": '<a href="x">R&D</a> it\'s'}) == (
        '&lt;a href=&quot;x&quot;&gt;R&amp;D&lt;/a&gt; it\'s / <a href="x">R&D</a> it\'s / <a href="x">R&D</a> it\'s'
    )


def test_substitution_keeps_everything_else_literal() -> None:
    text = 'Fix this Jinja: {% if x %}{{ x }}{% endif %} and {# note #} for {{user}}; JSON {"a": {"b": 1}}\n'
    converted = substitution_to_jinja(text, GITHUB_VARIABLE)
    assert converted.names == ["user"]
    assert render(converted.text, {"user": "Ann"}) == text.replace("{{user}}", "Ann")
    with pytest.raises(Untranslatable) as caught:
        substitution_to_jinja("line one\nHi {{user-name}}", GITHUB_VARIABLE)
    assert caught.value.line == 2 and "`{{user-name}}`" in caught.value.message


def test_jinja_literal_survives_any_following_tag() -> None:
    for text in ("{", "a{", "{{", "{%", "{#", "}}", "%}"):
        assert render(jinja_literal(text) + "{{ x }}", {"x": "!"}) == text + "!"


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{% if flag %}a{% elif n %}b{% endif %}", "`elif`"),
        ("{{ name | upper }}", "this expression"),
        ("{% set x = 1 %}{{ x }}", "`{% assign %}`"),
        ("{{ flag }}", "printing `flag` (boolean)"),
        ("{% for a in items %}{% for b in items %}{{ a }}{% endfor %}{% endfor %}", "the outer loop variable `a`"),
        ("{% for a in items %}{{ a }}{% else %}none{% endfor %}", "this loop"),
        ("{% if loop %}x{% endif %}", "not a declared variable"),
    ],
)
def test_jinja_to_handlebars_refusals(template: str, message: str) -> None:
    with pytest.raises(Untranslatable) as caught:
        jinja_to_handlebars(template, kinds=KINDS)
    assert message in caught.value.message, caught.value.message


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("Hi\n{% if flag %}!{% endif %}", "`{% if %}`"),
        ("{{ name | upper }}", "an expression"),
        ("{{ items }}", "`items` is array"),
        ("Literal {% raw %}{{x}}{% endraw %}", "a literal `{{`"),
    ],
)
def test_jinja_to_substitution_refusals(template: str, message: str) -> None:
    with pytest.raises(Untranslatable) as caught:
        jinja_to_substitution(template, kinds=KINDS)
    assert message in caught.value.message, caught.value.message


def test_jinja_to_substitution_kept() -> None:
    converted = jinja_to_substitution('Order {{ n }} for {{ name }}: {"json": true} 🙂\n', kinds=KINDS)
    assert converted.text == 'Order {{n}} for {{name}}: {"json": true} 🙂\n' and converted.names == ["n", "name"]

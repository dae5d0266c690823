"""The template conversions, held to the real renderers on generated templates: what
promptctl renders from a converted template is exactly what Dotprompt (Handlebars),
chevron (Prompty's Mustache) or the Langfuse SDK renders from the source — and the
other way, what Dotprompt renders from an exported template is what promptctl renders.

The generated text is shaped like prompts: indentation, blank lines, block tags alone
on their lines or inline, braces, `{%`, `{#`, `%}`, JSON, emoji and HTML characters."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from promptctl.interop.dialects import (
    LANGFUSE_VARIABLE,
    Sections,
    Untranslatable,
    jinja_to_handlebars,
    logic_to_jinja,
    substitution_to_jinja,
)
from promptctl.templating import render

# literal text that is not a tag in either language
_WORDS = st.sampled_from(["Hello", " ", "  ", "\n", "\n\n", "- ", "{", "}", "{%", "{#", "%}", "#}", '{"a": 1}', "🙂", "<b>&", "'\"", "x"])
TEXT = st.lists(_WORDS, max_size=5).map("".join)
VALUES: dict[str, Any] = {"name": "Ann & <Bo>", "empty": "", "flag": True, "off": False, "items": ["a", "b & c", "🙂"], "nothing": []}
NEWLINE = st.sampled_from(["", "\n", "  \n", "\n  "])


EACH_BODY = st.lists(
    st.one_of(
        TEXT.map(lambda t: t.replace("{", "{ ")),
        st.sampled_from(["{{@root.name}}", "{{../name}}", "{{this}}", "{{#if ../flag}}\n!\n{{/if}}", "{{#unless @first}}\n, {{/unless}}"]),
    ),
    max_size=3,
).map("".join)


def _handlebars(depth: int = 0) -> st.SearchStrategy[str]:
    leaf = st.one_of(
        TEXT.map(lambda t: t.replace("{", "{ ")),  # `{` + `{{x}}` is `{{{x}}`: refused (a unit test)
        st.sampled_from(["{{name}}", "{{empty}}", "{{{name}}}", "\\{{name}}", "{{! a comment }}", "{{!-- long --}}"]),
    )
    if depth >= 2:
        return leaf
    inner = st.lists(st.deferred(lambda: _handlebars(depth + 1)), max_size=3).map("".join)
    test = st.sampled_from(["flag", "off", "name", "empty", "items", "nothing"])
    block = st.one_of(
        st.tuples(NEWLINE, test, NEWLINE, inner, NEWLINE).map(lambda t: f"{t[0]}{{{{#if {t[1]}}}}}{t[2]}{t[3]}{t[4]}{{{{/if}}}}"),
        st.tuples(NEWLINE, test, inner, NEWLINE, inner).map(lambda t: f"{t[0]}{{{{#if {t[1]}}}}}{t[2]}{t[3]}{{{{else}}}}{t[4]}{{{{/if}}}}"),
        st.tuples(test, NEWLINE, inner).map(lambda t: f"{{{{#unless {t[0]}}}}}{t[1]}{t[2]}{{{{/unless}}}}"),
        # inside a loop a bare name is the item's field: the body reaches out with @root. and ../
        st.tuples(st.sampled_from(["items", "nothing"]), NEWLINE, EACH_BODY, NEWLINE).map(
            lambda t: f"{{{{#each {t[0]}}}}}{t[1]}- {{{{this}}}} {{{{@index}}}}{{{{#if @last}}}}.{{{{/if}}}}{t[2]}{t[3]}{{{{/each}}}}"
        ),
    )
    return st.one_of(leaf, block)


# Dotprompt drops a message that is only whitespace: lines of their own around the body
# keep every message non-empty without changing which tags stand alone on their lines.
HANDLEBARS = st.lists(_handlebars(), min_size=1, max_size=4).map(lambda parts: "<\n" + "".join(parts) + "\n>")


def dotprompt(body: str, variables: dict[str, Any]) -> str:
    dotpromptz = pytest.importorskip("dotpromptz", reason="the test extra installs dotpromptz (Google's)")
    source = "---\nmodel: gemini-2.0-flash\n---\n" + body
    rendered = asyncio.run(dotpromptz.Dotprompt().render(source, dotpromptz.DataArgument(input=variables)))
    return "".join(part.text or "" for message in rendered.messages for part in message.content)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(HANDLEBARS)
def test_handlebars_into_jinja_renders_as_dotprompt_does(body: str) -> None:
    [(_, converted)] = logic_to_jinja(body, mustache=False)
    assert render(converted.text, dict(VALUES)) == dotprompt(body, dict(VALUES)), converted.text


def _jinja(depth: int = 0) -> st.SearchStrategy[str]:
    # `{` right before a tag is not valid Jinja2 (`{{%`): a space keeps it text
    leaf = st.one_of(TEXT.map(lambda t: t.replace("{", "{ ")), st.sampled_from(["{{ name }}", "{{ empty }}"]))
    if depth >= 2:
        return leaf
    inner = st.lists(st.deferred(lambda: _jinja(depth + 1)), max_size=3).map("".join)
    test = st.sampled_from(["flag", "off", "name", "empty", "items", "nothing"])
    block = st.one_of(
        st.tuples(NEWLINE, st.sampled_from(["", "not "]), test, NEWLINE, inner, NEWLINE).map(
            lambda t: f"{t[0]}{{% if {t[1]}{t[2]} %}}{t[3]}{t[4]}{t[5]}{{% endif %}}"
        ),
        st.tuples(test, NEWLINE, inner, inner).map(lambda t: f"{{% if {t[0]} %}}{t[1]}{t[2]}{{% else %}}{t[3]}{{% endif %}}"),
        st.tuples(st.sampled_from(["items", "nothing"]), NEWLINE, inner).map(
            lambda t: f"{{% for x in {t[0]} %}}{t[1]}* {{{{ x }}}}{{% if not loop.last %}},{{% endif %}}{t[2]}{{% endfor %}}"
        ),
    )
    return st.one_of(leaf, block)


JINJA = st.lists(_jinja(), min_size=1, max_size=4).map(lambda parts: "<\n" + "".join(parts) + "\n>")
KINDS = {"name": "string", "empty": "string", "flag": "boolean", "off": "boolean", "items": "array", "nothing": "array"}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(JINJA)
def test_jinja_exported_to_handlebars_renders_as_promptctl_does(template: str) -> None:
    exported = jinja_to_handlebars(template, kinds=KINDS)
    assert dotprompt(exported.text, dict(VALUES)) == render(template, dict(VALUES)), exported.text


def _mustache(depth: int = 0) -> st.SearchStrategy[str]:
    leaf = st.one_of(TEXT, st.sampled_from(["{{name}}", "{{{name}}}", "{{& name}}", "{{! note }}"]))
    if depth >= 2:
        return leaf
    inner = st.lists(st.deferred(lambda: _mustache(depth + 1)), max_size=3).map("".join)
    return st.one_of(
        leaf,
        st.tuples(NEWLINE, st.sampled_from(["items", "nothing"]), NEWLINE).map(
            lambda t: f"{t[0]}{{{{#{t[1]}}}}}{t[2]}- {{{{.}}}}{{{{/{t[1]}}}}}"
        ),
        st.tuples(st.sampled_from(["items", "nothing", "name", "empty"]), NEWLINE, inner).map(
            lambda t: f"{{{{^{t[0]}}}}}{t[1]}{t[2]}{{{{/{t[0]}}}}}"
        ),
    )


def _refused_shape(template: str) -> bool:
    """What chevron reads somehow and promptctl refuses to translate, and only that: a
    `{{` that nothing closes, `{` + `{{x}}`, or a tag whose key holds a space
    (`{{"a": 1}}`, JSON in the text: chevron looks it up as one key and prints nothing)."""
    if re.search(r"\{\{(?![^{}]*\}\})|\{\{\{(?![^{}]*\}\}\})", template):
        return True
    for body in re.findall(r"\{\{\{?([^{}]*?)\}?\}\}", template):
        body = body.strip()
        if not body.startswith("!") and " " in body.lstrip("&#^/").strip():
            return True
    return False


def test_json_in_mustache_text_is_refused_not_guessed() -> None:
    for template in ('{{"a": 1}}', 'Reply as {{ "ok": true }}.'):
        assert _refused_shape(template)
        with pytest.raises(Untranslatable, match="is not a variable name: Mustache looks it up as one key") as refused:
            logic_to_jinja(template, mustache=True, sections=Sections(frozenset(), escape=True))
        assert "template_format: none" in (refused.value.hint or "")
    assert not _refused_shape("Hi {{name}} {{! a note }} {{#items}}{{.}}{{/items}}")


@settings(max_examples=150, deadline=None)
@given(st.lists(_mustache(), min_size=1, max_size=4).map("".join))
def test_mustache_into_jinja_renders_as_chevron_does(template: str) -> None:
    chevron = pytest.importorskip("chevron", reason="the test extra installs prompty[mustache] (chevron)")
    sections = Sections(frozenset({"items", "nothing"}), escape=True)
    try:
        expected = chevron.render(template, dict(VALUES))
    except chevron.ChevronError:  # not a template Prompty can render: promptctl refuses it too
        with pytest.raises(Untranslatable):
            logic_to_jinja(template, mustache=True, sections=sections)
        return
    try:
        [(_, converted)] = logic_to_jinja(template, mustache=True, sections=sections)
    except Untranslatable as exc:
        assert _refused_shape(template), (template, exc.message)
        return
    assert render(converted.text, dict(VALUES)) == expected, converted.text


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.one_of(TEXT, st.sampled_from(["{{name}}", "{{ name }}", "{{empty}}", "{{  name}}"])), min_size=1, max_size=6).map("".join)
)
def test_substitution_into_jinja_renders_as_langfuse_does(template: str) -> None:
    pytest.importorskip("langfuse", reason="the test extra installs the langfuse SDK")
    from langfuse.model import TemplateParser

    try:
        converted = substitution_to_jinja(template, LANGFUSE_VARIABLE)
    except Untranslatable:
        return  # `{{ {% }}`-like text Langfuse reads as a variable named `{%`: refused, with the line
    values = {"name": VALUES["name"], "empty": ""}
    assert render(converted.text, values) == TemplateParser.compile_template(template, values), converted.text

"""The YAML loader: positions, line endings, encodings."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from promptctl.document import load

LF = b"version: 1\nmodel: gpt-4o-2024-08-06\nsystem: |\n  Hi {{ x }\n  there\ntemperature: 9\n"


@pytest.mark.parametrize("newline", [b"\r\n", b"\r"])
def test_crlf_and_cr_behave_exactly_like_lf(newline: bytes) -> None:
    from promptctl.config import Settings
    from promptctl.linter import lint_file

    settings = Settings()
    expected, _ = lint_file("prompts/a-v1.yaml", LF, settings)
    got, _ = lint_file("prompts/a-v1.yaml", LF.replace(b"\n", newline), settings)
    assert got == expected and expected


def test_positions_of_keys_and_values() -> None:
    doc, findings = load("a.yaml", b"a: 1\nb:\n  - x\n  - {c: 'd'}\n")
    assert findings == [] and doc is not None
    assert doc.position(("b", 1, "c")) == (4, 6)
    assert doc.value_position(("b", 1, "c")) == (4, 9)
    assert doc.position(("b", 0)) == (3, 5)
    assert doc.position(("missing", "deeper")) == (1, 1)
    assert doc.position(("b", 1, "missing")) == (4, 5)


def test_values_are_plain_json_data() -> None:
    doc, _ = load("a.yaml", b"when: 2024-01-01\nn: ~\nf: 1.5\n")
    assert doc is not None
    assert doc.data == {"when": "2024-01-01", "n": None, "f": 1.5}


def test_invalid_utf8_position_counts_characters() -> None:
    _, findings = load("a.yaml", "k: é\n".encode() + b"v: ab\xc3(\n")
    assert [(f.line, f.column, f.rule) for f in findings] == [(2, 6, "yaml-syntax")]


def test_locate_in_folded_and_quoted_values() -> None:
    doc, _ = load("a.yaml", b'a: "one\n  two {{ x }}"\nb: >\n  first\n  second {{ y }}\n')
    assert doc is not None
    assert doc.locate_in_value(("a",), 1, "{{") == (2, 7)
    assert doc.locate_in_value(("b",), 1, "{{") == (5, 10)


_PIECES = [
    "version: 1\n",
    "model: no\n",
    "system: |\n  Hi {{ x }}\n  there\n",
    "a: 010\n",
    "b: 1:20\n",
    "c: 2024-01-01\n",
    "d: 1e3\n",
    "e: 'quoted'\n",
    'f: "dq"\n',
    "g: [1, 2, {h: i}]\n",
    "j:\n  - k\n  - l: m\n",
    "n: 1_000\n",
    "on: x\n",
    "1: y\n",
    "o: >\n  folded\n  text\n",
    "p: ~\n",
    "q: yes\n",
    "a: dup\n",
    "r: {s: t, s: u}\n",
    "t: 0b101\n",
    "u: -0x1F\n",
    "v: .inf\n",
    "w:\n",
    "x: 'it''s'\n",
    'y: "\\u00e9"\n',
    "<<: {z: 1}\n",
    # templates in block scalars: `!=`, `*`, `&` and many braces are text there
    "system: |\n  {% if a != b %}{{ n * 2 }} & {{ {'k': [1]} }}{% endif %}\n  *not an alias* !not a tag\n",
    "messages:\n  - role: user\n    content: >-\n      {{ x | default('*') }} [[[{{ y }}]]]\n      &more\n",
    "s: |-\n\n  after a blank line: !x *y &z\n",
    "- |\n  list item * 3\n",
    # ... and what is structure again after them
    "z: &anchor 1\n",
    "y: *anchor\n",
    "x: !!str 5\n",
    "  w: *anchor\n",
    "# c: |\n",
    "v: | # note\n  *anchor\n",
    'u: "open quote\nt: |\n  *anchor"\n',
    "r: 'it''s: |'\n",
    "q: |2\n   *anchor\n",
]


def _same(text: str) -> None:
    from promptctl.document import _Builder, _compose, _plain_enough

    if not _plain_enough(text, 32):
        return
    fast = _compose("a.yaml", text)
    if fast is None:
        return
    slow = _Builder("a.yaml", text, 32).run()
    (fdoc, ffind), (sdoc, sfind) = fast, slow
    assert sorted(ffind) == sorted(sfind), text
    assert (fdoc is None) == (sdoc is None)
    if fdoc is not None and sdoc is not None:
        assert fdoc.data == sdoc.data, text
        assert fdoc.key_positions == sdoc.key_positions, text
        assert {k: (v.line, v.column, v.end_line) for k, v in fdoc.values.items()} == {
            k: (v.line, v.column, v.end_line) for k, v in sdoc.values.items()
        }, text
        assert fdoc.node_positions == sdoc.node_positions, text


def test_fast_loader_matches_the_event_builder_on_the_shipped_prompts() -> None:
    from tests.conftest import ROOT

    for path in sorted((ROOT / "prompts").rglob("*.yaml")):
        _same(path.read_text())


@hsettings(max_examples=1500, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=12).map("".join))
def test_fast_loader_matches_the_event_builder(text: str) -> None:
    _same(text)


@pytest.mark.parametrize("depth", range(1, 8))
def test_deep_files_never_reach_the_c_composer(depth: int) -> None:
    """libyaml's composer recurses once per level: the gate lets through only files whose
    brackets plus deepest indentation fit the limit, and counts "- " as indentation."""
    from promptctl.document import _plain_enough

    block = "".join(f"{'  ' * i}k{i}:\n" for i in range(depth)) + f"{'  ' * depth}v\n"
    indent = 2 * depth
    assert _plain_enough(block, indent + 2) and not _plain_enough(block, indent + 1)
    listed = "a:\n" + "".join(f"{'- ' * (i + 1)}x\n" for i in range(depth))
    assert _plain_enough(listed, 2 * depth + 2) and not _plain_enough(listed, 2 * depth + 1)
    flow = "a: " + "[" * depth + "]" * depth + "\n"
    assert _plain_enough(flow, depth + 2) and not _plain_enough(flow, depth + 1)


@pytest.mark.parametrize(
    "text",
    [
        "system: |\n  {% if a != b %}{{ n * 2 }}{% endif %}\nj:\n  - k\n  - &a x\n  - *a\n",
        "system: |\n  text\nj:\n  k: 1\n  l: *m\n",
        "system: >-\n    deeper text\nuser: |\n  {{ x }}\nn: !!str 5\n",
        "messages:\n  - content: |\n      * a list in the text\n  - content: &c x\n",
    ],
)
def test_an_alias_or_tag_after_a_block_scalar_is_still_refused(text: str) -> None:
    from promptctl.document import _plain_enough

    _same(text)
    _, findings = load("a.yaml", text.encode())
    assert {f.rule for f in findings} & {"yaml-alias", "yaml-tag"}, text
    assert not _plain_enough(text, 32)


def test_templates_in_block_scalars_take_the_fast_path() -> None:
    from promptctl.document import _plain_enough

    text = (
        "version: 1\nsystem: |\n  {% if tier != 'free' and n * 2 > 3 %}{{ plan | default('*') }}{% endif %}\n"
        + "  {{ {'a': 1} | tojson }} & {{ [1, 2] }}\n" * 20
        + "user: 'it''s {{ x }}'\n"
    )
    assert _plain_enough(text, 32)
    _same(text)

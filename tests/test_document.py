"""The YAML loader: positions, line endings, encodings."""

from __future__ import annotations

import pytest

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

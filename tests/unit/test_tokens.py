"""tokens."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

V = "version: {n}\nmodel: gpt-4o-2024-08-06\nsystem: Hello {n}.\n"


SUPPORT = "version: {n}\nmodel: claude-3-5-sonnet-20241022\nsystem: |\n  {text}\ntemperature: 0.3\nmax_tokens: 500\n"


GOLDEN = Path(__file__).parent / "golden" / "diff"


UPDATE = bool(os.environ.get("PROMPTCTL_UPDATE_GOLDEN"))


LONG = (
    "You are a meticulous assistant for the Acme Corp billing team who reads every ticket carefully, "
    "checks the refund policy before answering, keeps a calm and friendly tone, and never invents order numbers."
)


PAIRS = {
    "one-word": (
        f"version: 1\nmodel: gpt-4o-2024-08-06\nsystem: |\n  {LONG}\n  Second line stays.\n",
        f"version: 2\nmodel: gpt-4o-2024-08-06\nsystem: |\n  {LONG.replace('calm', 'warm')}\n  Second line stays.\n",
    ),
    "reordered-keys": (
        "version: 1\nmodel: gpt-4o-2024-08-06\ntemperature: 0.2\nsystem: Hi.\n",
        "# comment added\nversion: 2\nsystem: Hi.\ntemperature: 0.2\nmodel: gpt-4o-2024-08-06\n",
    ),
    "required-variable": (
        "version: 1\nmodel: gpt-4o-2024-08-06\nsystem: Hi {{ name }}.\nvariables:\n  name: {type: string}\n",
        "version: 2\nmodel: gpt-4o-2024-08-06\nsystem: Hi {{ name }} from {{ city }}.\nvariables:\n  name: {type: string}\n  city: {type: string}\n",
    ),
    "model-change": (
        "version: 1\nmodel: gpt-4o-2024-08-06\nsystem: Hi.\ntemperature: 0.2\n",
        "version: 2\nmodel: claude-3-5-sonnet-20241022\nsystem: Hi.\ntemperature: 0.2\n",
    ),
    "whitespace": (
        "version: 1\nmodel: gpt-4o-2024-08-06\nsystem: |\n  Hello there.\n",
        "version: 2\nmodel: gpt-4o-2024-08-06\nsystem: |\n  Hello  there.\n",
    ),
}


VERDICTS = {
    "one-word": "behavioural",
    "reordered-keys": "cosmetic",
    "required-variable": "breaking",
    "model-change": "behavioural",
    "whitespace": "cosmetic",
}


V1 = "version: 1\nmodel: gpt-4o-2024-08-06\nsystem: Hello.\n"


def test_token_counts_are_real_bpe() -> None:
    from promptctl.tokens import count

    assert count("hello world", "gpt-4o-2024-08-06") == (2, count("hello world", "gpt-4o-2024-08-06")[1])
    n, method = count("The quick brown fox jumps over the lazy dog.", "gpt-4-0613")
    assert n == 10 and method.label == "estimated: cl100k_base"


@pytest.mark.parametrize("text", ["<|endoftext|> and <|im_start|>", "ab " * 200_000])
def test_token_counts_never_fail(text: str) -> None:
    from promptctl.tokens import count

    n, method = count(text, "gpt-4o-2024-08-06")
    assert n > 0 and method.encoding == "o200k_base"

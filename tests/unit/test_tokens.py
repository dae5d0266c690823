"""tokens."""

from __future__ import annotations

import pytest


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

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


def test_the_compiled_tokenizer_counts_as_the_package_does() -> None:
    """tokens loads bpe-openai's compiled tokenizer by itself (the package decodes every
    vocabulary at import): the counts must be the package's own."""
    from pathlib import Path

    import bpe_openai  # type: ignore[import-untyped,unused-ignore]
    import yaml

    from promptctl import tokens

    blocks = yaml.safe_load((Path(__file__).parent.parent / "data/realistic/blocks.yaml").read_text())["blocks"]
    texts = [b["text"] for b in blocks] + ["<|endoftext|> and <|fim_prefix|>", "Hi {{ name }} 🙂 " * 50, "  \n\n\t x", ""]
    assert tokens._bindings() is not None
    for name in ("cl100k_base", "o200k_base"):
        fast = tokens._encoding(name)
        package = bpe_openai.get_encoding(name)
        assert not isinstance(fast, tokens._Ordinary)
        assert [fast.count(t) for t in texts] == [len(package.encode_ordinary(t)) for t in texts]

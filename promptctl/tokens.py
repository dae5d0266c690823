"""Offline token estimates.

OpenAI models are counted with their own BPE (o200k_base for GPT-4o, GPT-4.1, GPT-5
and the o-series; cl100k_base for GPT-4 and GPT-3.5), from `bpe-openai`, which ships
the vocabularies — nothing is downloaded. Other providers' tokenizers are not public;
their counts are approximated with cl100k_base (typically within about 20% for English
prose). Every number is an estimate and says which method made it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from promptctl.models import provider_of

_PIECE = 100_000  # characters counted at once; each is at most 100,000 tokens


@dataclass(frozen=True)
class Method:
    encoding: str | None  # None: characters / 4
    exact_family: bool

    @property
    def label(self) -> str:
        if self.encoding is None:
            return "estimated: characters ÷ 4"
        return f"estimated: {self.encoding}" + ("" if self.exact_family else " approximation")


def method_for(model: str) -> Method:
    provider = provider_of(model)
    if provider == "openai":
        lowered = model.lower()
        legacy = lowered.startswith(("gpt-4-", "gpt-3.5")) or lowered == "gpt-4"
        return Method("cl100k_base" if legacy else "o200k_base", True)
    return Method("cl100k_base", False)


@lru_cache(maxsize=4)
def _encoding(name: str) -> Any:
    try:
        import bpe_openai  # type: ignore[import-untyped,unused-ignore]
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    return bpe_openai.get_encoding(name)


def count(text: str, model: str) -> tuple[int, Method]:
    method = method_for(model)
    encoding = _encoding(method.encoding) if method.encoding else None
    if encoding is None:
        return (len(text) + 3) // 4, Method(None, False)
    # Text is counted as text: `<|endoftext|>` in a prompt is not a special token, and a
    # long text is counted in pieces (the tokenizer refuses 200,000 tokens at once).
    total = 0
    for start in range(0, len(text), _PIECE):
        piece = text[start : start + _PIECE]
        try:
            total += len(encoding.encode_ordinary(piece))
        except Exception:
            total += (len(piece) + 3) // 4
    return total, method


def count_messages(messages: list[dict[str, str]], model: str) -> tuple[int, Method]:
    """Tokens of a rendered conversation, with a small per-message overhead (4 tokens,
    as OpenAI's chat format adds)."""
    total = 0
    method = method_for(model)
    for message in messages:
        n, method = count(message["content"], model)
        total += n + 4
    return total, method

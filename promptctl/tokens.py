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
    """The Rust tokenizer of ``name`` from `bpe-openai`, and nothing else: the package's
    Python layer decodes all three of its vocabularies when it is imported (0.5 s and
    ~150 MB, for dictionaries only its tiktoken-style API uses). The compiled module is
    loaded on its own; when that cannot be done, the package is imported as usual."""
    bindings = _bindings()
    if bindings is not None:
        try:
            return bindings.tokenizer_for_encoding(name)
        except Exception:
            pass
    try:
        import bpe_openai  # type: ignore[import-untyped,unused-ignore]
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    return _Ordinary(bpe_openai.get_encoding(name))


class _Ordinary:
    """The package's encoding, counting as the compiled tokenizer does."""

    def __init__(self, encoding: Any) -> None:
        self.encoding = encoding

    def count(self, text: str) -> int:
        return len(self.encoding.encode_ordinary(text))


@lru_cache(maxsize=1)
def _bindings() -> Any:
    import importlib.machinery
    import importlib.util
    from pathlib import Path

    try:
        spec = importlib.util.find_spec("bpe_openai")  # found, not imported
        if spec is None or not spec.submodule_search_locations:
            return None
        folder = Path(next(iter(spec.submodule_search_locations)))
        for suffix in importlib.machinery.EXTENSION_SUFFIXES:
            path = folder / f"_bindings{suffix}"
            if path.is_file():
                loader = importlib.machinery.ExtensionFileLoader("bpe_openai._bindings", str(path))
                module_spec = importlib.util.spec_from_file_location("bpe_openai._bindings", path, loader=loader)
                if module_spec is None:
                    return None
                module = importlib.util.module_from_spec(module_spec)
                loader.exec_module(module)
                return module
    except (ImportError, OSError):
        return None
    return None


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
            total += encoding.count(piece)
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

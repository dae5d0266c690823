"""Model ids: which provider serves them."""

from __future__ import annotations

_PREFIXES = (
    ("claude", "anthropic"), ("gpt-", "openai"), ("chatgpt", "openai"), ("o1", "openai"), ("o3", "openai"),
    ("o4", "openai"), ("text-embedding", "openai"), ("gemini", "google"), ("gemma", "google"),
    ("mistral", "mistral"), ("mixtral", "mistral"), ("codestral", "mistral"), ("ministral", "mistral"),
    ("command", "cohere"), ("llama", "meta"), ("grok", "x-ai"), ("deepseek", "deepseek"),
)


def provider_of(model: str) -> str:
    """The provider a model id belongs to ("unknown" when not recognised)."""
    lowered = model.lower().split("/")[-1]
    if "/" in model:
        return model.split("/")[0].lower()
    for prefix, provider in _PREFIXES:
        if lowered.startswith(prefix):
            return provider
    return "unknown"

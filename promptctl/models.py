"""The model catalogue: ids, providers, prices and context windows from `genai-prices`
(its offline snapshot: nothing is fetched at run time), plus a small table of output
limits, which genai-prices does not carry. Imported lazily: only commands that need
prices pay for it."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, fields
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from promptctl.config import Settings

_PREFIXES = (
    ("claude", "anthropic"),
    ("gpt-", "openai"),
    ("chatgpt", "openai"),
    ("o1", "openai"),
    ("o3", "openai"),
    ("o4", "openai"),
    ("text-embedding", "openai"),
    ("gemini", "google"),
    ("gemma", "google"),
    ("mistral", "mistral"),
    ("mixtral", "mistral"),
    ("codestral", "mistral"),
    ("ministral", "mistral"),
    ("command", "cohere"),
    ("llama", "meta"),
    ("grok", "x-ai"),
    ("deepseek", "deepseek"),
)

# Maximum output tokens per response, from the providers' model documentation, by id
# prefix (longest prefix wins). Models not listed are not checked against an output limit.
OUTPUT_LIMITS: dict[str, int] = {
    "claude-3-haiku": 4096,
    "claude-3-opus": 4096,
    "claude-3-sonnet": 4096,
    "claude-3-5-sonnet": 8192,
    "claude-3-5-haiku": 8192,
    "claude-3-7-sonnet": 64000,
    "claude-sonnet-4": 64000,
    "claude-opus-4": 32000,
    "claude-haiku-4": 64000,
    "gpt-4o": 16384,
    "gpt-4o-mini": 16384,
    "gpt-4-turbo": 4096,
    "gpt-4-0": 8192,
    "gpt-3.5-turbo": 4096,
    "gpt-4.1": 32768,
    "gpt-5": 128000,
    "o1": 100000,
    "o1-mini": 65536,
    "o3": 100000,
    "o3-mini": 100000,
    "o4-mini": 100000,
    "gemini-1.5": 8192,
    "gemini-2.0": 8192,
    "gemini-2.5": 65536,
}
# Sampling temperature each provider accepts (the schema allows 0-2).
TEMPERATURE_RANGE: dict[str, tuple[float, float]] = {
    "anthropic": (0.0, 1.0),
    "openai": (0.0, 2.0),
    "google": (0.0, 2.0),
    "mistral": (0.0, 1.5),
}

_DATED = re.compile(r"(-\d{8}|-\d{4}-\d{2}-\d{2}|@\d{8}|-\d{3})$")
_DATE = re.compile(r"\d{8}|\d{4}-\d{2}-\d{2}")
# How platforms spell the providers' ids: `openai/gpt-4o` (LiteLLM, OpenRouter), Bedrock's
# `us.anthropic.claude-3-5-sonnet-20241022-v2:0`, Vertex's `claude-3-5-sonnet-v2@20241022`.
_ROUTED = re.compile(r"^(?:openai|anthropic|google|gemini|vertex_ai|vertex|azure|bedrock|mistral|groq|deepseek|xai|x-ai)/(.+)$")
_BEDROCK = re.compile(r"^(?:(?:us|eu|apac|global|regional)\.)?anthropic\.(claude-[a-z0-9.-]+?)(?:-v\d+(?::\d+)?)?$")
_VERTEX = re.compile(r"^(claude-[a-z0-9.-]+?)(?:-v\d+)?@(\d{8})$")


def canonical_id(ref: str) -> str:
    """The provider's own id for a platform-specific spelling of it (else ``ref``)."""
    for pattern in (_ROUTED, _BEDROCK):
        match = pattern.match(ref)
        if match:
            return canonical_id(match.group(1))
    match = _VERTEX.match(ref)
    if match:
        return f"{match.group(1)}-{match.group(2)}"
    return ref


def provider_of(model: str) -> str:
    """The provider a model id belongs to, without loading the catalogue ("unknown" when
    not recognised)."""
    if "/" in model:
        return model.split("/")[0].lower()
    lowered = model.lower()
    for prefix, provider in _PREFIXES:
        if lowered.startswith(prefix):
            return provider
    return "unknown"


# OpenAI's reasoning models (the o-series, the gpt-5 family but its chat variant): they
# take `max_completion_tokens` and refuse `temperature` and `top_p`.
_REASONING = re.compile(r"^(?:o\d|gpt-5(?!-chat))")


def is_reasoning(model: str, settings: Settings | None = None) -> bool:
    """Whether ``model`` is a reasoning model: the declaration says so, else its id."""
    declared = settings.declared_model(model) if settings is not None else None
    if declared is not None and declared.reasoning is not None:
        return declared.reasoning
    if declared is not None and declared.like:
        return is_reasoning(declared.like)
    return bool(_REASONING.match(canonical_id(model)))


def output_limit(model: str) -> int | None:
    lowered = model.lower()
    best = max((p for p in OUTPUT_LIMITS if lowered.startswith(p)), key=len, default=None)
    return OUTPUT_LIMITS[best] if best else None


@dataclass(frozen=True)
class ModelInfo:
    ref: str  # the id as written
    id: str  # the catalogue's id
    provider: str
    name: str
    context_window: int | None
    output_limit: int | None
    deprecated: bool


class Catalogue:
    """Lookups over the genai-prices snapshot."""

    def __init__(self) -> None:
        from genai_prices import data_snapshot

        self._snapshot: Any = data_snapshot.get_snapshot()
        self._known: list[str] | None = None

    @property
    def source(self) -> str:
        return price_source()

    def lookup(self, ref: str) -> ModelInfo | None:
        for candidate in dict.fromkeys((canonical_id(ref), ref)):
            try:
                provider, model = self._snapshot.find_provider_model(candidate, None, None, None)
                break
            except LookupError:
                continue
        else:
            return None
        return ModelInfo(
            ref, model.id, provider.id, model.name or model.id, model.context_window, output_limit(ref), bool(model.deprecated)
        )

    def known_ids(self) -> list[str]:
        """Concrete ids the catalogue names (its ids and exact-match clauses)."""
        if self._known is None:
            ids: set[str] = set()

            def walk(clause: Any) -> None:
                for attr in ("equals", "starts_with"):
                    value = getattr(clause, attr, None)
                    if isinstance(value, str):
                        ids.add(value)
                for attr in ("or_", "and_"):
                    for sub in getattr(clause, attr, None) or []:
                        walk(sub)

            for provider in self._snapshot.providers:
                if provider.id.startswith(("huggingface_", "openrouter", "together", "novita", "fireworks")):
                    continue  # resellers: their ids are other providers' models
                for model in provider.models:
                    ids.add(model.id)
                    walk(model.match)
            self._known = sorted(ids)
        return self._known

    def suggestions(self, ref: str, n: int = 3) -> list[str]:
        """Close ids the catalogue knows — never ``ref`` itself, in any spelling."""
        rejected = {ref.lower(), canonical_id(ref).lower()}
        close = difflib.get_close_matches(canonical_id(ref).lower(), self.known_ids(), n=n + 2, cutoff=0.6)
        return [c for c in close if c.lower() not in rejected][:n]

    def snapshot_for(self, ref: str) -> str | None:
        """A dated snapshot to pin instead of ``ref`` when ``ref`` is an alias that can
        change under you (``-latest``, or an undated id with dated variants); None when
        ``ref`` is already pinned."""
        ref = canonical_id(ref)
        if _DATED.search(ref):
            return None
        base = ref[: -len("-latest")] if ref.endswith("-latest") else ref
        # the same model with a date and nothing else: `gpt-5` → `gpt-5-2025-08-07`, never `gpt-5-5-pro-…`
        dated = sorted(i for i in self.known_ids() if i.startswith(base + "-") and _DATE.fullmatch(i[len(base) + 1 :]))
        if dated:
            return dated[-1]
        if ref.endswith("-latest") or (provider_of(ref) == "anthropic" and ref.startswith("claude")):
            return f"a dated {base} snapshot"
        return None

    def price(self, ref: str, input_tokens: int, output_tokens: int) -> Decimal | None:
        from genai_prices import Usage, calc_price

        try:
            return Decimal(calc_price(Usage(input_tokens=input_tokens, output_tokens=output_tokens), ref).total_price)
        except (LookupError, ValueError):
            return None


def price_source() -> str:
    """Where prices come from, named without loading the catalogue."""
    try:
        from importlib.metadata import version

        return f"genai-prices {version('genai-prices')}"
    except Exception:  # pragma: no cover
        return "genai-prices"


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    return Catalogue()


@dataclass(frozen=True)
class ModelFacts:
    """What the rules need to know of a model id."""

    known: bool
    provider: str | None
    context_window: int | None
    output_limit: int | None
    snapshot_for: str | None  # the dated snapshot a floating alias points at
    suggestions: tuple[str, ...]  # close ids, for an unknown one
    input_mtok: float | None  # USD per million input tokens
    output_mtok: float | None

    def as_row(self) -> dict[str, Any]:
        return {f.name: (list(v) if isinstance(v := getattr(self, f.name), tuple) else v) for f in fields(self)}

    @classmethod
    def from_row(cls, row: object) -> ModelFacts | None:
        """Facts from a cache row, or None unless every field has its type (the cache is
        data anyone with access to it could have written)."""
        if not isinstance(row, dict) or set(row) != set(_FACT_TYPES):
            return None
        if not all(isinstance(row[k], t) for k, t in _FACT_TYPES.items()) or not all(isinstance(x, str) for x in row["suggestions"]):
            return None
        return cls(**{**row, "suggestions": tuple(row["suggestions"])})


_FACT_TYPES: dict[str, tuple[type, ...]] = {
    "known": (bool,),
    "provider": (str, type(None)),
    "context_window": (int, type(None)),
    "output_limit": (int, type(None)),
    "snapshot_for": (str, type(None)),
    "suggestions": (list,),
    "input_mtok": (float, type(None)),
    "output_mtok": (float, type(None)),
}

# Per-model facts, memoised here and persisted in the lint cache, so that linting a
# changed file whose models were seen before does not load the catalogue at all.
_memo: dict[str, ModelFacts] = {}
_fresh: set[str] = set()


def preload(memo: dict[str, Any], *, fresh: bool = False) -> None:
    """Facts computed elsewhere: from the cache, or (``fresh``) by a worker process of
    this run, to be saved with the cache."""
    for ref, row in memo.items():
        facts = ModelFacts.from_row(row)
        if isinstance(ref, str) and facts is not None:
            _memo.setdefault(ref, facts)
            if fresh:
                _fresh.add(ref)


def memo(only_fresh: bool = False) -> dict[str, dict[str, Any]]:
    """The memoised facts as cache rows (all, or only those this process computed)."""
    return {k: _memo[k].as_row() for k in (_fresh if only_fresh else _memo)}


def model_facts(ref: str) -> ModelFacts:
    """The facts of a model id, from the catalogue (memoised)."""
    facts = _memo.get(ref)
    if facts is None:
        cat = catalogue()
        info = cat.lookup(ref)
        price_in = cat.price(ref, 1_000_000, 0) if info else None
        price_out = cat.price(ref, 0, 1_000_000) if info else None
        facts = ModelFacts(
            known=info is not None,
            provider=info.provider if info else provider_of(ref),
            context_window=info.context_window if info else None,
            output_limit=output_limit(ref),
            snapshot_for=cat.snapshot_for(ref) if info else None,
            suggestions=() if info else tuple(cat.suggestions(ref)),
            input_mtok=float(price_in) if price_in is not None else None,
            output_mtok=float(price_out) if price_out is not None else None,
        )
        _memo[ref] = facts
        _fresh.add(ref)
    return facts


def facts_for(ref: str, settings: Settings | None = None) -> ModelFacts:
    """:func:`model_facts`, with the configuration's declared models first: a declared
    model is known, pinned as written, and priced by its declaration (or by ``like``)."""
    declared = settings.declared_model(ref) if settings is not None else None
    if declared is None:
        return model_facts(ref)
    base = model_facts(declared.like) if declared.like else None

    def pick(own: Any, inherited: Any) -> Any:
        return own if own is not None else inherited

    return ModelFacts(
        known=True,
        provider=declared.provider or (base.provider if base else provider_of(ref)),
        context_window=pick(declared.context_window, base.context_window if base else None),
        output_limit=pick(declared.max_output, base.output_limit if base else None),
        snapshot_for=None,
        suggestions=(),
        input_mtok=pick(declared.input_price, base.input_mtok if base else None),
        output_mtok=pick(declared.output_price, base.output_mtok if base else None),
    )

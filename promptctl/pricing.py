"""Estimated tokens and price per call, by model.

Input is the rendered prompt: every example in `examples` is rendered and counted
(typical = their mean, worst case = the largest); a prompt without examples is counted
as written. Output is priced at half of `max_tokens` for the typical call and all of it
for the worst case. Prices come from the genai-prices snapshot.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from promptctl.config import Settings
from promptctl.runtime import Prompt, PromptRenderError


@dataclass(frozen=True)
class Estimate:
    id: str
    role: str  # "primary" or "fallback N"
    model: str
    provider: str
    method: str
    input_typical: int
    input_worst: int
    max_tokens: int | None
    typical: Decimal | None  # USD per call
    worst: Decimal | None
    known_model: bool

    @property
    def per_1000(self) -> Decimal | None:
        return self.typical * 1000 if self.typical is not None else None

    def as_dict(self) -> dict[str, Any]:
        def money(v: Decimal | None) -> float | None:
            return float(v) if v is not None else None

        return {
            "id": self.id,
            "role": self.role,
            "model": self.model,
            "provider": self.provider,
            "tokens": self.method,
            "input_tokens": {"typical": self.input_typical, "worst": self.input_worst},
            "max_tokens": self.max_tokens,
            "usd_per_call": {"typical": money(self.typical), "worst": money(self.worst)},
            "usd_per_1000_calls": money(self.per_1000),
            "known_model": self.known_model,
        }


def rendered_inputs(prompt: Prompt, examples: list[Any]) -> list[list[dict[str, str]]]:
    """The messages of each example that renders; the prompt as written when none does."""
    inputs = []
    for example in examples:
        if not isinstance(example, dict):
            continue
        try:
            inputs.append(prompt.render(**{str(k): v for k, v in example.items()}))
        except PromptRenderError:
            continue
    if not inputs:
        try:
            inputs.append(prompt.render())
        except PromptRenderError:
            text = "\n".join(t for t in (prompt.system, prompt.user, *[m["content"] for m in prompt.messages or ()]) if t)
            inputs.append([{"role": "user", "content": text}])
    return inputs


def input_counts(prompt: Prompt, examples: list[Any]) -> tuple[list[int], str]:
    """Input tokens of each rendered example (the prompt as written when none renders),
    and the method that counted them."""
    from promptctl.tokens import count_messages

    counts = []
    method = ""
    for messages in rendered_inputs(prompt, examples):
        n, m = count_messages(messages, prompt.model)
        counts.append(n)
        method = m.label
    return counts, method


class _Remembered:
    """Estimates by what they are computed from (the prompt, its examples, the settings,
    promptctl's code and its catalogue and tokenizer versions), kept between runs: a
    published version never changes, so `cost` and `diff` count its tokens once, and a
    run whose estimates are all known loads neither the tokenizer nor the catalogue."""

    LIMIT = 100_000  # entries (~150 bytes each); beyond it the older half goes

    def __init__(self) -> None:
        self.entries: dict[str, list[Any]] | None = None
        self.fresh = False
        self._settings: Settings | None = None
        self._fingerprint = ""

    def path(self) -> Any:
        from promptctl.cache import cache_dir

        return cache_dir() / "estimates.json"

    def key(self, *parts: object, settings: Settings | None) -> str:
        import hashlib

        from promptctl.cache import fingerprint

        if settings is not None and settings is not self._settings:
            self._settings, self._fingerprint = settings, fingerprint(settings)  # stats every source file: once per run
        material = repr((parts, self._fingerprint if settings is not None else "-"))
        return hashlib.sha256(material.encode("utf-8", "surrogatepass")).hexdigest()

    def get(self, key: str) -> list[Estimate] | None:
        if self.entries is None:
            import json

            try:
                loaded = json.loads(self.path().read_bytes())
                self.entries = loaded if isinstance(loaded, dict) else {}
            except (OSError, ValueError):
                self.entries = {}
        rows = self.entries.get(key)
        if not isinstance(rows, list):
            return None
        try:
            found = []
            for row in rows:
                ident, role, model, provider, method, typical_in, worst_in, max_tokens, typical, worst, known = row
                money = (Decimal(typical) if typical is not None else None, Decimal(worst) if worst is not None else None)
                found.append(Estimate(ident, role, model, provider, method, typical_in, worst_in, max_tokens, *money, known))
            return found
        except (TypeError, ValueError, ArithmeticError):
            return None

    def put(self, key: str, values: list[Estimate]) -> None:
        if self.entries is None:
            self.entries = {}
        if len(self.entries) >= self.LIMIT:
            self.entries = dict(list(self.entries.items())[self.LIMIT // 2 :])
        if not self.fresh:
            import atexit

            atexit.register(self.save)  # once per process, whatever command priced something
        self.entries[key] = [
            [
                v.id, v.role, v.model, v.provider, v.method, v.input_typical, v.input_worst, v.max_tokens,
                str(v.typical) if v.typical is not None else None, str(v.worst) if v.worst is not None else None, v.known_model,
            ]
            for v in values
        ]  # fmt: skip
        self.fresh = True

    def save(self) -> None:
        from promptctl.cache import _write

        if self.fresh and self.entries is not None:
            _write(self.path(), self.entries)
            self.fresh = False


REMEMBERED = _Remembered()


def estimate(prompt: Prompt, examples: list[Any] | None = None, role: str = "primary", settings: Settings | None = None) -> Estimate:
    """Tokens and price of one call. A model the configuration declares is priced by its
    declaration; without prices there, the price is unknown ("?"), never guessed."""
    import dataclasses

    stable = dataclasses.replace(prompt, sha256="", path=None, description=None)
    key = REMEMBERED.key(stable, examples, role, settings=settings)
    known = REMEMBERED.get(key)
    if known:
        return known[0]
    result = _estimate(prompt, examples, role, settings)
    REMEMBERED.put(key, [result])
    return result


def _estimate(prompt: Prompt, examples: list[Any] | None, role: str, settings: Settings | None) -> Estimate:
    from promptctl.models import catalogue, facts_for, output_limit, provider_of

    counts, method = input_counts(prompt, examples or [])
    typical_in = round(sum(counts) / len(counts))
    worst_in = max(counts)
    declared = settings.declared_model(prompt.model) if settings is not None else None
    facts = facts_for(prompt.model, settings) if declared is not None else None
    max_tokens = prompt.parameters.get("max_tokens")
    if isinstance(max_tokens, int) and not isinstance(max_tokens, bool):
        out_typical = max_tokens // 2  # a typical reply uses half of what the prompt allows
    else:
        # No max_tokens: a typical reply is the configured size (not half the model's limit);
        # the worst case is the model's whole output limit.
        max_tokens = facts.output_limit if facts is not None else output_limit(prompt.model)
        out_typical = min(settings.typical_output_tokens if settings is not None else 500, max_tokens or 500)
    if facts is not None:
        input_mtok, output_mtok = facts.input_mtok, facts.output_mtok

        def price(tokens_in: int, tokens_out: int) -> Decimal | None:
            if input_mtok is None or output_mtok is None:
                return None
            return (Decimal(str(input_mtok)) * tokens_in + Decimal(str(output_mtok)) * tokens_out) / 1_000_000

        typical, worst, known, provider = price(typical_in, out_typical), price(worst_in, max_tokens or 0), True, facts.provider
    else:
        cat = catalogue()
        info = cat.lookup(prompt.model)
        typical = cat.price(prompt.model, typical_in, out_typical) if info else None
        worst = cat.price(prompt.model, worst_in, max_tokens or 0) if info else None
        known, provider = info is not None, info.provider if info else provider_of(prompt.model)
    return Estimate(prompt.id, role, prompt.model, provider or "unknown", method, typical_in, worst_in, max_tokens, typical, worst, known)


def estimates(prompt: Prompt, examples: list[Any] | None = None, settings: Settings | None = None) -> list[Estimate]:
    """The primary's estimate and each fallback's (not remembered one by one: the caller
    remembers them by the file)."""
    result = [_estimate(prompt, examples, "primary", settings)]
    for i, fallback in enumerate(prompt.fallbacks, start=1):
        result.append(_estimate(fallback, examples, f"fallback {i}", settings))
    return result


def usd(value: Decimal | None) -> str:
    if value is None:
        return "no price"
    if value == 0:
        return "$0"
    return f"${value:.4f}" if value < 1 else f"${value:,.2f}"


def delta(before: Estimate, after: Estimate) -> dict[str, Any]:
    """The change per call between two versions, for `diff`."""
    tokens = after.input_typical - before.input_typical
    summary = f"input {tokens:+,} tokens"
    percent = None
    if before.typical is not None and after.typical is not None:
        summary += f", {usd(before.typical)} → {usd(after.typical)} per call"
        if before.typical:
            percent = float((after.typical - before.typical) / before.typical * 100)
            if round(percent) != 0:  # "+0%" says nothing: the prices beside it show the change
                summary += f", {percent:+.0f}%"
    summary += f" ({after.method})"
    return {
        "summary": summary,
        "input_tokens": {"before": before.input_typical, "after": after.input_typical},
        "usd_per_call": {
            "before": float(before.typical) if before.typical is not None else None,
            "after": float(after.typical) if after.typical is not None else None,
        },
        "percent": percent,
        "tokens": after.method,
    }


ASSUMPTION = (
    "typical: the mean rendered example, a reply of half of max_tokens (without max_tokens: `typical_output_tokens`, "
    "default 500); worst: the largest example and a reply of all of max_tokens (without it: the model's output limit)"
)


def price_prompts(settings: Settings, specs: list[str], *, all_versions: bool) -> tuple[list[Estimate], list[str]]:
    """Estimates for ``NAME`` / ``NAME@X`` specs (default: every prompt), latest or every
    version; and a warning for each file that cannot be read (a prompt asked for by name
    is an error instead)."""
    from promptctl.catalog import lookup, read_data, resolve, scan
    from promptctl.errors import UsageError
    from promptctl.runtime import content_hash, prompt_from_data

    targets: list[tuple[str, int, str]] = []
    entries = [(spec, None) for spec in specs] if specs else [(None, e) for e in scan(settings).values()]
    for spec, entry in entries:
        if spec is not None and "@" in spec:
            found, number = resolve(settings, spec)
            targets.append((found.name, number, found.versions[number]))
            continue
        entry = entry or lookup(settings, spec or "")
        numbers = sorted(entry.versions) if all_versions else [entry.latest]
        targets += [(entry.name, n, entry.versions[n]) for n in numbers]
    rows: list[Estimate] = []
    warnings: list[str] = []
    for name, number, rel in targets:
        # a file's estimates by its bytes: a published version is priced once, ever
        try:
            raw = (settings.root / rel).read_bytes()
        except OSError:
            raw = b""
        key = REMEMBERED.key("file", name, number, raw, settings=settings) if raw else ""
        known = REMEMBERED.get(key) if key else None
        if known is not None:
            rows.extend(known)
            continue
        try:
            data = read_data(settings, rel)
        except UsageError as exc:
            if specs:
                raise  # asked for by name: say why it cannot be priced
            warnings.append(f"skipped {exc} — run `promptctl lint`")
            continue
        prompt = prompt_from_data(name, number, data, content_hash(raw), rel, **settings.render_limits)
        examples = data.get("examples") if isinstance(data.get("examples"), list) else None
        priced = estimates(prompt, examples, settings)
        if key:
            REMEMBERED.put(key, priced)
        rows.extend(priced)
    return rows, warnings

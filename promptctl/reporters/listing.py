"""The tables of ``list``, ``tags``, ``log`` and ``cost``: which columns, and how a row
reads as text. The rows themselves come from the core (catalog, changelog, pricing)."""

from __future__ import annotations

from typing import Any

from promptctl.reporters.table import Table


def prompts_table(rows: list[dict[str, Any]], prompts_dir: str) -> Table:
    return Table(
        ["name", "latest", "versions", "model", "tags"],
        rows,
        lambda r: [
            r["name"],
            f"v{r['latest']}",
            str(r["versions"]),
            r["model"] or "?",
            ", ".join(f"{k}→v{v}" for k, v in r["tags"].items()),
        ],
        right=("latest", "versions"),
        empty=f"no prompts in {prompts_dir}/ — create one with `promptctl new NAME`",
    )


def tags_table(rows: list[dict[str, Any]]) -> Table:
    return Table(
        ["name", "tag", "version", "kind"],
        rows,
        lambda r: [r["name"], r["tag"], f"v{r['version']}", "channel" if r["channel"] else "tag"],
        empty="no tags yet — create one with `promptctl tag NAME VERSION TAG`",
    )


def log_table(rows: list[dict[str, Any]], name: str) -> Table:
    return Table(
        ["date", "commit", "author", "change", "subject"],
        rows,
        lambda r: [r["date"][:10], r["commit"][:10], r["author"], r["change"], r["subject"]],
        empty=f"no committed history for `{name}` yet",
    )


def cost_table(rows: list[dict[str, Any]], source: str, assumption: str, methods: list[str]) -> Table:
    from decimal import Decimal

    from promptctl.pricing import usd

    def money(value: float | None) -> str:
        return usd(Decimal(str(value)) if value is not None else None)

    def cells(r: dict[str, Any]) -> list[str]:
        typical, worst = r["input_tokens"]["typical"], r["input_tokens"]["worst"]
        tokens = f"~{typical:,}" + (f" (≤{worst:,})" if worst != typical else "")
        return [
            r["id"],
            r["role"],
            r["model"] + ("" if r["known_model"] else " (unknown)"),
            tokens,
            f"{r['max_tokens']:,}" if r["max_tokens"] else "?",
            money(r["usd_per_call"]["typical"]),
            money(r["usd_per_call"]["worst"]),
            money(r["usd_per_1000_calls"]),
        ]

    figures = ("input tokens", "max_tokens", "$/call", "worst $/call", "$/1k calls")
    shown = ", ".join(sorted(m.removeprefix("estimated: ") for m in methods))
    return Table(
        ["prompt", "role", "model", *figures],
        rows,
        cells,
        right=figures,
        notes=[
            f"Token counts are estimated ({shown}). Prices: {source}. Typical call: the mean rendered example and "
            "half of max_tokens of output (no max_tokens: `typical_output_tokens`, default 500); worst case: the "
            "largest example and all of max_tokens (no max_tokens: the model's output limit)."
        ]
        if rows
        else [],
        extra={"prices": source, "assumption": assumption},
        key="estimates",
    )


def rules_table(rows: list[dict[str, Any]]) -> Table:
    return Table(
        ["rule", "severity", "runs in", "enabled", "summary"],
        rows,
        lambda r: [
            r["id"],
            r["severity"],
            r["runs_in"],
            ("yes" if r["enabled"] else "no") + ("" if r["default"] else " (opt-in)"),
            r["summary"],
        ],
        notes=[
            "`promptctl rules RULE` shows one rule's documentation. `runs in`: lint rules judge files; check rules judge a change "
            "against the published history (`check`, `ci`). `enabled`: by the configuration here (select, extend_select, ignore)."
        ],
    )

from __future__ import annotations

import json
import sys
from typing import Any, Optional

import typer

from promptctl.cli import settings
from promptctl.cli.list_ import ListFormat


def cost(
    specs: Optional[list[str]] = typer.Argument(
        None, metavar="[NAME[@VERSION|@TAG]]...", help="Prompts to price (default: all).", show_default=False
    ),
    all_versions: bool = typer.Option(False, "--all", help="Every version, not just the latest."),
    format: ListFormat = typer.Option(ListFormat.text, "--format", "-f", help="Output format."),
) -> None:
    """Estimated tokens and price per call, by model (primary and fallbacks)."""
    from promptctl.catalog import lookup, read_data, resolve, scan
    from promptctl.models import catalogue
    from promptctl.pricing import estimates, usd
    from promptctl.runtime import content_hash, prompt_from_data

    s = settings()
    targets: list[tuple[str, int, str]] = []
    if specs:
        for spec in specs:
            if "@" in spec:
                entry, number = resolve(s, spec)
                targets.append((entry.name, number, entry.versions[number]))
            else:
                entry = lookup(s, spec)
                numbers = sorted(entry.versions) if all_versions else [entry.latest]
                targets += [(entry.name, n, entry.versions[n]) for n in numbers]
    else:
        for entry in scan(s).values():
            numbers = sorted(entry.versions) if all_versions else [entry.latest]
            targets += [(entry.name, n, entry.versions[n]) for n in numbers]
    from promptctl.errors import UsageError

    rows: list[Any] = []
    for name, number, rel in targets:
        try:
            data = read_data(s, rel)
        except UsageError as exc:
            if specs:
                raise  # asked for by name: say why it cannot be priced
            typer.echo(f"promptctl: warning: skipped {exc} — run `promptctl lint`", err=True)
            continue
        prompt = prompt_from_data(
            name,
            number,
            data,
            content_hash((s.root / rel).read_bytes()),
            rel,
            **s.render_limits,
        )
        examples = data.get("examples") if isinstance(data.get("examples"), list) else None
        rows.extend(estimates(prompt, examples))
    source = catalogue().source
    if format is ListFormat.json:
        payload = {
            "prices": source,
            "assumption": "typical: mean rendered example, responses use half of max_tokens; worst: largest example and all of max_tokens",
            "estimates": [r.as_dict() for r in rows],
        }
        sys.stdout.write(json.dumps(payload, indent=2) + "\n")
        return
    from promptctl.reporters import print_table

    cells = []
    for r in rows:
        tokens = f"~{r.input_typical:,}" + (f" (≤{r.input_worst:,})" if r.input_worst != r.input_typical else "")
        cells.append(
            [
                r.id,
                r.role,
                r.model + ("" if r.known_model else " (unknown)"),
                tokens,
                f"{r.max_tokens:,}" if r.max_tokens else "?",
                usd(r.typical),
                usd(r.worst),
                usd(r.per_1000),
            ]
        )
    figures = ("input tokens", "max_tokens", "$/call", "worst $/call", "$/1k calls")
    print_table(sys.stdout, ["prompt", "role", "model", *figures], cells, right=figures)
    methods = {r.method for r in rows}
    shown = ", ".join(sorted(m.removeprefix("estimated: ") for m in methods))
    typer.echo(
        f"Token counts are estimated ({shown}). Prices: {source}. Typical call: the mean rendered example and "
        "half of max_tokens of output; worst case: the largest example and all of max_tokens."
    )

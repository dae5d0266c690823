from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from promptctl.cli import exit_with, settings
from promptctl.cli.options import complete_spec
from promptctl.errors import ExitCode


class RenderFormat(str, Enum):
    text = "text"
    json = "json"
    openai = "openai"
    anthropic = "anthropic"


def render(
    spec: Annotated[
        str, typer.Argument(metavar="NAME[@VERSION|@TAG]", help="The prompt, optionally at a version or tag.", autocompletion=complete_spec)
    ],
    var: Annotated[
        Optional[list[str]],
        typer.Option(
            "--var",
            metavar="NAME=VALUE",
            help="A variable; repeatable. Converted to the declared type (integer, boolean, JSON for arrays and objects).",
        ),
    ] = None,
    vars_file: Annotated[
        Optional[Path], typer.Option("--vars", metavar="FILE", help="Variables from a JSON or YAML mapping; --var wins.")
    ] = None,
    fallback: Annotated[
        int, typer.Option("--fallback", metavar="N", help="Render the N-th fallback (1-based) instead of the primary.")
    ] = 0,
    format: Annotated[
        RenderFormat, typer.Option("--format", "-f", help="text, json (the messages), openai or anthropic (the call's keyword arguments).")
    ] = RenderFormat.text,
) -> None:
    """Render a version or tag with variables to the messages an API call gets."""
    from promptctl.catalog import read_data, resolve
    from promptctl.rendering import coerce_vars, finding_for, load_vars_file
    from promptctl.reporters import reporter
    from promptctl.runtime import PromptRenderError, content_hash, prompt_from_data

    s = settings()
    entry, number = resolve(s, spec)
    rel = entry.versions[number]
    data = read_data(s, rel)
    raw = (s.root / rel).read_bytes()
    prompt = prompt_from_data(entry.name, number, data, content_hash(raw), rel, **s.render_limits)
    if fallback:
        if not 1 <= fallback <= len(prompt.fallbacks):
            from promptctl.errors import UsageError

            raise UsageError(f"{prompt.id} has {len(prompt.fallbacks)} fallback(s); there is no fallback {fallback}", "count from 1")
        prompt = prompt.fallbacks[fallback - 1]
    values: dict[str, Any] = load_vars_file(vars_file) if vars_file else {}
    try:
        values.update(coerce_vars(prompt, var or []))
        if format is RenderFormat.openai:
            output: Any = prompt.openai_kwargs(**values)
        elif format is RenderFormat.anthropic:
            output = prompt.anthropic_kwargs(**values)
        else:
            output = prompt.render(**values)
    except PromptRenderError as exc:
        from promptctl.findings import Report

        report = Report([finding_for(s, rel, raw, exc)], files_checked=1, root=str(s.root), sources={rel: raw.decode("utf-8", "replace")})
        reporter("text")(report, sys.stderr)
        exit_with(ExitCode.FINDINGS)
    from promptctl.reporters.prompt import rendered

    rendered(sys.stdout, format.value, output, label=prompt.id, model=prompt.model, parameters=prompt.parameters)

"""An entry of `examples` does not render.

Why: `examples` are variable sets the prompt must accept — documentation that is
checked. Each is rendered under the same sandbox and limits as `promptctl render` and
the runtime: a missing required variable, an unknown one, a value of the wrong type,
an undefined name in a template or a blow-up expression is a finding on that example.

Example (fails):

    variables:
      name: {type: string}
    system: Hello {{ name }}.
    examples:
      - {nmae: Ann}

Fix: correct the example (or the template).
"""

from __future__ import annotations

from collections.abc import Iterator

from promptctl.findings import Finding, Severity
from promptctl.rules.base import DocumentRule, FileContext


def _hidden_in_output(ctx: FileContext, i: int, example: dict[str, object], messages: list[dict[str, str]]) -> Iterator[Finding]:
    """Hidden characters that only exist once rendered (`'%c'|format(8206)`): the model
    reads them, nobody reviewing the file sees them. What the file or the example's
    values already hold raw is reported where it is written."""
    from promptctl.invisible import describe, hidden_runs
    from promptctl.rules import hidden_unicode

    written = ctx.doc.text
    for message in messages:
        for _, run in hidden_runs(message["content"]):
            if run not in written:
                yield ctx.finding(
                    hidden_unicode.RULE,
                    ctx.doc.position(("examples", i)),
                    f"example {i + 1} renders {describe(run)} into the {message['role']} message",
                )
                return


def check(ctx: FileContext) -> Iterator[Finding]:
    examples = ctx.doc.data.get("examples")
    if not isinstance(examples, list) or not ctx.is_prompt:
        return
    if any(parsed.error or parsed.forbidden for _, parsed in ctx.templates()):
        return  # template-syntax reports it; rendering would only repeat it
    from promptctl.runtime import PromptRenderError

    settings = ctx.settings
    prompt = ctx.runtime_prompt()
    if prompt is None:
        return  # malformed fields: the schema rule reports them
    import time
    from dataclasses import replace

    # One budget for the file: `render_timeout` covers all of its examples together, so
    # a thousand slow examples cannot hold CI a thousand times as long.
    deadline = time.monotonic() + settings.render_timeout
    for i, example in enumerate(examples):
        if not isinstance(example, dict):
            continue
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            yield ctx.finding(
                RULE,
                ctx.doc.position(("examples", i)),
                f"examples {i + 1}-{len(examples)} were not rendered: the file's examples took longer than "
                f"{settings.render_timeout:g} s together (config `render_timeout`)",
            )
            return
        try:
            messages = replace(prompt, render_timeout=remaining).render(**{str(k): v for k, v in example.items()})
            yield from _hidden_in_output(ctx, i, example, messages)
        except PromptRenderError as exc:
            message = exc.detail if exc.field is None else f"{exc.field}: {exc.detail}"
            where = ctx.doc.position(("examples", i))
            for key in example:
                if f"`{key}`" in message:
                    where = ctx.doc.position(("examples", i, key))
                    break
            yield ctx.finding(RULE, where, f"example {i + 1}: {message}")
        except (TypeError, ValueError) as exc:
            yield ctx.finding(RULE, ctx.doc.position(("examples", i)), f"example {i + 1}: {exc}")


RULE = DocumentRule("example-render", Severity.ERROR, __doc__, check=check)

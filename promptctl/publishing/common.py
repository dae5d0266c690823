"""What the registry clients share: credentials from the environment, the turns of a
version as `{role, content}` templates in the target's dialect, and its parameters."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from promptctl.errors import UsageError
from promptctl.interop.dialects import Untranslatable, jinja_to_substitution
from promptctl.publishing import Unpublishable, Version


def setting(env: Mapping[str, str], names: tuple[str, ...], target: str, what: str) -> str:
    """The first of ``names`` that is set, or a one-line error naming them."""
    for name in names:
        if env.get(name):
            return env[name]
    raise UsageError(f"{target}: {what} is not set", f"set {' or '.join(names)} in the environment (never in a file in the repository)")


def substituted(version: Version, target: str) -> list[dict[str, str]]:
    """The turns as `{{var}}` substitution (Phoenix's Mustache, Langfuse), or refused."""
    prompt = version.prompt
    kinds = prompt.variable_types
    messages = []
    for role, template, field in version.prompt.templates():
        if prompt.template_format == "none":
            if "{{" in template:
                raise Unpublishable(f"{field}: the literal text has `{{{{`, which {target} reads as a variable")
            content = template
        else:
            try:
                content = jinja_to_substitution(template, kinds=kinds).text
            except Untranslatable as exc:
                raise Unpublishable(f"{field} line {exc.line}: {exc.message} ({target} only substitutes variables)") from None
        messages.append({"role": role, "content": content})
    return messages


def parameters(version: Version) -> dict[str, Any]:
    return {k: v for k, v in version.prompt.parameters.items() if v is not None}

"""YAML as people write prompts: fields in a familiar order, multi-line text as block
scalars; loading the text always gives the data back."""

from __future__ import annotations

from typing import Any

import yaml

# The order a person writes a prompt's fields in (PRODUCT.md's example first).
FIELD_ORDER = (
    "version", "model", "description", "template_format", "system", "user", "messages",
    "temperature", "max_tokens", "top_p", "stop", "variables", "examples", "metadata",
)  # fmt: skip


class _Dumper(yaml.SafeDumper):
    pass


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value.rstrip("\n") or value.endswith("\n") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def plain(data: Any) -> str:
    """``data`` in the order given. A text a block scalar cannot hold exactly (trailing
    spaces, some control characters) is quoted instead."""
    text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100_000, default_flow_style=False)
    if yaml.safe_load(text) != data:
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100_000, default_flow_style=False)
    return text


def dump(data: dict[str, Any]) -> str:
    """A prompt's data in promptctl's field order."""
    ordered = {key: data[key] for key in FIELD_ORDER if key in data}
    ordered.update({k: v for k, v in data.items() if k not in ordered})
    return plain(ordered)

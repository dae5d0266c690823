"""The file does not match the JSON Schema (`promptctl schema` prints it).

Why: the schema is the file format's contract: required keys (`version`, `model`, and
one of `system`, `user` or `messages`), types and ranges (`temperature` 0-2,
`max_tokens` >= 1), and no unknown keys — a typo like `temprature` would otherwise be
ignored silently. Free-form data belongs under `metadata`. Tags files are checked
against the tags schema (tag name -> version number).

Example (fails):

    version: 1
    model: gpt-4o-2024-08-06
    system: Be brief.
    temprature: 0.2

Fix: as the message says; each finding points at the offending key or value.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from promptctl.findings import Finding, Severity
from promptctl.rules.base import FileContext, Rule

RULE = Rule.define(__doc__, "schema", Severity.ERROR, "document")

_JSON_TYPES = {
    "string": "a string", "integer": "an integer", "number": "a number", "boolean": "a boolean",
    "array": "a list", "object": "a mapping", "null": "null",
}


def schema_text(name: str = "prompt") -> str:
    """The JSON Schema as shipped: inside the wheel (promptctl/schemas) or, in a source
    checkout or editable install, the repository's top-level schemas/ folder."""
    filename = f"{name}.schema.json"
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "schemas" / filename, here.parent / "schemas" / filename):
        if candidate.is_file():
            return candidate.read_text(encoding="utf-8")
    raise FileNotFoundError(filename)


@lru_cache(maxsize=None)
def validator(name: str) -> Any:
    from jsonschema import Draft202012Validator  # type: ignore[import-untyped,unused-ignore]

    return Draft202012Validator(json.loads(schema_text(name)))


_NAME_RULES = {
    "tag": "use letters, digits, `.`, `-` and `_`, starting with a letter or digit",
    "variable": "use a Python-style identifier (letters, digits, `_`; not starting with a digit)",
}


def _type_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _label(path: tuple[Any, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "the file"


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


@lru_cache(maxsize=None)
def fast_validator(name: str) -> Any:
    """A compiled validator (fastjsonschema) that only answers "valid or not", ten times
    faster than jsonschema; the precise findings come from jsonschema, for invalid files only."""
    import fastjsonschema

    return fastjsonschema.compile(json.loads(schema_text(name)))


@RULE.checks
def check(ctx: FileContext) -> Iterator[Finding]:
    name = "tags" if ctx.where.kind == "tags" else "prompt"
    try:
        fast_validator(name)(ctx.doc.data)
        return
    except Exception:  # noqa: BLE001 - JsonSchemaException, or any surprise: let jsonschema judge
        pass
    seen: set[tuple[tuple[int, int], str]] = set()
    for error in validator(name).iter_errors(ctx.doc.data):
        for pos, message in _explain(ctx, error, name):
            if (pos, message) not in seen:
                seen.add((pos, message))
                yield ctx.finding(RULE, pos, message)


def _explain(ctx: FileContext, error: Any, schema_name: str) -> Iterator[tuple[tuple[int, int], str]]:
    doc = ctx.doc
    path = tuple(error.absolute_path)
    label = _label(path)
    kind = error.validator
    if kind == "additionalProperties":
        allowed = set(error.schema.get("properties", {}))
        for key in sorted(k for k in error.instance if k not in allowed):
            where = (*path, key)
            if schema_name == "tags":
                yield doc.position(where), f"tag `{key}` must point at a version number"
            elif not path:
                hint = _closest(key, allowed)
                extra = f"; did you mean `{hint}`?" if hint else "; put free-form data under `metadata`"
                yield doc.position(where), f"unknown key `{key}`{extra}"
            else:
                yield doc.position(where), f"unknown key `{key}` in `{label}`; allowed: {', '.join(sorted(allowed))}"
        return
    if kind == "required":
        missing = [k for k in error.validator_value if k not in error.instance]
        owner = "the file" if not path else f"`{label}`"
        for key in missing:
            yield doc.position(path) if path else (1, 1), f"{owner} is missing the required key `{key}`"
        return
    if kind == "anyOf" and not path and schema_name == "prompt":
        yield (1, 1), "a prompt needs a `system`, `user` or `messages` field"
        return
    if kind == "not" and not path and schema_name == "prompt":
        yield doc.position(("messages",)), "use either `user` or `messages`, not both"
        return
    if kind == "type":
        expected = error.validator_value
        names = [expected] if isinstance(expected, str) else list(expected)
        want = " or ".join(_JSON_TYPES.get(n, n) for n in names)
        if schema_name == "tags" and path:
            yield doc.value_position(path), f"tag `{path[-1]}` must point at a version number, not {_type_of(error.instance)}"
            return
        yield doc.value_position(path), f"`{label}` must be {want}, not {_type_of(error.instance)}"
        return
    if kind == "enum":
        options = ", ".join(json.dumps(v) for v in error.validator_value)
        yield doc.value_position(path), f"`{label}` is {_short(error.instance)}; expected one of {options}"
        return
    if "propertyNames" in error.relative_schema_path:
        bad = error.instance
        where = (*path, bad) if isinstance(bad, str) else path
        what = "tag" if schema_name == "tags" else "variable" if path[-1:] == ("variables",) else "key"
        yield doc.position(where), f"{what} name `{bad}` is not allowed: {_NAME_RULES.get(what, error.message)}"
        return
    if kind == "pattern" and path[:1] == ("owners",):
        yield doc.value_position(path), f"owner {_short(error.instance)} must be @user, @org/team or an e-mail address"
        return
    if kind == "pattern" and path[-1:] == ("model",):
        yield doc.value_position(path), f"`{label}` must be a model id without spaces"
        return
    bounds = {"minimum": ">=", "maximum": "<=", "exclusiveMinimum": ">", "exclusiveMaximum": "<"}
    if kind in bounds:
        yield doc.value_position(path), f"`{label}` is {_short(error.instance)}; it must be {bounds[kind]} {error.validator_value}"
        return
    if kind in ("minItems", "minLength", "minProperties"):
        yield doc.value_position(path), f"`{label}` must not be empty"
        return
    yield doc.value_position(path), f"`{label}`: {error.message}"


def _closest(key: str, options: set[str]) -> str | None:
    import difflib

    match = difflib.get_close_matches(key, sorted(options), n=1, cutoff=0.75)
    return match[0] if match else None

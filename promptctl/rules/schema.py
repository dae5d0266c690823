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
from typing import Any

from promptctl.document import key_label
from promptctl.findings import Finding, Severity
from promptctl.refs import tag_name_problem
from promptctl.rules.base import DocumentRule, FileContext
from promptctl.schema import fast_validator, validator

_JSON_TYPES = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean",
    "array": "a list",
    "object": "a mapping",
    "null": "null",
}


_NAME_RULES = {
    "variable": "use a Python-style identifier (letters, digits, `_`; not starting with a digit) that is not one of "
    "Jinja2's own names (self, loop, caller, varargs, kwargs, super, true, false, none)",
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
    return key_label(path) or "the file"


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "..."


def check(ctx: FileContext) -> Iterator[Finding]:
    name = "tags" if ctx.where.kind == "tags" else "prompt"
    if name == "prompt":
        yield from _defaults(ctx)
    if name == "tags" and isinstance(ctx.doc.data, dict):
        for tag, value in ctx.doc.data.items():
            if isinstance(value, float):  # JSON Schema counts 2.0 as an integer; a tag does not
                yield ctx.finding(
                    RULE, ctx.doc.value_position((tag,)), f"tag `{tag}` must point at an integer version number, not {value!r}"
                )
    try:
        fast_validator(name)(ctx.doc.data)
        return
    except Exception:
        pass
    seen: set[tuple[tuple[int, int], str]] = set()
    for error in validator(name).iter_errors(ctx.doc.data):
        for pos, message in _explain(ctx, error, name):
            if (pos, message) not in seen:
                seen.add((pos, message))
                yield ctx.finding(RULE, pos, message)


def _defaults(ctx: FileContext) -> Iterator[Finding]:
    """A variable's `default` must be of its `type`: rendering would refuse it."""
    from promptctl.runtime import value_fits

    variables = ctx.doc.data.get("variables")
    if not isinstance(variables, dict):
        return
    for name, spec in variables.items():
        if (
            isinstance(spec, dict)
            and "default" in spec
            and isinstance(spec.get("type"), str)
            and spec["default"] is not None
            and not value_fits(spec["type"], spec["default"])
        ):
            yield ctx.finding(
                RULE,
                ctx.doc.value_position(("variables", name, "default")),
                f"the default of `{name}` is {_type_of(spec['default'])}, but its type is {spec['type']}",
            )


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
        rule = tag_name_problem(bad) if what == "tag" else None
        yield doc.position(where), f"{what} name `{bad}` is not allowed: {rule or _NAME_RULES.get(what, error.message)}"
        return
    if kind in ("pattern", "not") and path[:1] == ("owners",):
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


RULE = DocumentRule("schema", Severity.ERROR, __doc__, check=check)

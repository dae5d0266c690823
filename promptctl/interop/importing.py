"""Reading other tools' prompt files as promptctl data.

Each reader takes a source's text and returns a :class:`Draft`: the promptctl fields,
in the order a person writes them, and the list of source fields kept under
``metadata`` (nothing is dropped silently). A source that cannot be read is a
:class:`BadSource` (exit 2, nothing written); text whose meaning promptctl cannot keep is
:class:`~promptctl.interop.dialects.Untranslatable` (that prompt is not written).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from promptctl.errors import PromptctlError
from promptctl.interop.dialects import (
    GITHUB_VARIABLE,
    LANGFUSE_VARIABLE,
    Converted,
    Sections,
    Untranslatable,
    logic_to_jinja,
    substitution_to_jinja,
)


class BadSource(PromptctlError):
    """A source file that is not what its format says."""


@dataclass
class Draft:
    name: str
    data: dict[str, Any]
    kept: list[str] = field(default_factory=list)  # source fields now under metadata.<kept_under>
    kept_under: str = ""
    notes: list[str] = field(default_factory=list)


# The parameters every format has, in promptctl's words.
_TYPES = {"string": "string", "integer": "integer", "number": "number", "float": "number", "boolean": "boolean"}
_TYPES |= {"array": "array", "object": "object", "str": "string", "int": "integer", "bool": "boolean", "list": "array", "dict": "object"}


def _yaml(text: str, where: str) -> Any:
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise BadSource(f"{where}{line}: {problem}", "fix the file, then import it again") from None


def _front_matter(text: str, where: str) -> tuple[dict[str, Any], str, int]:
    """(front matter, body, the number of lines before the body) of a ``---`` delimited file."""
    match = re.match(r"\A\ufeff?---[ \t]*\r?\n(.*?)^---[ \t]*(?:\r?\n|\Z)", text, re.S | re.M)
    if not match:
        raise BadSource(f"{where}:1: no front matter (a `---` line, YAML, then `---`)", "is this the right format?")
    meta = _yaml(match.group(1), where) or {}
    if not isinstance(meta, dict):
        raise BadSource(f"{where}:2: the front matter is not a mapping", "fix the file, then import it again")
    return meta, text[match.end() :], text.count("\n", 0, match.end())


def _shift(exc: Untranslatable, where: str, offset: int) -> Untranslatable:
    exc.message = f"{where}:{exc.line + offset}: {exc.message}"
    return exc


def _model(value: Any, where: str, field: str) -> str:
    """The source's model id: promptctl needs one."""
    if not isinstance(value, str) or not value.strip():
        raise BadSource(f"{where}: no model id ({field})", "add the model the prompt was written for, then import it again")
    return value


def _put(data: dict[str, Any], key: str, value: Any) -> None:
    if value is not None and value != "" and value != []:
        data[key] = value


def _messages(data: dict[str, Any], turns: list[tuple[str, str]], where: str) -> None:
    """system / user / messages from a list of (role, text)."""
    roles = {"system": "system", "developer": "system", "user": "user", "assistant": "assistant", "model": "assistant"}
    mapped = []
    for role, text in turns:
        if role.lower() not in roles:
            raise BadSource(f"{where}: the role `{role}` is not system, user or assistant", "promptctl prompts have those three")
        mapped.append((roles[role.lower()], text))
    if mapped and mapped[0][0] == "system":
        data["system"] = mapped.pop(0)[1]
    if any(role == "system" for role, _ in mapped):
        raise Untranslatable("a system message after the first message", 1, "promptctl has one system prompt, first")
    if len(mapped) == 1 and mapped[0][0] == "user":
        data["user"] = mapped[0][1]
    elif mapped:
        data["messages"] = [{"role": role, "content": text} for role, text in mapped]


def _declare(
    data: dict[str, Any], names: list[str], declared: Mapping[str, dict[str, Any]], notes: list[str], *, order: list[str] | None = None
) -> None:
    variables: dict[str, dict[str, Any]] = {}
    for name in order or []:
        variables[name] = dict(declared[name])
    for name in names:
        if name not in variables:
            variables[name] = dict(declared.get(name, {"type": "string"}))
    undeclared = [n for n in names if n not in declared]
    if declared and undeclared:
        notes.append(f"declared as required strings (used, not declared in the source): {', '.join(undeclared)}")
    _put(data, "variables", variables or None)


def _keep(draft: Draft, fmt: str, leftovers: Mapping[str, Any]) -> None:
    """Source fields without a promptctl field go under ``metadata.<format>``."""
    if not leftovers:
        return
    metadata = draft.data.setdefault("metadata", {}).setdefault(fmt, {})
    draft.kept_under = fmt
    for key, value in leftovers.items():
        metadata[key] = value
        if isinstance(value, dict) and value and key in ("model", "config", "modelParameters"):
            draft.kept.extend(f"{key}.{k}" for k in value)
        else:
            draft.kept.append(key)


def _parameters(data: dict[str, Any], options: dict[str, Any], names: Mapping[str, str]) -> dict[str, Any]:
    """Map the source's parameter names to promptctl's; returns what is left."""
    rest = dict(options)
    for theirs, ours in names.items():
        if theirs in rest:
            value = rest.pop(theirs)
            if ours == "stop" and isinstance(value, str):
                value = [value]
            _put(data, ours, value)
    return rest


def _texts(data: dict[str, Any]) -> list[str]:
    texts = [data.get("system"), data.get("user")] + [m["content"] for m in data.get("messages") or []]
    return [t for t in texts if isinstance(t, str)]


# -- Prompty -------------------------------------------------------------------------------

PROMPTY_ROLE = re.compile(r"(?im)^\s*#?\s*(system|user|assistant|developer)(\[[^\]\n]*\])?\s*:\s*$")
_PROMPTY_OPTIONS = {"temperature": "temperature", "maxOutputTokens": "max_tokens", "topP": "top_p", "stopSequences": "stop"}
_PROMPTY_V1_PARAMETERS = {"temperature": "temperature", "max_tokens": "max_tokens", "top_p": "top_p", "stop": "stop"}


def _prompty_turns(body: str) -> list[tuple[str, str, int]]:
    """The body split at Prompty's role markers: (role, text, the text's first line)."""
    turns: list[tuple[str, str, int]] = []
    marks = list(PROMPTY_ROLE.finditer(body))
    if marks and marks[0].group(2) is not None or any(m.group(2) for m in marks):
        line = body.count("\n", 0, next(m for m in marks if m.group(2)).start()) + 1
        raise Untranslatable("a role marker with attributes (`user[name=…]:`)", line, "promptctl messages have a role and text only")
    starts = [(m.group(1).lower(), m.end()) for m in marks]
    head = body[: marks[0].start()] if marks else body
    if head.strip():
        turns.append(("system", head, 1))
    for i, (role, start) in enumerate(starts):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(body)
        turns.append((role, body[start:end], body.count("\n", 0, marks[i].start()) + 2))
    return turns


def read_prompty(text: str, where: str) -> Draft:
    meta, body, offset = _front_matter(text, where)
    meta = dict(meta)
    draft = Draft(str(meta.pop("name", "") or ""), {})
    data = draft.data
    _put(data, "description", meta.pop("description", None))
    model = meta.pop("model", None)
    options: dict[str, Any] = {}
    model_rest: dict[str, Any] = {}
    if isinstance(model, str):
        data["model"] = model
    elif isinstance(model, dict):
        model = dict(model)
        configuration = model.pop("configuration", None)  # Prompty 1.x
        model_id = model.pop("id", None) or (
            isinstance(configuration, dict) and (configuration.get("azure_deployment") or configuration.get("name"))
        )
        _put(data, "model", model_id or None)
        options = dict(model.pop("options", None) or model.pop("parameters", None) or {})
        model_rest = {k: v for k, v in model.items() if v is not None}
        if configuration:
            model_rest["configuration"] = configuration
    data["model"] = _model(data.get("model"), where, "`model.id`")
    rest_options = _parameters(data, options, _PROMPTY_OPTIONS | _PROMPTY_V1_PARAMETERS)

    template = meta.pop("template", None)
    kind = "jinja2"
    if isinstance(template, str):
        kind = template  # Prompty 1.x: `template: jinja2`
    elif isinstance(template, dict):
        fmt = template.get("format", "jinja2")
        kind = fmt.get("kind", "jinja2") if isinstance(fmt, dict) else str(fmt)
    if kind not in ("jinja2", "mustache"):
        raise BadSource(f"{where}: the template format `{kind}` is not jinja2 or mustache", "convert it by hand")

    declared, examples = _prompty_inputs(meta.pop("inputs", None) or {}, where)
    sample = meta.pop("sample", None)  # Prompty 1.x
    if isinstance(sample, dict):
        examples = dict(sample)
    try:
        turns = _prompty_turns(body)
        converted: list[tuple[str, str]] = []
        names: list[str] = []
        for role, part, line in turns:
            if kind == "mustache":
                lists = frozenset(n for n, d in declared.items() if d.get("type") == "array")
                try:
                    [(_, c)] = logic_to_jinja(part, mustache=True, sections=Sections(lists, escape=True))
                except Untranslatable as exc:
                    exc.line += line - 1
                    raise
            else:
                c = Converted(part, [])
            for n in c.names:
                if n not in names:
                    names.append(n)
            converted.append((role, _strip(c.text)))
        _messages(data, converted, where)
    except Untranslatable as exc:
        raise _shift(exc, where, offset) from None
    if kind == "jinja2":
        names = _jinja_names(_texts(data))
    _declare(data, names, declared, draft.notes, order=list(declared))
    if examples:
        data["examples"] = [examples]
    leftovers = {k: v for k, v in meta.items() if v not in (None, {}, [])}
    if rest_options:
        model_rest["options"] = rest_options
    if model_rest:
        leftovers = {"model": model_rest, **leftovers}
    _keep(draft, "prompty", leftovers)
    return draft


def _strip(text: str) -> str:
    """A Prompty or Dotprompt turn: its surrounding blank lines are not the prompt's."""
    text = text.strip("\n")
    return text + "\n" if "\n" in text else text


def _prompty_inputs(inputs: Any, where: str) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    """Prompty `inputs` (a mapping or a list with `name`) as promptctl variables, and one
    example from the inputs' `example` values (when every required input has one)."""
    if isinstance(inputs, list):
        inputs = {i.get("name"): i for i in inputs if isinstance(i, dict)}
    if not isinstance(inputs, dict):
        raise BadSource(f"{where}: `inputs` is not a mapping", "fix the file, then import it again")
    declared: dict[str, dict[str, Any]] = {}
    example: dict[str, Any] = {}
    complete = True
    for name, spec in inputs.items():
        spec = spec if isinstance(spec, dict) else {"default": spec}
        kind = spec.get("kind", spec.get("type", "string"))
        if kind in ("image", "audio", "file", "thread"):
            raise Untranslatable(
                f"the input `{name}` is of kind `{kind}`", 1, "promptctl variables are JSON values; keep this prompt in Prompty"
            )
        variable: dict[str, Any] = {"type": _TYPES.get(str(kind), "string")}
        _put(variable, "description", spec.get("description"))
        if "default" in spec and spec["default"] is not None:
            variable["default"] = spec["default"]
        elif spec.get("required") is False:
            _optional(variable)
        declared[str(name)] = variable
        if "example" in spec or "sample" in spec:
            example[str(name)] = spec.get("example", spec.get("sample"))
        elif "default" not in variable and variable.get("required", True):
            complete = False
    return declared, example if complete else {}


def _optional(variable: dict[str, Any]) -> None:
    """An optional input without a default: in the source's template a missing value
    prints nothing and tests false; the empty value of its type does the same here."""
    empty = {"string": "", "array": [], "boolean": False}
    if variable["type"] in empty:
        variable["default"] = empty[variable["type"]]
    else:
        variable["required"] = False


def _jinja_names(texts: list[str]) -> list[str]:
    """The variables Jinja2 templates read, in order of first use."""
    from promptctl.templating import parse

    names: list[str] = []
    for text in texts:
        uses = parse(text).uses  # a syntax error reads nothing here: lint says where
        names.extend(n for n in sorted(uses, key=lambda n: uses[n][0]) if n not in names)
    return names


# -- Dotprompt -----------------------------------------------------------------------------

_DOTPROMPT_CONFIG = {"temperature": "temperature", "maxOutputTokens": "max_tokens", "topP": "top_p", "stopSequences": "stop"}
_PICO = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?P<optional>\?)?(?:\((?P<kind>\w+)(?:,\s*(?P<description>.*))?\))?$")


def _picoschema(schema: Any, defaults: Mapping[str, Any], where: str) -> dict[str, dict[str, Any]]:
    if not isinstance(schema, dict):
        raise Untranslatable("`input.schema` is not a Picoschema mapping", 1, "write the variables under `variables:` by hand")
    declared: dict[str, dict[str, Any]] = {}
    for key, value in schema.items():
        match = _PICO.match(str(key))
        if not match:
            raise Untranslatable(f"the Picoschema field `{key}`", 1, "write the variables under `variables:` by hand")
        kind, description = match.group("kind"), match.group("description")
        if kind is None:  # `name: type, description`
            kind, _, description = str(value).partition(",")
            kind = kind.strip()
        elif kind == "enum":
            kind = "string"
        if kind not in _TYPES:
            raise Untranslatable(f"the Picoschema type `{kind}` of `{match.group('name')}`", 1, "declare the variable by hand")
        variable: dict[str, Any] = {"type": _TYPES[kind]}
        _put(variable, "description", (description or "").strip() or None)
        name = match.group("name")
        if name in defaults:
            variable["default"] = defaults[name]
        elif match.group("optional"):
            _optional(variable)
        declared[name] = variable
    return declared


def read_dotprompt(text: str, where: str) -> Draft:
    meta, body, offset = _front_matter(text, where)
    meta = dict(meta)
    name = meta.pop("name", None)
    variant = meta.pop("variant", None)
    draft = Draft(str(name or ""), {})
    if variant:
        draft.name = f"{draft.name}-{variant}" if draft.name else ""
    data = draft.data
    _put(data, "description", meta.pop("description", None))
    data["model"] = _model(meta.pop("model", None), where, "`model:`")
    config = meta.pop("config", None) or {}
    rest_config = _parameters(data, dict(config) if isinstance(config, dict) else {}, _DOTPROMPT_CONFIG)
    schema = meta.pop("input", None) or {}
    declared = _picoschema(schema.get("schema") or {}, schema.get("default") or {}, where) if isinstance(schema, dict) else {}
    if isinstance(schema, dict) and (extra := {k: v for k, v in schema.items() if k not in ("schema", "default")}):
        meta["input"] = extra
    try:
        parts = logic_to_jinja(body, mustache=False)
    except Untranslatable as exc:
        raise _shift(exc, where, offset) from None
    turns: list[tuple[str, str]] = []
    names: list[str] = []
    for role, converted in parts:
        names.extend(n for n in converted.names if n not in names)
        if role is None and not converted.text.strip():
            continue
        turns.append((role or "user", _strip(converted.text)))
    _messages(data, turns, where)
    _declare(data, names, declared, draft.notes, order=list(declared))
    if rest_config:
        meta = {"config": rest_config, **meta}
    _keep(draft, "dotprompt", {k: v for k, v in meta.items() if v is not None})
    return draft


# -- GitHub Models ---------------------------------------------------------------------------

_GITHUB_PARAMETERS = {"maxTokens": "max_tokens", "max_tokens": "max_tokens", "temperature": "temperature", "topP": "top_p"}
_GITHUB_PARAMETERS |= {"top_p": "top_p", "stop": "stop"}


def read_github_models(text: str, where: str) -> Draft:
    source = _yaml(text, where)
    if not isinstance(source, dict):
        raise BadSource(f"{where}:1: not a mapping", "a .prompt.yml file is a YAML mapping with `messages`")
    source = dict(source)
    messages = source.pop("messages", None)
    if not isinstance(messages, list) or not messages or not all(isinstance(m, dict) for m in messages):
        raise BadSource(f"{where}: `messages` is missing or not a list of {{role, content}}", "fix the file, then import it again")
    draft = Draft("", {})
    data = draft.data
    display = source.pop("name", None)
    _put(data, "description", source.pop("description", None) or display)
    if display and "description" in data and data["description"] != display:
        source["name"] = display
    data["model"] = _model(source.pop("model", None), where, "`model:`")
    params = source.pop("modelParameters", None) or {}
    rest = _parameters(data, dict(params) if isinstance(params, dict) else {}, _GITHUB_PARAMETERS)
    turns, names = _substituted_turns(messages, "messages", GITHUB_VARIABLE, where, text)
    _messages(data, turns, where)
    _declare(data, names, {}, draft.notes)
    rows = source.pop("testData", None)
    if isinstance(rows, list) and rows:
        examples = [{k: v for k, v in row.items() if k in names} for row in rows if isinstance(row, dict)]
        if any(set(row) - set(names) for row in rows if isinstance(row, dict)):
            source["testData"] = rows  # `expected` and other columns belong to the evaluators
        _put(data, "examples", [e for e in examples if e] or None)
    if rest:
        source = {"modelParameters": rest, **source}
    _keep(draft, "github_models", source)
    return draft


def _substituted_turns(
    messages: list[Any], field: str, pattern: re.Pattern[str], where: str, whole: str
) -> tuple[list[tuple[str, str]], list[str]]:
    """(role, Jinja2 text) of each `{role, content}` message of a substitution-only
    format, and the variables they read in order of first use."""
    turns: list[tuple[str, str]] = []
    names: list[str] = []
    for i, message in enumerate(messages):
        content = message.get("content")
        if not isinstance(content, str):
            raise BadSource(f"{where}: {field}[{i}] has no text `content`", "fix the file, then import it again")
        converted = _substitute(content, pattern, where, whole)
        names.extend(n for n in converted.names if n not in names)
        turns.append((str(message.get("role", "")), converted.text))
    return turns, names


def _substitute(content: str, pattern: re.Pattern[str], where: str, whole: str) -> Converted:
    try:
        return substitution_to_jinja(content, pattern)
    except Untranslatable as exc:
        # the line within the whole file, where the content can be found
        first = whole.find(content.split("\n", 1)[0])
        offset = whole.count("\n", 0, first) if first >= 0 else 0
        raise _shift(exc, where, offset) from None


# -- Langfuse --------------------------------------------------------------------------------

_LANGFUSE_CONFIG = {"temperature": "temperature", "max_tokens": "max_tokens", "top_p": "top_p", "stop": "stop"}


def read_langfuse(text: str, where: str) -> Draft:
    try:
        source = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadSource(f"{where}:{exc.lineno}: not JSON ({exc.msg})", "save the API's response body as it is") from None
    if not isinstance(source, dict) or "prompt" not in source or "name" not in source:
        raise BadSource(f"{where}: not a Langfuse prompt (no `name` and `prompt`)", "save GET /api/public/v2/prompts/{name}'s body")
    source = dict(source)
    draft = Draft(str(source.pop("name")), {})
    data = draft.data
    config = dict(source.pop("config", None) or {})
    data["model"] = _model(config.pop("model", None), where, "`config.model`")
    rest = _parameters(data, config, _LANGFUSE_CONFIG)
    prompt = source.pop("prompt")
    source.pop("type", None)
    if isinstance(prompt, str):
        converted = _substitute(prompt, LANGFUSE_VARIABLE, where, text)
        names, turns = converted.names, [("user", converted.text)]
        draft.notes.append("a text prompt: imported as the user turn")
    elif isinstance(prompt, list):
        for i, message in enumerate(prompt):
            if not isinstance(message, dict) or message.get("type") == "placeholder":
                raise Untranslatable(
                    f"prompt[{i}] is a message placeholder", 1, "promptctl renders whole conversations: add the turns as `messages`"
                )
        turns, names = _substituted_turns(prompt, "prompt", LANGFUSE_VARIABLE, where, text)
    else:
        raise BadSource(f"{where}: `prompt` is neither text nor a list of messages", "save the API's response body as it is")
    _messages(data, turns, where)
    _declare(data, names, {}, draft.notes)
    leftovers = {k: v for k, v in source.items() if k in ("version", "labels", "tags", "commitMessage") and v not in (None, [], "")}
    if rest:
        leftovers = {"config": rest, **leftovers}
    _keep(draft, "langfuse", leftovers)
    return draft


@dataclass(frozen=True)
class Format:
    name: str
    label: str
    suffixes: tuple[str, ...]
    read: Callable[[str, str], Draft]

    def matches(self, path: Path) -> bool:
        return path.name.lower().endswith(self.suffixes)

    def default_name(self, path: Path) -> str:
        base = path.name
        for suffix in self.suffixes:
            if base.lower().endswith(suffix):
                return base[: -len(suffix)]
        return path.stem


FORMATS = {
    "prompty": Format("prompty", "Prompty", (".prompty",), read_prompty),
    "dotprompt": Format("dotprompt", "Dotprompt", (".prompt",), read_dotprompt),
    "github-models": Format("github-models", "GitHub Models", (".prompt.yml", ".prompt.yaml"), read_github_models),
    "langfuse": Format("langfuse", "Langfuse", (".json",), read_langfuse),
}

"""``promptctl export --format``: one version of a prompt in another tool's format.

Each writer returns the file's text and what the target has no place for (the CLI
warns; nothing is left out silently). A template the target cannot render with the
same meaning is refused (:class:`~promptctl.interop.dialects.Untranslatable`)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from promptctl.config import Settings
from promptctl.errors import UsageError
from promptctl.interop.dialects import (
    Untranslatable,
    github_reads,
    jinja_to_handlebars,
    jinja_to_jinja,
    jinja_to_substitution,
)
from promptctl.interop.importing import PROMPTY_ROLE
from promptctl.runtime import Prompt


@dataclass
class Exported:
    prompt: Prompt
    text: str
    left_out: list[str] = field(default_factory=list)  # fields the target cannot hold


def _yaml(data: Any) -> str:
    from promptctl.interop.yamlout import plain

    return plain(data)


def _refuse_in(field_name: str, exc: Untranslatable, prompt: Prompt) -> Untranslatable:
    where = prompt.path or prompt.id
    exc.message = f"{where}: {field_name} line {exc.line}: {exc.message}"
    return exc


def _identity(prompt: Prompt) -> dict[str, Any]:
    return {"name": prompt.name, "version": prompt.version, "sha256": prompt.sha256}


# -- Prompty ---------------------------------------------------------------------------------

_PROMPTY_KINDS = {"string": "string", "integer": "integer", "number": "float", "boolean": "boolean", "array": "array", "object": "object"}


def to_prompty(prompt: Prompt, data: Mapping[str, Any]) -> Exported:
    body: list[str] = []
    for role, template, field_name in prompt.templates():
        for i, line in enumerate(template.splitlines(), 1):
            if PROMPTY_ROLE.match(line):
                raise _refuse_in(
                    field_name,
                    Untranslatable(f"the line `{line.strip()}` reads as a Prompty role marker", i, "reword that line"),
                    prompt,
                )
        try:
            text = jinja_to_jinja(template, literal=prompt.template_format == "none")
        except Untranslatable as exc:
            raise _refuse_in(field_name, exc, prompt) from None
        body.append(f"{role}:\n{text.rstrip(chr(10))}\n")
    example = (data.get("examples") or [{}])[0]
    inputs: dict[str, Any] = {}
    for name, var in prompt.variables.items():
        spec: dict[str, Any] = {"kind": _PROMPTY_KINDS[var.type]}
        if var.type == "array":
            spec["items"] = {"kind": "object"}
        if var.description:
            spec["description"] = var.description
        if var.has_default:
            spec["default"] = var.default
        elif var.required:
            spec["required"] = True
        if isinstance(example, dict) and name in example:
            spec["example"] = example[name]
        inputs[name] = spec
    options = {
        "temperature": prompt.parameters.get("temperature"),
        "maxOutputTokens": prompt.parameters.get("max_tokens"),
        "topP": prompt.parameters.get("top_p"),
        "stopSequences": prompt.parameters.get("stop"),
    }
    metadata: dict[str, Any] = dict(data.get("metadata") or {})
    if data.get("owners"):
        metadata["authors"] = list(data["owners"])
    promptctl = _identity(prompt) | {k: data[k] for k in ("fallbacks", "budget") if data.get(k)}
    metadata["promptctl"] = promptctl
    front: dict[str, Any] = {"name": prompt.name.replace("/", "-")}
    if prompt.description:
        front["description"] = prompt.description
    front["metadata"] = metadata
    front["model"] = (
        {"id": prompt.model, "options": {k: v for k, v in options.items() if v is not None}}
        if any(v is not None for v in options.values())
        else {"id": prompt.model}
    )
    if inputs:
        front["inputs"] = inputs
    front["template"] = {"format": "jinja2", "parser": "prompty"}
    text = "---\n" + _yaml(front) + "---\n" + "\n".join(body)
    left = [f"{k} (kept under metadata.promptctl)" for k in ("fallbacks", "budget") if data.get(k)]
    if len(data.get("examples") or []) > 1:
        left.append("examples after the first (Prompty keeps one example per input)")
    return Exported(prompt, text, left)


# -- Dotprompt -------------------------------------------------------------------------------


def _picoschema(prompt: Prompt) -> dict[str, Any]:
    schema: dict[str, Any] = {}
    for name, var in prompt.variables.items():
        optional = "?" if var.has_default or not var.required else ""
        if var.type == "array":
            key, value = f"{name}{optional}(array{', ' + var.description if var.description else ''})", "any"
        elif var.type == "object":
            key, value = f"{name}{optional}", "object" + (f", {var.description}" if var.description else "")
        else:
            key, value = f"{name}{optional}", var.type + (f", {var.description}" if var.description else "")
        schema[key] = value
    return schema


def to_dotprompt(prompt: Prompt, data: Mapping[str, Any]) -> Exported:
    parts: list[str] = []
    kinds = prompt.variable_types
    for role, template, field_name in prompt.templates():
        try:
            if prompt.template_format == "none":
                if template.rstrip().endswith("\\") or "\\{{" in template:
                    raise Untranslatable("a backslash before `{{`", 1, "keep this prompt in promptctl")
                text = template.replace("{{", "\\{{")
            else:
                text = jinja_to_handlebars(template, kinds=kinds).text
        except Untranslatable as exc:
            raise _refuse_in(field_name, exc, prompt) from None
        parts.append('{{role "' + ("model" if role == "assistant" else role) + '"}}\n' + text)
    front: dict[str, Any] = {"model": prompt.model}
    if prompt.description:
        front["description"] = prompt.description
    config = {
        "temperature": prompt.parameters.get("temperature"),
        "maxOutputTokens": prompt.parameters.get("max_tokens"),
        "topP": prompt.parameters.get("top_p"),
        "stopSequences": prompt.parameters.get("stop"),
    }
    if any(v is not None for v in config.values()):
        front["config"] = {k: v for k, v in config.items() if v is not None}
    if prompt.variables:
        front["input"] = {"schema": _picoschema(prompt)}
        defaults = {n: v.default for n, v in prompt.variables.items() if v.has_default}
        if defaults:
            front["input"]["default"] = defaults
    front |= {f"promptctl.{k}": v for k, v in _identity(prompt).items()}
    left = [k for k in ("fallbacks", "budget", "owners", "examples", "metadata") if data.get(k)]
    return Exported(prompt, "---\n" + _yaml(front) + "---\n" + "\n".join(parts), left)


# -- GitHub Models ---------------------------------------------------------------------------


def to_github_models(prompt: Prompt, data: Mapping[str, Any]) -> Exported:
    kinds = prompt.variable_types
    messages = []
    for role, template, field_name in prompt.templates():
        if prompt.template_format == "none":
            if "{{" in template:
                raise _refuse_in(field_name, Untranslatable("the literal text has `{{`, which gh-models reads as a variable", 1), prompt)
            text = template
        else:
            try:
                text = jinja_to_substitution(template, kinds=kinds, reads=github_reads(kinds)).text
            except Untranslatable as exc:
                raise _refuse_in(field_name, exc, prompt) from None
        messages.append({"role": role, "content": text})
    kept = dict((data.get("metadata") or {}).get("github_models") or {})  # what `import` kept from gh-models
    out: dict[str, Any] = {"name": kept.pop("name", prompt.name)}
    if prompt.description:
        out["description"] = prompt.description
    out["model"] = prompt.model if "/" in prompt.model else f"{_provider(prompt.model, 'github-models')}/{prompt.model}"
    parameters = {
        "maxTokens": prompt.parameters.get("max_tokens"),
        "temperature": prompt.parameters.get("temperature"),
        "topP": prompt.parameters.get("top_p"),
    }
    parameters |= kept.pop("modelParameters", None) or {}
    if any(v is not None for v in parameters.values()):
        out["modelParameters"] = {k: v for k, v in parameters.items() if v is not None}
    out["messages"] = messages
    defaults = {n: v.default for n, v in prompt.variables.items() if v.has_default}
    rows = [{**defaults, **row} for row in data.get("examples") or [] if isinstance(row, dict)]
    if kept.get("testData"):  # the rows as imported, with their `expected` column
        out["testData"] = kept.pop("testData")
    elif rows:
        out["testData"] = [{k: str(v) for k, v in row.items()} for row in rows]
    out |= kept  # evaluators, responseFormat, jsonSchema …
    others = {k for k in data.get("metadata") or {} if k != "github_models"}
    left = [k for k in ("fallbacks", "budget", "owners", "stop") if data.get(k)] + (["metadata"] if others else [])
    if defaults:
        left.append("variable defaults (gh-models has none; filled into testData)")
    return Exported(prompt, _yaml(out), left)


# -- LiteLLM ---------------------------------------------------------------------------------

# genai-prices' provider ids, as LiteLLM's model prefixes
_LITELLM_PREFIX = {"openai": "openai", "anthropic": "anthropic", "google": "gemini", "mistral": "mistral", "deepseek": "deepseek"}
_LITELLM_PREFIX |= {"x-ai": "xai", "groq": "groq", "cohere": "cohere_chat"}
_GITHUB_PREFIX = {"openai": "openai", "anthropic": "anthropic", "mistral": "mistral-ai", "deepseek": "deepseek", "x-ai": "xai"}
_GITHUB_PREFIX |= {"google": "google", "cohere": "cohere", "meta": "meta"}


def _provider(model: str, target: str) -> str:
    from promptctl.models import facts_for

    table = _LITELLM_PREFIX if target == "litellm" else _GITHUB_PREFIX
    provider = facts_for(model).provider or ""
    if provider not in table:
        raise UsageError(f"`{model}`: no {target} provider prefix is known for it", "write the model as `provider/model` in the prompt")
    return table[provider]


def litellm_model(model: str) -> str:
    """The model as LiteLLM names it: ``provider/model``."""
    if re.match(r"(anthropic|amazon|meta|cohere|mistral|ai21)\.[\w.-]+-v\d+(:\d+)?$", model):
        return f"bedrock/{model}"  # a Bedrock id
    if "@" in model:
        return f"vertex_ai/{model}"  # a Vertex AI id
    head, slash, tail = model.partition("/")
    if slash and head in set(_LITELLM_PREFIX.values()) | {"bedrock", "vertex_ai", "azure", "openrouter", "ollama"}:
        return model
    bare = tail if slash else model
    return f"{_provider(model, 'litellm')}/{bare}"


def litellm_entries(prompt: Prompt) -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    """The router's ``model_list`` entries for a prompt and its fallbacks, and its
    ``fallbacks`` entry: the prompt's name is the alias the application calls."""
    alias = prompt.name
    entries = []
    names = []
    for i, candidate in enumerate((prompt, *prompt.fallbacks)):
        if i and candidate.system != prompt.system:
            raise UsageError(
                f"{prompt.path or prompt.id}: fallback {i} has its own system prompt, which a LiteLLM router cannot send",
                f"render it with `promptctl render {prompt.id} --fallback {i}`, or drop the fallback's `system`",
            )
        params: dict[str, Any] = {"model": litellm_model(candidate.model)}
        params |= {k: v for k, v in candidate.parameters.items() if v is not None}
        name = alias if i == 0 else f"{alias}--fallback-{i}"
        names.append(name)
        entries.append({"model_name": name, "litellm_params": params})
    return entries, ({alias: names[1:]} if len(names) > 1 else {})


def to_litellm(prompts: list[Prompt]) -> str:
    model_list: list[dict[str, Any]] = []
    fallbacks: list[dict[str, list[str]]] = []
    for prompt in prompts:
        entries, chain = litellm_entries(prompt)
        model_list.extend(entries)
        if chain:
            fallbacks.append(chain)
    config: dict[str, Any] = {"model_list": model_list}
    if fallbacks:
        config["router_settings"] = {"fallbacks": fallbacks}
    ids = ", ".join(p.id for p in prompts)
    return f"# LiteLLM router configuration for {ids}, written by `promptctl export --format litellm`.\n" + _yaml(config)


WRITERS: dict[str, tuple[str, Callable[[Prompt, Mapping[str, Any]], Exported]]] = {
    "prompty": (".prompty", to_prompty),
    "dotprompt": (".prompt", to_dotprompt),
    "github-models": (".prompt.yml", to_github_models),
}


def load(settings: Settings, spec: str | None) -> list[tuple[Prompt, dict[str, Any]]]:
    """The version ``spec`` names, or every prompt's latest version (``spec`` None)."""
    from promptctl.catalog import read_data, resolve, scan
    from promptctl.runtime import content_hash, prompt_from_data

    if spec is None:
        chosen = [(entry, entry.latest) for entry in scan(settings).values()]
        if not chosen:
            raise UsageError(f"no prompts under {settings.prompts_dir}/", "create one with `promptctl new NAME`")
    else:
        chosen = [resolve(settings, spec)]
    loaded = []
    for entry, number in chosen:
        rel = entry.versions[number]
        data = read_data(settings, rel)
        raw = (settings.root / rel).read_bytes()
        loaded.append((prompt_from_data(entry.name, number, data, content_hash(raw), rel, **settings.render_limits), data))
    return loaded


def build(settings: Settings, target: str, spec: str | None) -> list[tuple[str, Exported]]:
    """(file name, export) for each chosen version; a refusal raises before anything is
    written. LiteLLM gets one router configuration for all of them."""
    loaded = load(settings, spec)
    if target == "litellm":
        prompts = [p for p, _ in loaded]
        return [("litellm.yaml", Exported(prompts[0], to_litellm(prompts)))]
    suffix, writer = WRITERS[target]
    return [(prompt.name + suffix, writer(prompt, data)) for prompt, data in loaded]

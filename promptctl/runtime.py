"""The runtime API: applications load prompts by name and tag instead of hard-coding them.

It reads a prompts folder (the YAML files) or an exported JSON bundle, and imports
neither git nor jsonschema nor pricing data: it works in an installed application
with no ``.git`` folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from promptctl.errors import PromptctlError
from promptctl.refs import RefError, resolve_ref, tag_name_problem, tag_version, valid_tags

BUNDLE_FORMAT = "promptctl-bundle"
PARAMETERS = ("temperature", "max_tokens", "top_p", "stop")
_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "array": (list, tuple),
    "object": (dict,),
}


def value_fits(kind: str, value: Any) -> bool:
    """Whether ``value`` is of a declared variable ``kind`` (a bool is no number)."""
    if kind in ("integer", "number") and isinstance(value, bool):
        return False
    return isinstance(value, _TYPES.get(kind, (object,)))


class PromptNotFound(PromptctlError, LookupError):
    """No prompt, version or tag by that name."""


class PromptRenderError(PromptctlError, ValueError):
    """The variables do not fit the prompt's declaration, or a template failed to render.

    ``field`` is the prose field (``system``, ``user``, ``messages[1].content`` …) and
    ``line`` the 1-based line inside it, when known."""

    def __init__(
        self,
        message: str,
        hint: str | None = None,
        *,
        field: str | None = None,
        line: int | None = None,
        kind: str = "render",
        detail: str | None = None,
    ) -> None:
        super().__init__(message, hint)
        self.detail = detail or message.split(": ", 1)[-1]
        self.field = field
        self.line = line
        self.kind = kind


def content_hash(raw: bytes) -> str:
    """sha256 of a version file with line endings normalised to LF."""
    from promptctl.newlines import to_lf_bytes

    return hashlib.sha256(to_lf_bytes(raw)).hexdigest()


@dataclass(frozen=True)
class Variable:
    name: str
    type: str = "string"
    description: str | None = None
    required: bool = True
    default: Any = None
    has_default: bool = False


@dataclass(frozen=True)
class Prompt:
    """One version of a prompt, ready to render. Immutable."""

    name: str
    version: int
    model: str
    sha256: str
    system: str | None = None
    user: str | None = None
    messages: tuple[Mapping[str, str], ...] | None = None
    parameters: Mapping[str, Any] = field(default_factory=dict)
    variables: Mapping[str, Variable] = field(default_factory=dict)
    fallback_specs: tuple[Mapping[str, Any], ...] = ()
    template_format: str = "jinja2"
    description: str | None = None
    path: str | None = None
    render_timeout: float = 5.0
    render_max_output: int = 1024 * 1024

    @property
    def id(self) -> str:
        """Stable id for traces and logs: ``customer-support@3``."""
        return f"{self.name}@{self.version}"

    @property
    def variable_types(self) -> dict[str, str]:
        """Each declared variable's JSON type, by name."""
        return {name: v.type for name, v in self.variables.items()}

    @property
    def fallbacks(self) -> tuple[Prompt, ...]:
        """The fallbacks as prompts of their own: the fallback's model, system prompt and
        parameters, the primary's for whatever it leaves out."""
        result = []
        for spec in self.fallback_specs:
            params = {**self.parameters, **{k: spec[k] for k in PARAMETERS if k in spec}}
            result.append(replace(self, model=spec["model"], system=spec.get("system", self.system), parameters=params, fallback_specs=()))
        return tuple(result)

    # -- rendering -------------------------------------------------------------

    def bind(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """Validate ``values`` against the declared variables and apply defaults."""
        unknown = sorted(set(values) - set(self.variables))
        if unknown:
            declared = ", ".join(self.variables) or "none"
            raise PromptRenderError(
                f"{self.id}: unknown variable{'s' if len(unknown) > 1 else ''} {', '.join(f'`{u}`' for u in unknown)}",
                f"declared: {declared}",
                kind="variables",
            )
        bound: dict[str, Any] = {}
        wrong_types: list[str] = []
        missing: list[str] = []
        for name, spec in self.variables.items():
            if name in values:
                value = values[name]
                if not value_fits(spec.type, value):
                    wrong_types.append(f"`{name}` must be {spec.type}, got {type(value).__name__}")
                bound[name] = value
            elif spec.has_default:
                bound[name] = spec.default
            elif spec.required:
                missing.append(name)
        if wrong_types:
            raise PromptRenderError(f"{self.id}: variable {'; '.join(wrong_types)}", kind="variables")
        if missing:
            # every missing variable at once, with what each one is for
            described = [f"`{n}` ({self.variables[n].description})" if self.variables[n].description else f"`{n}`" for n in missing]
            plural = "s" if len(missing) > 1 else ""
            raise PromptRenderError(f"{self.id}: missing required variable{plural} {', '.join(described)}", kind="variables")
        return bound

    def _text(self, field_name: str, source: str, values: dict[str, Any]) -> str:
        if self.template_format == "none":
            return source
        from promptctl.templating import RenderError, render

        try:
            return render(source, values, timeout=self.render_timeout, max_output=self.render_max_output)
        except RenderError as exc:
            where = f"{field_name} line {exc.line}" if exc.line else field_name
            raise PromptRenderError(
                f"{self.id}: {where}: {exc.message}", field=field_name, line=exc.line, kind=exc.kind, detail=exc.message
            ) from None

    def templates(self) -> list[tuple[str, str, str]]:
        """(role, template, field) of each turn, in the order they are sent."""
        turns = []
        if self.system is not None:
            turns.append(("system", self.system, "system"))
        if self.user is not None:
            turns.append(("user", self.user, "user"))
        for i, message in enumerate(self.messages or ()):
            turns.append((message["role"], message["content"], f"messages[{i}].content"))
        return turns

    def render(self, /, **variables: Any) -> list[dict[str, str]]:
        """The messages an API call gets: ``[{"role": "system", "content": …}, …]``."""
        values = self.bind(variables)
        return [{"role": role, "content": self._text(field, template, values)} for role, template, field in self.templates()]

    def openai_kwargs(self, /, **variables: Any) -> dict[str, Any]:
        """Keyword arguments for ``client.chat.completions.create(**kwargs)``."""
        from promptctl.models import is_reasoning

        kwargs: dict[str, Any] = {"model": self.model, "messages": self.render(**variables)}
        kwargs.update({k: v for k, v in self.parameters.items() if v is not None})
        if "max_tokens" in kwargs and is_reasoning(self.model):
            kwargs["max_completion_tokens"] = kwargs.pop("max_tokens")  # what reasoning models take
        return kwargs

    def anthropic_kwargs(self, /, **variables: Any) -> dict[str, Any]:
        """Keyword arguments for ``client.messages.create(**kwargs)``: the system prompt
        as ``system``, the rest as ``messages``; ``max_tokens`` (required there) defaults
        to 1024 when the prompt sets none."""
        rendered = self.render(**variables)
        system = "\n\n".join(m["content"] for m in rendered if m["role"] == "system")
        kwargs: dict[str, Any] = {
            "model": self.model,
            "max_tokens": self.parameters.get("max_tokens") or 1024,
            "messages": [m for m in rendered if m["role"] != "system"],
        }
        if system:
            kwargs["system"] = system
        for key in ("temperature", "top_p"):
            if self.parameters.get(key) is not None:
                kwargs[key] = self.parameters[key]
        if self.parameters.get("stop"):
            kwargs["stop_sequences"] = list(self.parameters["stop"])
        return kwargs

    def trace_attributes(self) -> dict[str, str | int]:
        """Attributes for a Langfuse or OpenTelemetry span, so cost and quality can be
        tracked per prompt version."""
        return {
            "prompt.name": self.name,
            "prompt.version": self.version,
            "prompt.id": self.id,
            "prompt.sha256": self.sha256,
            "prompt.model": self.model,
        }


def prompt_from_data(
    name: str,
    version: int,
    data: Mapping[str, Any],
    sha256: str,
    path: str | None = None,
    *,
    render_timeout: float = 5.0,
    render_max_output: int = 1024 * 1024,
) -> Prompt:
    variables = {}
    for var_name, spec in (data.get("variables") or {}).items():
        spec = spec if isinstance(spec, Mapping) else {}
        has_default = "default" in spec
        variables[var_name] = Variable(
            var_name,
            spec.get("type", "string"),
            spec.get("description"),
            bool(spec.get("required", not has_default)),
            spec.get("default"),
            has_default,
        )
    messages = data.get("messages")
    return Prompt(
        name=name,
        version=version,
        model=str(data.get("model", "")),
        sha256=sha256,
        system=data.get("system"),
        user=data.get("user"),
        messages=tuple(dict(m) for m in messages) if isinstance(messages, list) else None,
        parameters={k: data[k] for k in PARAMETERS if k in data},
        variables=variables,
        fallback_specs=tuple(dict(f) for f in data.get("fallbacks") or ()),
        template_format=str(data.get("template_format", "jinja2")),
        description=data.get("description"),
        path=path,
        render_timeout=render_timeout,
        render_max_output=render_max_output,
    )


class Registry:
    """Prompts from one root (a prompts folder or an exported bundle), cached: a version
    forever (published versions never change), tags until their file changes."""

    def __init__(self, root: str | os.PathLike[str] | None = None) -> None:
        from promptctl.config import load_settings

        if root is None:
            settings = load_settings()
            self.root = settings.prompts_path
            self._timeout, self._max_output = settings.render_timeout, settings.render_max_output
        else:
            self.root = Path(root)
            self._timeout, self._max_output = 5.0, 1024 * 1024
        self._lock = threading.Lock()
        self._versions: dict[tuple[str, int], Prompt] = {}
        self._tags: dict[str, tuple[tuple[int, int], dict[str, Any]]] = {}
        self._bundle: tuple[tuple[int, int], dict[str, Any]] | None = None
        if not self.root.exists():
            raise PromptNotFound(f"no prompts folder or bundle at {self.root}", "pass root= a prompts folder or an exported bundle")

    # -- sources ---------------------------------------------------------------

    @property
    def is_bundle(self) -> bool:
        return self.root.is_file()

    def _bundle_data(self) -> dict[str, Any]:
        stat = self.root.stat()
        key = (stat.st_mtime_ns, stat.st_size)
        if self._bundle is None or self._bundle[0] != key:
            try:
                data = json.loads(self.root.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise PromptNotFound(f"{self.root}: not a readable bundle: {exc}", "re-export it with `promptctl export`") from None
            if not isinstance(data, dict) or data.get("format") != BUNDLE_FORMAT:
                raise PromptNotFound(f"{self.root}: not a promptctl bundle", "export one with `promptctl export --output FILE`")
            self._bundle = (key, data)
            self._versions.clear()
        return self._bundle[1]

    def _files(self, name: str) -> tuple[dict[int, Path], Path | None]:
        from promptctl.layout import classify

        versions: dict[int, Path] = {}
        tags: Path | None = None
        flat_dir = (self.root / name).parent
        candidates = []
        if flat_dir.is_dir():
            base = Path(name).name
            candidates += [p for p in flat_dir.iterdir() if p.name.startswith(f"{base}-v") or p.name == f"{base}.tags.yaml"]
        nested = self.root / name
        if nested.is_dir():
            candidates += list(nested.iterdir())
        for path in candidates:
            if path.is_symlink() or not path.is_file():
                continue
            rel = path.relative_to(self.root).as_posix()
            where = classify(rel, "")
            if where.name != name or where.problem:
                continue
            if where.kind == "version" and where.version:
                versions[where.version] = path
            elif where.kind == "tags":
                tags = path
        return versions, tags

    def versions(self, name: str) -> list[int]:
        if self.is_bundle:
            entry = self._bundle_data().get("prompts", {}).get(name)
            versions = entry.get("versions") if isinstance(entry, dict) else None
            return sorted(int(v) for v in versions if str(v).isdigit()) if isinstance(versions, dict) else []
        return sorted(self._files(name)[0])

    def tags(self, name: str) -> dict[str, int]:
        """The prompt's tags: valid names pointing at integer versions (see promptctl.refs)."""
        return valid_tags(self._raw_tags(name))

    def _raw_tags(self, name: str) -> dict[str, Any]:
        if self.is_bundle:
            entry = self._bundle_data().get("prompts", {}).get(name)
            tags = entry.get("tags", {}) if isinstance(entry, dict) else {}
            return tags if isinstance(tags, dict) else {}
        _, path = self._files(name)
        if path is None:
            return {}
        stat = path.stat()
        key = (stat.st_mtime_ns, stat.st_size)
        cached = self._tags.get(name)
        if cached and cached[0] == key:
            return cached[1]
        data = self._parse(path)
        self._tags[name] = (key, data)
        return data

    def _parse(self, path: Path) -> dict[str, Any]:
        from promptctl.document import load, unreadable

        raw = path.read_bytes()
        doc, findings = load(path.name, raw)
        blocking = unreadable(findings)
        if doc is None or blocking:
            first = blocking or findings[0]
            raise PromptNotFound(f"{path}:{first.line}:{first.column}: {first.message}", "run `promptctl lint`")
        return doc.data

    # -- lookup ----------------------------------------------------------------

    def get(self, name: str, *, version: int | None = None, tag: str | None = None) -> Prompt:
        if version is not None and tag is not None:
            raise ValueError("pass either version= or tag=, not both")
        if version is not None and tag_version(version) is None:
            raise TypeError(f"version= takes a positive int, not {version!r}")
        if tag is not None and not isinstance(tag, str):
            raise TypeError(f"tag= takes a str, not {tag!r}")
        with self._lock:
            available = self.versions(name)
            if not available:
                raise PromptNotFound(f"no prompt named `{name}` in {self.root}")
            try:
                if tag is not None:
                    if tag_name_problem(tag) is not None:
                        raise RefError(f"`{tag}` is not a tag name", f"{tag_name_problem(tag)}; for a version pass version=")
                    version = resolve_ref(name, tag, available, self._raw_tags(name))
                else:
                    version = resolve_ref(name, None if version is None else str(version), available, {})
            except RefError as exc:
                raise PromptNotFound(exc.message, exc.hint) from None
            key = (name, version)
            if key not in self._versions:
                self._versions[key] = self._load(name, version)
            return self._versions[key]

    def _load(self, name: str, version: int) -> Prompt:
        limits: dict[str, Any] = {"render_timeout": self._timeout, "render_max_output": self._max_output}
        if self.is_bundle:
            entry = self._bundle_data()["prompts"][name]["versions"][str(version)]
            from promptctl.document import load

            raw = entry["source"].encode("utf-8")
            doc, _ = load(f"{name}-v{version}.yaml", raw)
            if doc is None:
                raise PromptNotFound(f"bundle entry {name}@{version} does not parse", "re-export the bundle")
            return prompt_from_data(name, version, doc.data, entry["sha256"], entry.get("path"), **limits)
        path = self._files(name)[0][version]
        raw = path.read_bytes()
        return prompt_from_data(name, version, self._parse(path), content_hash(raw), str(path), **limits)


_default_registries: dict[str, Registry] = {}
_default_lock = threading.Lock()


def load_prompt(name: str, *, version: int | None = None, tag: str | None = None, root: str | os.PathLike[str] | None = None) -> Prompt:
    """Load one version of a prompt: ``load_prompt("customer-support", tag="production")``.

    ``version`` and ``tag`` are mutually exclusive; with neither, the latest version.
    ``root`` is a prompts folder or an exported bundle; by default the configured
    prompts folder found from the working directory. Registries are cached per root.
    """
    key = str(Path(root).resolve()) if root is not None else f"cwd:{Path.cwd()}"
    with _default_lock:
        registry = _default_registries.get(key)
        if registry is None:
            registry = _default_registries[key] = Registry(root)
    return registry.get(name, version=version, tag=tag)

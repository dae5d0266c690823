"""What a rule is, and what it is given to look at."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from promptctl.config import Settings
from promptctl.document import Document, PathKey
from promptctl.findings import Finding, Severity
from promptctl.layout import PromptPath

if TYPE_CHECKING:
    from promptctl.history import History
    from promptctl.models import ModelFacts
    from promptctl.runtime import Prompt
    from promptctl.templating import ParsedTemplate

Scope = Literal["load", "text", "document", "project", "history", "render"]


@dataclass
class FileContext:
    """One parsed file and what it is."""

    doc: Document
    where: PromptPath
    settings: Settings
    _templates: list[tuple[PathKey, ParsedTemplate]] | None = field(default=None, repr=False)
    _prompt: tuple[Prompt | None] | None = field(default=None, repr=False)  # (None,): malformed fields
    _input_bytes: tuple[int | None] | None = field(default=None, repr=False)
    _estimates: dict[str, tuple[int, str] | None] = field(default_factory=dict, repr=False)

    def finding(self, rule: Rule, pos: tuple[int, int], message: str) -> Finding:
        return Finding(self.doc.path, pos[0], pos[1], rule.id, rule.severity, message)

    @property
    def is_prompt(self) -> bool:
        return self.where.kind != "tags"

    def template_fields(self) -> Iterator[tuple[PathKey, str]]:
        """Every prose field that is a template: system, user, messages[].content,
        fallbacks[].system."""
        data = self.doc.data
        if data.get("template_format") == "none" or not self.is_prompt:
            return
        for key in ("system", "user"):
            if isinstance(data.get(key), str):
                yield (key,), data[key]
        for listing, inner in (("messages", "content"), ("fallbacks", "system")):
            items = data.get(listing)
            if isinstance(items, list):
                for i, item in enumerate(items):
                    if isinstance(item, dict) and isinstance(item.get(inner), str):
                        yield (listing, i, inner), item[inner]

    def templates(self) -> list[tuple[PathKey, ParsedTemplate]]:
        """Parsed templates (see :func:`promptctl.templating.parse`), parsed once per file."""
        if self._templates is None:
            from promptctl.templating import parse

            self._templates = [(path, parse(source)) for path, source in self.template_fields()]
        return self._templates

    def models(self) -> Iterator[tuple[PathKey, str]]:
        """The primary model and each fallback's, with their paths."""
        data = self.doc.data
        if isinstance(data.get("model"), str):
            yield ("model",), data["model"]
        fallbacks = data.get("fallbacks")
        if isinstance(fallbacks, list):
            for i, f in enumerate(fallbacks):
                if isinstance(f, dict) and isinstance(f.get("model"), str):
                    yield ("fallbacks", i, "model"), f["model"]

    def model_facts(self) -> Iterator[tuple[PathKey, str, ModelFacts]]:
        """Each model of a prompt (see :meth:`models`) with its catalogue facts
        (:func:`promptctl.models.model_facts`); none for a tags file."""
        if not self.is_prompt:
            return
        from promptctl.models import facts_for

        for path, model in self.models():
            yield path, model, facts_for(model, self.settings)

    def runtime_prompt(self) -> Prompt | None:
        """The file as a runtime Prompt (None when its fields are malformed)."""
        if self._prompt is None:
            from promptctl.runtime import prompt_from_data

            try:
                prompt = prompt_from_data(
                    self.where.name or "prompt",
                    self.where.version or 0,
                    self.doc.data,
                    "",
                    **self.settings.render_limits,
                )
            except (TypeError, ValueError, AttributeError, KeyError):
                prompt = None
            self._prompt = (prompt,)
        return self._prompt[0]

    def input_bytes(self) -> int | None:
        """An upper bound of the input tokens of one call: the bytes of the largest
        rendered input plus the per-message overhead (a BPE token is at least a byte)."""
        if self._input_bytes is None:
            prompt = self.runtime_prompt()
            bound = None
            if prompt is not None:
                from promptctl.pricing import rendered_inputs

                examples = self.doc.data.get("examples")
                inputs = rendered_inputs(prompt, examples if isinstance(examples, list) else [])
                bound = max(sum(len(m["content"].encode("utf-8")) + 4 for m in messages) for messages in inputs)
            self._input_bytes = (bound,)
        return self._input_bytes[0]

    def input_estimate(self, model: str) -> tuple[int, str] | None:
        """(worst-case input tokens, method) of one call for ``model``."""
        if model not in self._estimates:
            prompt = self.runtime_prompt()
            if prompt is None:
                self._estimates[model] = None
            else:
                from dataclasses import replace

                from promptctl.pricing import input_counts

                examples = self.doc.data.get("examples")
                counts, method = input_counts(replace(prompt, model=model), examples if isinstance(examples, list) else [])
                self._estimates[model] = (max(counts), method)
        return self._estimates[model]

    def declared_variables(self) -> dict[str, Any]:
        variables = self.doc.data.get("variables")
        return variables if isinstance(variables, dict) else {}


@dataclass(slots=True)
class FileFacts:
    """What project rules need to know of one file, cheap to cache."""

    rel: str
    kind: str
    name: str | None
    version: int | None
    tags: dict[str, Any] | None = None
    tag_positions: dict[str, tuple[int, int]] = field(default_factory=dict)
    model: str | None = None
    fallback_models: tuple[str, ...] = ()
    owners: tuple[str, ...] = ()
    layout: str | None = None
    secret: bool = False  # the secret scan found something in the text (before any suppression)


@dataclass
class ProjectContext:
    """Every file of the prompts folder (by path alone) and the facts of the linted ones."""

    settings: Settings
    all_paths: list[PromptPath]
    facts: dict[str, FileFacts]
    linted: set[str]

    def production_versions(self) -> Iterator[FileFacts]:
        """The linted version files that a `production` tag points at."""
        targets: dict[str, int] = {}
        for facts in self.facts.values():
            if facts.kind == "tags" and facts.name and facts.tags:
                value = facts.tags.get("production")
                if isinstance(value, int) and not isinstance(value, bool):
                    targets[facts.name] = value
        for facts in self.facts.values():
            if facts.kind == "version" and facts.name and targets.get(facts.name) == facts.version:
                yield facts


@dataclass(frozen=True)
class Rule:
    """A rule whose findings are made where a file is read (the YAML loader, a render,
    the walk of the folder): ``load`` and ``render`` scope. The module's docstring is
    the rule's documentation (what / why / example / fix)."""

    id: str
    severity: Severity
    docstring: str | None
    default: bool = True
    scope: ClassVar[Scope] = "load"

    @property
    def doc(self) -> str:
        return textwrap.dedent(self.docstring or "").strip()

    @property
    def summary(self) -> str:
        return self.doc.splitlines()[0].rstrip(".") if self.doc else self.id

    def at(self, path: str, pos: tuple[int, int], message: str) -> Finding:
        return Finding(path, pos[0], pos[1], self.id, self.severity, message)


@dataclass(frozen=True)
class RenderRule(Rule):
    """Findings made when a prompt is rendered (``render``, ``export``)."""

    scope: ClassVar[Scope] = "render"


@dataclass(frozen=True)
class TextRule(Rule):
    """Judges a file's text — even one that is not valid YAML — given its relative path,
    its text and the parsed document when there is one."""

    scope: ClassVar[Scope] = "text"
    check: Callable[[str, str, Document | None], Iterable[Finding]] = field(kw_only=True)


@dataclass(frozen=True)
class DocumentRule(Rule):
    """Judges one parsed file."""

    scope: ClassVar[Scope] = "document"
    check: Callable[[FileContext], Iterable[Finding]] = field(kw_only=True)


@dataclass(frozen=True)
class ProjectRule(Rule):
    """Judges the folder as a whole: versions, tags and names across files."""

    scope: ClassVar[Scope] = "project"
    check: Callable[[ProjectContext], Iterable[Finding]] = field(kw_only=True)


@dataclass(frozen=True)
class HistoryRule(Rule):
    """Judges the published state against the change (``check``, ``ci``)."""

    scope: ClassVar[Scope] = "history"
    check: Callable[[History], Iterable[Finding]] = field(kw_only=True)

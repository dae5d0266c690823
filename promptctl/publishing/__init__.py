"""``promptctl publish``: a prompt registry follows git.

git is the source of truth: what is published is what the base branch holds
(:func:`snapshot`). A registry numbers versions itself and never de-duplicates, so each
version promptctl writes carries promptctl's name, version, content sha256 and commit,
and :func:`plan` reads them back to decide what is missing. The plan is a list of steps
— create a version, point a label at one — that :func:`apply` runs in order; a run
that stops after any step leaves a state the next run completes, because the next
plan is made from what the registry then holds.

The registries are thin clients of their REST APIs, one module each
(:mod:`.mlflow`, :mod:`.phoenix`, :mod:`.langfuse`), behind :class:`Registry`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from promptctl.config import Settings
from promptctl.errors import PromptctlError
from promptctl.runtime import Prompt

MARK = re.compile(r"promptctl (?P<name>[a-z0-9/-]+)@(?P<version>\d+) sha256:(?P<sha>[0-9a-f]{64})")


class PublishFailed(PromptctlError):
    """The registry refused or did not answer: names the target and the step."""


class Unpublishable(PromptctlError):
    """A version the target cannot hold with the same meaning."""


@dataclass(frozen=True)
class Version:
    """One published version, as git holds it."""

    prompt: Prompt
    commit: str  # the base branch's commit

    @property
    def name(self) -> str:
        return self.prompt.name

    @property
    def number(self) -> int:
        return self.prompt.version

    @property
    def sha256(self) -> str:
        return self.prompt.sha256

    def mark(self) -> str:
        """The line that identifies this version in a registry's free text."""
        return f"promptctl {self.name}@{self.number} sha256:{self.sha256} git:{self.commit}"

    def tags(self) -> dict[str, str]:
        return {
            "promptctl.name": self.name,
            "promptctl.version": str(self.number),
            "promptctl.sha256": self.sha256,
            "promptctl.commit": self.commit,
        }


@dataclass
class Snapshot:
    base: str
    commit: str
    versions: dict[str, dict[int, Version]] = field(default_factory=dict)
    tags: dict[str, dict[str, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class Held:
    """A version the registry holds that promptctl wrote."""

    remote: str  # the registry's own id or number
    number: int  # promptctl's version
    sha256: str


@dataclass
class Remote:
    """What the registry holds for one prompt, in promptctl's terms."""

    versions: dict[int, Held] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)  # label -> remote id
    conflicts: list[str] = field(default_factory=list)  # why a held version is not git's

    def number_of(self, remote: str) -> int | None:
        return next((h.number for h in self.versions.values() if h.remote == remote), None)


@dataclass(frozen=True)
class Step:
    action: str  # "create" | "label" | "unlabel"
    name: str
    version: int | None = None
    label: str | None = None
    previous: int | None = None  # where the label pointed (promptctl's number), if anywhere

    def describe(self) -> str:
        if self.action == "create":
            return f"create v{self.version}"
        was = f"v{self.previous}" if self.previous is not None else "nothing"
        if self.action == "unlabel":
            return f"remove `{self.label}` (from {was})"
        return f"point `{self.label}` at v{self.version}" + (f" (was {was})" if self.previous is not None else "")

    def as_dict(self) -> dict[str, Any]:
        return {
            k: v
            for k, v in {"action": self.action, "version": self.version, "label": self.label, "previous": self.previous}.items()
            if v is not None
        }


class Registry(Protocol):
    target: str
    url: str

    def remote_name(self, name: str) -> str: ...
    def remote_label(self, tag: str) -> str: ...
    def check(self, version: Version) -> None: ...  # raises Unpublishable
    def read(self, name: str) -> Remote: ...
    def create(self, version: Version) -> str: ...  # the new version's remote id
    def set_label(self, name: str, label: str, remote: str) -> None: ...
    def remove_label(self, name: str, label: str, remote: str) -> None: ...


@dataclass
class PromptPlan:
    name: str
    remote_name: str
    steps: list[Step] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # versions the target cannot hold


def snapshot(settings: Settings, base: str | None, names: list[str] | None = None) -> Snapshot:
    """The published versions and tags: the base branch's prompts folder."""
    from promptctl.document import load, unreadable
    from promptctl.errors import UsageError
    from promptctl.history import published_tree
    from promptctl.layout import classify
    from promptctl.refs import valid_tags
    from promptctl.runtime import content_hash, prompt_from_data

    label, commit, files = published_tree(settings, base)
    snap = Snapshot(label, commit)
    for rel, raw in sorted(files.items()):
        where = classify(rel, settings.prompts_dir)
        if where.problem or not where.name or (names and where.name not in names):
            continue
        doc, findings = load(rel, raw, max_size=settings.max_file_size, max_depth=settings.max_depth)
        if doc is None or unreadable(findings):
            first = unreadable(findings) or findings[0]
            raise UsageError(f"{rel} on {label}: {first.message}", "a published file that cannot be read cannot be published")
        if where.kind == "version" and where.version:
            prompt = prompt_from_data(where.name, where.version, doc.data, content_hash(raw), rel, **settings.render_limits)
            snap.versions.setdefault(where.name, {})[where.version] = Version(prompt, commit)
        elif where.kind == "tags" and isinstance(doc.data, Mapping):
            snap.tags[where.name] = valid_tags(doc.data)
    missing = sorted(set(names or ()) - set(snap.versions))
    if missing:
        raise UsageError(
            f"no published prompt named {', '.join(f'`{m}`' for m in missing)} on {label}", "publish what is on the base branch"
        )
    return snap


def plan(snap: Snapshot, registry: Registry) -> list[PromptPlan]:
    plans = []
    for name, versions in sorted(snap.versions.items()):
        p = PromptPlan(name, registry.remote_name(name))
        for version in versions.values():
            try:
                registry.check(version)
            except Unpublishable as exc:
                p.refused.append(f"v{version.number}: {exc}")
        if p.refused:
            plans.append(p)
            continue
        remote = read(registry, name)
        p.conflicts = list(remote.conflicts)
        for number, version in sorted(versions.items()):
            held = remote.versions.get(number)
            if held is None:
                p.steps.append(Step("create", name, number))
            elif held.sha256 != version.sha256:
                p.conflicts.append(f"v{number} in {registry.target} is not git's (sha256 {held.sha256[:12]}, git {version.sha256[:12]})")
        if p.conflicts:
            p.steps = []  # never write next to a version someone edited: report it
            plans.append(p)
            continue
        wanted = {registry.remote_label(tag): number for tag, number in snap.tags.get(name, {}).items() if number in versions}
        for label, number in sorted(wanted.items()):
            current = remote.number_of(remote.labels[label]) if label in remote.labels else None
            if current != number:
                p.steps.append(Step("label", name, number, label, current))
        for label, remote_id in sorted(remote.labels.items()):
            on = remote.number_of(remote_id)
            if label not in wanted and on is not None:  # only labels on versions promptctl wrote
                p.steps.append(Step("unlabel", name, None, label, on))
        plans.append(p)
    return plans


def apply(snap: Snapshot, registry: Registry, plans: list[PromptPlan], *, log: Callable[[PromptPlan, Step], None] | None = None) -> None:
    """Run each plan's steps in order. A create that fails without an answer (a timeout)
    may have been written: the registry is read again before it is retried."""
    from promptctl.httpjson import HttpFailed

    for p in plans:
        remote: Remote | None = None
        for step in p.steps:
            try:
                if step.action == "create":
                    assert step.version is not None
                    _create(registry, snap.versions[step.name][step.version])
                    remote = None
                else:
                    remote = remote or registry.read(step.name)
                    assert step.label is not None
                    if step.action == "label":
                        assert step.version is not None
                        registry.set_label(step.name, step.label, remote.versions[step.version].remote)
                    else:
                        registry.remove_label(step.name, step.label, remote.labels[step.label])
            except HttpFailed as exc:
                raise PublishFailed(
                    f"{registry.target} at {registry.url}: {step.name}: {step.describe()} failed: {exc.reason}",
                    "nothing else was written after it; run publish again to complete",
                ) from None
            if log is not None:
                log(p, step)


def _create(registry: Registry, version: Version, attempts: int = 3) -> None:
    """Create a version exactly once: a registry does not de-duplicate, so after a
    failure without an answer it is read again before the create is retried."""
    import time

    from promptctl.httpjson import HttpFailed

    for attempt in range(attempts):
        try:
            registry.create(version)
            return
        except HttpFailed as exc:
            if not exc.retriable or attempt == attempts - 1:
                raise
            time.sleep(0.5 * 2**attempt)
            if version.number in registry.read(version.name).versions:
                return


def read(registry: Registry, name: str) -> Remote:
    """What the registry holds for ``name``; a failure names the target and the step."""
    from promptctl.httpjson import HttpFailed

    try:
        return registry.read(name)
    except HttpFailed as exc:
        raise PublishFailed(
            f"{registry.target} at {registry.url}: reading `{name}` failed: {exc.reason}", "check the URL and the credentials"
        ) from None

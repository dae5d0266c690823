"""The lint run: files -> findings, as data.

Each file is judged on its own by :func:`lint_file` — a pure function of its path, its
bytes and the settings, so results can be cached by content and computed in parallel —
then project rules (``version-gap`` ...) look across files, and the configured
select/ignore lists filter the result.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from pathlib import Path

from promptctl.config import Settings
from promptctl.document import decode, load
from promptctl.errors import PromptctlError, UsageError
from promptctl.findings import Finding, Report
from promptctl.layout import PromptPath, classify, discover
from promptctl.rules import REGISTRY, canonical
from promptctl.rules.base import FileContext, FileFacts, ProjectContext
from promptctl.rules.secret import redact_source


def lint_file(rel: str, raw: bytes, settings: Settings) -> tuple[list[Finding], FileFacts]:
    """Every per-file finding for one file (unfiltered), and the facts project rules need."""
    where = classify(rel, settings.prompts_dir)
    doc, findings = load(rel, raw, max_size=settings.max_file_size, max_depth=settings.max_depth)
    if len(raw) <= settings.max_file_size:
        text, _ = decode(raw, rel)
        if text is not None:
            for rule in TEXT_RULES:
                assert rule.check is not None
                findings.extend(rule.check(rel, text, doc))
    tags = None
    positions: dict[str, tuple[int, int]] = {}
    model: str | None = None
    fallback_models: tuple[str, ...] = ()
    owners: tuple[str, ...] = ()
    if doc is None:
        if where.problem:
            findings.append(REGISTRY["filename"].at(rel, (1, 1), where.problem))
    else:
        ctx = FileContext(doc, where, settings)
        for rule in REGISTRY.values():
            if rule.scope == "document" and rule.check is not None:
                findings.extend(rule.check(ctx))
        if where.kind == "tags":
            tags = dict(doc.data)
            positions = {str(tag): doc.value_position((tag,)) for tag in tags}
        else:
            data = doc.data
            model = data["model"] if isinstance(data.get("model"), str) else None
            fallback_models = tuple(m for _, m in ctx.models())[1 if model else 0:]
            owners = tuple(o for o in data.get("owners") or [] if isinstance(o, str)) if isinstance(data.get("owners"), list) else ()
    return findings, FileFacts(rel, where.kind, where.name, where.version, tags, positions, model, fallback_models, owners)


TEXT_RULES = [rule for rule in REGISTRY.values() if rule.scope == "text"]


def enabled_rules(settings: Settings) -> set[str]:
    if settings.select is not None:
        chosen = set(REGISTRY) if "ALL" in settings.select else {canonical(r) for r in settings.select}
    else:
        chosen = {rule.id for rule in REGISTRY.values() if rule.default}
    chosen |= {canonical(r) for r in settings.extend_select}
    chosen -= {canonical(r) for r in settings.ignore}
    return chosen


def filter_findings(findings: Iterable[Finding], settings: Settings) -> list[Finding]:
    enabled = enabled_rules(settings)
    per_file = [(glob, {canonical(r) for r in rules}) for glob, rules in settings.per_file_ignores]
    kept = []
    for f in findings:
        if f.rule not in enabled:
            continue
        if any(f.rule in rules and fnmatch.fnmatch(f.path, glob) for glob, rules in per_file):
            continue
        kept.append(f)
    return kept


def read_bytes(settings: Settings, rel: str) -> bytes:
    path = Path(rel) if Path(rel).is_absolute() else settings.root / rel
    try:
        return path.read_bytes()
    except OSError as exc:
        raise PromptctlError(f"{rel}: cannot read: {exc.strerror or exc}", "check that the file exists and is readable") from None


def lint(settings: Settings, paths: list[Path] | None = None) -> Report:
    if paths:
        for p in paths:
            if not p.exists() and not p.is_symlink():
                raise UsageError(f"no such file or folder: {p}", "check the path")
    elif not settings.prompts_path.is_dir():
        raise UsageError(
            f"no prompts folder `{settings.prompts_dir}` in {settings.root}",
            "run `promptctl init`, or set `prompts_dir` in the configuration",
        )
    found = discover(settings, paths)
    findings: list[Finding] = []
    facts: dict[str, FileFacts] = {}
    sources: dict[str, str] = {}
    for rel in found.files:
        raw = read_bytes(settings, rel)
        file_findings, facts[rel] = lint_file(rel, raw, settings)
        if file_findings:
            findings.extend(file_findings)
            sources[rel] = redact_source(raw.decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "\n"), file_findings)
    for rel in found.special:
        findings.append(REGISTRY["yaml-syntax"].at(rel, (1, 1), f"`{rel}` is not a regular file (a pipe, socket or device); it is not read"))
    for link in found.symlinks:
        findings.append(REGISTRY["symlink"].at(link, (1, 1), f"`{link}` is a symbolic link; promptctl never follows links"))
    findings.extend(project_findings(settings, facts))
    return Report(filter_findings(findings, settings), files_checked=len(found.files), root=str(settings.root), sources=sources)


def project_findings(settings: Settings, facts: dict[str, FileFacts]) -> list[Finding]:
    everything = discover(settings).files if settings.prompts_path.is_dir() else []
    all_paths: dict[str, PromptPath] = {rel: classify(rel, settings.prompts_dir) for rel in everything}
    for rel in facts:
        all_paths.setdefault(rel, classify(rel, settings.prompts_dir))
    project = ProjectContext(settings, sorted(all_paths.values(), key=lambda p: p.rel), facts, set(facts))
    findings: list[Finding] = []
    for rule in REGISTRY.values():
        if rule.scope == "project" and rule.check is not None:
            findings.extend(rule.check(project))
    return findings

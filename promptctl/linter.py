"""The lint run: files -> findings, as data.

Each file is judged on its own by :func:`lint_file` — a pure function of its path, its
bytes and the settings, so results can be cached by content and computed in parallel —
then project rules (``version-gap`` ...) look across files, and the configured
select/ignore lists filter the result.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import os
import sys
from collections.abc import Iterator
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from promptctl.config import Settings
from promptctl.errors import PromptctlError, UsageError
from promptctl.findings import Finding, Report, finding_from_row
from promptctl.layout import YAML_SUFFIXES, Discovery, PromptPath, classify, discover
from promptctl.redaction import SECRET_RULE, is_escaped, redact_source

if TYPE_CHECKING:
    from promptctl.rules.base import DocumentRule, FileFacts, TextRule

# The rules, the YAML loader and the suppressions are imported where a file is linted:
# a warm run of an unchanged folder (the run memo) and the commands that only list or
# show never need them.


@functools.cache
def _file_rules() -> tuple[list[TextRule], list[DocumentRule], set[str]]:
    """The rules that judge a file's text, those that judge its document, and the ids a
    comment in a file may suppress (rules that judge that file alone)."""
    from promptctl.rules import REGISTRY
    from promptctl.rules.base import DocumentRule, TextRule

    text = [rule for rule in REGISTRY.values() if isinstance(rule, TextRule)]
    document = [rule for rule in REGISTRY.values() if isinstance(rule, DocumentRule)]
    scoped = {rule.id for rule in REGISTRY.values() if rule.scope in ("load", "text", "document", "render")} - {"unused-suppression"}
    return text, document, scoped


def lint_file(rel: str, raw: bytes, settings: Settings) -> tuple[list[Finding], FileFacts]:
    """Every per-file finding for one file (unfiltered), and the facts project rules need."""
    from promptctl import suppressions
    from promptctl.document import decode, load
    from promptctl.rules import REGISTRY
    from promptctl.rules.base import FileContext, FileFacts

    text_rules, document_rules, file_scoped = _file_rules()
    where = classify(rel, settings.prompts_dir)
    doc, findings = load(rel, raw, max_size=settings.max_file_size, max_depth=settings.max_depth)
    if len(raw) <= settings.max_file_size:
        text = doc.text if doc is not None else decode(raw, rel)[0]
        if text is not None:
            for text_rule in text_rules:
                findings.extend(text_rule.check(rel, text, doc))
    secret = any(f.rule == SECRET_RULE for f in findings)  # before suppressions: the quotes must be masked
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
        for rule in document_rules:
            findings.extend(rule.check(ctx))
        findings, unused = suppressions.apply(rel, doc, findings, set(REGISTRY), file_scoped)
        findings.extend(unused)
        if where.kind == "tags":
            tags = dict(doc.data)
            positions = {str(tag): doc.value_position((tag,)) for tag in tags}
        else:
            data = doc.data
            model = data["model"] if isinstance(data.get("model"), str) else None
            fallback_models = tuple(m for _, m in ctx.models())[1 if model else 0 :]
            owners = tuple(o for o in data.get("owners") or [] if isinstance(o, str)) if isinstance(data.get("owners"), list) else ()
    return findings, FileFacts(
        rel, where.kind, where.name, where.version, tags, positions, model, fallback_models, owners, where.layout, secret
    )


def read_bytes(settings: Settings, rel: str) -> bytes:
    path = _absolute(settings, rel)
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError as exc:
        raise PromptctlError(f"{rel}: cannot read: {exc.strerror or exc}", "check that the file exists and is readable") from None


@functools.cache
def _fact_fields() -> list[str]:
    from promptctl.rules.base import FileFacts

    return [f.name for f in fields(FileFacts)][1:]  # all but rel, positionally


def _encode(findings: list[Finding], facts: FileFacts, raw: bytes) -> list[Any]:
    """A file's result as cached: its findings, its facts, and the (redacted) source
    lines its findings quote — taken here, where the text is at hand, so the report
    never reads the file again."""
    quotes: list[list[Any]] = []
    if findings:
        text = raw.decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "\n")
        # The secret scan has read this very text: when it found nothing, masking finds nothing.
        lines = (redact_source(text, findings) if facts.secret or "PRIVATE KEY" in text else text).split("\n")
        quotes = [[line, lines[line - 1]] for line in sorted({f.line for f in findings}) if 1 <= line <= len(lines)]
    return [
        [[f.line, f.column, f.rule, f.severity.value, f.message] for f in findings],
        [getattr(facts, name) for name in _fact_fields()],
        quotes,
    ]


def _quotes(rel: str, payload: list[Any]) -> dict[tuple[str, int], str]:
    return {(rel, line): text for line, text in payload[2]}


def _decode(rel: str, payload: list[Any]) -> tuple[list[Finding], FileFacts]:
    from promptctl.rules.base import FileFacts

    raw_findings, values, _ = payload
    findings = [finding_from_row(rel, line, col, rule, sev, msg) for line, col, rule, sev, msg in raw_findings]
    kind, name, version, tags, positions, model, fallbacks, owners, layout, secret = values
    return findings, FileFacts(
        rel,
        kind,
        name,
        version,
        tags,
        {k: tuple(v) for k, v in positions.items()} if positions else {},
        model,
        tuple(fallbacks),
        tuple(owners),
        layout,
        secret,
    )


def _lint_paths(settings: Settings, rels: list[str]) -> tuple[list[tuple[str, str, list[Any]]], dict[str, Any]]:
    """Lint files by path (in a worker process, or inline): (rel, digest, encoded result)."""
    from promptctl import models

    out = []
    for rel in rels:
        raw = read_bytes(settings, rel)
        findings, facts = lint_file(rel, raw, settings)
        out.append((rel, hashlib.sha256(raw).hexdigest(), _encode(findings, facts, raw)))
    return out, models.memo(only_fresh=True)


_forked_settings: Settings | None = None  # what workers forked from this process lint with


def _lint_chunk(rels: list[str]) -> tuple[list[tuple[str, str, list[Any]]], dict[str, Any]]:
    assert _forked_settings is not None
    return _lint_paths(_forked_settings, rels)


PARALLEL_THRESHOLD = 200
SMALL_RUN = 64
_CHUNK = 64


def _warm_up_before_fork(settings: Settings) -> None:
    """Load, once and before forking, what every worker would otherwise load for
    itself: the workers share these pages (less memory) and skip the work (less time)."""
    from promptctl import models
    from promptctl.schema import fast_validator
    from promptctl.templating import render_environment

    fast_validator("prompt")
    fast_validator("tags")
    render_environment()
    import yaml  # noqa: F401

    if not models.memo():
        models.catalogue()
    gc.freeze()  # keep the collector from touching (and so copying) the shared pages


def _worker_init() -> None:
    """Workers keep the collector on, or garbage with cycles piles up: a template that
    Jinja2 renders to an error leaves a traceback cycle behind (the parent pauses it
    while it gathers results: :func:`_collector_paused`). The everyday path leaves no
    cycle (a test holds that), so collecting at the usual pace of 700 allocations
    finds little: every 5,000, the collector's share of a worker's time on the `jinja`
    corpus goes from 3–4% to 2% (measured with ``gc.callbacks``)."""
    gc.enable()
    gc.set_threshold(5000, 20, 20)


def _run(settings: Settings, items: list[tuple[str, os.stat_result]]) -> list[tuple[str, os.stat_result, str, list[Any]]]:
    """Lint the files not in the cache, on every core when there are many of them.
    Output stays deterministic: results are sorted later, whatever order they arrive in.
    Workers are forked with the settings and get only paths: nothing else crosses the
    process boundary but the results."""
    global _forked_settings
    from promptctl import models

    stats = dict(items)
    rels = [rel for rel, _ in items]
    workers = min(os.cpu_count() or 1, 4)

    def inline() -> list[tuple[str, os.stat_result, str, list[Any]]]:
        results, _ = _lint_paths(settings, rels)
        return [(rel, stats[rel], digest, payload) for rel, digest, payload in results]

    if len(items) < PARALLEL_THRESHOLD or workers < 2 or sys.platform == "win32":
        return inline()
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    try:
        context = multiprocessing.get_context("fork")
    except ValueError:  # pragma: no cover - no fork on this platform
        return inline()
    _warm_up_before_fork(settings)
    chunks = [rels[i : i + _CHUNK] for i in range(0, len(rels), _CHUNK)]
    out: list[tuple[str, os.stat_result, str, list[Any]]] = []
    _forked_settings = settings
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_worker_init) as pool:
            for chunk_results, fresh in pool.map(_lint_chunk, chunks):
                out.extend((rel, stats[rel], digest, payload) for rel, digest, payload in chunk_results)
                models.preload(fresh, fresh=True)
    finally:
        _forked_settings = None
        gc.unfreeze()  # the caller's process is as it was
    return out


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """A lint of a folder builds hundreds of thousands of small objects — results,
    findings, quotes — and frees almost none of them before it ends: the cyclic
    collector would walk the growing heap again and again, for nothing (on 20,000 files,
    half the time spent outside the workers). It is paused for the run, and restored
    as it was; workers turn it back on (:func:`_worker_init`)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def lint(settings: Settings, paths: list[Path] | None = None, *, use_cache: bool = True) -> Report:
    with _collector_paused():
        return _lint(settings, paths, use_cache=use_cache)


def _lint(settings: Settings, paths: list[Path] | None, *, use_cache: bool) -> Report:
    from promptctl.cache import LintCache, RunMemo, load_models, save_models

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
    # A handful of files (the pre-commit hook) is faster to lint than the cache of the
    # whole folder is to read; model facts have a small cache of their own.
    caching = use_cache and len(found.files) >= SMALL_RUN
    memo = RunMemo(settings, found) if caching and not paths else None
    if memo is not None:
        remembered = memo.load()
        if remembered is not None:  # nothing changed since the last run of the folder
            return Report(remembered[0], files_checked=len(found.files), root=str(settings.root), quotes=remembered[2])
    from promptctl import models

    cache = LintCache(settings, enabled=caching)
    if use_cache:
        models.preload(load_models())
    results: dict[str, tuple[list[Finding], FileFacts]] = {}
    quotes: dict[tuple[str, int], str] = {}
    misses: list[tuple[str, os.stat_result]] = []
    for rel in found.files:
        stat = found.stats[rel]
        cached, _ = cache.lookup(rel, stat, None)
        if cached is None:
            misses.append((rel, stat))
            continue
        try:
            results[rel] = _decode(rel, cached)
            quotes.update(_quotes(rel, cached))
        except (TypeError, ValueError, KeyError, AttributeError):
            misses.append((rel, stat))  # not cached, or a damaged entry
    for rel, stat, digest, payload in _run(settings, misses):
        results[rel] = _decode(rel, payload)
        quotes.update(_quotes(rel, payload))
        cache.store(rel, stat, digest, payload)
    from promptctl.rules import REGISTRY, filter_findings

    findings = [f for file_findings, _ in results.values() for f in file_findings]
    # Source lines of an escaped secret are cut when quoted, even if `secret` is ignored.
    redactions = [f for f in findings if is_escaped(f)]
    for rel in found.special:
        findings.append(
            REGISTRY["yaml-syntax"].at(rel, (1, 1), f"`{rel}` is not a regular file (a pipe, socket or device); it is not read")
        )
    for link in found.symlinks:
        findings.append(REGISTRY["symlink"].at(link, (1, 1), f"`{link}` is a symbolic link; promptctl never follows links"))
    facts = {rel: f for rel, (_, f) in results.items()}
    findings.extend(project_findings(settings, facts, whole=not paths, everything=found.files if not paths else None))
    if use_cache and models.memo(only_fresh=True):
        save_models(models.memo())
    cache.save(keep=set(found.files) if not paths else None)
    kept = filter_findings(findings, settings)
    report = _report(settings, found, kept, redactions, quotes)
    if memo is not None:
        memo.save(kept, redactions, report.quotes)
    return report


def lint_text(settings: Settings, path: str, raw: bytes) -> Report:
    """Lint text that is not on disk yet (an editor's buffer, `lint -`) as the file at
    ``path``: every rule that judges one file; rules across files need the folder."""
    from promptctl.layout import relative
    from promptctl.rules import filter_findings

    rel = relative(settings, Path(path))
    findings, facts = lint_file(rel, raw, settings)
    return Report(
        filter_findings(findings, settings), files_checked=1, root=str(settings.root), quotes=_quotes(rel, _encode(findings, facts, raw))
    )


def _report(
    settings: Settings, found: Discovery, findings: list[Finding], redactions: list[Finding], quotes: dict[tuple[str, int], str]
) -> Report:
    """The report, with the (redacted) source line of each finding to quote: the lines
    the files' results carry; a file is read again only for a finding made across files
    (a version gap, a tag) on a line its own result did not quote."""
    by_file: dict[str, list[Finding]] = {}
    for f in [*findings, *redactions]:
        by_file.setdefault(f.path, []).append(f)
    kept: dict[tuple[str, int], str] = {}
    for rel, file_findings in sorted(by_file.items()):
        if rel not in found.stats:  # a pipe or a link: never read
            continue
        if any((rel, f.line) not in quotes for f in file_findings):
            text = read_bytes(settings, rel).decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "\n")
            lines = redact_source(text, file_findings).split("\n")
            for f in file_findings:
                if 1 <= f.line <= len(lines):
                    kept[(rel, f.line)] = lines[f.line - 1]
        else:
            for f in file_findings:
                kept[(rel, f.line)] = quotes[(rel, f.line)]
    return Report(findings, files_checked=len(found.files), root=str(settings.root), quotes=kept)


def _absolute(settings: Settings, rel: str) -> str:
    return rel if os.path.isabs(rel) else os.path.join(settings.root, rel)


def project_findings(
    settings: Settings, facts: dict[str, FileFacts], whole: bool = True, everything: list[str] | None = None
) -> list[Finding]:
    """Rules across files. Linting the whole folder, they see every file; linting a few
    (the pre-commit hook), only the folders those files are in, which is all that
    versions, tags and collisions of their prompts can involve."""
    if everything is not None:
        pass
    elif not settings.prompts_path.is_dir():
        everything = []
    elif whole:
        everything = discover(settings).files
    else:
        # Only the entries that can concern the linted files: the same prompt's versions
        # and tags, and names equal but for case. String prefixes, no full classify: a
        # flat folder can hold tens of thousands of files.
        wanted: dict[str, set[str]] = {}
        for rel, f in facts.items():
            folder_rel, _, filename = rel.rpartition("/")
            stem = (f.name.rsplit("/", 1)[-1] if f.name and f.kind in ("version", "tags") else filename).lower()
            if f.layout == "nested" and f.name:
                nested = f"{settings.prompts_dir}/{f.name}"
                wanted.setdefault(nested, set()).add("")
                parent, _, last = nested.rpartition("/")
                wanted.setdefault(parent, set()).add(last.lower())
            wanted.setdefault(folder_rel, set()).add(stem)
        everything = []
        root = str(settings.root)
        for folder_rel, prefixes in sorted(wanted.items()):
            try:
                entries = list(os.scandir(os.path.join(root, folder_rel)))
            except OSError:
                continue
            for entry in entries:
                lowered = entry.name.lower()
                if (
                    not entry.name.startswith(".")
                    and (not lowered.isascii() or any(lowered.startswith(p) for p in prefixes))
                    and entry.name.endswith(YAML_SUFFIXES)
                    and entry.is_file(follow_symlinks=False)
                ):
                    everything.append(f"{folder_rel}/{entry.name}" if folder_rel else entry.name)
            everything.sort()
    # Linted files are described by their facts (no need to classify them again).
    all_paths: dict[str, PromptPath] = {
        rel: (
            PromptPath(rel, facts[rel].kind, facts[rel].name, facts[rel].version)  # type: ignore[arg-type]
            if rel in facts
            else classify(rel, settings.prompts_dir)
        )
        for rel in everything
    }
    for rel in facts:
        if rel not in all_paths:
            all_paths[rel] = classify(rel, settings.prompts_dir)
    from promptctl.rules import REGISTRY, enabled_rules
    from promptctl.rules.base import ProjectContext, ProjectRule

    project = ProjectContext(settings, sorted(all_paths.values(), key=lambda p: p.rel), facts, set(facts))
    findings: list[Finding] = []
    enabled = enabled_rules(settings)
    for rule in REGISTRY.values():
        if isinstance(rule, ProjectRule) and rule.id in enabled:
            findings.extend(rule.check(project))
    return findings

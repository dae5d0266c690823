"""Published vs current: the (previous, current) pairs that ``check`` judges.

A version is *published* once it exists on the base branch. The baseline is the
merge-base of the judged snapshot and the base branch (three-dot: a stale branch never
sees main's newer files as deletions); on the base branch itself it is HEAD. The
judged snapshot is the index (``--staged``, what will be committed) or a commit
(``--base REF``, default HEAD). Content always comes from git blobs, never from the
work tree, so ``core.autocrlf`` conversions are no false alarm.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from promptctl.config import CONFIG_FILES, Settings, parse_toml, promptctl_table, settings_from_table
from promptctl.errors import GitError
from promptctl.findings import Finding, Report
from promptctl.git import GITLINK_MODE, SYMLINK_MODE, ZERO, Entry, Git
from promptctl.layout import PromptPath, classify


@dataclass(frozen=True)
class Side:
    """One side of a pair: the path relative to the project root, and its blob."""

    path: str
    entry: Entry
    where: PromptPath

    @property
    def label(self) -> str:
        """``name@version`` for a version file, else its path."""
        return f"{self.where.name}@{self.where.version}" if self.where.name else self.path


@dataclass(frozen=True)
class Pair:
    previous: Side | None  # published (in the baseline); None for a new file
    current: Side | None  # judged snapshot; None for a deleted file


@dataclass
class Baseline:
    commit: str | None  # None: no commits yet, everything is new
    label: str


# What judges history. The change under review must not configure its own judge, so
# these keys are read from the configuration at the baseline; a change to them shows up
# as a `config-change` finding and takes effect once it is published.
JUDGE_KEYS = ("prompts_dir", "layout", "base_branch", "channels", "select", "extend_select", "ignore", "per_file_ignores")


@dataclass(frozen=True)
class TagChange:
    """A published tag whose value changes (``after`` None: the tag is removed)."""

    name: str
    tag: str
    before: Any
    after: Any  # None: the tag was removed
    path: str  # where a finding goes
    position: tuple[int, int]


@dataclass(frozen=True)
class ConfigChange:
    key: str
    published: object
    proposed: object


@dataclass
class History:
    """Everything history rules look at."""

    settings: Settings  # the published (baseline) configuration for JUDGE_KEYS
    baseline: Baseline
    pairs: list[Pair]
    published: dict[str, set[int]]  # prompt name -> published version numbers
    config_path: str = ""  # the configuration file judged, relative to the project root
    config_changes: list[ConfigChange] = field(default_factory=list)
    blobs: dict[str, bytes] = field(default_factory=dict)
    added_by_blob: dict[str, list[str]] = field(default_factory=dict)
    removed_by_blob: dict[str, list[str]] = field(default_factory=dict)
    _tag_changes: list[TagChange] | None = field(default=None, repr=False)
    # published links whose target (outside the folder) the change alters: (link, target)
    retargeted: list[tuple[str, str]] = field(default_factory=list)

    def content(self, side: Side) -> bytes:
        return self.blobs.get(side.entry.sha, b"")

    def tag_changes(self) -> list[TagChange]:
        """Every published tag whose value the judged snapshot changes or removes."""
        if self._tag_changes is not None:
            return self._tag_changes
        from promptctl.tagsfile import parse_tags, tag_differences

        changes: list[TagChange] = []
        for pair in self.pairs:
            prev, cur = pair.previous, pair.current
            if prev is None or prev.where.kind != "tags":
                continue
            before, _, _ = parse_tags(prev.path, self.content(prev))
            if not before:
                continue
            name = prev.where.name or prev.path
            after, doc = None, None
            if cur is not None and cur.where.kind == "tags":
                after, _, doc = parse_tags(cur.path, self.content(cur))
                if after is None:
                    continue  # unreadable: the check reports its yaml findings
            for tag, old, new in tag_differences(before, after):
                if old is None:
                    continue  # a new tag: nothing published changes
                where = cur.path if doc is not None and cur is not None else prev.path
                position = doc.position((tag,)) if doc is not None and tag in (after or {}) else (1, 1)
                changes.append(TagChange(name, tag, old, new, where, position))
        self._tag_changes = changes
        return changes

    def changed_paths(self) -> set[str]:
        """The files the judged snapshot adds or modifies (relative to the project root)."""
        return {p.current.path for p in self.pairs if p.current is not None and (p.previous is None or p.previous.entry != p.current.entry)}

    def removed_versions(self) -> list[Side]:
        """Published version files that are gone from the judged snapshot (deleted or renamed)."""
        return [p.previous for p in self.pairs if p.previous is not None and p.current is None and p.previous.where.kind == "version"]


# A remote-tracking branch first: published means pushed, so a commit on a local `main`
# that was never pushed is still a draft.
_BASE_CANDIDATES = ("origin/main", "origin/master", "main", "master")


def _default_base(git: Git, settings: Settings, known: dict[str, str] | None = None) -> str:
    if settings.base_branch:
        # Published means "on the remote's base branch" when there is one: a commit on
        # the local branch that was never pushed is still a draft.
        name = settings.base_branch
        tracking = f"origin/{name}"
        if "/" not in name and ((known is not None and tracking in known) or git.resolve(tracking)):
            return tracking
        return name
    if known is not None:
        remote = known.get("origin/HEAD ->")
        if remote and remote in known:
            return remote
        for candidate in _BASE_CANDIDATES:
            if candidate in known:
                return candidate
    else:
        remote = git.remote_default_branch()
        if remote and git.resolve(remote):
            return remote
        for candidate in _BASE_CANDIDATES:
            if git.resolve(candidate):
                return candidate
    raise GitError(
        "cannot tell the base branch: there is no origin/HEAD, main or master",
        "set `base_branch` in the configuration, or pass --base REF",
    )


def pre_push_refs(settings: Settings, env: dict[str, str]) -> tuple[str | None, str]:
    """(base, head) for pre-commit's pre-push stage, from what pre-commit passes. A push
    to the base branch is judged against what the remote has (PRE_COMMIT_FROM_REF):
    the local `main` is the pushed commit itself and would judge nothing. Any other
    push is judged against the remote's copy of the base branch when there is one."""
    head = env["PRE_COMMIT_TO_REF"]
    from_ref = env.get("PRE_COMMIT_FROM_REF", "")
    remote = env.get("PRE_COMMIT_REMOTE_NAME", "origin")
    branch = env.get("PRE_COMMIT_REMOTE_BRANCH", "").removeprefix("refs/heads/")
    with Git(settings.root) as git:
        base_name = (settings.base_branch or _default_base(git, settings)).removeprefix(f"{remote}/").removeprefix("origin/")
        if branch == base_name and from_ref and from_ref.strip("0") and git.resolve(from_ref):
            return from_ref, head
        tracking = f"{remote}/{base_name}"
        return (tracking if git.resolve(tracking) else None), head


def changed_files(settings: Settings, base: str | None) -> set[str]:
    """What the current work adds or changes against its merge-base with ``base`` (the
    base branch when None), uncommitted and untracked files included: the files that
    `lint --base` judges. Paths are relative to the project root."""
    with Git(settings.root) as git:
        git.toplevel()
        baseline, _ = _baseline(git, settings, False, base, None)
        prefix = git.prefix(settings.root)
        folder = "/".join(p for p in (prefix, settings.prompts_dir) if p)
        found = git.changed_in_work_tree(baseline.commit, folder)
        return {p[len(prefix) + 1 :] if prefix else p for p in found}


def published_bytes(settings: Settings, paths: list[str], base: str | None = None) -> tuple[str, dict[str, bytes]]:
    """(the baseline's label, the published bytes of those of ``paths`` — relative to the
    project root — that the baseline has), judged as `check --staged` judges the index."""
    with Git(settings.root) as git:
        git.toplevel()
        baseline, _ = _baseline(git, settings, True, base, None)
        if baseline.commit is None:
            return baseline.label, {}
        prefix = git.prefix(settings.root)
        full = {(f"{prefix}/{p}" if prefix else p): p for p in paths}
        ids = git.blob_ids(baseline.commit, list(full))
        blobs = git.read_blobs(list(ids.values()))
        return baseline.label, {full[path]: blobs[sha] for path, sha in ids.items() if sha in blobs}


def base_ref(settings: Settings) -> str:
    """The ref that holds what is published: the configured base branch (its remote
    copy when there is one), else the remote's default branch, main or master."""
    with Git(settings.root) as git:
        git.toplevel()
        return _default_base(git, settings)


def published_tree(settings: Settings, base: str | None = None) -> tuple[str, str, dict[str, bytes]]:
    """(the base's name, its commit, every file under the prompts folder there by path
    relative to the project root): what is published, whatever is checked out."""
    with Git(settings.root) as git:
        git.toplevel()
        ref = base or _default_base(git, settings)
        commit = git.resolve(ref)
        if commit is None:
            raise _unknown_ref(git, ref)
        prefix = git.prefix(settings.root)
        folder = "/".join(p for p in (prefix, settings.prompts_dir) if p)
        entries = {c.path: c.new.sha for c in git.diff_trees(None, commit, folder) if c.new is not None and c.new.mode != "120000"}
        blobs = git.read_blobs(list(entries.values()))
        files = {(path[len(prefix) + 1 :] if prefix else path): blobs[sha] for path, sha in entries.items() if sha in blobs}
        return ref, commit, files


def _unknown_ref(git: Git, ref: str) -> GitError:
    if git.is_shallow():
        return GitError(
            f"base ref `{ref}` is not in this shallow clone",
            f"fetch it (`git fetch origin {ref.removeprefix('origin/')}`), or check out with `fetch-depth: 0`",
        )
    return GitError(f"git does not know the base ref `{ref}`", "fetch it, or check its name (`git branch -a`)")


def _merge_base(git: Git, base_sha: str, head_sha: str, base: str) -> str:
    found = git.merge_base(base_sha, head_sha)
    if found is None:
        hint = (
            "the clone is shallow: fetch more history, or check out with `fetch-depth: 0`"
            if git.is_shallow()
            else "they share no history; pass the right --base"
        )
        raise GitError(f"`{base}` and the judged commit have no merge base", hint)
    return found


def _staged_base(git: Git, settings: Settings, base: str | None) -> tuple[Baseline, str | None]:
    head, branch, known = git.state()
    if head is None:
        return Baseline(None, "no commits yet: everything is new"), None
    ref = base or _default_base(git, settings, known)
    base_sha = known.get(ref) or git.resolve(ref)
    if base_sha is None:
        raise _unknown_ref(git, ref)
    if base_sha == head or (branch is not None and ref == branch):
        # On the base branch itself everything committed is published.
        return Baseline(head, f"HEAD ({head[:10]}, on the base branch `{ref}`)"), head
    merging = git.merge_heads()
    if merging:
        # What the merge commit will have published: main's newer versions come in with it.
        mb = git.merge_base(base_sha, head, *merging) or _merge_base(git, base_sha, head, ref)
        return Baseline(mb, f"merge-base of the merge in progress and `{ref}` ({mb[:10]})"), head
    mb = _merge_base(git, base_sha, head, ref)
    return Baseline(mb, f"merge-base of HEAD and `{ref}` ({mb[:10]})"), head


def published_settings(git: Git, settings: Settings, commit: str | None) -> tuple[Settings, str, list[ConfigChange]]:
    """The settings that judge history: ``settings`` with its root and JUDGE_KEYS taken
    from the configuration committed at ``commit``, found as ``load_settings`` finds it
    (the nearest file from the working directory up to the top of the work tree); the
    working config file's path; and what the working configuration changes in them."""
    config_rel = Path(os.path.relpath(settings.config_path, settings.root)).as_posix() if settings.config_path else "pyproject.toml"
    if commit is None:
        return settings, config_rel, []  # no commits yet: nothing is published
    top = git.toplevel().resolve()
    cwd = (settings.start or Path.cwd()).resolve()
    start = cwd if cwd == top or top in cwd.parents else settings.root.resolve()
    folders = [start, *(p for p in start.parents if p == top or top in p.parents)]
    candidates = [(folder, name, Path(os.path.relpath(folder / name, top)).as_posix()) for folder in folders for name in CONFIG_FILES]
    ids = git.blob_ids(commit, [rel for _, _, rel in candidates])
    blobs = git.read_blobs(list(ids.values()))
    table: dict[str, object] = {}
    root, path = top, None
    for folder, name, rel in candidates:
        if rel in ids:
            where = f"{rel} at the baseline ({commit[:10]})"
            found = promptctl_table(name, parse_toml(blobs[ids[rel]], where), where)
            if found is not None:
                table, root, path = found, folder, folder / name
                break
    published = settings_from_table(dict(table), root=root, path=path, where=f"{path or 'configuration'} at the baseline")
    judged = replace(settings, root=root, **{k: getattr(published, k) for k in JUDGE_KEYS})
    changes = [
        ConfigChange(k, getattr(published, k), getattr(settings, k)) for k in JUDGE_KEYS if getattr(published, k) != getattr(settings, k)
    ]
    if root != settings.root.resolve():
        changes.insert(
            0,
            ConfigChange(
                "project folder",
                Path(os.path.relpath(root, top)).as_posix(),
                Path(os.path.relpath(settings.root.resolve(), top)).as_posix(),
            ),
        )
    return judged, config_rel, changes


def _baseline(git: Git, settings: Settings, staged: bool, base: str | None, head: str | None) -> tuple[Baseline, str | None]:
    """The baseline and the judged commit (None for the index, or with no commits yet)."""
    if staged:
        baseline, _ = _staged_base(git, settings, base)
        return baseline, None
    head_ref = head or "HEAD"
    head_sha = git.resolve(head_ref)
    if head_sha is None:
        if head is None and git.head() is None:
            return Baseline(None, "no commits yet: everything is new"), None
        raise _unknown_ref(git, head_ref)
    ref = base or _default_base(git, settings)
    base_sha = git.resolve(ref) if ref != ZERO else None
    if base_sha is None:
        raise _unknown_ref(git, ref)
    mb = _merge_base(git, base_sha, head_sha, ref)
    return Baseline(mb, f"merge-base of `{head_ref}` and `{ref}` ({mb[:10]})"), head_sha


def collect(settings: Settings, *, staged: bool, base: str | None = None, head: str | None = None) -> History:
    """Resolve the baseline and the judged snapshot, and pair their prompt files.

    The configuration that judges (JUDGE_KEYS) is the one published at the baseline:
    a pull request that moves the prompts folder or ignores a history rule is judged
    by the rules it would switch off."""
    with Git(settings.root) as git:
        working = settings
        # The base branch is judged by the published configuration too: find it from the
        # usual names first, from the working configuration only when nothing else names it.
        used = None if base is None else working.base_branch
        try:
            baseline, head_sha = _baseline(git, replace(working, base_branch=used), staged, base, head)
        except GitError:
            if base is not None or working.base_branch is None:
                raise
            used = working.base_branch
            baseline, head_sha = _baseline(git, working, staged, base, head)
        settings, config_rel, config_changes = published_settings(git, working, baseline.commit)
        if base is None and settings.base_branch is not None and settings.base_branch != used:
            baseline, head_sha = _baseline(git, settings, staged, None, head)
            settings, config_rel, config_changes = published_settings(git, working, baseline.commit)
        if not staged and head_sha is None:
            return History(settings, baseline, [], {})
        prefix = git.prefix(settings.root)
        folder = "/".join(p for p in (prefix, settings.prompts_dir) if p)
        changes = git.diff_index(baseline.commit, folder) if staged else git.diff_trees(baseline.commit, head_sha or "", folder)

        def side(path: str, entry: Entry | None) -> Side | None:
            if entry is None or entry.mode == GITLINK_MODE:
                return None  # a submodule has no content in this repository: no prompt file
            rel = path[len(prefix) + 1 :] if prefix else path
            return Side(rel, entry, classify(rel, settings.prompts_dir))

        pairs = [pair for c in changes if (pair := Pair(side(c.path, c.old), side(c.path, c.new))).previous or pair.current]
        history = History(settings, baseline, pairs, {}, config_rel, config_changes)
        for pair in pairs:
            if pair.previous and not pair.current:
                history.removed_by_blob.setdefault(pair.previous.entry.sha, []).append(pair.previous.path)
            if pair.current and not pair.previous:
                history.added_by_blob.setdefault(pair.current.entry.sha, []).append(pair.current.path)

        # Published versions of every prompt a new version file belongs to.
        names = {
            p.current.where.name
            for p in pairs
            if p.current and not p.previous and p.current.where.kind == "version" and p.current.where.name
        }
        history.published = {name: set(found) for name, found in published_versions(git, settings, prefix, baseline.commit, names).items()}

        history.retargeted = _retargeted_links(git, baseline.commit, head_sha, staged, folder, prefix, pairs)
        # Contents needed to explain modifications and compare tags files.
        wanted = []
        for pair in pairs:
            for s in (pair.previous, pair.current):
                if s and s.entry.mode != SYMLINK_MODE and (pair.previous and pair.current or s.where.kind == "tags"):
                    wanted.append(s.entry.sha)
        history.blobs = git.read_blobs(wanted)
        return history


def _retargeted_links(
    git: Git, baseline: str | None, head: str | None, staged: bool, folder: str, prefix: str, pairs: list[Pair]
) -> list[tuple[str, str]]:
    """Published links under the folder that the change leaves alone but whose target
    file it alters: the content of a published version is what git recorded, links
    included. (A changed link is a pair of its own.)"""
    if baseline is None:
        return []
    import posixpath

    touched = {p.previous.path for p in pairs if p.previous is not None}
    links = {
        path: sha for path, sha in git.symlinks(baseline, folder).items() if (path[len(prefix) + 1 :] if prefix else path) not in touched
    }
    if not links:
        return []
    contents = git.read_blobs(list(links.values()))
    targets: dict[str, str] = {}
    for path, sha in links.items():
        target = contents.get(sha, b"").decode("utf-8", "replace")
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
        if not target.startswith("/") and not joined.startswith("../"):
            targets[path] = joined
    before = git.blob_ids(baseline, list(targets.values()))
    after = git.index_blob_ids(list(targets.values())) if staged else git.blob_ids(head, list(targets.values()))

    def strip(path: str) -> str:
        return path[len(prefix) + 1 :] if prefix else path

    return [(strip(link), strip(target)) for link, target in sorted(targets.items()) if before.get(target) != after.get(target)]


def published_versions(
    git: Git, settings: Settings, prefix: str, commit: str | None, names: set[str]
) -> dict[str, dict[int, tuple[str, str]]]:
    """{name: {version: (path, blob id)}} at ``commit``, both layouts. Only the entries
    whose names start with the prompt's are read (a binary search in the folder's tree),
    so the cost follows the files there are, never the numbers in their names."""
    result: dict[str, dict[int, tuple[str, str]]] = {}
    if commit is None:
        return result
    inner = "/".join(p for p in (prefix, settings.prompts_dir) if p)
    for name in sorted(names):
        found: dict[int, tuple[str, str]] = {}
        folder, _, base = name.rpartition("/")
        flat = "/".join(p for p in (inner, folder) if p)
        for layout_folder, start in ((flat, f"{base}-v"), (f"{flat}/{base}" if flat else base, "v")):
            for entry_name, entry in git.entries_with_prefix(commit, layout_folder, start).items():
                git_path = f"{layout_folder}/{entry_name}" if layout_folder else entry_name
                rel = git_path[len(prefix) + 1 :] if prefix else git_path
                where = classify(rel, settings.prompts_dir)
                if where.kind == "version" and where.name == name and where.version and entry.mode != "40000":
                    found.setdefault(where.version, (rel, entry.sha))
        result[name] = found
    return result


def judge(history: History) -> Report:
    """Run the history rules over the pairs; the report of ``check``."""
    from promptctl.newlines import to_lf
    from promptctl.redaction import redact_source
    from promptctl.refs import tag_name_problem, tag_version
    from promptctl.rules import REGISTRY, filter_findings
    from promptctl.rules.base import HistoryRule
    from promptctl.tagsfile import parse_tags

    findings: list[Finding] = []
    for rule in REGISTRY.values():
        if isinstance(rule, HistoryRule):
            findings.extend(rule.check(history))
    for pair in history.pairs:
        cur = pair.current
        if cur is None:
            continue
        if cur.entry.mode == SYMLINK_MODE:
            findings.append(REGISTRY["symlink"].at(cur.path, (1, 1), f"`{cur.path}` is a symbolic link; promptctl never follows links"))
        elif pair.previous is not None and cur.where.kind == "tags":
            parsed, problems, doc = parse_tags(cur.path, history.content(cur))
            if parsed is None:
                findings.extend(problems)  # published tags cannot be compared with an unreadable file
                continue
            for tag, value in parsed.items():  # what every reader would ignore is no tag
                problem = tag_name_problem(tag)
                if problem is None and tag_version(value) is None:
                    problem = f"it points at {value!r}, which is not an integer version number"
                if problem is not None:
                    findings.append(REGISTRY["tag-target"].at(cur.path, doc.position((tag,)), f"tag `{tag}` is not a tag: {problem}"))
    sources = {}
    for pair in history.pairs:
        if pair.current and pair.current.entry.sha in history.blobs:
            sources[pair.current.path] = redact_source(to_lf(history.blobs[pair.current.entry.sha].decode("utf-8", "replace")), findings)
    files = len({p.current.path for p in history.pairs if p.current} | {p.previous.path for p in history.pairs if p.previous})
    return Report(filter_findings(findings, history.settings), files_checked=files, root=str(history.settings.root), sources=sources)

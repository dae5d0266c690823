"""A prompt's git history as events: versions added, changed or deleted, and tag moves,
with commit, author, date and subject. Used by ``log`` and ``rollback``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from promptctl.catalog import PromptEntry
from promptctl.config import Settings
from promptctl.errors import UsageError
from promptctl.git import Commit, Git
from promptctl.layout import classify, tags_path, version_path
from promptctl.tagsfile import parse_tags, tag_differences


@dataclass(frozen=True)
class Event:
    commit: Commit
    kind: str  # version-added, version-modified, version-deleted, tag-set, tag-moved, tag-removed
    version: int | None = None
    tag: str | None = None
    before: Any = None
    after: Any = None

    def describe(self) -> str:
        if self.kind.startswith("version-"):
            return f"{self.kind.split('-')[1]} v{self.version}"
        if self.kind == "tag-set":
            return f"tag {self.tag} → v{self.after}"
        if self.kind == "tag-moved":
            return f"{self.tag} v{self.before} → v{self.after}"
        return f"removed tag {self.tag} (was v{self.before})"

    def as_dict(self) -> dict[str, Any]:
        return {
            "commit": self.commit.sha,
            "author": self.commit.author,
            "date": self.commit.date,
            "subject": self.commit.subject,
            "event": self.kind,
            "version": self.version,
            "tag": self.tag,
            "before": self.before,
            "after": self.after,
            "change": self.describe(),
        }


def _pathspecs(settings: Settings, git: Git, name: str) -> list[str]:
    prefix = git.prefix(settings.root)

    def rel(path: Any) -> str:
        inner = path.relative_to(settings.root).as_posix()
        return f"{prefix}/{inner}" if prefix else inner

    flat_glob = rel(version_path(settings, name, 1, "flat")).replace("-v1.yaml", "-v*.yaml")
    nested_glob = rel(version_path(settings, name, 1, "nested")).replace("/v1.yaml", "/v*.yaml")
    return [
        f":(glob){flat_glob}",
        f":(glob){nested_glob}",
        f":(literal){rel(tags_path(settings, name, 'flat'))}",
        f":(literal){rel(tags_path(settings, name, 'nested'))}",
    ]


def events(settings: Settings, entry: PromptEntry, *, since: str | None = None) -> list[Event]:
    """Newest first; ``since`` as git's `--since` takes it ("2026-01-31", "2 weeks ago")."""
    with Git(settings.root) as git:
        if git.head() is None:
            return []
        prefix = git.prefix(settings.root)
        history = git.log(_pathspecs(settings, git, entry.name), since=since)
        tag_blobs = [
            e.sha for _, changes in history for c in changes for e in (c.old, c.new) if e is not None and c.path.endswith("tags.yaml")
        ]
        blobs = git.read_blobs(tag_blobs)
        result: list[Event] = []
        for commit, changes in history:
            for change in changes:
                rel = change.path[len(prefix) + 1 :] if prefix else change.path
                where = classify(rel, settings.prompts_dir)
                if where.name != entry.name:
                    continue
                if where.kind == "version":
                    kind = "version-added" if change.old is None else "version-deleted" if change.new is None else "version-modified"
                    result.append(Event(commit, kind, version=where.version))
                elif where.kind == "tags":
                    before = _tags(rel, blobs.get(change.old.sha) if change.old else None)
                    after = _tags(rel, blobs.get(change.new.sha) if change.new else None)
                    for tag, old, new in tag_differences(before, after):
                        kind = "tag-set" if old is None else "tag-removed" if new is None else "tag-moved"
                        result.append(Event(commit, kind, tag=tag, before=old, after=new))
        return result


def concerns(event: Event, version: int) -> bool:
    """Whether ``event`` is about ``version``: added or changed it, or moved a tag to or from it."""
    return event.version == version or version in (event.before, event.after)


def _tags(path: str, raw: bytes | None) -> dict[str, Any]:
    if raw is None:
        return {}
    parsed, _, _ = parse_tags(path, raw)
    return {str(k): v for k, v in (parsed or {}).items()}


def committed_tags(settings: Settings, entry: PromptEntry) -> dict[str, Any] | None:
    """The tags as committed at HEAD (None when the file is not committed)."""
    if entry.tags_file is None:
        return None
    with Git(settings.root) as git:
        head = git.head()
        if head is None:
            return None
        prefix = git.prefix(settings.root)
        raw = git.show_file(head, f"{prefix}/{entry.tags_file}" if prefix else entry.tags_file)
        return _tags(entry.tags_file, raw) if raw is not None else None


def rollback_target(settings: Settings, entry: PromptEntry, channel: str) -> tuple[int, str]:
    """Where ``channel`` goes back to, and why. The channel's positions are replayed
    from git history (and the uncommitted tags file) as a stack: a move to a version the
    channel held before is a rollback and drops the versions above it. The target is
    the position below the current one, so rolling back twice walks back two steps
    instead of returning to where the first rollback came from."""
    from promptctl.catalog import read_tags

    if channel not in settings.channels:
        raise UsageError(f"`{channel}` is not a channel; only channels move", f"channels: {', '.join(settings.channels)}")
    current = read_tags(settings, entry).get(channel)
    if current is None:
        raise UsageError(f"`{entry.name}` has no `{channel}` tag", f"set one with `promptctl tag {entry.name} VERSION {channel}`")
    stack: list[tuple[Any, str]] = []  # (version, how it got there), oldest first
    skipped: list[Any] = []
    positions = [(e.after, f"{e.commit.sha[:10]} “{e.commit.subject}”") for e in reversed(events(settings, entry)) if e.tag == channel]
    committed = (committed_tags(settings, entry) or {}).get(channel)
    if committed != current:
        positions.append((current, "the uncommitted tags file"))
    for value, how in positions:
        if value is None:  # the tag was removed: its history starts again
            stack, skipped = [], []
            continue
        held = [i for i, (v, _) in enumerate(stack) if v == value]
        if held:
            skipped = [v for v, _ in stack[held[-1] + 1 :]]
            del stack[held[-1] + 1 :]
        else:
            stack.append((value, how))
            skipped = []
    if len(stack) < 2:
        raise UsageError(
            f"`{channel}` of `{entry.name}` is at v{current} and was never anywhere before it",
            "nothing to roll back to; use `promptctl tag` to point it elsewhere",
        )
    target, _ = stack[-2]
    if not isinstance(target, int) or target not in entry.versions:
        raise UsageError(f"before v{current} `{channel}` pointed at {target!r}, which is not a version", "set it with `promptctl tag`")
    reason = f"where it was before {stack[-1][1]}"
    if skipped:
        reason += "; skipping " + ", ".join(f"v{v}" for v in skipped) + ", already rolled back from"
    return target, reason

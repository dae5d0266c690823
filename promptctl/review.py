"""What `diff` compares: two versions of one prompt from the working tree, or
everything a pull request changes (from git blobs): each new version against the
latest *published* version of its prompt, each tag move as old target vs new target,
new prompts whole."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from promptctl.catalog import PromptEntry, lookup, read_data, resolve
from promptctl.config import Settings
from promptctl.diffing import ChangeSet, TagMove, VersionDiff, diff_data
from promptctl.document import load
from promptctl.errors import UsageError

if TYPE_CHECKING:
    from promptctl.history import History


def attach_cost(settings: Settings, diff: VersionDiff, before: dict[str, Any] | None, after: dict[str, Any]) -> VersionDiff:
    """The token and price change per call (typical call) between the two versions."""
    from promptctl.pricing import delta, estimate, usd
    from promptctl.runtime import prompt_from_data

    def est(data: dict[str, Any], version: int) -> Any:
        examples = data.get("examples") if isinstance(data.get("examples"), list) else None
        try:
            return estimate(prompt_from_data(diff.name, version, data, "", **settings.render_limits), examples, settings=settings)
        except (TypeError, ValueError, AttributeError, KeyError):
            return None

    new = est(after, diff.after_version)
    if new is None:
        return diff
    if before is None:
        diff.cost = {
            "summary": f"~{new.input_typical:,} input tokens, {usd(new.typical)} per call ({new.method})",
            "input_tokens": {"before": None, "after": new.input_typical},
            "usd_per_call": {"before": None, "after": float(new.typical) if new.typical is not None else None},
            "percent": None,
            "tokens": new.method,
        }
        return diff
    old = est(before, diff.before_version or 0)
    if old is not None and (old.input_typical != new.input_typical or old.typical != new.typical):
        diff.cost = delta(old, new)
    return diff


def _ref_label(entry: PromptEntry, settings: Settings, ref: str) -> tuple[int, str]:
    _, number = resolve(settings, f"{entry.name}@{ref}")
    plain = ref.lstrip("v").isdigit()
    return number, (f"v{number}" if plain or ref == "latest" else f"{ref} (v{number})")


def compare(settings: Settings, name: str, a: str | None, b: str | None) -> VersionDiff:
    """`diff NAME A B` (A, B: 3, v3, a tag or latest); `diff NAME`: latest vs previous."""
    entry = lookup(settings, name)
    if a is None and b is None:
        latest = entry.latest
        earlier = [n for n in entry.versions if n < latest]
        if not earlier:
            after = read_data(settings, entry.versions[latest])
            return attach_cost(
                settings,
                diff_data(name, None, after, before_label=None, after_label=f"v{latest}", before_version=None, after_version=latest),
                None,
                after,
            )
        a, b = str(max(earlier)), str(latest)
    elif a is None or b is None:
        raise UsageError("diff takes two versions (or none)", f"e.g. promptctl diff {name} 2 3")
    va, la = _ref_label(entry, settings, a)
    vb, lb = _ref_label(entry, settings, b)
    pa, pb = entry.versions[va], entry.versions[vb]
    raw_a, raw_b = (settings.root / pa).read_bytes(), (settings.root / pb).read_bytes()
    data_a, data_b = read_data(settings, pa), read_data(settings, pb)
    return attach_cost(
        settings,
        diff_data(
            name, data_a, data_b, before_label=la, after_label=lb, before_version=va, after_version=vb, raw_before=raw_a, raw_after=raw_b
        ),
        data_a,
        data_b,
    )


def _data(path: str, raw: bytes) -> dict[str, Any] | None:
    doc, _ = load(path, raw)
    return doc.data if doc is not None else None


def pull_request(settings: Settings, base: str | None, head: str | None = None, history: History | None = None) -> ChangeSet:
    from promptctl.git import Git
    from promptctl.history import collect, published_versions
    from promptctl.tagsfile import parse_tags, tag_differences

    if history is None:
        history = collect(settings, staged=False, base=base, head=head)
    with Git(settings.root) as git:
        prefix = git.prefix(settings.root)
        changes = ChangeSet(history.baseline.label)
        baseline = history.baseline.commit

        # The published and current versions of every prompt the change touches, with their blob ids.
        names = {s.where.name for p in history.pairs for s in (p.previous, p.current) if s and s.where.name}
        published = published_versions(git, settings, prefix, baseline, names)
        head_sha = git.resolve(head or "HEAD")
        head_versions = {
            name: {n: sha for n, (_, sha) in found.items()}
            for name, found in published_versions(git, settings, prefix, head_sha, names).items()
        }

        wanted = [sha for versions in published.values() for _, sha in versions.values()]
        wanted += [sha for versions in head_versions.values() for sha in versions.values()]
        blobs = git.read_blobs(wanted)
        blobs.update(history.blobs)

        def add(diff: VersionDiff, before: dict[str, Any] | None, after: dict[str, Any]) -> None:
            changes.diffs.append(attach_cost(settings, diff, before, after))

        for pair in history.pairs:
            cur, prev = pair.current, pair.previous
            if cur is not None and cur.where.kind == "version" and cur.where.name and cur.where.version:
                name, number = cur.where.name, cur.where.version
                raw_after = blobs.get(cur.entry.sha) or git.read_blobs([cur.entry.sha])[cur.entry.sha]
                after = _data(cur.path, raw_after)
                if after is None:
                    continue  # lint reports it
                if prev is not None:  # a published version was modified (check refuses it); show what changed
                    raw_before = blobs.get(prev.entry.sha, b"")
                    published_data = _data(prev.path, raw_before)
                    add(
                        diff_data(
                            name,
                            published_data,
                            after,
                            before_label=f"v{number} (published)",
                            after_label=f"v{number} (modified)",
                            before_version=number,
                            after_version=number,
                            raw_before=raw_before,
                            raw_after=raw_after,
                        ),
                        published_data,
                        after,
                    )
                    continue
                older = {n: v for n, v in published.get(name, {}).items() if n < number}
                if not older:
                    add(
                        diff_data(
                            name, None, after, before_label=None, after_label=f"v{number}", before_version=None, after_version=number
                        ),
                        None,
                        after,
                    )
                    continue
                base_number = max(older)
                base_rel, base_sha = older[base_number]
                raw_before = blobs[base_sha]
                base_data = _data(base_rel, raw_before)
                add(
                    diff_data(
                        name,
                        base_data,
                        after,
                        before_label=f"v{base_number}",
                        after_label=f"v{number}",
                        before_version=base_number,
                        after_version=number,
                        raw_before=raw_before,
                        raw_after=raw_after,
                    ),
                    base_data,
                    after,
                )
            elif prev is not None and cur is None and prev.where.kind == "version":
                changes.removed.append(prev.path)
            if (cur or prev) and (cur or prev).where.kind == "tags":  # type: ignore[union-attr]
                side = cur or prev
                assert side is not None
                before = parse_tags(prev.path, history.content(prev))[0] if prev else {}
                after_tags = parse_tags(cur.path, history.content(cur))[0] if cur else {}
                for tag, old, new in tag_differences(before, after_tags):
                    changes.tag_moves.append(TagMove(side.where.name or side.path, tag, old, new, tag in settings.channels))
        # Each moved tag as old target vs new target.
        for move in changes.tag_moves:
            if isinstance(move.before, int) and isinstance(move.after, int):
                versions = {**{n: sha for n, (_, sha) in published.get(move.name, {}).items()}, **head_versions.get(move.name, {})}
                if move.before in versions and move.after in versions:
                    raw_a = blobs.get(versions[move.before]) or git.read_blobs([versions[move.before]])[versions[move.before]]
                    raw_b = blobs.get(versions[move.after]) or git.read_blobs([versions[move.after]])[versions[move.after]]
                    a, b = _data("a.yaml", raw_a), _data("b.yaml", raw_b)
                    if a is not None and b is not None:
                        add(
                            diff_data(
                                move.name,
                                a,
                                b,
                                before_label=f"{move.tag} was v{move.before}",
                                after_label=f"{move.tag} now v{move.after}",
                                before_version=move.before,
                                after_version=move.after,
                                raw_before=raw_a,
                                raw_after=raw_b,
                            ),
                            a,
                            b,
                        )
        return changes

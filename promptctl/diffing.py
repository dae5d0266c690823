"""Version diffs as data: settings from a structural diff (deepdiff), prose fields as
word-level diffs, and a verdict per change in the style of `buf breaking`:

- **breaking** for callers: a variable removed or retyped, a new required variable
  without a default, an optional variable made required, or a changed output contract
  (`stop` sequences changed, `max_tokens` lowered);
- **behavioural**: model, provider, parameters, prose, fallbacks, messages, new
  optional variables, changed defaults;
- **cosmetic**: comments, formatting, whitespace-only prose, description, owners,
  metadata, budget and examples.

Nothing here prints; reporters/diff.py renders it.
"""

from __future__ import annotations

import bisect
import difflib
import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from promptctl.document import key_label


class Verdict(str, enum.Enum):
    """How much a change matters to an application, in increasing order."""

    NONE = "none"
    COSMETIC = "cosmetic"
    BEHAVIOURAL = "behavioural"
    BREAKING = "breaking"

    def __str__(self) -> str:  # "breaking" in f-strings and messages, not "Verdict.BREAKING"
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)

    @property
    def level(self) -> int:
        return _ORDER.index(self)

    @classmethod
    def worst(cls, verdicts: Iterable[Verdict]) -> Verdict:
        return max(verdicts, key=lambda v: v.level, default=cls.NONE)


_ORDER = list(Verdict)
PROSE_KEYS = ("system", "user")
COSMETIC_KEYS = {"description", "owners", "metadata", "budget", "examples", "version"}
_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass
class SettingChange:
    field: str
    before: Any
    after: Any
    verdict: Verdict
    reason: str


@dataclass
class ProseChange:
    field: str
    before: str | None
    after: str | None
    ops: list[tuple[str, str]]  # ("equal" | "delete" | "insert", text)
    whitespace_only: bool
    verdict: Verdict


@dataclass
class VersionDiff:
    name: str
    before_label: str | None  # "v2" / "production (v2)"; None: a new prompt
    after_label: str
    before_version: int | None
    after_version: int
    settings: list[SettingChange] = field(default_factory=list)
    prose: list[ProseChange] = field(default_factory=list)
    formatting_only: bool = False  # the files differ but the data is equal
    identical: bool = False
    new_prompt: bool = False
    notes: list[str] = field(default_factory=list)
    cost: dict[str, Any] | None = None

    @property
    def verdict(self) -> Verdict:
        levels = [c.verdict for c in self.settings] + [p.verdict for p in self.prose]
        if self.formatting_only:
            levels.append(Verdict.COSMETIC)
        if self.new_prompt:
            return Verdict.BEHAVIOURAL
        return Verdict.worst(levels)

    @property
    def reasons(self) -> list[str]:
        return [c.reason for c in self.settings if c.verdict is Verdict.BREAKING]


_VERSION_LINE = re.compile(rb"^version[ \t]*:[ \t]*[0-9]+[ \t]*(#[^\n]*)?$", re.M)


@dataclass
class TagMove:
    name: str
    tag: str
    before: Any
    after: Any
    channel: bool


@dataclass
class ChangeSet:
    """Everything a pull request changes under the prompts folder."""

    base_label: str
    diffs: list[VersionDiff] = field(default_factory=list)
    tag_moves: list[TagMove] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # published versions deleted (check reports them)

    @property
    def verdict(self) -> Verdict:
        return Verdict.worst(d.verdict for d in self.diffs)


# Word diffs run inside a changed block only while the block is this small (tokens
# before × tokens after); beyond it the block is shown as whole removed and added text.
WORD_DIFF_CAP = 400_000
# Lines with no unique anchor between them are matched by difflib only while this small
# (lines before × lines after); beyond it they are one changed block.
LINE_MATCH_CAP = 40_000
_MAX_DEPTH = 64

Opcode = tuple[str, int, int, int, int]


def words(before: str, after: str) -> list[tuple[str, str]]:
    """(op, text) segments that turn ``before`` into ``after``: op is equal, delete or
    insert. Lines are matched first (:func:`line_opcodes`), then words only inside each
    changed block, after its common first and last words are set aside — so a two-word
    edit of a 150 KB prompt, even on one line, costs the two words. A block too large to
    match word by word (WORD_DIFF_CAP) is whole removed and added text."""
    ops: list[tuple[str, str]] = []
    if before == after:
        return [("equal", before)] if before else []
    a, b = before.splitlines(keepends=True), after.splitlines(keepends=True)
    for tag, i1, i2, j1, j2 in line_opcodes(a, b):
        if tag == "equal":
            _add(ops, "equal", "".join(a[i1:i2]))
        else:
            _word_block(ops, "".join(a[i1:i2]), "".join(b[j1:j2]))
    return ops


def line_opcodes(a: list[str], b: list[str]) -> list[Opcode]:
    """How lines ``a`` become lines ``b``, as difflib's opcodes, in near-linear time on
    real text: equal first and last lines are set aside, then lines that occur once on
    each side anchor the match (patience diff, as `git diff --patience`), and only a
    small stretch without anchors is left to difflib. Repeated lines (code samples,
    `}` and blank lines) are what make difflib quadratic; they never anchor here."""
    out: list[Opcode] = []
    _patience(a, 0, len(a), b, 0, len(b), out, 0)
    merged: list[Opcode] = []
    for op in out:
        tag = "equal" if op[0] == "equal" else "replace"
        if op[1] == op[2] and op[3] == op[4]:
            continue
        if merged and (merged[-1][0] == "equal") == (tag == "equal"):
            last = merged.pop()
            merged.append((tag, last[1], op[2], last[3], op[4]))
        else:
            merged.append((tag, *op[1:]))
    return merged


def _patience(a: list[str], alo: int, ahi: int, b: list[str], blo: int, bhi: int, out: list[Opcode], depth: int) -> None:
    start_a, start_b = alo, blo
    while alo < ahi and blo < bhi and a[alo] == b[blo]:
        alo, blo = alo + 1, blo + 1
    out.append(("equal", start_a, alo, start_b, blo))
    end = 0
    while alo < ahi - end and blo < bhi - end and a[ahi - 1 - end] == b[bhi - 1 - end]:
        end += 1
    tail = ("equal", ahi - end, ahi, bhi - end, bhi)
    ahi, bhi = ahi - end, bhi - end
    if alo == ahi or blo == bhi:
        out.append(("replace", alo, ahi, blo, bhi))
        out.append(tail)
        return
    anchors = _unique_anchors(a, alo, ahi, b, blo, bhi) if depth < _MAX_DEPTH else []
    if not anchors:
        if (ahi - alo) * (bhi - blo) <= LINE_MATCH_CAP:
            matcher = difflib.SequenceMatcher(_blank, a[alo:ahi], b[blo:bhi], autojunk=False)
            out.extend((tag, i1 + alo, i2 + alo, j1 + blo, j2 + blo) for tag, i1, i2, j1, j2 in matcher.get_opcodes())
        else:
            out.append(("replace", alo, ahi, blo, bhi))
        out.append(tail)
        return
    i, j = alo, blo
    for ai, bj in anchors:
        _patience(a, i, ai, b, j, bj, out, depth + 1)
        out.append(("equal", ai, ai + 1, bj, bj + 1))
        i, j = ai + 1, bj + 1
    _patience(a, i, ahi, b, j, bhi, out, depth + 1)
    out.append(tail)


def _blank(line: str) -> bool:
    return not line.strip()


def _unique_anchors(a: list[str], alo: int, ahi: int, b: list[str], blo: int, bhi: int) -> list[tuple[int, int]]:
    """The longest chain of lines that occur once in each range, in the same order."""
    seen_a: dict[str, int] = {}
    for i in range(alo, ahi):
        seen_a[a[i]] = -1 if a[i] in seen_a else i
    seen_b: dict[str, int] = {}
    for j in range(blo, bhi):
        seen_b[b[j]] = -1 if b[j] in seen_b else j
    pairs = [(i, seen_b[line]) for line, i in seen_a.items() if i >= 0 and seen_b.get(line, -1) >= 0 and line.strip()]
    pairs.sort()
    # longest increasing subsequence of the b positions (patience sorting)
    tops: list[int] = []  # b position ending the best chain of each length
    ends: list[int] = []  # index into pairs of that chain's last pair
    back = [-1] * len(pairs)
    for k, (_, j) in enumerate(pairs):
        n = bisect.bisect_left(tops, j)
        if n == len(tops):
            tops.append(j)
            ends.append(k)
        else:
            tops[n], ends[n] = j, k
        back[k] = ends[n - 1] if n else -1
    chain: list[tuple[int, int]] = []
    k = ends[-1] if ends else -1
    while k >= 0:
        chain.append(pairs[k])
        k = back[k]
    return chain[::-1]


def words_exact(before: str, after: str) -> list[tuple[str, str]]:
    """The reference: one word-level match over the whole texts (quadratic). Tests hold
    :func:`words` to it."""
    ops: list[tuple[str, str]] = []
    a, b = _TOKEN.findall(before), _TOKEN.findall(after)
    _match_tokens(ops, a, b)
    return ops


def _add(ops: list[tuple[str, str]], op: str, text: str) -> None:
    if text and ops and ops[-1][0] == op:
        ops[-1] = (op, ops[-1][1] + text)
    elif text:
        ops.append((op, text))


def _match_tokens(ops: list[tuple[str, str]], a: list[str], b: list[str]) -> None:
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            _add(ops, "equal", "".join(a[i1:i2]))
            continue
        _add(ops, "delete", "".join(a[i1:i2]))
        _add(ops, "insert", "".join(b[j1:j2]))


def _word_block(ops: list[tuple[str, str]], before: str, after: str) -> None:
    a, b = _TOKEN.findall(before), _TOKEN.findall(after)
    start, limit = 0, min(len(a), len(b))
    while start < limit and a[start] == b[start]:
        start += 1
    end = 0
    while end < limit - start and a[-1 - end] == b[-1 - end]:
        end += 1
    _add(ops, "equal", "".join(a[:start]))
    mid_a, mid_b = a[start : len(a) - end], b[start : len(b) - end]
    if len(mid_a) * len(mid_b) <= WORD_DIFF_CAP:
        _match_tokens(ops, mid_a, mid_b)
    else:
        _add(ops, "delete", "".join(mid_a))
        _add(ops, "insert", "".join(mid_b))
    _add(ops, "equal", "".join(a[len(a) - end :]))


def _prose_fields(data: dict[str, Any]) -> dict[str, str]:
    out = {k: data[k] for k in PROSE_KEYS if isinstance(data.get(k), str)}
    for i, m in enumerate(data.get("messages") or []):
        if isinstance(m, dict) and isinstance(m.get("content"), str):
            out[f"messages[{i}].content"] = m["content"]
    for i, f in enumerate(data.get("fallbacks") or []):
        if isinstance(f, dict) and isinstance(f.get("system"), str):
            out[f"fallbacks[{i}].system"] = f["system"]
    return out


def _settings_view(data: dict[str, Any]) -> dict[str, Any]:
    """The data without prose (compared word by word) and without variables (judged
    one by one)."""
    view = {k: v for k, v in data.items() if k not in PROSE_KEYS and k != "variables"}
    if isinstance(view.get("messages"), list):
        view["messages"] = [{k: v for k, v in m.items() if k != "content"} if isinstance(m, dict) else m for m in view["messages"]]
    if isinstance(view.get("fallbacks"), list):
        view["fallbacks"] = [{k: v for k, v in f.items() if k != "system"} if isinstance(f, dict) else f for f in view["fallbacks"]]
    return view


def _judge_setting(path: list[Any], before: Any, after: Any) -> tuple[Verdict, str]:
    from promptctl.models import provider_of

    top = path[0] if path else ""
    label = key_label(path)
    if top in COSMETIC_KEYS:
        return Verdict.COSMETIC, f"{label} changed"
    if top == "stop":
        return Verdict.BREAKING, "stop sequences changed (output contract)"
    if top == "max_tokens" and isinstance(before, int) and isinstance(after, int) and after < before:
        return Verdict.BREAKING, f"max_tokens lowered {before} → {after} (responses may be cut short)"
    if top == "model" and isinstance(before, str) and isinstance(after, str):
        old, new = provider_of(before), provider_of(after)
        if old != new:
            return Verdict.BEHAVIOURAL, f"provider changed: {old} → {new}"
        return Verdict.BEHAVIOURAL, "model changed"
    return Verdict.BEHAVIOURAL, f"{label} changed"


def _same(a: Any, b: Any) -> bool:
    """Equal, and of the same types all the way down (`1` and `1.0` differ, as deepdiff says)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def _missing(value: Any) -> bool:
    return type(value).__name__ == "NotPresent"


def _variables(before: dict[str, Any], after: dict[str, Any]) -> list[SettingChange]:
    changes = []

    def required(spec: dict[str, Any]) -> bool:
        return bool(spec.get("required", "default" not in spec)) and "default" not in spec

    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        old = old if isinstance(old, dict) else ({} if name in before else None)
        new = new if isinstance(new, dict) else ({} if name in after else None)
        label = f"variables.{name}"
        if new is None:
            changes.append(SettingChange(label, old, None, Verdict.BREAKING, f"variable `{name}` removed"))
        elif old is None:
            if required(new):
                changes.append(SettingChange(label, None, new, Verdict.BREAKING, f"new required variable `{name}` without a default"))
            else:
                changes.append(SettingChange(label, None, new, Verdict.BEHAVIOURAL, f"new optional variable `{name}`"))
        elif old != new:
            if old.get("type", "string") != new.get("type", "string"):
                changes.append(
                    SettingChange(
                        f"{label}.type",
                        old.get("type", "string"),
                        new.get("type", "string"),
                        Verdict.BREAKING,
                        f"variable `{name}` retyped",
                    )
                )
            if required(new) and not required(old):
                changes.append(SettingChange(f"{label}.required", False, True, Verdict.BREAKING, f"variable `{name}` became required"))
            if old.get("default") != new.get("default") and "default" in new:
                changes.append(
                    SettingChange(
                        f"{label}.default", old.get("default"), new.get("default"), Verdict.BEHAVIOURAL, f"default of `{name}` changed"
                    )
                )
            if old.get("description") != new.get("description"):
                changes.append(
                    SettingChange(
                        f"{label}.description",
                        old.get("description"),
                        new.get("description"),
                        Verdict.COSMETIC,
                        f"description of `{name}` changed",
                    )
                )
    return changes


def diff_data(
    name: str,
    before: dict[str, Any] | None,
    after: dict[str, Any],
    *,
    before_label: str | None,
    after_label: str,
    before_version: int | None,
    after_version: int,
    raw_before: bytes | None = None,
    raw_after: bytes | None = None,
) -> VersionDiff:
    result = VersionDiff(name, before_label, after_label, before_version, after_version)
    if before is None:
        result.new_prompt = True
        for key, text in _prose_fields(after).items():
            result.prose.append(ProseChange(key, None, text, [("insert", text)], False, Verdict.BEHAVIOURAL))
        return result
    view_before, view_after = _settings_view(before), _settings_view(after)
    view_before.pop("version", None)
    view_after.pop("version", None)
    tree: Any = {}
    if not _same(view_before, view_after):  # deepdiff (and pydantic under it) only when something differs
        from deepdiff import DeepDiff

        tree = DeepDiff(view_before, view_after, verbose_level=2, view="tree")
    for kind in sorted(tree):
        for item in tree[kind]:
            path = item.path(output_format="list")
            old, new = (None if _missing(item.t1) else item.t1), (None if _missing(item.t2) else item.t2)
            if path == ["version"]:
                continue
            verdict, reason = _judge_setting(path, old, new)
            result.settings.append(SettingChange(key_label(path), old, new, verdict, reason))
    result.settings.extend(_variables(before.get("variables") or {}, after.get("variables") or {}))
    result.settings.sort(key=lambda c: (-c.verdict.level, c.field))
    old_prose, new_prose = _prose_fields(before), _prose_fields(after)
    for key in sorted(set(old_prose) | set(new_prose), key=lambda k: (k not in PROSE_KEYS, k)):
        a, b = old_prose.get(key), new_prose.get(key)
        if a == b:
            continue
        if a is None or b is None:
            ops = [("insert", b)] if b is not None else [("delete", a or "")]
            result.prose.append(ProseChange(key, a, b, ops, False, Verdict.BEHAVIOURAL))
            continue
        whitespace = a.split() == b.split()
        result.prose.append(ProseChange(key, a, b, words(a, b), whitespace, Verdict.COSMETIC if whitespace else Verdict.BEHAVIOURAL))
    if not result.settings and not result.prose:
        if (
            raw_before is not None
            and raw_after is not None
            and _VERSION_LINE.sub(b"", raw_before, 1) == _VERSION_LINE.sub(b"", raw_after, 1)
        ):
            if raw_before != raw_after:
                result.notes.append("no changes besides the version number")  # a fresh `promptctl bump`
            else:
                result.identical = True
        elif raw_before is not None and raw_after is not None:
            result.formatting_only = True
            result.notes.append("only comments or formatting changed")
        else:
            result.identical = True
    return result

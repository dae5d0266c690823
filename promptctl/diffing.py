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


def words(before: str, after: str) -> list[tuple[str, str]]:
    a, b = _TOKEN.findall(before), _TOKEN.findall(after)
    ops: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            ops.append(("equal", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            ops.append(("delete", "".join(a[i1:i2])))
        if j2 > j1:
            ops.append(("insert", "".join(b[j1:j2])))
    return ops


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
    from deepdiff import DeepDiff

    tree = DeepDiff(_settings_view(before), _settings_view(after), verbose_level=2, view="tree")
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
        if raw_before is not None and raw_after is not None and raw_before != raw_after:
            result.formatting_only = True
            result.notes.append("only comments or formatting changed")
        else:
            result.identical = True
    return result

"""What a tag is and how ``NAME@X`` resolves: one answer for every command, the bundle
and ``load_prompt``.

``X`` is a version when it is a number or ``vN``; ``latest`` (or nothing) is the highest
version; anything else is a tag. Tag names are kebab-case words that cannot be read as a
version, so no name means both. A tag points at a version by an integer — not ``true``,
not ``2.0``, not ``"2"`` — and a tags file is read through :func:`valid_tags`, which
keeps only such entries: whatever lint reports, every reader agrees on what a tag means.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from typing import Any

VERSION_REF = re.compile(r"^v?([1-9][0-9]{0,8})$")
TAG_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_TAG_LENGTH = 100
TAG_NAME_RULE = "tag names are kebab-case words (lowercase letters, digits, `-`), e.g. production or 2025-q1-launch"


class RefError(LookupError):
    """No version or tag by that name; ``hint`` says what exists."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def tag_name_problem(name: object) -> str | None:
    """Why ``name`` cannot be a tag, or None."""
    if not isinstance(name, str) or len(name) > MAX_TAG_LENGTH or not TAG_NAME.match(name):
        return TAG_NAME_RULE
    if name == "latest" or VERSION_REF.match(name) or name.isdigit():
        return f"`{name}` reads as a version (`latest`, `N` and `vN` are versions in `NAME@X`); pick a word"
    return None


def tag_version(value: object) -> int | None:
    """The version a tag's value names: a positive integer, and nothing else."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    return None


def valid_tags(data: Mapping[Any, Any]) -> dict[str, int]:
    """The entries of a tags mapping that are tags: a valid name and an integer version."""
    out: dict[str, int] = {}
    for key, value in data.items():
        number = tag_version(value)
        if number is not None and tag_name_problem(key) is None:
            out[key] = number
    return out


def parse_version(text: str) -> int | None:
    """``3`` or ``v3`` as a number; None for anything else."""
    match = VERSION_REF.match(text)
    return int(match.group(1)) if match else None


def split_spec(spec: str) -> tuple[str, str | None]:
    """``NAME@X`` → (NAME, X); ``NAME`` and ``NAME@`` → (NAME, None)."""
    name, _, ref = spec.partition("@")
    return name, (ref or None)


def _listing(versions: Collection[int], tags: Mapping[str, int]) -> str:
    """What exists, in a line: every version and tag while the lists are short."""
    ordered = sorted(versions)
    have = ", ".join(f"v{n}" for n in ordered) if len(ordered) <= 12 else f"v1 … v{ordered[-1]} ({len(ordered)} versions)"
    names = sorted(tags)
    tag_list = ", ".join(names) if len(names) <= 12 else ", ".join(names[:12]) + f", … ({len(names)} tags)"
    return f"versions: {have or 'none'}; tags: {tag_list or 'none'}"


def resolve_ref(name: str, ref: str | None, versions: Collection[int], raw_tags: Mapping[Any, Any]) -> int:
    """The version ``ref`` names among ``versions`` and a tags mapping (as read from the
    file); raises :class:`RefError` saying what exists."""
    tags = valid_tags(raw_tags)
    if not versions:
        raise RefError(f"`{name}` has no versions", "create one with `promptctl new`")
    if ref is None or ref == "latest":
        return max(versions)
    number = parse_version(ref)
    if number is not None:
        if number not in versions:
            raise RefError(f"`{name}` has no version {number}", _listing(versions, tags))
        return number
    if ref in tags:
        if tags[ref] not in versions:
            raise RefError(f"tag `{ref}` of `{name}` points at v{tags[ref]}, which does not exist", _listing(versions, tags))
        return tags[ref]
    if ref in raw_tags and tag_name_problem(ref) is not None:
        raise RefError(f"`{ref}` of `{name}` is not a valid tag name", f"{tag_name_problem(ref)}; run `promptctl lint`")
    if ref in raw_tags:
        raise RefError(
            f"tag `{ref}` of `{name}` points at {raw_tags[ref]!r}, which is not a version number",
            "a tag's value is an integer version, e.g. `production: 3`; run `promptctl lint`",
        )
    raise RefError(f"`{name}` has no version or tag `{ref}`", _listing(versions, tags))

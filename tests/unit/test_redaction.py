"""Where the secret scanner looks: the key-shaped runs of a text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from promptctl.redaction import _KEY_CHARS, _SHORTEST, _key_runs


def _reference(text: str) -> list[tuple[int, int]]:
    """The runs found character by character (a non-ASCII character is never part of one)."""
    runs, start = [], None
    for i, ch in enumerate(text + " "):
        if ch in _KEY_CHARS:
            start = i if start is None else start
        elif start is not None:
            if i - start >= _SHORTEST:
                runs.append((start, i))
            start = None
    return runs


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.sampled_from(["sk-proj-abcdefghijklmnop", "a", " ", "≤", "🙂", "é", "_", "\n", "ABCDEFGHIJKLMNOPQRST"]), max_size=60).map(
        "".join
    )
)
def test_runs_are_found_in_characters_whatever_the_text_holds(text: str) -> None:
    assert _key_runs(text) == _reference(text)

"""The fast test for hidden characters against the scan it spares: the same matches on
any text (ASCII, controls, every hidden range, emoji sequences, accents)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from promptctl.invisible import HIDDEN, hidden_matches, hidden_runs

PIECES = st.sampled_from(
    [
        "a", "Z", " ", "{{ x }}", "\t", "\n", "\r\n", "\x00", "\x07", "\x1b", "\x7f", "\x85", "\x9f", "\u00ad",
        "\u034f", "\u061c", "\u115f", "\u17b4", "\u180e", "\u200b", "\u200d", "\u200e", "\u202e", "\u2060",
        "\u2066", "\u3164", "\ufe0f", "\ufeff", "\uffa0", "\ufffb", "\U0001d173", "\U000e0041", "\U000e007f",
        "\U000e0100", "é", "—", "…", "中", "👋", "👩\u200d💻", "1\ufe0f\u20e3", "\U0001f3f4\U000e0067\U000e0062\U000e007f",
    ]
)  # fmt: skip


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.one_of(PIECES, st.text(max_size=3)), max_size=12).map("".join))
def test_the_fast_test_finds_what_the_scan_finds(text: str) -> None:
    assert [m.span() for m in hidden_matches(text)] == [m.span() for m in HIDDEN.finditer(text)]


def test_text_with_nothing_hidden_is_not_scanned_and_what_is_hidden_is_found() -> None:
    assert list(hidden_matches("Hello {{ name }} 👋, café —\n\tdone\r\n")) == []
    assert [m.group() for m in hidden_matches("a\x1bb")] == ["\x1b"]  # ASCII text: its own pattern
    assert [m.group() for m in hidden_matches("é\u202eb\u200b\u200c")] == ["\u202e", "\u200b\u200c"]
    assert list(hidden_runs("👩\u200d💻 ok")) == []  # a ZWJ inside an emoji is not hidden
    assert list(hidden_matches("lone \ud800 surrogate")) == []

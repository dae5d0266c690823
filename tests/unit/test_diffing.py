"""The review diff's fast path (lines first, unique-line anchors, words only inside
changed blocks) held to the slow one (one word-level match over the whole texts)."""

from __future__ import annotations

import random
from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from promptctl.diffing import line_opcodes, words, words_exact

BLOCKS = [b["text"] for b in yaml.safe_load((Path(__file__).parent.parent / "data/realistic/blocks.yaml").read_text())["blocks"]]
LINES = ["}", "", "    return value", "```python", "Be concise.", "{{ question }}", "- item", "You are a support agent.", "Never guess."]


def _changed(ops: list[tuple[str, str]]) -> int:
    return sum(len(text) for op, text in ops if op != "equal")


def _rebuilds(before: str, after: str, ops: list[tuple[str, str]]) -> bool:
    old = "".join(text for op, text in ops if op != "insert")
    new = "".join(text for op, text in ops if op != "delete")
    return old == before and new == after


texts = st.lists(st.sampled_from(LINES) | st.text(alphabet="ab c\n{}", max_size=12), max_size=40).map("\n".join)


@given(texts, texts)
@settings(max_examples=300, deadline=None)
def test_both_paths_rebuild_both_texts(before: str, after: str) -> None:
    assert _rebuilds(before, after, words(before, after))
    assert _rebuilds(before, after, words_exact(before, after))
    a, b = before.splitlines(keepends=True), after.splitlines(keepends=True)
    rebuilt = []
    for tag, i1, i2, j1, j2 in line_opcodes(a, b):
        if tag == "equal":
            assert a[i1:i2] == b[j1:j2]
        rebuilt += b[j1:j2]
    assert rebuilt == b


def _mutations(text: str, rng: random.Random) -> list[str]:
    """The edits prompts really get: a word replaced, a line added, two paragraphs swapped,
    a sentence deleted."""
    lines = text.split("\n")
    out = []
    tokens = text.split(" ")
    k = rng.randrange(len(tokens))
    out.append(" ".join(tokens[:k] + ["carefully"] + tokens[k + 1 :]))
    i = rng.randrange(len(lines) + 1)
    out.append("\n".join(lines[:i] + ["Always cite the policy section."] + lines[i:]))
    if len(lines) > 3:
        j = rng.randrange(len(lines) - 2)
        swapped = lines[:j] + [lines[j + 1], lines[j]] + lines[j + 2 :]
        out.append("\n".join(swapped))
    out.append(text.replace(". ", ".\n", 1))
    return out


def test_on_real_shaped_prompts_the_fast_path_marks_at_most_a_line_more_than_the_slow_one() -> None:
    rng = random.Random(11)
    for before in BLOCKS:
        long = "\n\n".join([before] * 6)  # repeated blocks: lines that are not unique
        for base in (before, long):
            for after in _mutations(base, rng):
                fast, slow = words(base, after), words_exact(base, after)
                assert _rebuilds(base, after, fast)
                # lines first may show a moved line whole, where words would move a fence
                longest = max(len(line) for line in (base + "\n" + after).split("\n"))
                assert _changed(fast) <= _changed(slow) + 2 * longest + 2, (base, after)


def test_one_edit_is_found_exactly_even_in_a_long_single_line() -> None:
    line = " ".join(f"word{i % 97}" for i in range(30_000))  # ~200 KB, one line
    after = line.replace("word5 word6 word7", "word5 CHANGED word7", 1)
    ops = words(line, after)
    assert [op for op, _ in ops] == ["equal", "delete", "insert", "equal"]
    assert ops[1:3] == [("delete", "word6"), ("insert", "CHANGED")]


def test_settings_are_compared_as_deepdiff_would_before_deepdiff_is_loaded() -> None:
    """`_same` decides whether deepdiff runs at all: it must see every difference deepdiff sees."""
    from promptctl.diffing import _same

    assert _same({"a": [1, {"b": "x"}]}, {"a": [1, {"b": "x"}]})
    for a, b in [(1, 1.0), (True, 1), ({"a": 1}, {"a": 1, "b": None}), ([1, 2], [2, 1]), ("1", 1), (None, {}), ([1], (1,))]:
        assert not _same(a, b)

"""The hard limits of the render worker: what the sandbox's own checks cannot see (one
long call into C, one huge allocation) is ended by the child's address-space limit or
by killing it on time. Each test turns the sandbox's size limit off to reach them."""

from __future__ import annotations

import os
import time

import pytest

from promptctl.templating import RenderError, isolation, render

pytestmark = pytest.mark.skipif(os.name != "posix", reason="the render worker needs POSIX (resource limits, select on pipes)")


@pytest.fixture(autouse=True)
def _isolated() -> object:
    isolation.enable()
    yield
    isolation.enable(False)


def test_a_huge_allocation_fails_inside_the_child() -> None:
    with pytest.raises(RenderError, match="too much memory"):
        render("{{ ['a' * 1000000] * 1000000 }}", {}, timeout=20.0, max_output=10**15)
    assert render("{{ 'still' ~ ' works' }}{% if x %}{% endif %}", {"x": 1}, timeout=5.0) == "still works"


def test_a_long_call_into_c_is_killed_on_time() -> None:
    start = time.monotonic()
    with pytest.raises(RenderError, match="longer than 1 s"):
        # one sorted() over twenty million characters: no loop tick, no intercepted call
        render("{{ ('ab' * 10000000)|sort|length }}", {}, timeout=1.0, max_output=10**15)
    assert time.monotonic() - start < 1.0 + isolation.START_GRACE + 6  # unkilled, the sort runs far longer
    assert render("{{ n + 1 }}{% if n %}{% endif %}", {"n": 1}, timeout=5.0) == "2"


def test_the_child_imports_nothing_from_the_working_directory(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "jinja2.py").write_text("raise SystemExit('planted module ran')\n")
    monkeypatch.chdir(tmp_path)
    isolation._worker = None  # a new child, started from here
    assert render("{{ a }}{% if a %}!{% endif %}", {"a": "x"}, timeout=5.0) == "x!"


def test_cli_renders_examples_in_the_worker(tmp_path, monkeypatch: pytest.MonkeyPatch, cli) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "prompts").mkdir()
    (tmp_path / "prompts/slow-v1.yaml").write_text(
        'version: 1\nmodel: gpt-4o-2024-08-06\nsystem: "{{ lipsum(1, False, 10**9, 10**9+1) }}"\nexamples:\n' + "  - {}\n" * 50
    )
    monkeypatch.chdir(tmp_path)
    start = time.monotonic()
    result = cli("lint", "--format", "json", "--no-cache")
    assert result.code == 1 and "lipsum() is limited" in result.out
    assert time.monotonic() - start < 10


def test_one_time_budget_per_file_whatever_the_number_of_examples(tmp_path, monkeypatch: pytest.MonkeyPatch, cli) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "prompts").mkdir()
    (tmp_path / "promptctl.toml").write_text("render_timeout = 1.0\n")
    slow = "{% for i in range(90000) %}{% for j in range(3) %}{% endfor %}{% endfor %}{{ n }}"
    (tmp_path / "prompts/slow-v1.yaml").write_text(
        f'version: 1\nmodel: gpt-4o-2024-08-06\nsystem: "{slow}"\nvariables:\n  n: {{type: integer}}\nexamples:\n'
        + "".join(f"  - {{n: {i}}}\n" for i in range(200))
    )
    monkeypatch.chdir(tmp_path)
    start = time.monotonic()
    result = cli("lint", "--format", "json", "--no-cache")
    assert "were not rendered" in result.out and "together" in result.out, result.out
    assert time.monotonic() - start < 15  # 200 examples at ~0.3 s each would take a minute

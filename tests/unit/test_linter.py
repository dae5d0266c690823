"""The lint run's own housekeeping: the cyclic collector, paused while a run gathers
results, is left as the caller had it, and forked workers run with it on."""

from __future__ import annotations

import gc

import pytest

from promptctl import linter
from promptctl.config import load_settings
from tests.conftest import Project

PROMPT = "version: 1\nmodel: gpt-4o-2024-08-06\nowners: ['@team']\nsystem: |\n  Hi {{ name }}.\nvariables:\n  name: {type: string}\n"


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_left_as_the_caller_had_it(project: Project, enabled: bool) -> None:
    project.write("prompts/greeting-v1.yaml", PROMPT)
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        report = linter.lint(load_settings(project.root), use_cache=False)
        assert gc.isenabled() is enabled
        assert report.files_checked == 1
    finally:
        gc.enable() if was else gc.disable()


def test_workers_collect_even_when_the_parent_does_not(project: Project) -> None:
    gc.disable()
    try:
        linter._worker_init()
        assert gc.isenabled()
    finally:
        gc.enable()


EVERYDAY = """\
version: 2
model: gpt-4o-2024-08-06
owners: ['@team', 'ana@example.com']
description: Replies to a customer 👋 — see process.env.SUPPORT_URL
temperature: 0.3
system: |
  {%- set tone = account.tone | default('warm') %}
  You answer for {{ account.name | title }} ({{ account['tier'] }}), in a {{ tone }} voice.
  {% if items and items | length > 2 and not account.vip %}
  Orders: {{ items | join(', ') }}.
  {%- elif account.vip is defined %} A VIP.{% else %} No orders.{% endif %}
  {% for item in items %}{{ loop.index }}. {{ item | upper }}{% endfor %}
  Example JSON: {"id": 1, "ok": true}
variables:
  account: {type: object}
  items: {type: array}
examples:
  - {account: {name: ada, tier: gold, vip: true}, items: [a, b, c]}
  - {account: {name: bob, tier: free}, items: []}
fallbacks:
  - model: claude-3-5-sonnet-20241022
"""


def test_linting_an_everyday_prompt_leaves_no_cycle_for_the_collector(project: Project) -> None:
    """Each file's trees are freed as soon as it is done (reference counting), not when
    the collector next runs: a cycle per file (a recursive closure, a generated
    validator's helper) kept every position of every document alive until then."""
    settings = load_settings(project.root)
    files = {"prompts/plain-v1.yaml": PROMPT, "prompts/everyday-v2.yaml": EVERYDAY}
    for rel, text in files.items():
        linter.lint_file(rel, text.encode(), settings)  # module-level caches filled first
    was = gc.isenabled()
    gc.disable()
    try:
        gc.collect()
        for rel, text in files.items():
            for _ in range(3):
                findings, _facts = linter.lint_file(rel, text.encode(), settings)
                assert not [f for f in findings if f.severity.value == "error"], findings
        assert gc.collect() == 0
    finally:
        gc.enable() if was else gc.disable()


def test_a_parallel_run_equals_the_inline_one(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    for i in range(1, 6):
        for name in ("a", "b", "c"):
            project.write(
                f"prompts/{name}-v{i}.yaml",
                PROMPT.replace("version: 1", f"version: {i}").replace("{{ name }}", "{{ nme }}" if i == 3 else "{{ name }}"),
            )
    settings = load_settings(project.root)
    inline = linter.lint(settings, use_cache=False)
    monkeypatch.setattr(linter, "PARALLEL_THRESHOLD", 2)
    parallel = linter.lint(settings, use_cache=False)
    assert parallel.findings == inline.findings and inline.findings
    assert parallel.quotes == inline.quotes


def test_the_rule_ids_known_without_importing_the_rules_are_the_registrys() -> None:
    from promptctl.rules import ALIASES, REGISTRY, known_ids

    assert known_ids() == set(REGISTRY) | set(ALIASES)


def test_a_warm_run_of_an_unchanged_folder_imports_no_rule(project: Project) -> None:
    import os
    import subprocess
    import sys

    for i in range(70):  # enough files for the run memo, written long enough ago for it
        os.utime(project.write(f"prompts/p{i}-v1.yaml", PROMPT), (1_700_000_000, 1_700_000_000))
    code = (
        "import sys; from promptctl.cli import main; sys.argv = ['promptctl', 'lint', '--quiet'];\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith(('promptctl.rules.', 'promptctl.document', 'promptctl.models', 'yaml'))), file=sys.stderr)"
    )
    first = subprocess.run([sys.executable, "-c", code], cwd=project.root, capture_output=True, text=True, check=True)
    assert "promptctl.rules.secret" in first.stderr  # the cold run lints
    warm = subprocess.run([sys.executable, "-c", code], cwd=project.root, capture_output=True, text=True, check=True)
    assert warm.stderr.strip().splitlines()[-1] == "[]", warm.stderr

"""export."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from promptctl import load_prompt
from tests.conftest import SEED, Project


def test_export_bundle_and_load_from_it(prompts: Project, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("export", "--output", str(tmp_path / "bundle.json"))
    assert result.code == 0 and result.out == f"exported 4 versions to {tmp_path / 'bundle.json'}\n"
    bundle = json.loads((tmp_path / "bundle.json").read_text())
    assert bundle["format"] == "promptctl-bundle" and bundle["prompts"]["customer-support"]["tags"] == {"production": 2, "staging": 3}
    # deterministic
    assert cli("export", "--output", "-").out == (tmp_path / "bundle.json").read_text()
    # the YAML is not needed any more
    import shutil

    shutil.rmtree(prompts.root / "prompts")
    from_bundle = load_prompt("customer-support", tag="staging", root=tmp_path / "bundle.json")
    assert from_bundle.sha256 == hashlib.sha256(SEED.encode()).hexdigest()
    assert from_bundle.render()[0]["content"].startswith("You are a customer support agent")


def test_export_refuses_a_project_with_errors(prompts: Project, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    prompts.write("prompts/broken-v1.yaml", "version: [\n")
    result = cli("export", "--output", str(tmp_path / "bundle.json"))
    assert result.code == 1 and "not exported" in result.err
    assert not (tmp_path / "bundle.json").exists()


def test_export_serves_published_versions_that_have_findings(prompts: Project, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # a published file whose model the catalogue no longer knows: still served, with a warning
    prompts.write("prompts/legacy-v1.yaml", "version: 1\nmodel: gpt-4-0314-retired\nsystem: Hi.\n")
    result = cli("export", "--output", str(tmp_path / "bundle.json"))
    assert result.code == 0 and "promptctl: warning: exported with" in result.err, result
    from promptctl import load_prompt

    assert load_prompt("legacy", root=tmp_path / "bundle.json").model == "gpt-4-0314-retired"
    prompts.write("prompts/broken-v1.yaml", "version: 1\nmodel: m\nsystem: Hi.\ntemprature: 0.2\n")  # a schema finding
    assert cli("export", "--output", str(tmp_path / "b2.json")).code == 1


# -- --format: one version for another tool (renders proved in tests/integration/test_interop.py) --

LOGIC = """\
version: 1
model: gpt-4o-2024-08-06
system: |
  Be brief.
  {% if vip %}Be extra polite.{% endif %}
variables:
  vip:
    type: boolean
    default: false
"""


def test_export_one_version_in_each_format(prompts: Project, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for fmt, start in (
        ("prompty", "---\nname: customer-support\n"),
        ("dotprompt", "---\nmodel: "),
        ("github-models", "name: customer-support\n"),
    ):
        result = cli("export", "customer-support@2", "--format", fmt)
        assert result.code == 0 and result.out.startswith(start), (fmt, result)
    result = cli("export", "customer-support@production", "--format", "litellm", "-o", str(tmp_path / "router.yaml"))
    assert result.code == 0 and result.out == f"exported customer-support@2 to {tmp_path / 'router.yaml'} (litellm)\n"
    assert "model: anthropic/claude-3-5-sonnet-20241022\n" in (tmp_path / "router.yaml").read_text()


def test_export_all_writes_a_folder_and_says_what_the_target_cannot_hold(prompts: Project, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    prompts.write("prompts/billing/triage-v1.yaml", "version: 1\nmodel: gpt-4o-2024-08-06\nsystem: Hi.\nbudget:\n  max_cost_usd: 0.01\n")
    result = cli("export", "--all", "--format", "prompty", "-o", str(tmp_path / "out"))
    assert result.code == 0 and result.out == f"exported 2 prompts to {tmp_path / 'out'}/ (prompty)\n", result
    assert sorted(p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*.prompty")) == [
        "billing/triage.prompty",
        "customer-support.prompty",
    ]
    assert "promptctl: warning: billing/triage@1: prompty has no place for budget (kept under metadata.promptctl)" in result.err


def test_export_refuses_what_the_target_cannot_say_and_writes_nothing(prompts: Project, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    prompts.write("prompts/polite-v1.yaml", LOGIC)
    prompts.write("prompts/roles-v1.yaml", "version: 1\nmodel: gpt-4o-2024-08-06\nsystem: |\n  Answer like this:\n  user:\n  ...\n")
    prompts.write(
        "prompts/own-v1.yaml",
        "version: 1\nmodel: gpt-4o-2024-08-06\nsystem: A.\nfallbacks:\n  - model: claude-3-5-haiku-20241022\n    system: B.\n",
    )
    cases = {
        ("polite", "github-models"): "prompts/polite-v1.yaml: system line 2: `{% if %}`: the target only substitutes `{{var}}`",
        ("roles", "prompty"): "prompts/roles-v1.yaml: system line 2: the line `user:` reads as a Prompty role marker",
        ("own", "litellm"): "prompts/own-v1.yaml: fallback 1 has its own system prompt, which a LiteLLM router cannot send",
    }
    for (name, fmt), message in cases.items():
        result = cli("export", name, "--format", fmt, "-o", str(tmp_path / "out.txt"))
        assert result.code == 2 and result.err.startswith(f"promptctl: error: {message}"), result
        assert len(result.err.strip().splitlines()) == 1
    result = cli("export", "--all", "--format", "github-models", "-o", str(tmp_path / "all"))
    assert result.code == 2 and not (tmp_path / "all").exists() and not (tmp_path / "out.txt").exists()


def test_export_usage_errors(prompts: Project, cli) -> None:  # type: ignore[no-untyped-def]
    cases = {
        ("customer-support", "-o", "x.json"): "the bundle holds every version",
        ("--format", "prompty"): "--format prompty exports NAME[@VERSION] or --all",
        ("customer-support", "--all", "--format", "prompty"): "--format prompty exports NAME[@VERSION] or --all",
        ("--format", "prompty", "nope"): "no prompt named `nope`",
        ("--format", "bundle"): "the bundle needs --output FILE",
    }
    for args, message in cases.items():
        result = cli("export", *args)
        assert result.code == 2 and message in result.err, (args, result)


def test_export_all_of_one_prompt_still_writes_a_folder(project: Project, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    project.write("prompts/solo-v1.yaml", "version: 1\nmodel: gpt-4o-2024-08-06\nsystem: Hi.\n")
    result = cli("export", "--all", "--format", "dotprompt", "-o", str(tmp_path / "new-folder"))
    assert result.code == 0 and result.out == f"exported 1 prompt to {tmp_path / 'new-folder'}/ (dotprompt)\n"
    assert (tmp_path / "new-folder" / "solo.prompt").read_text().startswith("---\nmodel: gpt-4o-2024-08-06\n")
    assert cli("export", "--all", "--format", "dotprompt").code == 2


def test_export_all_says_once_what_many_prompts_leave_out(project: Project, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for name in ("a", "b", "c"):
        project.write(f"prompts/{name}-v1.yaml", "version: 1\nmodel: gpt-4o-2024-08-06\nsystem: Hi.\nbudget:\n  max_cost_usd: 0.01\n")
    result = cli("export", "--all", "--format", "dotprompt", "-o", str(tmp_path / "out"))
    assert result.code == 0
    assert result.err == "promptctl: warning: 3 prompts (a@1, b@1, c@1): dotprompt has no place for budget\n"

"""The runtime API (load_prompt, Registry, Prompt), `render` and `export`."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from promptctl import PromptNotFound, PromptRenderError, Registry, load_prompt
from tests.conftest import ROOT, SEED, Project

TRIAGE = """\
version: 1
model: gpt-4o-2024-08-06
system: |
  Triage for {{ team }}.
  Window: {{ days }} days.
user: "{{ message }}"
variables:
  team: {type: string}
  days: {type: integer, default: 30}
  message: {type: string, description: The customer's words.}
  urgent: {type: boolean, required: false}
temperature: 0.2
max_tokens: 300
stop: ["END"]
fallbacks:
  - model: claude-3-5-haiku-20241022
    system: "Backup triage for {{ team }}."
    temperature: 0
"""


@pytest.fixture
def prompts(project: Project) -> Project:
    project.write("prompts/customer-support-v1.yaml", SEED.replace("version: 3", "version: 1").replace("0.3", "0.7"))
    project.write("prompts/customer-support-v2.yaml", SEED.replace("version: 3", "version: 2").replace("0.3", "0.5"))
    project.write("prompts/customer-support-v3.yaml", SEED.replace("\n", "\r\n"))
    project.write("prompts/customer-support.tags.yaml", "production: 2\nstaging: 3\n")
    project.write("prompts/billing/triage-v1.yaml", TRIAGE)
    return project


def test_load_by_tag_version_and_latest(prompts: Project) -> None:
    registry = Registry(prompts.root / "prompts")
    assert registry.get("customer-support", tag="production").version == 2
    assert registry.get("customer-support", version=1).parameters["temperature"] == 0.7
    latest = registry.get("customer-support")
    assert latest.id == "customer-support@3" and latest.model == "claude-3-5-sonnet-20241022"
    # sha256 of the file with line endings normalised to LF
    assert latest.sha256 == hashlib.sha256(SEED.encode()).hexdigest()
    with pytest.raises(ValueError):
        registry.get("customer-support", version=1, tag="production")


def test_default_root_is_the_configured_prompts_folder(prompts: Project) -> None:
    assert load_prompt("customer-support", tag="staging").version == 3
    assert load_prompt("billing/triage").name == "billing/triage"


def test_render_validates_and_applies_defaults(prompts: Project) -> None:
    prompt = load_prompt("billing/triage", root=prompts.root / "prompts")
    assert prompt.render(team="billing", message="Help") == [
        {"role": "system", "content": "Triage for billing.\nWindow: 30 days.\n"},
        {"role": "user", "content": "Help"},
    ]
    with pytest.raises(PromptRenderError, match="missing required variable `message`"):
        prompt.render(team="billing")
    with pytest.raises(PromptRenderError, match="unknown variable `mesage`"):
        prompt.render(team="billing", message="x", mesage="typo")
    with pytest.raises(PromptRenderError, match="`days` must be integer"):
        prompt.render(team="billing", message="x", days="30")
    with pytest.raises(PromptRenderError, match="`days` must be integer"):
        prompt.render(team="billing", message="x", days=True)


def test_provider_kwargs_and_trace_attributes(prompts: Project) -> None:
    prompt = load_prompt("billing/triage", root=prompts.root / "prompts")
    openai = prompt.openai_kwargs(team="t", message="m")
    assert openai == {
        "model": "gpt-4o-2024-08-06",
        "messages": prompt.render(team="t", message="m"),
        "temperature": 0.2,
        "max_tokens": 300,
        "stop": ["END"],
    }
    anthropic = prompt.fallbacks[0].anthropic_kwargs(team="t", message="m")
    assert anthropic == {
        "model": "claude-3-5-haiku-20241022",
        "max_tokens": 300,
        "system": "Backup triage for t.",
        "messages": [{"role": "user", "content": "m"}],
        "temperature": 0,
        "stop_sequences": ["END"],
    }
    attrs = prompt.trace_attributes()
    assert attrs == {
        "prompt.name": "billing/triage",
        "prompt.version": 1,
        "prompt.id": "billing/triage@1",
        "prompt.sha256": prompt.sha256,
        "prompt.model": "gpt-4o-2024-08-06",
    }


def test_registry_caches_versions_and_reloads_changed_tags(prompts: Project) -> None:
    registry = Registry(prompts.root / "prompts")
    first = registry.get("customer-support", tag="production")
    assert registry.get("customer-support", version=2) is first
    import os
    import time

    path = prompts.root / "prompts/customer-support.tags.yaml"
    path.write_text("production: 3\nstaging: 3\n")
    os.utime(path, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))
    assert registry.get("customer-support", tag="production").version == 3


def test_not_found_errors(prompts: Project) -> None:
    registry = Registry(prompts.root / "prompts")
    with pytest.raises(PromptNotFound, match="no prompt named `nope`"):
        registry.get("nope")
    with pytest.raises(PromptNotFound, match="has no version or tag `canary`"):
        registry.get("customer-support", tag="canary")
    with pytest.raises(PromptNotFound, match="has no version 9"):
        registry.get("customer-support", version=9)
    with pytest.raises(PromptNotFound):
        Registry(prompts.root / "missing")


def test_runtime_imports_neither_git_nor_jsonschema_nor_prices(prompts: Project) -> None:
    code = (
        "import sys; from promptctl import load_prompt;"
        "p = load_prompt('billing/triage'); p.render(team='t', message='m');"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('git', 'jsonschema', 'genai_prices', 'typer', 'rich', 'subprocess'));"
        "print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=prompts.root, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


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


def test_render_command(prompts: Project, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = cli("render", "billing/triage", "--var", "team=ops", "--var", "message=Hi", "--var", "days=7")
    assert out.code == 0
    assert out.out == "── system ──\nTriage for ops.\nWindow: 7 days.\n── user ──\nHi\n"
    as_json = json.loads(cli("render", "billing/triage@1", "--var", "team=ops", "--var", "message=Hi", "-f", "json").out)
    assert as_json[1] == {"role": "user", "content": "Hi"}
    varsfile = tmp_path / "vars.yaml"
    varsfile.write_text("team: ops\nmessage: from file\nurgent: true\n")
    openai = json.loads(cli("render", "billing/triage", "--vars", str(varsfile), "-f", "openai").out)
    assert openai["messages"][1]["content"] == "from file" and openai["model"] == "gpt-4o-2024-08-06"
    anthropic = json.loads(cli("render", "billing/triage", "--vars", str(varsfile), "--fallback", "1", "-f", "anthropic").out)
    assert anthropic["model"] == "claude-3-5-haiku-20241022"
    assert json.loads(cli("render", "customer-support@production", "-f", "json").out)[0]["role"] == "system"


def test_render_problems_are_findings(prompts: Project, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    missing = cli("render", "billing/triage", "--var", "team=ops")
    assert missing.code == 1
    assert missing.err.startswith("prompts/billing/triage-v1.yaml:10:3: render-error missing required variable `message`")
    typed = cli("render", "billing/triage", "--var", "team=ops", "--var", "message=x", "--var", "days=soon")
    assert typed.code == 1 and "variable `days` must be integer, got 'soon'" in typed.err
    prompts.write("prompts/broken-v1.yaml", "version: 1\nmodel: gpt-4o-2024-08-06\nsystem: |\n  fine\n  {{ nobody }}\n")
    undefined = cli("render", "broken")
    assert undefined.code == 1
    assert undefined.err.startswith("prompts/broken-v1.yaml:5:6: render-error `nobody` is undefined")
    blowup = cli("render", "billing/triage", "--var", "team={{ 'x' * 10 }}", "--var", "message=m")
    assert blowup.code == 0 and "{{ 'x' * 10 }}" in blowup.out  # values are data, never templates
    bad_file = tmp_path / "vars.yaml"
    bad_file.write_text("a: &x 1\nb: *x\n")
    assert cli("render", "billing/triage", "--vars", str(bad_file)).code == 2
    assert cli("render", "billing/triage", "--var", "nonsense").code == 2
    assert cli("render", "billing/triage", "--fallback", "5").code == 2
    assert cli("render", "nope").code == 2


def test_readme_example_runs(prompts: Project) -> None:
    """The README's application example, with a stand-in for the provider SDK."""
    readme = (ROOT / "README.md").read_text()
    block = readme.split("```python\n", 1)[1].split("```", 1)[0]
    fake_sdk = (
        "class _Messages:\n"
        "    def create(self, **kwargs):\n"
        "        self.kwargs = kwargs\n"
        "        return type('R', (), {'content': [type('C', (), {'text': 'ok'})()]})()\n"
        "class Anthropic:\n"
        "    def __init__(self): self.messages = _Messages()\n"
    )
    namespace: dict[str, object] = {}
    exec(compile(fake_sdk, "fake_anthropic", "exec"), namespace)
    sys.modules["anthropic"] = type(sys)("anthropic")
    sys.modules["anthropic"].Anthropic = namespace["Anthropic"]  # type: ignore[attr-defined]
    try:
        exec(compile(block, "README.md", "exec"), {})
    finally:
        del sys.modules["anthropic"]


def test_every_missing_variable_at_once_and_a_variable_named_self(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from promptctl.runtime import PromptRenderError, prompt_from_data

    prompt = prompt_from_data(
        "p",
        1,
        {
            "version": 1,
            "model": "m",
            "system": "{{ a }} {{ b }} {{ self_ }}",
            "variables": {
                "a": {"type": "string", "description": "the first"},
                "b": {"type": "integer"},
                "self_": {"type": "string", "default": "x"},
            },
        },
        "",
    )
    with pytest.raises(PromptRenderError, match=r"missing required variables `a` \(the first\), `b`"):
        prompt.render()
    loose = prompt_from_data("p", 1, {"version": 1, "model": "m", "system": "hi", "variables": {"self": {"type": "string"}}}, "")
    assert loose.render(self="me") == [{"role": "system", "content": "hi"}]

"""The runtime API (load_prompt, Registry, Prompt), `render` and `export`."""

from __future__ import annotations

import hashlib
import subprocess
import sys

import pytest

from promptctl import PromptNotFound, PromptRenderError, Registry, load_prompt
from tests.conftest import ROOT, SEED, Project


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

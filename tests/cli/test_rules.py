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

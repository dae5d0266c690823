"""Data-driven rule tests: tests/rules/cases/<rule-id>.yaml holds passing and failing
snippets with the expected [line, column] of each finding of that rule."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import yaml

from promptctl.config import load_settings
from promptctl.linter import lint
from promptctl.rules import REGISTRY

CASES = Path(__file__).parent / "cases"
DEFAULT_PATH = "prompts/greeting-v1.yaml"


def _fake(prefix: str, n: int, alphabet: str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", seed: int = 7) -> str:
    import random

    rng = random.Random(f"{prefix}{seed}")
    return prefix + "".join(rng.choice(alphabet) for _ in range(n))


# Generated at test time, never committed: nothing in the repository looks like a live key.
SECRETS = {
    "anthropic": _fake("sk-ant-api03-", 93),
    "openai": _fake("sk-proj-", 48),
    "aws": _fake("AKIA", 16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"),
    "github": _fake("ghp_", 36),
    "slack": _fake("xoxb-", 12, "0123456789") + _fake("-", 24),
    "anthropic_oauth": _fake("sk-ant-oat01-", 80),
    "openai_none": _fake("sk-None-", 20) + "T3BlbkFJ" + _fake("", 20),
    "slack_app": "xapp-1-A0"
    + _fake("", 8, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    + "-"
    + _fake("", 13, "0123456789")
    + "-"
    + _fake("", 64, "abcdef0123456789"),
    "bearer": _fake("", 40),
    "db_password": _fake("", 16),
    "pem_body": _fake("MIIE", 60),
    "generic": _fake("", 32),
}
SECRETS["big"] = "The quick brown fox jumps over the lazy dog. " * 1000  # ~10k tokens, not a secret
SECRETS["words"] = " ".join(f"word{i}" for i in range(200))
SECRETS["escaped"] = "\\x73" + SECRETS["anthropic"][1:]  # "\x73k-ant-..." in a double-quoted YAML string


def _expand(text: str) -> str:
    for kind, value in SECRETS.items():
        text = text.replace(f"@@{kind}@@", value)
    return text


def _cases() -> list[Any]:
    params = []
    for path in sorted(CASES.glob("*.yaml")):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in spec["cases"]:
            params.append(pytest.param(spec["rule"], case, id=f"{spec['rule']}: {case['name']}"))
    return params


def test_every_rule_has_passing_and_failing_cases() -> None:
    covered: dict[str, set[bool]] = {}
    for param in _cases():
        rule, case = param.values
        expect = case.get("expect", {})
        failing = bool(case.get("count")) or (any(expect.values()) if isinstance(expect, dict) else bool(expect))
        covered.setdefault(rule, set()).add(failing)
    lint_rules = {r.id for r in REGISTRY.values() if r.scope not in ("history", "render")}  # history rules: tests/history/
    missing = {r for r in lint_rules if covered.get(r) != {True, False}}
    assert not missing, f"rules without both passing and failing cases: {sorted(missing)}"


@pytest.mark.parametrize(("rule", "case"), _cases())
def test_rule_case(rule: str, case: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "repo"
    (root / "prompts").mkdir(parents=True)
    monkeypatch.chdir(root)
    if "config" in case:
        (root / "promptctl.toml").write_text(case["config"] + "\n")
    files: dict[str, Any] = dict(case.get("files", {}))
    if "content" in case or "bytes" in case:
        raw = case["bytes"].encode("latin-1") if "bytes" in case else _expand(case["content"]).encode("utf-8")
        files[case.get("path", DEFAULT_PATH)] = raw
    for rel, content in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    for rel, dest in case.get("links", {}).items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(dest, root / rel)

    settings = load_settings(root)
    paths = [root / p for p in case["lint"]] if "lint" in case else None
    report = lint(settings, paths)
    got: dict[str, list[list[int]]] = {}
    for f in report.findings:
        if f.rule == rule:
            got.setdefault(f.path, []).append([f.line, f.column])
            if "contains" in case:
                assert case["contains"] in f.message, f.message
            assert f.severity == REGISTRY[rule].severity

    if "count" in case:
        assert sum(len(v) for v in got.values()) == case["count"], got
        return
    expect = case["expect"]
    if not isinstance(expect, dict):
        expect = {case.get("path", DEFAULT_PATH): expect} if expect else {}
    assert got == {k: v for k, v in expect.items() if v}, [f.as_dict() for f in report.findings]
    if rule == "secret":
        shown = "".join(f.message for f in report.findings) + "".join(report.sources.values())
        for kind, value in SECRETS.items():
            if kind in ("big", "words"):
                continue
            assert value not in shown and value[-12:] not in shown, "output must never print the whole secret"

"""The rule registry: a plain dict of id -> Rule, one module per rule id.

A rule module is named after its id (``duplicate_key.py`` is ``duplicate-key``); its
docstring is the rule's documentation and the text of ``promptctl rules``. A renamed id
keeps an alias in ``ALIASES`` so that configurations keep working.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable
from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from promptctl.config import Settings
    from promptctl.findings import Finding
    from promptctl.rules.base import Rule

    REGISTRY: dict[str, Rule]

_MODULES = (
    "yaml_syntax",
    "yaml_limits",
    "yaml_alias",
    "yaml_tag",
    "duplicate_key",
    "ambiguous_value",
    "schema",
    "filename",
    "version_mismatch",
    "version_gap",
    "symlink",
    "template_syntax",
    "undeclared_variable",
    "unused_variable",
    "tag_target",
    "hidden_unicode",
    "secret",
    "name_collision",
    "example_render",
    "render_error",
    "unknown_model",
    "floating_model",
    "parameter_range",
    "budget",
    "fallback_provider",
    "missing_owners",
    "unused_suppression",
    "config_change",
    "modified_version",
    "deleted_version",
    "renamed_version",
    "inserted_version",
    "moved_tag",
    "deleted_tag",
)

ALIASES: dict[str, str] = {}


def _load() -> dict[str, Rule]:
    registry: dict[str, Rule] = {}
    for name in _MODULES:
        rule: Rule = import_module(f"promptctl.rules.{name}").RULE
        assert rule.id == name.replace("_", "-"), f"rule module {name} defines {rule.id}"
        registry[rule.id] = rule
    return registry


_registry: dict[str, Rule] = {}


def registry() -> dict[str, Rule]:
    """Every rule by id, the modules imported on first use: most commands only need the
    ids (:func:`known_ids`), and the rules' imports (the YAML loader, templating) are a
    good part of a short command's start."""
    if not _registry:
        _registry.update(_load())
    return _registry


def __getattr__(name: str) -> Any:  # `from promptctl.rules import REGISTRY`
    if name == "REGISTRY":
        return registry()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def canonical(rule_id: str) -> str:
    return ALIASES.get(rule_id, rule_id)


def known_ids() -> set[str]:
    """The rule ids, without importing the rules (a module is named after its id)."""
    return {name.replace("_", "-") for name in _MODULES} | set(ALIASES)


# Which rules a configuration selects: one home for lint and check alike.
def enabled_rules(settings: Settings) -> set[str]:
    if settings.select is not None:
        chosen = set(registry()) if "ALL" in settings.select else {canonical(r) for r in settings.select}
    else:
        chosen = {rule.id for rule in registry().values() if rule.default}
    chosen |= {canonical(r) for r in settings.extend_select}
    chosen -= {canonical(r) for r in settings.ignore}
    return chosen


def filter_findings(findings: Iterable[Finding], settings: Settings) -> list[Finding]:
    enabled = enabled_rules(settings)
    per_file = [(glob, {canonical(r) for r in rules}) for glob, rules in settings.per_file_ignores]
    kept = []
    for f in findings:
        if f.rule not in enabled:
            continue
        if any(f.rule in rules and fnmatch.fnmatch(f.path, glob) for glob, rules in per_file):
            continue
        kept.append(f)
    return kept

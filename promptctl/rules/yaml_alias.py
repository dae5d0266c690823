"""An anchor (`&a`), alias (`*a`) or merge key (`<<`) is used.

Why: aliases make a reviewer look elsewhere to know what a value is, and an "alias
bomb" of a few hundred bytes expands to gigabytes in tools that walk it. promptctl
refuses them before anything is expanded.

Example (fails):

    defaults: &base {temperature: 0.2}
    fallbacks:
      - <<: *base
        model: gpt-4o-2024-08-06

Fix: write the values out.
"""

from __future__ import annotations

from promptctl.findings import Severity
from promptctl.rules.base import Rule

RULE = Rule("yaml-alias", Severity.ERROR, __doc__)

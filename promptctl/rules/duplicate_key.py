"""A mapping has the same key twice.

Why: YAML silently keeps the last value, so a reviewer who reads the first one is
misled about what the prompt sends.

Example (fails):

    temperature: 0.2
    temperature: 0.9

Fix: keep one of them.
"""

from __future__ import annotations

from promptctl.findings import Severity
from promptctl.rules.base import Rule

RULE = Rule("duplicate-key", Severity.ERROR, __doc__)

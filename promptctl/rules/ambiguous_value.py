"""A plain value means something other than what was written (YAML 1.1 surprises).

Why: YAML 1.1, which PyYAML and many tools implement, reads `version: 010` as 8
(octal), `model: no` as false, `1:20` as 80 (base 60), `2024-01-01` as a date and
`1_000` as 1000 — while YAML 1.2 readers read some of them differently again. The
finding quotes what the author wrote and what it becomes.

Example (fails):

    model: no
    version: 010

Fix: quote the value (`model: "no"`) or write the number plainly (`version: 10`).
"""

from __future__ import annotations

from promptctl.findings import Severity
from promptctl.rules.base import Rule

RULE = Rule("ambiguous-value", Severity.ERROR, __doc__)

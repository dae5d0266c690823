"""A value carries an explicit YAML tag (`!!python/object`, `!include`, `!!str` ...).

Why: tags ask a YAML loader to build objects or read other files; an unsafe loader
elsewhere in your stack would execute them. Prompt files hold plain data only.

Example (fails):

    system: !include ../secrets.txt

Fix: remove the tag; quote the value if you need a string.
"""

from __future__ import annotations

from promptctl.findings import Severity
from promptctl.rules.base import Rule

RULE = Rule("yaml-tag", Severity.ERROR, __doc__)

"""A `# promptctl: ignore[…]` or `ignore-file[…]` comment suppresses nothing.

Why: a suppression outlives the finding it was written for (the text was fixed, the
rule was renamed) and then hides the next real finding of that rule. A rule that judges
more than one file (versions, tags, history) cannot be suppressed by a comment.

Example (warns):

    version: 1
    model: gpt-4o-2024-08-06
    system: Hello.  # promptctl: ignore[undeclared-variable]

Fix: remove the suppression, or the rule id that no longer applies.
"""

from __future__ import annotations

from promptctl.findings import Severity
from promptctl.rules.base import Rule

RULE = Rule("unused-suppression", Severity.WARNING, __doc__)

"""`promptctl render` could not render the prompt with the given variables.

Why: this is the error an application would get at run time — reported before it
ships. It covers a missing required variable, an unknown one (usually a typo), a value
that does not match its declared type, an undefined name in a template (with its line
in the file), operations the sandbox refuses (attribute access to internals, `include`)
and the render limits (`render_timeout`, `render_max_output`, huge exponents or
repetitions, runaway loops).

Fix: as the message says: pass the variable, fix its value, or fix the template.
"""

from __future__ import annotations

from promptctl.findings import Severity
from promptctl.rules.base import RenderRule

RULE = RenderRule("render-error", Severity.ERROR, __doc__)

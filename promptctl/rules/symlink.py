"""A symbolic link under the prompts folder.

Why: a link lets a pull request change what a published version says without touching
the version file (by changing the link's target, possibly outside the folder), and
lets a tool that writes be tricked into writing elsewhere. promptctl never follows one.

Fix: replace the link with a regular file.
"""

from __future__ import annotations

from promptctl.findings import Severity
from promptctl.rules.base import Rule

RULE = Rule("symlink", Severity.ERROR, __doc__)

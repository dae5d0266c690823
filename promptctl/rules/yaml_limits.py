"""The file is larger or nested deeper than the configured limits.

Why: prompt files arrive in pull requests and are read in CI; a huge or deeply nested
file is either a mistake or an attack on the tools that read it. Defaults: 256 KiB
(`max_file_size`) and 32 levels (`max_depth`).

Fix: split the prompt, or raise the limit in the configuration if the file is legitimate.
"""

from __future__ import annotations

from promptctl.findings import Severity
from promptctl.rules.base import Rule

RULE = Rule("yaml-limits", Severity.ERROR, __doc__)

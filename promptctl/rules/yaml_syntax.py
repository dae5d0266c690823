"""The file is not a single, readable YAML mapping.

Why: everything else promptctl checks needs the file to parse. This covers YAML syntax
errors, encodings other than UTF-8 (a UTF-8 byte-order mark is tolerated), files with
more than one document (`---`), an empty file, a top level that is not a mapping, and
keys that YAML reads as something other than a string (`on:` is the boolean true,
`1:` an integer).

Example (fails):

    version: 1
    system: "unterminated

Fix: correct the syntax at the position shown; quote keys like `"on":`.
"""

from __future__ import annotations

from promptctl.findings import Severity
from promptctl.rules.base import Rule

RULE = Rule("yaml-syntax", Severity.ERROR, __doc__)

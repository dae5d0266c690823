"""An API key, token or private key is pasted into a prompt file.

Why: prompt files are read by every reviewer, every CI job and, through bundles, every
deployment — and a published version can never be edited to take the secret out.
Detected: OpenAI, Anthropic (API and OAuth), AWS, Google, GitHub, GitLab, Slack (tokens,
app tokens and webhooks), Stripe, Hugging Face, Groq, xAI, npm and PyPI tokens, JSON Web
Tokens, private keys (with their base64), `Authorization: Bearer …`, database URLs with
a password, and `api_key: …`-style assignments of high-entropy values — also inside
quoted strings with escapes (the decoded value is scanned too).

Not secrets: references to one (`process.env.API_KEY`, `os.environ["API_KEY"]`,
`${{ secrets.API_KEY }}`, `$API_KEY`, an environment variable's name), documented
placeholders (`sk-...`, `AKIAIOSFODNN7EXAMPLE`, `<your-api-key>`, `YOUR_API_KEY`,
`xxxx`, `postgres://user:password@…`), a PEM header mentioned in prose, and jwt.io's
example token. Output never prints the whole secret.

Fix: remove the secret and rotate it — it is compromised the moment it is pushed. If
it is already in a published version, see "A secret in a published version" in the
README for the break-glass path.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from promptctl.findings import Finding, Severity
from promptctl.redaction import SECRET_RULE, find, mask
from promptctl.rules.base import TextRule


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def check(path: str, text: str, doc: Any = None) -> Iterator[Finding]:
    seen: set[str] = set()
    for start, _, kind, secret in find(text):
        seen.add(secret)
        yield RULE.at(path, _position(text, start), f"{kind} {mask(secret)}; remove it and rotate the key")
    if doc is None or "\\" not in text:
        return
    # Escaped in a double-quoted string ("sk-\x61nt…"): only the decoded value shows it.
    for key, scalar in doc.values.items():
        if scalar.style != '"':
            continue
        value = doc.value_at(key)
        if not isinstance(value, str):
            continue
        for _, _, kind, secret in find(value):
            if secret not in seen and secret not in text:
                seen.add(secret)
                yield RULE.at(
                    path, (scalar.line, scalar.column), f"{kind} {mask(secret)} (written with escapes); remove it and rotate the key"
                )


RULE = TextRule(SECRET_RULE, Severity.ERROR, __doc__, check=check)

"""Secrets in text: where they are (:func:`find`), and text fit to print with each one
masked (:func:`redact`). The ``secret`` rule reports them; every output of the CLI —
stdout, stderr, the CI job summary, the GitLab report — passes through :func:`redact`
(:class:`RedactingStream`), so a key in a model id, a schema message, an example's
error or a diff line of an edited published file is never printed whole."""

from __future__ import annotations

import functools
import io
import math
import re
from collections.abc import Iterator
from typing import TextIO

from promptctl.findings import Finding

SECRET_RULE = "secret"

# (kind, pattern): each pattern's group "s" is the secret. All are linear-time.
_PATTERNS: list[tuple[str, str]] = [
    ("Anthropic API key", r"(?P<s>sk-ant-(?:api|admin|sid|oat|ort)\d{2}-[A-Za-z0-9_\-]{32,})"),
    ("OpenAI API key", r"(?P<s>sk-(?:proj|svcacct|admin|None)-[A-Za-z0-9_\-]{20,})"),
    ("OpenAI API key", r"(?<![A-Za-z0-9_\-])(?P<s>sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})"),
    ("OpenAI-style API key", r"(?<![A-Za-z0-9_\-])(?P<s>sk-[A-Za-z0-9]{32,})(?![A-Za-z0-9])"),
    ("AWS access key id", r"(?<![A-Z0-9])(?P<s>(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16})(?![A-Z0-9])"),
    ("AWS secret access key", r"(?i:aws_?secret_?(?:access_?)?key)[\"']?\s*[:=]\s*[\"']?(?P<s>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])"),
    ("Google API key", r"(?P<s>AIza[0-9A-Za-z_\-]{35})"),
    ("Google OAuth client secret", r"(?P<s>GOCSPX-[0-9A-Za-z_\-]{28})"),
    ("GitHub token", r"(?P<s>(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36,})"),
    ("GitHub fine-grained token", r"(?P<s>github_pat_[A-Za-z0-9_]{60,})"),
    ("GitLab token", r"(?P<s>glpat-[A-Za-z0-9_\-]{20,})"),
    ("Slack token", r"(?P<s>xox[abposre]-[0-9]{6,}-[0-9A-Za-z\-]{10,})"),
    ("Slack app token", r"(?P<s>xapp-[0-9]-[A-Za-z0-9]{8,}-[0-9]{6,}-[A-Za-z0-9]{20,})"),
    ("Slack webhook", r"(?P<s>https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/_\-]{20,})"),
    ("Stripe key", r"(?P<s>(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{20,})"),
    ("Hugging Face token", r"(?P<s>hf_[A-Za-z0-9]{34,})"),
    ("Groq API key", r"(?P<s>gsk_[A-Za-z0-9]{48,})"),
    ("xAI API key", r"(?P<s>xai-[A-Za-z0-9]{60,})"),
    ("npm token", r"(?P<s>npm_[A-Za-z0-9]{36})"),
    ("PyPI token", r"(?P<s>pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_\-]{50,})"),
    ("JSON Web Token", r"(?P<s>eyJ[A-Za-z0-9_\-]{10,}\.eyJ[A-Za-z0-9_\-]{10,}\.[A-Za-z0-9_\-]{10,})"),
    # a header followed by the key's base64 (not the header mentioned in prose)
    # a header followed by the key's base64 (not the header mentioned in prose); the
    # secret is the header and the base64 lines after it (each run follows a separator,
    # so no two ways to split one run: linear time)
    (
        "private key",
        r"(?P<s>-----BEGIN (?:[A-Z]+ )*PRIVATE KEY(?: BLOCK)?-----(?:(?:\s|\\[nr])+(?:Proc-Type:[^\n]*|DEK-Info:[^\n]*|[A-Za-z0-9+/=]{16,}))+)",
    ),
    ("bearer token", r"(?i:\bbearer\s+)(?P<s>[A-Za-z0-9_\-.~+/]{20,}=*)"),
    (
        "connection string with a password",
        r"(?P<s>\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|redis|rediss|amqps?|mssql)://[^\s:/@]+:[^\s@/]{2,}@[^\s\"'`]+)",
    ),
    (
        "credential",
        r"(?i:\b(?:api[_\-]?key|apikey|secret[_\-]?key|access[_\-]?token|auth[_\-]?token|client[_\-]?secret|password|passwd)\b)"
        r"[\"']?\s*[:=]\s*[\"']?(?P<s>[A-Za-z0-9_\-/+=.]{20,})",
    ),
]
# Literal markers, one of which every key of a kind contains: a pattern runs only when a
# marker is in a key-shaped run (substring tests are far cheaper than regular-expression
# scans). AWS secret keys and credentials are found by their assignment's words, private
# keys by their header.
_MARKERS = {
    "Anthropic API key": ("sk-ant-",),
    "OpenAI API key": ("sk-",),
    "OpenAI-style API key": ("sk-",),
    "AWS access key id": ("AKIA", "ASIA", "ABIA", "ACCA", "A3T"),
    "Google API key": ("AIza",),
    "Google OAuth client secret": ("GOCSPX-",),
    "GitHub token": ("ghp_", "gho_", "ghu_", "ghs_", "ghr_"),
    "GitHub fine-grained token": ("github_pat_",),
    "GitLab token": ("glpat-",),
    "Slack token": ("xox",),
    "Slack webhook": ("hooks.slack.com",),
    "Slack app token": ("xapp-",),
    "Stripe key": ("_live_", "_test_"),
    "Hugging Face token": ("hf_",),
    "Groq API key": ("gsk_",),
    "xAI API key": ("xai-",),
    "npm token": ("npm_",),
    "PyPI token": ("pypi-",),
    "JSON Web Token": ("eyJ",),
}
# Lower-case words one of which every credential assignment has just before its value
# ("secret" also stands for the AWS secret key's `aws_secret_access_key`).
_CREDENTIAL_WORDS = (
    "bearer",
    "api_key",
    "api-key",
    "apikey",
    "secret",
    "access_token",
    "access-token",
    "accesstoken",
    "auth_token",
    "auth-token",
    "authtoken",
    "passw",
)
# Every key-shaped secret is a run of at least 15 of these characters (the shortest, a
# Slack token, is `xoxb-` and ten more; the others are 20 and up), and each kind's
# marker is inside that run. Finding the runs is one byte translation and a few
# substring searches; most files have no run that holds a marker and are done there.
_KEY_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-/+=.")
_KEY_TABLE = bytes(ord("k") if chr(i) in _KEY_CHARS else ord(" ") for i in range(256))
_SHORTEST = 15
_RUN = b"k" * _SHORTEST
_FEW_RUNS = 8  # long runs looked around one by one: cheaper than searching a prompt for twelve words
_KEY_MARKERS = sorted({m for ms in _MARKERS.values() for m in ms})
_PLACEHOLDER = re.compile(r"(?i)example|xxxx|your|placeholder|dummy|redacted|fake|sample|changeme|\.\.\.|<|>|\*{3}|0{8}|1234567")


@functools.cache
def _compiled() -> list[tuple[str, re.Pattern[str]]]:
    """The patterns, compiled the first time a text needs one: most runs never do, and
    compiling them all is 5 ms at the start of every command."""
    return [(kind, re.compile(pattern)) for kind, pattern in _PATTERNS]


def _entropy(text: str) -> float:
    counts: dict[str, int] = {}
    for ch in text:
        counts[ch] = counts.get(ch, 0) + 1
    return -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())


# A reference to a secret is not a secret: `process.env.API_KEY`, `os.environ[...]`,
# `${{ secrets.API_KEY }}`, `$API_KEY`, an environment variable's name.
_REFERENCE = re.compile(r"(?:process\.env|os\.environ|import\.meta\.env|env|secrets|vars)\b[.\[]|\$|[A-Z][A-Z0-9_]*\Z")
_URL_PASSWORD = re.compile(r"://[^:/@]*:([^@]*)@")
_PLACEHOLDER_PASSWORDS = re.compile(
    r"(?i)(?:pass(?:word|wd)?|secret|changeme|\*+|x+|<[^>]*>|\$\{?[A-Za-z_]+\}?|%\([a-z_]+\)s|\{[a-z_]*\})\Z"
)


def _sample_jwt(token: str) -> bool:
    """The token of jwt.io's example ("John Doe", sub 1234567890), found in every tutorial."""
    import base64

    try:
        payload = token.split(".")[1]
        text = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).decode("utf-8", "replace")
    except (IndexError, ValueError):
        return False
    return '"John Doe"' in text and '"1234567890"' in text


def _real(kind: str, secret: str) -> bool:
    if kind == "connection string with a password":
        password = _URL_PASSWORD.search(secret)
        return password is not None and not _PLACEHOLDER_PASSWORDS.match(password.group(1))
    if _PLACEHOLDER.search(secret):
        return False
    if kind == "private key":
        return True
    if kind in ("credential", "bearer token") and _REFERENCE.match(secret):
        return False
    if kind == "JSON Web Token" and _sample_jwt(secret):
        return False
    threshold = 3.5 if kind == "credential" else 3.0
    return _entropy(secret) >= threshold


def mask(secret: str) -> str:
    keep = min(len(secret) // 4, 8)
    return f"{secret[:keep]}…({len(secret)} characters)"


def _key_runs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each run of :data:`_SHORTEST` or more key characters in ``text``."""
    raw = text.encode("utf-8", "surrogatepass")
    keyish = raw.translate(_KEY_TABLE)
    runs = []
    start = keyish.find(_RUN)
    while start != -1:
        end = keyish.find(b" ", start + _SHORTEST)
        end = len(keyish) if end == -1 else end
        runs.append((start, end))
        start = keyish.find(_RUN, end)
    if runs and len(raw) != len(text):  # byte offsets to character offsets, in one pass
        converted = []
        byte, char = 0, 0
        for s, e in runs:  # in order: each stretch is decoded once
            char += len(raw[byte:s].decode("utf-8", "surrogatepass"))
            start = char
            char += len(raw[s:e].decode("utf-8", "surrogatepass"))
            byte = e
            converted.append((start, char))
        runs = converted
    return runs


# The start of a reference (`process.env.X`, `os.environ["X"]`, `$X`, `secrets.X`).
_REFERENCE_START = re.compile(r"(?:process\.env|os\.environ|import\.meta\.env|env|secrets|vars)\b[.\[]|\$")


def _referenced(run: str) -> bool:
    """Whether a key-shaped run is a reference to a secret and holds no other value: a
    credential, bearer token or AWS secret key there would start where the run starts
    (`=` is the only separator inside a run), and such a value is no secret (:func:`_real`)."""
    return "=" not in run and _REFERENCE_START.match(run) is not None


def _assignment(text: str, start: int, end: int) -> bool:
    """Whether a credential word can precede the value in ``text[start:end]``: in the run
    itself (`api_key=…`) or before the quotes, blanks, `:` or `=` in front of it."""
    i = start
    while i > 0 and (text[i - 1] in "\"':=" or text[i - 1].isspace()):
        i -= 1
    window = text[max(0, i - 30) : end].lower()
    return any(word in window for word in _CREDENTIAL_WORDS)


def find(text: str) -> Iterator[tuple[int, int, str, str]]:
    """(start, end, kind, secret) of each secret in ``text``, first match wins per span."""
    taken: list[tuple[int, int]] = []
    runs = _key_runs(text)
    keys = " ".join({text[s:e] for s, e in runs})  # each run once: a report repeats its paths and model ids
    present = {m for m in _KEY_MARKERS if m in keys}
    # Credentials and AWS secret keys are 20 characters and more, after a credential word:
    # a look around each long run (a prompt has a few), and first one look for the words
    # through the whole text when there are many (a report of 16,000 findings has 40,000).
    long_runs = [(s, e) for s, e in runs if e - s >= 20]
    if len(long_runs) > _FEW_RUNS:
        lowered = text.lower()
        if not any(word in lowered for word in _CREDENTIAL_WORDS):
            long_runs = []
    credential = any(not _referenced(text[s:e]) and _assignment(text, s, e) for s, e in long_runs)
    private = "PRIVATE KEY" in text
    url = "://" in text and "@" in text
    if not present and not credential and not private and not url:
        return
    for kind, pattern in _compiled():
        if kind in ("credential", "AWS secret access key", "bearer token"):
            if not credential:
                continue
        elif kind == "connection string with a password":
            if not url:
                continue
        elif kind == "private key":
            if not private:
                continue
        elif not any(marker in present for marker in _MARKERS[kind]):
            continue
        for match in pattern.finditer(text):
            start, end = match.span("s")
            if any(start < e and s < end for s, e in taken):
                continue
            secret = match.group("s")
            if _real(kind, secret):
                taken.append((start, end))
                yield start, end, kind, secret


def redact(text: str) -> str:
    """``text`` with every secret masked, for quoting source lines; a secret over
    several lines (a private key) is masked line by line, so lines keep their numbers."""
    spans = sorted((s, e, secret) for s, e, _, secret in find(text))
    out, pos = [], 0
    for start, end, secret in spans:
        out.append(text[pos:start])
        out.append("\n".join(mask(part) if part.strip() else part for part in secret.split("\n")))
        pos = end
    out.append(text[pos:])
    return "".join(out)


def is_escaped(finding: Finding) -> bool:
    """A secret found only once its escapes were decoded: its quoted line is cut there."""
    return finding.rule == SECRET_RULE and "written with escapes" in finding.message


def redact_source(text: str, findings: list[Finding]) -> str:
    """``text`` fit to quote: secrets masked, and lines holding an escaped secret cut at
    the finding (the escapes would otherwise show the rest of it)."""
    text = redact(text)
    escaped = {f.line: f.column for f in findings if is_escaped(f)}
    if not escaped:
        return text
    lines = text.split("\n")
    for line, column in escaped.items():
        if 1 <= line <= len(lines):
            lines[line - 1] = lines[line - 1][: column - 1] + "…(redacted)"
    return "\n".join(lines)


class RedactingStream(io.TextIOBase):
    """A text stream that masks secrets line by line before they reach ``target``
    (a secret never spans a line break)."""

    def __init__(self, target: TextIO) -> None:
        self.target = target
        self._pending = ""

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self.target, "encoding", None) or "utf-8"

    @property
    def errors(self) -> str | None:  # type: ignore[override]
        return getattr(self.target, "errors", None)

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return bool(getattr(self.target, "isatty", lambda: False)())

    def fileno(self) -> int:
        return self.target.fileno()

    def write(self, text: str) -> int:
        self._pending += text
        if "\n" in self._pending:
            complete, _, self._pending = self._pending.rpartition("\n")
            self.target.write(redact(complete + "\n"))
        return len(text)

    def flush(self) -> None:
        if self._pending:
            self.target.write(redact(self._pending))
            self._pending = ""
        self.target.flush()

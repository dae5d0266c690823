"""Line endings: one rule for every reader. CRLF and a lone CR both end a line, as in
YAML; text is compared, hashed, quoted and exported with LF only. (A committed change
of line endings is still a change to a published file: git compares bytes.)"""

from __future__ import annotations


def to_lf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def to_lf_bytes(raw: bytes) -> bytes:
    return raw.replace(b"\r\n", b"\n").replace(b"\r", b"\n")

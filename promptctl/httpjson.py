"""JSON over HTTP with the standard library: the review comment and the registries.

One call is one request; :func:`call` retries what may succeed a moment later (a
connection refused or reset, a timeout, 429, 5xx) with growing pauses, and never what
will not (any other 4xx). Failures are :class:`HttpFailed` with a short reason: never a
token, never more than 200 characters of what the server said."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from typing import Any

RETRIED = frozenset({408, 425, 429, 500, 502, 503, 504})


class HttpFailed(Exception):
    def __init__(self, reason: str, status: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status  # None: no answer (refused, reset, timed out)

    @property
    def retriable(self) -> bool:
        return self.status is None or self.status in RETRIED


def _once(method: str, url: str, headers: dict[str, str], body: Any, timeout: float) -> Any:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={**headers, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw = response.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read(2000).decode("utf-8", "replace")
        try:
            parsed = json.loads(detail)
            if isinstance(parsed, dict):
                detail = str(parsed.get("message") or parsed.get("detail") or parsed.get("error") or detail)
        except ValueError:
            pass
        raise HttpFailed(f"HTTP {exc.code} on {method} ({' '.join(detail.split())[:200]})", exc.code) from None
    except (urllib.error.URLError, OSError) as exc:
        raise HttpFailed(f"{method} failed: {getattr(exc, 'reason', exc)}") from None
    try:
        return json.loads(raw) if raw.strip() else None
    except ValueError:
        raise HttpFailed(f"{method}: the answer is not JSON") from None


def call(
    method: str, url: str, headers: dict[str, str], body: Any = None, *, timeout: float = 15, retries: int = 0, pause: float = 0.5
) -> Any:
    """The answer's JSON (None for an empty body)."""
    for attempt in range(retries + 1):
        try:
            return _once(method, url, headers, body, timeout)
        except HttpFailed as exc:
            if not exc.retriable or attempt == retries:
                raise
            time.sleep(pause * 2**attempt)
    raise AssertionError("unreachable")

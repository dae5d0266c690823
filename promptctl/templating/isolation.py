"""Rendering untrusted templates in a worker process with hard limits.

The sandbox in :mod:`promptctl.templating.sandbox` checks the clock at loop ticks and
intercepted calls, and sizes at the operators that multiply them. That is most of the
way, not all of it: one call into C (a huge ``repr``, ``tojson`` of a deep list, a
regular expression) runs as long and allocates as much as it likes between two checks.
So wherever templates come from a pull request — every command of the CLI — the Jinja2
path renders in a child process that:

- has an address-space limit (``RLIMIT_AS``, :data:`MEMORY_LIMIT`), so an allocation
  of a terabyte fails with ``MemoryError`` inside the child;
- is killed when the render's wall-clock time (plus a start-up grace) is over, and
  replaced for the next render;
- answers in JSON only, so even a child the template took over cannot hand the parent
  anything but text.

Applications that call ``load_prompt(...).render()`` render reviewed prompts in-process
(no child): :func:`enable` is called by the CLI alone. Where ``resource`` or ``select``
on pipes is missing (Windows), rendering stays in-process with the sandbox's checks.
"""

from __future__ import annotations

import json
import os
import pickle
import struct
import subprocess
import sys
import time
from typing import Any

MEMORY_LIMIT = 1024 * 1024 * 1024  # address space of the child, bytes
START_GRACE = 3.0  # seconds for the child to start and import Jinja2, on top of the render timeout
_HEADER = struct.Struct(">I")

_enabled = False
_worker: _Worker | None = None


def enable(on: bool = True) -> None:
    """Render the Jinja2 path in a limited child process from now on (the CLI's mode)."""
    global _enabled
    _enabled = on and os.name == "posix"


def enabled() -> bool:
    return _enabled


class _Worker:
    def __init__(self) -> None:
        # The child imports exactly what this process imports (its sys.path), from "/"
        # so that no module in the repository under review can shadow one.
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "from promptctl.templating.isolation import serve; serve()"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            cwd="/",
            start_new_session=True,
        )
        self.fresh = True

    def kill(self) -> None:
        try:
            self.proc.kill()
            self.proc.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            pass

    def ask(self, payload: bytes, deadline: float) -> dict[str, Any] | None:
        """Send one request; the answer, or None when the child died or ran out of time."""
        import select

        assert self.proc.stdin is not None and self.proc.stdout is not None
        try:
            self.proc.stdin.write(_HEADER.pack(len(payload)) + payload)
            self.proc.stdin.flush()
        except OSError:
            return None
        fd = self.proc.stdout.fileno()
        buffer = b""
        need = _HEADER.size
        length: int | None = None
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            ready, _, _ = select.select([fd], [], [], remaining)
            if not ready:
                return None
            chunk = os.read(fd, max(need - len(buffer), 1 << 16))
            if not chunk:
                return None
            buffer += chunk
            if length is None and len(buffer) >= _HEADER.size:
                (length,) = _HEADER.unpack(buffer[: _HEADER.size])
                buffer = buffer[_HEADER.size :]
                need = length
            if length is not None and len(buffer) >= length:
                answer: dict[str, Any] = json.loads(buffer[:length].decode("utf-8"))
                return answer


def render(source: str, variables: dict[str, Any], *, timeout: float, max_output: int) -> str:
    """Render through the child; raises :class:`promptctl.templating.language.RenderError`."""
    global _worker
    from promptctl.templating.language import RenderError
    from promptctl.templating.sandbox import render_jinja

    try:
        payload = pickle.dumps((source, variables, timeout, max_output), protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
        # Values from YAML always pickle; these came from Python code that calls us.
        return render_jinja(source, variables, timeout=timeout, max_output=max_output)
    if _worker is None or _worker.proc.poll() is not None:
        _worker = _Worker()
    grace = START_GRACE if _worker.fresh else 0.5
    _worker.fresh = False
    answer = _worker.ask(payload, time.monotonic() + timeout + grace)
    if answer is None:
        timed_out = _worker.proc.poll() is None
        _worker.kill()
        _worker = None
        if timed_out:
            raise RenderError(f"rendering took longer than {timeout:g} s (config `render_timeout`)", kind="limit")
        raise RenderError("the template needs too much memory or crashed the renderer", kind="limit")
    if "text" in answer:
        return str(answer["text"])
    raise RenderError(answer["message"], answer.get("line"), answer.get("kind", "render"))


def serve() -> None:  # pragma: no cover - runs in the child; exercised through render()
    """The child: apply the limits, then answer render requests until stdin closes."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    while True:
        header = stdin.read(_HEADER.size)
        if len(header) < _HEADER.size:
            return
        (length,) = _HEADER.unpack(header)
        source, variables, timeout, max_output = pickle.loads(stdin.read(length))
        from promptctl.templating.language import RenderError
        from promptctl.templating.sandbox import render_jinja

        try:
            answer: dict[str, Any] = {"text": render_jinja(source, variables, timeout=timeout, max_output=max_output)}
        except RenderError as exc:
            answer = {"message": exc.message, "line": exc.line, "kind": exc.kind}
        except MemoryError:
            answer = {"message": "the template needs too much memory", "line": None, "kind": "limit"}
        data = json.dumps(answer).encode("utf-8")
        stdout.write(_HEADER.pack(len(data)) + data)
        stdout.flush()

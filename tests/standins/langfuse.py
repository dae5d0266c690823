"""A stand-in for Langfuse's public prompts API (v2), because its server cannot run here
(it needs Docker, Postgres, ClickHouse and Redis).

It implements what the official SDK and promptctl send, as the API reference and the
server's rules describe them: Basic auth with the project's keys; versions numbered by
the server from 1; the server-managed `latest` label on the newest version; labels
matching ^[a-z0-9_\\-.]+$ (at most 36 characters), unique across a prompt's versions, so
adding one to a version removes it from the others; PATCH adds labels (it has no way to
remove one); GET by `label` (default `production`) or `version`; the list endpoint with
`versions` per name, paged. `fail` makes the next requests fail, to test interruptions."""

from __future__ import annotations

import base64
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

LABEL = re.compile(r"^[a-z0-9_\-.]+$")


class Langfuse(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, public_key: str = "pk-lf-test", secret_key: str = "sk-lf-test") -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.auth = "Basic " + base64.b64encode(f"{public_key}:{secret_key}".encode()).decode()
        self.prompts: dict[str, list[dict[str, Any]]] = {}
        self.lock = threading.Lock()
        self.requests: list[tuple[str, str]] = []
        self.fail: list[int] = []  # statuses for the next requests (0: drop the connection)
        self.fail_after_write: list[int] = []  # the same, but after the write is done
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def close(self) -> None:
        self.shutdown()
        self.server_close()

    def state(self) -> dict[str, list[tuple[int, list[str], str]]]:
        """name -> [(version, labels, sha256 promptctl wrote)]: what a run leaves."""
        return {
            name: [(v["version"], sorted(v["labels"]), str((v["config"] or {}).get("promptctl", {}).get("sha256"))) for v in versions]
            for name, versions in sorted(self.prompts.items())
        }


class _Handler(BaseHTTPRequestHandler):
    server: Langfuse

    def log_message(self, *args: Any) -> None:
        pass

    def _send(self, status: int, body: Any) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _start(self) -> tuple[str, dict[str, list[str]], Any] | None:
        parsed = urlparse(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length)) if length else None
        self.server.requests.append((self.command, self.path))
        if self.headers.get("Authorization") != self.server.auth:
            self._send(401, {"message": "Invalid credentials"})
            return None
        if self.server.fail:
            status = self.server.fail.pop(0)
            if status == 0:
                self.close_connection = True
                self.connection.shutdown(2)
                return None
            self._send(status, {"message": "injected failure"})
            return None
        return parsed.path, parse_qs(parsed.query), body

    def _after_write(self) -> bool:
        if self.server.fail_after_write:
            status = self.server.fail_after_write.pop(0)
            if status == 0:
                self.close_connection = True
                self.connection.shutdown(2)
            else:
                self._send(status, {"message": "injected failure after the write"})
            return True
        return False

    @staticmethod
    def _public(name: str, v: dict[str, Any]) -> dict[str, Any]:
        return {"name": name, **v, "resolutionGraph": None}

    def do_GET(self) -> None:
        started = self._start()
        if started is None:
            return
        path, query, _ = started
        with self.server.lock:
            if path == "/api/public/v2/prompts":
                names = [n for n in sorted(self.server.prompts) if n == query.get("name", [n])[0]]
                page, limit = int(query.get("page", ["1"])[0]), int(query.get("limit", ["50"])[0])
                chunk = names[(page - 1) * limit : page * limit]
                data = [
                    {
                        "name": n,
                        "versions": [v["version"] for v in self.server.prompts[n]],
                        "labels": sorted({lb for v in self.server.prompts[n] for lb in v["labels"]}),
                        "tags": [],
                    }
                    for n in chunk
                ]
                pages = max(1, -(-len(names) // limit))
                self._send(200, {"data": data, "meta": {"page": page, "limit": limit, "totalItems": len(names), "totalPages": pages}})
                return
            name = unquote(path.removeprefix("/api/public/v2/prompts/"))
            versions = self.server.prompts.get(name, [])
            if "version" in query:
                found = [v for v in versions if str(v["version"]) == query["version"][0]]
            else:
                label = query.get("label", ["production"])[0]
                found = [v for v in versions if label in v["labels"]]
            if not found:
                self._send(404, {"message": f"Prompt not found: '{name}'"})
                return
            self._send(200, self._public(name, found[0]))

    def do_POST(self) -> None:
        started = self._start()
        if started is None:
            return
        path, _, body = started
        if path != "/api/public/v2/prompts" or not isinstance(body, dict):
            self._send(404, {"message": "not found"})
            return
        name, labels = str(body.get("name", "")), list(body.get("labels") or [])
        problem = self._problem(name, labels, body)
        if problem:
            self._send(400, {"message": problem})
            return
        with self.server.lock:
            versions = self.server.prompts.setdefault(name, [])
            for v in versions:
                v["labels"] = [lb for lb in v["labels"] if lb not in labels and lb != "latest"]
            created = {
                "version": len(versions) + 1,
                "type": body.get("type", "text"),
                "prompt": body["prompt"],
                "config": body.get("config") or {},
                "labels": sorted({*labels, "latest"}),
                "tags": body.get("tags") or [],
                "commitMessage": body.get("commitMessage"),
            }
            versions.append(created)
        if self._after_write():
            return
        self._send(200, self._public(name, created))

    def do_PATCH(self) -> None:
        started = self._start()
        if started is None:
            return
        path, _, body = started
        match = re.fullmatch(r"/api/public/v2/prompts/(.+)/versions/(\d+)", path)
        if not match or not isinstance(body, dict):
            self._send(404, {"message": "not found"})
            return
        name, number, labels = unquote(match.group(1)), int(match.group(2)), list(body.get("newLabels") or [])
        problem = self._problem(name, labels, {})
        if problem:
            self._send(400, {"message": problem})
            return
        with self.server.lock:
            versions = self.server.prompts.get(name, [])
            target = next((v for v in versions if v["version"] == number), None)
            if target is None:
                self._send(404, {"message": "Prompt not found"})
                return
            for v in versions:
                if v is not target:
                    v["labels"] = [lb for lb in v["labels"] if lb not in labels]
            target["labels"] = sorted({*target["labels"], *labels})
        if self._after_write():
            return
        self._send(200, self._public(name, target))

    @staticmethod
    def _problem(name: str, labels: list[str], body: dict[str, Any]) -> str | None:
        if not name or "|" in name:
            return "Prompt name cannot be empty or contain '|'"
        for label in labels:
            if label == "latest":
                return "'latest' label is reserved"
            if not LABEL.match(label) or len(label) > 36:
                return f"Invalid label: {label}"
        if len(str(body.get("commitMessage") or "")) > 500:
            return "commitMessage is too long"
        return None

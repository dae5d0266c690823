"""Langfuse's public prompts API (v2), as its SDK uses it.

A version promptctl writes carries ``config.promptctl`` (name, version, sha256, commit)
and a commit message with the same mark. Labels are Langfuse's: unique across a
prompt's versions, so pointing a label at a version moves it. Langfuse's API adds
labels to a version and has no call that removes one."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlencode

from promptctl.errors import UsageError
from promptctl.httpjson import call
from promptctl.publishing import Held, PublishFailed, Remote, Version
from promptctl.publishing.common import parameters, setting, substituted

LABEL_LIMIT = 36  # the server's label rule: ^[a-z0-9_\-.]+$, at most 36 characters


class Langfuse:
    target = "langfuse"

    def __init__(self, url: str, public_key: str, secret_key: str) -> None:
        self.url = url.rstrip("/")
        token = base64.b64encode(f"{public_key}:{secret_key}".encode()).decode()
        self.headers = {"Authorization": f"Basic {token}"}

    @classmethod
    def from_env(cls, env: Mapping[str, str], url: str | None) -> Langfuse:
        host = url or setting(env, ("LANGFUSE_HOST", "LANGFUSE_BASE_URL"), "langfuse", "the server's URL")
        public = setting(env, ("LANGFUSE_PUBLIC_KEY",), "langfuse", "the public key")
        secret = setting(env, ("LANGFUSE_SECRET_KEY",), "langfuse", "the secret key")
        return cls(host, public, secret)

    def _call(self, method: str, path: str, body: Any = None, *, retries: int = 3) -> Any:
        return call(method, self.url + path, self.headers, body, retries=retries)

    def remote_name(self, name: str) -> str:
        return name  # Langfuse names may hold `/` (folders)

    def remote_label(self, tag: str) -> str:
        if len(tag) > LABEL_LIMIT:
            raise UsageError(f"the tag `{tag}` is longer than a Langfuse label may be ({LABEL_LIMIT} characters)", "use a shorter tag")
        return tag

    def check(self, version: Version) -> None:
        substituted(version, self.target)

    def _path(self, name: str) -> str:
        return "/api/public/v2/prompts/" + quote(name, safe="")

    def _versions(self, name: str) -> list[int]:
        numbers: list[int] = []
        for page in range(1, 1000):
            listing = self._call("GET", "/api/public/v2/prompts?" + urlencode({"name": name, "page": page, "limit": 100}))
            for item in (listing or {}).get("data") or []:
                if item.get("name") == name:
                    numbers.extend(int(v) for v in item.get("versions") or [])
            meta = (listing or {}).get("meta") or {}
            if page >= int(meta.get("totalPages") or 1):
                break
        return sorted(set(numbers))

    def _get(self, name: str, number: int) -> dict[str, Any]:
        found: dict[str, Any] = self._call("GET", self._path(name) + "?" + urlencode({"version": number, "resolve": "false"}))
        return found

    def read(self, name: str) -> Remote:
        remote = Remote()
        for number in self._versions(name):
            held = self._get(name, number)
            for label in held.get("labels") or []:
                if label != "latest":
                    remote.labels[label] = str(number)
            mark = (held.get("config") or {}).get("promptctl")
            if not isinstance(mark, dict) or mark.get("name") != name:
                continue  # not written by promptctl
            ours = Held(str(number), int(mark.get("version", 0)), str(mark.get("sha256", "")))
            first = remote.versions.setdefault(ours.number, ours)
            if first.sha256 != ours.sha256:
                remote.conflicts.append(f"versions {first.remote} and {number} in langfuse both claim v{ours.number}")
        return remote

    def create(self, version: Version) -> str:
        config = {"model": version.prompt.model, **parameters(version)}
        config["promptctl"] = {"name": version.name, "version": version.number, "sha256": version.sha256, "commit": version.commit}
        body = {
            "name": version.name,
            "type": "chat",
            "prompt": substituted(version, self.target),
            "config": config,
            "labels": [],
            "tags": [],
            "commitMessage": version.mark(),
        }
        created = self._call("POST", "/api/public/v2/prompts", body, retries=0)
        return str((created or {}).get("version"))

    def set_label(self, name: str, label: str, remote: str) -> None:
        labels = [lb for lb in self._get(name, int(remote)).get("labels") or [] if lb != "latest"]
        self._call("PATCH", f"{self._path(name)}/versions/{remote}", {"newLabels": sorted({*labels, label})})

    def remove_label(self, name: str, label: str, remote: str) -> None:
        raise PublishFailed(
            f"langfuse: `{label}` is on {name}'s version {remote}, and Langfuse's API cannot remove a label",
            "remove it in the Langfuse UI, or keep the tag in git",
        )

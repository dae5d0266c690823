"""Arize Phoenix's prompt API (``/v1``), as its client uses it.

Each version promptctl writes carries ``metadata.promptctl`` (name, version, sha256,
commit) and the same mark in its description. Names: Phoenix takes lowercase words
joined by `-` or `_`, so ``billing/refund-triage`` is ``billing__refund-triage`` there
(promptctl names have no `_`: one to one). Templates: Phoenix's Mustache format only
substitutes ``{{var}}``; a template with logic cannot be published there."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlencode

from promptctl.httpjson import HttpFailed, call
from promptctl.publishing import Held, Remote, Unpublishable, Version
from promptctl.publishing.common import parameters, setting, substituted

# genai-prices' provider ids, as Phoenix's model providers and invocation parameter types
PROVIDERS = {"openai": "OPENAI", "anthropic": "ANTHROPIC", "google": "GOOGLE", "deepseek": "DEEPSEEK", "x-ai": "XAI"}
PROVIDERS |= {"groq": "GROQ", "meta": "META", "perplexity": "PERPLEXITY", "together": "TOGETHER"}
# promptctl's parameters in each provider's words (OpenAI's for the others)
_WORDS = {
    "ANTHROPIC": {"temperature": "temperature", "max_tokens": "max_tokens", "top_p": "top_p", "stop": "stop_sequences"},
    "GOOGLE": {"temperature": "temperature", "max_tokens": "max_output_tokens", "top_p": "top_p", "stop": "stop_sequences"},
}
_OPENAI_WORDS = {"temperature": "temperature", "max_tokens": "max_tokens", "top_p": "top_p", "stop": "stop"}


class Phoenix:
    target = "phoenix"

    def __init__(self, url: str, headers: dict[str, str]) -> None:
        self.url = url.rstrip("/")
        self.headers = headers

    @classmethod
    def from_env(cls, env: Mapping[str, str], url: str | None) -> Phoenix:
        base = url or setting(env, ("PHOENIX_BASE_URL", "PHOENIX_COLLECTOR_ENDPOINT"), "phoenix", "the server's URL")
        headers = {"Authorization": f"Bearer {env['PHOENIX_API_KEY']}"} if env.get("PHOENIX_API_KEY") else {}
        return cls(base, headers)

    def _call(self, method: str, path: str, body: Any = None, *, retries: int = 3) -> Any:
        return call(method, self.url + path, self.headers, body, retries=retries)

    def remote_name(self, name: str) -> str:
        return name.replace("/", "__")

    def remote_label(self, tag: str) -> str:
        return tag  # kebab-case words: Phoenix's ^[a-z0-9]([_a-z0-9-]*[a-z0-9])?$

    def _provider(self, version: Version) -> str:
        from promptctl.models import facts_for

        provider = facts_for(version.prompt.model).provider or ""
        if provider not in PROVIDERS:
            raise Unpublishable(f"Phoenix has no model provider for `{version.prompt.model}` ({provider or 'unknown'})")
        return PROVIDERS[provider]

    def check(self, version: Version) -> None:
        self._provider(version)
        substituted(version, self.target)

    def read(self, name: str) -> Remote:
        remote = Remote()
        cursor: str | None = None
        while True:
            query = "?" + urlencode({"limit": 100, **({"cursor": cursor} if cursor else {})})
            try:
                page = self._call("GET", f"/v1/prompts/{quote(self.remote_name(name), safe='')}/versions{query}")
            except HttpFailed as exc:
                if exc.status == 404:
                    return remote
                raise
            for held in (page or {}).get("data") or []:
                mark = (held.get("metadata") or {}).get("promptctl")
                if not isinstance(mark, dict) or mark.get("name") != name:
                    continue  # not written by promptctl
                ours = Held(str(held["id"]), int(mark.get("version", 0)), str(mark.get("sha256", "")))
                first = remote.versions.setdefault(ours.number, ours)
                if first.sha256 != ours.sha256:
                    remote.conflicts.append(f"versions {first.remote} and {ours.remote} in phoenix both claim v{ours.number}")
            cursor = (page or {}).get("next_cursor")
            if not cursor:
                break
        for held in remote.versions.values():
            tags = self._call("GET", f"/v1/prompt_versions/{quote(held.remote, safe='')}/tags")
            for tag in (tags or {}).get("data") or []:
                remote.labels[tag["name"]] = held.remote
        return remote

    def create(self, version: Version) -> str:
        provider = self._provider(version)
        words = _WORDS.get(provider, _OPENAI_WORDS)
        params = {words[k]: v for k, v in parameters(version).items() if k in words}
        if provider == "ANTHROPIC":
            params.setdefault("max_tokens", 1024)  # required there; promptctl's render for Anthropic says the same
        literal = version.prompt.template_format == "none"
        body = {
            "prompt": {"name": self.remote_name(version.name), "description": version.prompt.description},
            "version": {
                "description": version.mark(),
                "metadata": {
                    "promptctl": {"name": version.name, "version": version.number, "sha256": version.sha256, "commit": version.commit}
                },
                "model_provider": provider,
                "model_name": version.prompt.model,
                "template": {"type": "chat", "messages": substituted(version, self.target)},
                "template_type": "CHAT",
                "template_format": "NONE" if literal else "MUSTACHE",
                "invocation_parameters": {"type": provider.lower(), provider.lower(): params},
            },
        }
        created = self._call("POST", "/v1/prompts", body, retries=0)
        return str((created or {}).get("data", {}).get("id"))

    def set_label(self, name: str, label: str, remote: str) -> None:
        self._call("POST", f"/v1/prompt_versions/{quote(remote, safe='')}/tags", {"name": label, "description": "set by promptctl publish"})

    def remove_label(self, name: str, label: str, remote: str) -> None:
        self._call("DELETE", f"/v1/prompt_versions/{quote(remote, safe='')}/tags/{quote(label, safe='')}")

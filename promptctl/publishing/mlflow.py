"""MLflow's prompt registry through its REST API (prompts are registered models with
magic tags, as MLflow's own client writes them).

Each version promptctl writes carries version tags ``promptctl.name``, ``.version``,
``.sha256`` and ``.commit``. Names: MLflow allows no `/`, so ``billing/refund-triage``
is ``billing.refund-triage`` there. Templates: MLflow substitutes ``{{ var }}`` itself
and renders a prompt with Jinja2 when one of its messages has a ``{% … %}``; a version
whose templates only print variables is stored as it is, any other as Jinja2 (an empty
``{% raw %}{% endraw %}`` in front when it has no statement, and one more final line
break, which MLflow's Jinja2 drops)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from promptctl.httpjson import HttpFailed, call
from promptctl.interop.dialects import Untranslatable, jinja_to_substitution
from promptctl.publishing import Held, Remote, Version
from promptctl.publishing.common import parameters, setting

_API = "/api/2.0/mlflow"
_JINJA_MARK = "{% raw %}{% endraw %}"


class MLflow:
    target = "mlflow"

    def __init__(self, url: str, headers: dict[str, str]) -> None:
        self.url = url.rstrip("/")
        self.headers = headers

    @classmethod
    def from_env(cls, env: Mapping[str, str], url: str | None) -> MLflow:
        import base64

        uri = url or setting(env, ("MLFLOW_TRACKING_URI",), "mlflow", "the tracking server's URL")
        headers: dict[str, str] = {}
        if env.get("MLFLOW_TRACKING_TOKEN"):
            headers["Authorization"] = f"Bearer {env['MLFLOW_TRACKING_TOKEN']}"
        elif env.get("MLFLOW_TRACKING_USERNAME"):
            pair = f"{env['MLFLOW_TRACKING_USERNAME']}:{env.get('MLFLOW_TRACKING_PASSWORD', '')}"
            headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
        return cls(uri, headers)

    def _call(self, method: str, path: str, body: Any = None, *, retries: int = 3) -> Any:
        return call(method, self.url + _API + path, self.headers, body, retries=retries)

    def remote_name(self, name: str) -> str:
        return name.replace("/", ".")  # promptctl names have no dots: the mapping is one to one

    def remote_label(self, tag: str) -> str:
        return tag  # tags are kebab-case words that cannot read as versions: valid aliases

    def check(self, version: Version) -> None:
        self.template(version)

    def template(self, version: Version) -> list[dict[str, str]]:
        """The messages as MLflow stores them, rendering as promptctl renders them."""
        prompt = version.prompt
        kinds = prompt.variable_types
        texts = version.prompt.templates()
        literal = prompt.template_format == "none"
        try:
            plain = not literal and all(jinja_to_substitution(t, kinds=dict.fromkeys(kinds, "string")) for _, t, _ in texts)
        except Untranslatable:
            plain = False
        if plain or (literal and not any("{{" in t for _, t, _ in texts)):
            return [{"role": role, "content": text} for role, text, _ in texts]
        messages = []
        for role, text, _ in texts:
            content = "{% raw %}" + text + "{% endraw %}" if literal else text
            messages.append({"role": role, "content": content + ("\n" if content.endswith("\n") else "")})
        if not any("{%" in m["content"] for m in messages):
            messages[0]["content"] = _JINJA_MARK + messages[0]["content"]
        return messages

    def _model(self, name: str) -> dict[str, Any] | None:
        try:
            found = self._call("GET", "/registered-models/get?" + urlencode({"name": self.remote_name(name)}))
        except HttpFailed as exc:
            if exc.status == 404:
                return None
            raise
        model: dict[str, Any] = (found or {}).get("registered_model") or {}
        return model

    def read(self, name: str) -> Remote:
        remote = Remote()
        model = self._model(name)
        if model is None:
            return remote
        latest = max((int(v["version"]) for v in model.get("latest_versions") or []), default=0)
        for number in range(1, latest + 1):
            try:
                found = self._call("GET", "/model-versions/get?" + urlencode({"name": self.remote_name(name), "version": number}))
            except HttpFailed as exc:
                if exc.status == 404:
                    continue  # deleted in MLflow
                raise
            tags = {t["key"]: t.get("value", "") for t in (found or {}).get("model_version", {}).get("tags") or []}
            if tags.get("promptctl.name") != name or not tags.get("promptctl.version", "").isdigit():
                continue  # not written by promptctl
            ours = Held(str(number), int(tags["promptctl.version"]), tags.get("promptctl.sha256", ""))
            first = remote.versions.setdefault(ours.number, ours)
            if first.sha256 != ours.sha256:
                remote.conflicts.append(f"versions {first.remote} and {number} in mlflow both claim v{ours.number}")
        for alias in model.get("aliases") or []:
            remote.labels[alias["alias"]] = str(alias["version"])
        return remote

    def create(self, version: Version) -> str:
        name = self.remote_name(version.name)
        if self._model(version.name) is None:
            body = {
                "name": name,
                "tags": [{"key": "mlflow.prompt.is_prompt", "value": "true"}],
                "description": version.prompt.description or "",
            }
            try:
                self._call("POST", "/registered-models/create", body, retries=0)
            except HttpFailed as exc:
                if exc.status != 400 or "already exists" not in exc.reason.lower():
                    raise
        config = {"model_name": version.prompt.model, **_model_config(version)}
        tags = {
            "mlflow.prompt.is_prompt": "true",
            "_mlflow_prompt_type": "chat",
            "mlflow.prompt.text": json.dumps(self.template(version)),
            "_mlflow_prompt_model_config": json.dumps(config),
            **version.tags(),
        }
        body = {
            "name": name,
            "source": "dummy-source",
            "description": version.mark(),
            "tags": [{"key": k, "value": v} for k, v in tags.items()],
        }
        created = self._call("POST", "/model-versions/create", body, retries=0)
        return str((created or {}).get("model_version", {}).get("version"))

    def set_label(self, name: str, label: str, remote: str) -> None:
        self._call("POST", "/registered-models/alias", {"name": self.remote_name(name), "alias": label, "version": remote})

    def remove_label(self, name: str, label: str, remote: str) -> None:
        self._call("DELETE", "/registered-models/alias", {"name": self.remote_name(name), "alias": label})


def _model_config(version: Version) -> dict[str, Any]:
    """promptctl's parameters in MLflow's model_config words."""
    names = {"temperature": "temperature", "max_tokens": "max_tokens", "top_p": "top_p", "stop": "stop_sequences"}
    return {names[k]: v for k, v in parameters(version).items() if k in names}

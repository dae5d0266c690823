"""publish against real registry servers on 127.0.0.1: an MLflow tracking server (SQLite
store) and `phoenix serve` (SQLite). `.ci/run` installs each server in its own venv,
starts it, waits until it is healthy, passes its URL and its venv's Python here, and
stops it afterwards; elsewhere these tests skip with the reason.

The result is read back through each tool's own client, run by that venv's Python:
MLflow's `load_prompt("prompts:/name@label").format(...)` and Phoenix's
`Client().prompts.get(..., tag=...).format(...)`, compared with `promptctl render`."""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from pathlib import Path
from typing import Any

import pytest

from promptctl.config import load_settings
from promptctl.publishing import PublishFailed, Registry, Remote, apply, plan, snapshot
from promptctl.runtime import load_prompt
from tests.conftest import Project

SERVERS = {
    "mlflow": ("PROMPTCTL_TEST_MLFLOW_URL", "PROMPTCTL_TEST_MLFLOW_PYTHON", "MLFLOW_TRACKING_URI"),
    "phoenix": ("PROMPTCTL_TEST_PHOENIX_URL", "PROMPTCTL_TEST_PHOENIX_PYTHON", "PHOENIX_BASE_URL"),
}

FAQ = """\
version: {n}
model: gpt-4o-2024-08-06
system: |
  You answer questions about {{{{ product }}}} (v{n}).
  {{% for e in entries %}}- {{{{ e.q | upper }}}}: {{{{ e.a }}}}
  {{% endfor %}}
user: |
  {{{{ question }}}}
temperature: 0.2
max_tokens: 300
variables:
  product:
    type: string
    default: Acme Cloud
  entries:
    type: array
    default: []
  question:
    type: string
"""
PLAIN = """\
version: {n}
model: claude-3-5-haiku-20241022
system: You are a patient tutor for {{{{ subject }}}} (v{n}).
messages:
  - role: user
    content: "{{{{ question }}}}"
  - role: assistant
    content: Of course.
max_tokens: 200
variables:
  subject:
    type: string
  question:
    type: string
"""


def server(target: str) -> tuple[str, str]:
    url_var, python_var, _ = SERVERS[target]
    if not os.environ.get(url_var) or not os.environ.get(python_var):
        pytest.skip(f"no {target} server: .ci/run starts one and sets {url_var} and {python_var}")
    return os.environ[url_var], os.environ[python_var]


def read_back(target: str, python: str, url: str, name: str, label: str, variables: dict[str, Any]) -> Any:
    """Render through the tool's own client, in the server's venv."""
    if target == "mlflow":
        code = (
            "import json, sys, mlflow, mlflow.genai as g\n"
            "mlflow.set_tracking_uri(sys.argv[1]); mlflow.set_registry_uri(sys.argv[1])\n"
            "p = g.load_prompt(f'prompts:/{sys.argv[2]}@{sys.argv[3]}')\n"
            "print(json.dumps({'version': p.version, 'tags': p.tags, 'messages': p.format(**json.loads(sys.argv[4]))}))\n"
        )
    else:
        code = (
            "import json, sys\nfrom phoenix.client import Client\n"
            "p = Client(base_url=sys.argv[1]).prompts.get(prompt_identifier=sys.argv[2], tag=sys.argv[3])\n"
            "f = p.format(variables=json.loads(sys.argv[4]), sdk='openai')\n"
            "kwargs = dict(f.kwargs)\n"
            "system = [{'role': 'system', 'content': kwargs['system']}] if 'system' in kwargs else []  # Anthropic's shape\n"
            "print(json.dumps({'id': p.id, 'messages': system + [dict(m) for m in f.messages], 'kwargs': kwargs}))\n"
        )
    proc = subprocess.run([python, "-c", code, url, name, label, json.dumps(variables)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def ours(root: Path, name: str, variables: dict[str, Any], version: int) -> list[dict[str, str]]:
    return load_prompt(name, version=version, root=root / "prompts").render(**variables)


@pytest.fixture
def space(project: Project) -> tuple[Project, str]:
    """A fresh namespace per test: the servers are shared by the whole run."""
    project.init_git()
    return project, "t" + uuid.uuid4().hex[:8]


def _write(project: Project, ns: str, target: str, versions: int = 2) -> None:
    for n in range(1, versions + 1):
        project.write(f"prompts/{ns}/tutor-v{n}.yaml", PLAIN.format(n=n))
        if target == "mlflow":  # Phoenix substitutes variables only: no logic there
            project.write(f"prompts/{ns}/faq-v{n}.yaml", FAQ.format(n=n))
    project.write(f"prompts/{ns}/tutor.tags.yaml", "production: 1\nstaging: 2\n")
    if target == "mlflow":
        project.write(f"prompts/{ns}/faq.tags.yaml", "production: 1\n")
    project.commit("prompts")


@pytest.mark.parametrize("target", ["mlflow", "phoenix"])
def test_publish_read_back_through_the_real_client(target: str, space: tuple[Project, str], cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    url, python = server(target)
    project, ns = space
    monkeypatch.setenv(SERVERS[target][2], url)
    _write(project, ns, target)
    first = cli("publish", "--to", target)
    assert first.code == 0, first
    again = cli("publish", "--to", target)
    assert again.code == 0 and again.out.endswith("nothing to publish: the registry follows git\n"), again
    remote = {"mlflow": f"{ns}.tutor", "phoenix": f"{ns}__tutor"}[target]
    tutor = {"subject": "algebra", "question": "What is a group?"}
    got = read_back(target, python, url, remote, "production", tutor)
    assert got["messages"] == ours(project.root, f"{ns}/tutor", tutor, 1)
    if target == "mlflow":
        assert got["version"] == 1 and got["tags"]["promptctl.version"] == "1"
        # a registry has no variable defaults: its client passes every variable
        faq = {"question": "Q?", "product": "Acme Cloud", "entries": [{"q": "login", "a": "SSO"}, {"q": "bill", "a": "monthly"}]}
        assert read_back(target, python, url, f"{ns}.faq", "production", faq)["messages"] == ours(project.root, f"{ns}/faq", faq, 1)
    # move a channel: the label follows
    project.write(f"prompts/{ns}/tutor.tags.yaml", "production: 2\nstaging: 2\n")
    project.commit("promote")
    moved = cli("publish", "--to", target)
    assert moved.code == 0 and "point `production` at v2 (was v1)" in moved.out, moved
    assert read_back(target, python, url, remote, "production", tutor)["messages"] == ours(project.root, f"{ns}/tutor", tutor, 2)
    assert cli("publish", "--to", target).out.endswith("nothing to publish: the registry follows git\n")


class _Stopping:
    """The real client, stopped (as a crash or a lost connection would) after ``n`` writes."""

    def __init__(self, real: Registry, n: int) -> None:
        self.real, self.left = real, n
        self.target, self.url = real.target, real.url

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)

    def _tick(self) -> None:
        from promptctl.httpjson import HttpFailed

        if self.left == 0:
            raise HttpFailed("stopped by the test", 400)
        self.left -= 1

    def create(self, version: Any) -> str:
        self._tick()
        return self.real.create(version)

    def set_label(self, name: str, label: str, remote: str) -> None:
        self._tick()
        self.real.set_label(name, label, remote)


@pytest.mark.parametrize("target", ["mlflow", "phoenix"])
def test_a_publish_stopped_after_any_step_converges(target: str, space: tuple[Project, str], monkeypatch: pytest.MonkeyPatch) -> None:
    url, _ = server(target)
    project, ns = space
    monkeypatch.setenv(SERVERS[target][2], url)
    from promptctl.publishing.targets import registry

    states: list[dict[str, Any]] = []
    for stop in (None, 0, 1, 2, 3):  # None: uninterrupted; 4 steps in all (2 creates, 2 labels)
        sub = f"{ns}s{'x' if stop is None else stop}"
        for n in (1, 2):
            project.write(f"prompts/{sub}/tutor-v{n}.yaml", PLAIN.format(n=n))
        project.write(f"prompts/{sub}/tutor.tags.yaml", "production: 1\nstaging: 2\n")
        project.commit(f"prompts {stop}")
        real = registry(target, os.environ, None)
        snap = snapshot(load_settings(project.root), None, [f"{sub}/tutor"])
        if stop is not None:
            with pytest.raises(PublishFailed):
                apply(snap, _Stopping(real, stop), plan(snap, real))
        apply(snap, real, plan(snap, real))
        remote: Remote = real.read(f"{sub}/tutor")
        states.append(
            {
                "versions": sorted((h.number, h.sha256) for h in remote.versions.values()),
                "labels": {label: remote.number_of(r) for label, r in remote.labels.items()},
            }
        )
        assert not [p for p in plan(snap, real) if p.steps]
    assert all(state == states[0] for state in states), states
    assert states[0]["labels"] == {"production": 1, "staging": 2}

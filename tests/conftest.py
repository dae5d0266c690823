from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

# In CI the property tests draw the same examples on every run (a red CI must mean the
# change broke something, not that a new draw found an old bug); on a developer's
# machine they draw new ones each time, and keep any failure in `.hypothesis/`.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
SEED = """\
version: 3
model: claude-3-5-sonnet-20241022
system: |
  You are a customer support agent for Acme Corp.
  Tone: Professional, empathetic, concise.
  Always: Acknowledge the issue before offering solutions.
  Never: Promise refunds without checking the refund policy tool.
  Refund policy: Products can be returned within 30 days if unopened.
temperature: 0.3
max_tokens: 500
"""


@dataclass
class Result:
    code: int
    out: str
    err: str


class Project:
    """A throwaway project folder with a prompts/ directory, as the working directory."""

    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "prompts").mkdir()

    def write(self, rel: str, text: str | bytes) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, str):
            path.write_text(text, encoding="utf-8", newline="")
        else:
            path.write_bytes(text)
        return path

    def read(self, rel: str) -> str:
        return (self.root / rel).read_text(encoding="utf-8")

    def git(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["git", *args], cwd=self.root, text=True, capture_output=True, check=check, env=git_env())

    def init_git(self) -> None:
        self.git("init", "-q", "-b", "main")

    def commit(self, message: str = "change") -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)


def git_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "GIT_AUTHOR_NAME": "Test",
            "GIT_AUTHOR_EMAIL": "test@example.com",
            "GIT_COMMITTER_NAME": "Test",
            "GIT_COMMITTER_EMAIL": "test@example.com",
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_CONFIG_NOSYSTEM": "1",
        }
    )
    env.setdefault("PROMPTCTL_CACHE_DIR", os.path.join(os.environ.get("TMPDIR", "/tmp"), f"promptctl-test-cache-{os.getpid()}"))
    return env


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test gets its own lint cache folder, never the user's."""
    monkeypatch.setenv("PROMPTCTL_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture(autouse=True)
def _in_process_rendering() -> Iterator[None]:
    """The CLI turns on the render worker for the rest of its process; tests that call
    the CLI in-process must not leave it on for the next test."""
    from promptctl.templating import isolation

    yield
    isolation.enable(False)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Project]:
    root = tmp_path / "repo"
    root.mkdir()
    monkeypatch.chdir(root)
    monkeypatch.delenv("NO_COLOR", raising=False)
    yield Project(root)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """Run promptctl's entry point in-process: cli("lint", "--format", "json")."""
    from promptctl.cli import main

    def run(*args: str) -> Result:
        code = 0
        try:
            main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


def run_promptctl(*args: str, cwd: Path, env: dict[str, str] | None = None, input: str | None = None) -> Result:
    """The real console entry point, in a subprocess."""
    proc = subprocess.run(
        [sys.executable, "-m", "promptctl", *args],
        cwd=cwd,
        text=True,
        capture_output=True,
        env={**git_env(), **(env or {})},
        input=input,
        timeout=120,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


TRIAGE = """\
version: 1
model: gpt-4o-2024-08-06
system: |
  Triage for {{ team }}.
  Window: {{ days }} days.
user: "{{ message }}"
variables:
  team: {type: string}
  days: {type: integer, default: 30}
  message: {type: string, description: The customer's words.}
  urgent: {type: boolean, required: false}
temperature: 0.2
max_tokens: 300
stop: ["END"]
fallbacks:
  - model: claude-3-5-haiku-20241022
    system: "Backup triage for {{ team }}."
    temperature: 0
"""


@pytest.fixture
def prompts(project: Project) -> Project:
    """The customer-support family (v3 with CRLF line endings), tags, and billing/triage."""
    project.write("prompts/customer-support-v1.yaml", SEED.replace("version: 3", "version: 1").replace("0.3", "0.7"))
    project.write("prompts/customer-support-v2.yaml", SEED.replace("version: 3", "version: 2").replace("0.3", "0.5"))
    project.write("prompts/customer-support-v3.yaml", SEED.replace("\n", "\r\n"))
    project.write("prompts/customer-support.tags.yaml", "production: 2\nstaging: 3\n")
    project.write("prompts/billing/triage-v1.yaml", TRIAGE)
    return project


V = "version: {n}\nmodel: gpt-4o-2024-08-06\nsystem: Hello {n}.\n"
V1_PLAIN = "version: 1\nmodel: gpt-4o-2024-08-06\nsystem: Hello.\n"


def versioned_repo(project: Project, versions: int = 3) -> Project:
    """A repository with greeting v1..vN committed."""
    project.init_git()
    for n in range(1, versions + 1):
        project.write(f"prompts/greeting-v{n}.yaml", V.format(n=n))
    project.commit("versions")
    return project


def findings(result: Result) -> list[tuple[str, str]]:
    """(rule, path) of each finding of a JSON run that exited 0 or 1."""
    import json

    assert result.code in (0, 1), result.err
    return [(f["rule"], f["path"]) for f in json.loads(result.out)["findings"]]


@pytest.fixture
def repo(project: Project) -> Project:
    """greeting v1 published on main."""
    project.init_git()
    project.write("prompts/greeting-v1.yaml", V1_PLAIN)
    project.commit("v1")
    return project


def tool(name: str) -> str:
    """A command-line tool of the test extras, next to this Python first."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is missing: install the test extras (`pip install '.[test]'`)")
    return found


def validate_workflow(path: Path, schema: str = "vendor.github-workflows") -> None:
    """``path`` validates against the schema check-jsonschema ships offline, and — for
    GitHub files — passes zizmor's offline audits (actionlint's Python package builds by
    downloading from GitHub, which nothing here may do)."""
    proc = subprocess.run([tool("check-jsonschema"), "--builtin-schema", schema, str(path)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    if schema.startswith("vendor.github"):
        proc = subprocess.run(
            [tool("zizmor"), "--offline", "--no-progress", str(path)], capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"}
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr


def in_terminal(args: list[str], cwd: str, columns: int = 80, env: dict[str, str] | None = None) -> str:
    """Run promptctl with its stdout on a real pseudo-terminal of ``columns`` columns
    (colour off unless ``env`` says otherwise)."""
    import pty

    leader, follower = pty.openpty()
    full = {**os.environ, "COLUMNS": str(columns), "NO_COLOR": "1", **(env or {})}
    full = {k: v for k, v in full.items() if v is not None and v != "<unset>"}
    proc = subprocess.Popen([sys.executable, "-m", "promptctl", *args], cwd=cwd, stdout=follower, stderr=subprocess.DEVNULL, env=full)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    proc.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode().replace("\r\n", "\n")

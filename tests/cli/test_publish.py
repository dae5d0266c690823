"""publish: a registry follows git. These run against the Langfuse stand-in
(tests/standins/langfuse.py; Langfuse's server cannot run here) and check the result
through the real `langfuse` SDK; tests/integration/test_registries.py runs the same
against real MLflow and Phoenix servers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from promptctl.config import load_settings
from promptctl.publishing import PublishFailed, apply, plan, snapshot
from promptctl.publishing.langfuse import Langfuse as Client
from tests.conftest import Project
from tests.standins.langfuse import Langfuse

V = "version: {n}\nmodel: gpt-4o-2024-08-06\nsystem: You are helpful ({n}).\nuser: '{{{{ question }}}}'\nvariables:\n  question:\n    type: string\n"


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Langfuse]:
    srv = Langfuse()
    monkeypatch.setenv("LANGFUSE_HOST", srv.url)
    monkeypatch.setenv("LANGFUSE_PUBLIC_KEY", "pk-lf-test")
    monkeypatch.setenv("LANGFUSE_SECRET_KEY", "sk-lf-test")
    yield srv
    srv.close()


@pytest.fixture
def published(project: Project) -> Project:
    """greeting v1..v3 and billing/triage v1 on main; production: 2, staging: 3."""
    project.init_git()
    for n in (1, 2, 3):
        project.write(f"prompts/greeting-v{n}.yaml", V.format(n=n))
    project.write("prompts/greeting.tags.yaml", "production: 2\nstaging: 3\n")
    project.write("prompts/billing/triage-v1.yaml", V.format(n=1))
    project.commit("prompts")
    return project


def sdk(server: Langfuse) -> Any:
    pytest.importorskip("langfuse", reason="the test extra installs the langfuse SDK")
    from langfuse import Langfuse as SDK

    return SDK(public_key="pk-lf-test", secret_key="sk-lf-test", host=server.url, tracing_enabled=False)


def test_publish_creates_missing_versions_in_order_then_labels_and_is_idempotent(published: Project, server: Langfuse, cli) -> None:  # type: ignore[no-untyped-def]
    first = cli("publish", "--to", "langfuse")
    assert first.code == 0, first
    assert (
        "  greeting:\n    create v1\n    create v2\n    create v3\n    point `production` at v2\n    point `staging` at v3\n" in first.out
    )
    assert first.out.endswith("created 4 versions, set 2 labels\n")
    state = server.state()
    assert [(v, labels) for v, labels, _ in state["greeting"]] == [(1, []), (2, ["production"]), (3, ["latest", "staging"])]
    writes = [r for r in server.requests if r[0] != "GET"]
    again = cli("publish", "--to", "langfuse")
    assert again.code == 0 and again.out.endswith("nothing to publish: the registry follows git\n")
    assert [r for r in server.requests if r[0] != "GET"] == writes  # the second run wrote nothing
    # what an application reads through Langfuse's own SDK
    prompt = sdk(server).get_prompt("greeting", label="production", type="chat", cache_ttl_seconds=0)
    assert prompt.compile(question="Where?") == [
        {"role": "system", "content": "You are helpful (2)."},
        {"role": "user", "content": "Where?"},
    ]
    assert prompt.config["promptctl"]["version"] == 2 and prompt.config["model"] == "gpt-4o-2024-08-06"


def test_a_moved_channel_moves_the_label_and_only_published_versions_go(published: Project, server: Langfuse, cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("publish", "--to", "langfuse").code == 0
    published.write("prompts/greeting.tags.yaml", "production: 3\nstaging: 3\n")
    published.commit("promote")
    published.git("checkout", "-q", "-b", "draft")
    published.write("prompts/greeting-v4.yaml", V.format(n=4))  # a draft: not on main
    published.commit("draft")
    result = cli("publish", "--to", "langfuse", "--dry-run")
    assert result.code == 0 and "  greeting: point `production` at v3 (was v2)\n" in result.out
    assert result.out.endswith("would create 0 versions, would set 1 label (dry run: nothing written)\n")
    assert [labels for _, labels, _ in server.state()["greeting"]][1] == ["production"]  # dry run: unchanged
    assert cli("publish", "--to", "langfuse").code == 0
    assert [(v, labels) for v, labels, _ in server.state()["greeting"]] == [(1, []), (2, []), (3, ["latest", "production", "staging"])]
    assert len(server.state()["greeting"]) == 3


def test_json_plan_for_bots(published: Project, server: Langfuse, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("publish", "--to", "langfuse", "--dry-run", "--format", "json", "greeting")
    assert result.code == 0
    data = json.loads(result.out)
    assert data["target"] == "langfuse" and data["base"] == "main" and data["dry_run"] is True
    [greeting] = data["prompts"]
    assert greeting["steps"][:1] == [{"action": "create", "version": 1}]
    assert greeting["steps"][-1] == {"action": "label", "version": 3, "label": "staging"}


def test_an_edited_registry_version_is_reported_never_overwritten(published: Project, server: Langfuse, cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("publish", "--to", "langfuse").code == 0
    server.prompts["greeting"][1]["config"]["promptctl"]["sha256"] = "0" * 64  # someone edited v2 there
    published.write("prompts/greeting.tags.yaml", "production: 3\nstaging: 3\n")
    published.commit("promote")
    before = server.state()
    result = cli("publish", "--to", "langfuse")
    assert result.code == 1
    assert "  greeting: conflict: v2 in langfuse is not git's (sha256 000000000000, git " in result.out
    assert "never overwritten, nothing written for it" in result.out
    assert server.state() == before


def test_a_template_the_registry_cannot_render_is_refused(published: Project, server: Langfuse, cli) -> None:  # type: ignore[no-untyped-def]
    published.write(
        "prompts/logic-v1.yaml",
        "version: 1\nmodel: gpt-4o-2024-08-06\nsystem: |\n  Hi.\n  {% if vip %}Be polite.{% endif %}\nvariables:\n  vip:\n    type: boolean\n",
    )
    published.commit("logic")
    result = cli("publish", "--to", "langfuse")
    assert result.code == 1
    assert "  logic: cannot publish v1: system line 2: `{% if %}`: the target only substitutes `{{var}}`" in result.out
    assert "logic" not in server.state() and "greeting" in server.state()


def test_credentials_come_from_the_environment_and_are_never_printed(published: Project, server: Langfuse, cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("LANGFUSE_SECRET_KEY")
    result = cli("publish", "--to", "langfuse")
    assert result.code == 2 and result.err.startswith("promptctl: error: langfuse: the secret key is not set — set LANGFUSE_SECRET_KEY")
    monkeypatch.setenv("LANGFUSE_SECRET_KEY", "sk-wrong-secret")
    result = cli("publish", "--to", "langfuse")
    assert result.code == 2 and "HTTP 401" in result.err and "reading `billing/triage` failed" in result.err
    assert "sk-wrong-secret" not in result.out + result.err


def test_a_server_that_is_down_is_one_line_naming_the_target_and_the_step(published: Project, cli, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("LANGFUSE_PUBLIC_KEY", "pk")
    monkeypatch.setenv("LANGFUSE_SECRET_KEY", "sk")
    result = cli("publish", "--to", "langfuse", "--url", "http://127.0.0.1:9")
    assert result.code == 2 and len(result.err.strip().splitlines()) == 1
    assert result.err.startswith("promptctl: error: langfuse at http://127.0.0.1:9: reading `billing/triage` failed: GET failed")


def test_transient_failures_are_retried_and_a_create_is_never_doubled(published: Project, server: Langfuse, cli) -> None:  # type: ignore[no-untyped-def]
    server.fail = [503, 0]  # the first read: unavailable, then a dropped connection
    server.fail_after_write = [0]  # the first create is written, but its answer is lost
    result = cli("publish", "--to", "langfuse")
    assert result.code == 0, result
    assert [v for v, _, _ in server.state()["billing/triage"]] == [1]  # one version, not two
    assert [v for v, _, _ in server.state()["greeting"]] == [1, 2, 3]


def test_an_interrupted_publish_converges_when_run_again(published: Project, server: Langfuse, monkeypatch: pytest.MonkeyPatch) -> None:
    """Stop after each write in turn (the server writes, then the connection drops and
    stays down); the next run completes to exactly what one uninterrupted run leaves."""
    monkeypatch.setattr("promptctl.httpjson.time.sleep", lambda _: None)  # the retries' pauses
    settings = load_settings(published.root)
    client = Client(server.url, "pk-lf-test", "sk-lf-test")
    snap = snapshot(settings, None)
    apply(snap, client, plan(snap, client))
    expected = server.state()
    writes = sum(len(p.steps) for p in plan(snapshot(settings, None), _Fresh(client)))
    assert writes == 6
    for stop in range(writes - 1):  # after the last write there is nothing left to interrupt
        server.prompts.clear()
        done = {"n": 0}

        def stopper(_: Any, __: Any, done: dict[str, int] = done, stop: int = stop) -> None:
            done["n"] += 1
            if done["n"] == stop + 1:
                server.fail = [0] * 50  # down for the rest of the run

        with pytest.raises(PublishFailed):
            apply(snap, client, plan(snap, client), log=stopper)
        server.fail = []
        apply(snap, client, plan(snap, client))
        assert server.state() == expected, stop
        assert not [p.steps for p in plan(snap, client) if p.steps]


class _Fresh:
    """A registry that holds nothing: the plan of a first publish."""

    def __init__(self, real: Client) -> None:
        self.real = real

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)

    def read(self, name: str) -> Any:
        from promptctl.publishing import Remote

        return Remote()


def test_ci_publishes_on_a_push_to_the_base_branch_that_passes(published: Project, server: Langfuse, cli, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    before = published.git("rev-parse", "HEAD").stdout.strip()
    published.write("prompts/greeting.tags.yaml", "production: 3\nstaging: 3\n")
    published.commit("promote")
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"before": before}))
    for key, value in {
        "GITHUB_ACTIONS": "true",
        "GITHUB_EVENT_PATH": str(event),
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_REF": "refs/pull/7/merge",
    }.items():
        monkeypatch.setenv(key, value)
    for key in ("GITHUB_STEP_SUMMARY", "GITHUB_BASE_REF", "GITHUB_TOKEN"):
        monkeypatch.delenv(key, raising=False)
    pull = cli("ci", "--publish", "langfuse", "--format", "text")
    assert pull.code == 0 and "promptctl: not published: this run is not for a push to main" in pull.err
    assert server.state() == {}
    monkeypatch.setenv("GITHUB_EVENT_NAME", "push")
    monkeypatch.setenv("GITHUB_REF", "refs/heads/main")
    push = cli("ci", "--publish", "langfuse", "--format", "text")
    assert push.code == 0 and "created 4 versions, set 2 labels" in push.out, push
    assert [labels for _, labels, _ in server.state()["greeting"]][2] == ["latest", "production", "staging"]
    assert cli("ci", "--publish", "nowhere").code == 2
    event.write_text(json.dumps({"before": published.git("rev-parse", "HEAD").stdout.strip()}))
    published.write("prompts/greeting-v4.yaml", "version: 4\nmodel: no-such-model-2099\nsystem: Hi.\n")
    published.commit("broken")
    failed = cli("ci", "--publish", "langfuse", "--format", "text")
    assert failed.code == 1 and "promptctl: not published: the checks failed" in failed.err
    assert len(server.state()["greeting"]) == 3


def test_publish_bad_input_is_one_line_and_exit_2(published: Project, server: Langfuse, cli) -> None:  # type: ignore[no-untyped-def]
    published.write("prompts/broken-v1.yaml", "version: [\n")
    published.commit("a broken file on main")
    cases = {
        ("--to", "langfuse", "nope"): "no published prompt named `nope` on main",
        ("--to", "langfuse", "--base", "no-such-ref"): "no-such-ref",
        ("--to", "langfuse", "broken"): "prompts/broken-v1.yaml on main:",
        ("--to", "nowhere"): "Invalid value for '--to'",
        ("greeting",): "Missing option '--to'",
    }
    for args, message in cases.items():
        result = cli("publish", *args)
        assert result.code == 2 and message in result.err, (args, result)
        assert len(result.err.strip().splitlines()) == 1 and "Traceback" not in result.err
    assert server.state() == {}


def test_a_tag_longer_than_a_langfuse_label_is_refused(published: Project, server: Langfuse, cli) -> None:  # type: ignore[no-untyped-def]
    published.write("prompts/greeting.tags.yaml", "production: 2\nstaging: 3\n" + "a" * 40 + ": 1\n")
    published.commit("a long tag")
    result = cli("publish", "--to", "langfuse")
    assert result.code == 2 and "is longer than a Langfuse label may be (36 characters)" in result.err
    assert server.state() == {}

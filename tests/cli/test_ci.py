"""`promptctl ci`."""

from __future__ import annotations

import json
import re
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import Project, git_env


@pytest.fixture
def pr(project: Project) -> Project:
    """main has v1; the feature branch edits it and adds a broken v2."""
    project.init_git()
    project.write("prompts/greeting-v1.yaml", V1)
    project.write("prompts/greeting.tags.yaml", "production: 1\n")
    project.commit("v1")
    project.git("checkout", "-q", "-b", "feature")
    project.write("prompts/greeting.tags.yaml", "production: 2\n")
    project.write("prompts/greeting-v1.yaml", V1 + "top_p: 0.5\n")
    project.write("prompts/greeting-v2.yaml", "version: 2\nmodel: gpt-4o-2024-08-06\nsystem: Hi {{ who }}.\n")
    project.commit("change")
    return project


V1 = "version: 1\nmodel: gpt-4o-2024-08-06\nsystem: Hello.\n"


def test_ci_under_github_actions(pr: Project, cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    base = pr.git("rev-parse", "main").stdout.strip()
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"base": {"sha": base}}}))
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(event))
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    pr.git("checkout", "-q", "--detach")  # how actions/checkout leaves a pull request
    result = cli("ci")
    assert result.code == 1
    lines = result.out.splitlines()
    assert "::error file=prompts/greeting-v1.yaml,line=4,col=1,title=promptctl modified-version::" in lines[0]
    assert lines[1].startswith("::error file=prompts/greeting-v2.yaml,line=3,col=15,title=promptctl undeclared-variable::")
    md = summary.read_text()
    assert md.startswith("## promptctl\n")
    assert "| check (against merge-base of `HEAD`" in md and "pull request's base commit" in md
    assert "| `prompts/greeting-v1.yaml` | 4 | `modified-version` |" in md
    assert "- `greeting` production: v1 → v2" in md


def test_ci_base_from_github_base_ref(pr: Project, cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    pr.git("update-ref", "refs/remotes/origin/main", "main")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_BASE_REF", "main")
    monkeypatch.delenv("GITHUB_EVENT_PATH", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    result = cli("ci", "--format", "json")
    assert result.code == 1
    assert "modified-version" in {f["rule"] for f in json.loads(result.out)["findings"]}


def test_ci_under_gitlab_writes_code_quality(pr: Project, cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("GITLAB_CI", "true")
    monkeypatch.setenv("CI_MERGE_REQUEST_DIFF_BASE_SHA", pr.git("rev-parse", "main").stdout.strip())
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    result = cli("ci")
    assert result.code == 1
    report = json.loads((pr.root / "gl-code-quality-report.json").read_text())
    assert {i["check_name"] for i in report} == {"modified-version", "undeclared-variable"}
    for issue in report:
        assert set(issue) >= {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["location"]["lines"]["begin"] >= 1
    assert len({i["fingerprint"] for i in report}) == len(report)


def test_ci_clean_pull_request(project: Project, cli, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    for var in ("GITHUB_ACTIONS", "GITLAB_CI", "CI_MERGE_REQUEST_DIFF_BASE_SHA", "GITHUB_STEP_SUMMARY"):
        monkeypatch.delenv(var, raising=False)
    project.init_git()
    project.write("prompts/greeting-v1.yaml", V1)
    project.commit("v1")
    project.git("checkout", "-q", "-b", "feature")
    project.write("prompts/greeting-v2.yaml", V1.replace("version: 1", "version: 2"))
    project.commit("v2")
    result = cli("ci")
    assert result.code == 0 and "All checks passed" in result.out


def test_ci_unknown_base_is_exit_2(pr: Project, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("ci", "--base", "origin/nope")
    assert result.code == 2 and "origin/nope" in result.err


def test_a_change_that_touches_no_prompt_passes_beside_published_findings(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    """Rules change, history does not: a published file's findings are never the change's."""
    project.init_git()
    project.write("prompts/old-v1.yaml", "version: 1\nmodel: gpt-4-0314-retired\nsystem: Hi.\n")  # unknown-model today
    project.write("prompts/greeting-v1.yaml", V1)
    project.commit("published long ago")
    project.git("checkout", "-q", "-b", "feature")
    project.write("README.md", "docs\n")
    project.commit("docs only")
    result = cli("ci", "--base", "main")
    assert result.code == 0, result.out
    assert "1 finding in 1 file not part of this change" in result.out
    as_json = json.loads(cli("ci", "--base", "main", "--format", "json").out)
    assert as_json["findings"] == [] and as_json["summary"]["outside_change"] == {"findings": 1, "files": 1}
    # a bad new version fails, with findings on that file only
    project.write("prompts/greeting-v2.yaml", "version: 2\nmodel: gpt-4o-2024-08-06\nsystem: Hi {{ who }}.\n")
    project.commit("bad v2")
    result = cli("ci", "--base", "main", "--format", "json")
    assert result.code == 1 and {f["path"] for f in json.loads(result.out)["findings"]} == {"prompts/greeting-v2.yaml"}
    # the repository owner's view still lists everything; --changed the change's files with uncommitted ones
    assert cli("lint").code == 1
    project.write("prompts/greeting-v3.yaml", "version: 3\nmodel: gpt-4o-2024-08-06\nsystem: Hi.\n")
    changed = json.loads(cli("lint", "--changed", "--format", "json").out)
    assert {f["path"] for f in changed["findings"]} == {"prompts/greeting-v2.yaml"}
    assert changed["summary"]["outside_change"]["files"] == 1


# -- simulated CI systems -----------------------------------------------------------

CI_VARIABLES = (
    "GITHUB_ACTIONS", "GITHUB_EVENT_PATH", "GITHUB_BASE_REF", "GITHUB_STEP_SUMMARY", "GITHUB_TOKEN", "GH_TOKEN",
    "GITLAB_CI", "CI_MERGE_REQUEST_DIFF_BASE_SHA", "CI_MERGE_REQUEST_TARGET_BRANCH_NAME", "CI_COMMIT_BEFORE_SHA",
    "CI_MERGE_REQUEST_IID", "PROMPTCTL_GITLAB_TOKEN",
)  # fmt: skip


@pytest.fixture
def github(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A GitHub Actions job: set the event payload with github(payload); returns the summary path."""
    for var in CI_VARIABLES:
        monkeypatch.delenv(var, raising=False)
    summary = tmp_path / "summary.md"

    def job(payload: dict[str, object], **env: str) -> Path:
        event = tmp_path / "event.json"
        event.write_text(json.dumps(payload))
        monkeypatch.setenv("GITHUB_ACTIONS", "true")
        monkeypatch.setenv("GITHUB_EVENT_PATH", str(event))
        monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        return summary

    return job


class StandIn(ThreadingHTTPServer):
    """The two comment APIs as GitHub and GitLab document them, in memory (neither
    service can run here). ``refuse`` answers every write with 403, as GitHub does for
    a fork's read-only token."""

    comments: dict[int, str]
    calls: list[tuple[str, str, dict[str, str]]]
    refuse: bool

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: StandIn

    def log_message(self, *args: object) -> None:
        pass

    def _answer(self, code: int, body: object) -> None:
        raw = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def _record(self) -> dict[str, str]:
        length = int(self.headers.get("Content-Length") or 0)
        body: dict[str, str] = json.loads(self.rfile.read(length)) if length else {}
        self.server.calls.append((self.command, self.path, dict(self.headers)))
        return body

    def do_GET(self) -> None:
        self._record()
        page = int(re.search(r"[?&]page=(\d+)", self.path).group(1))  # type: ignore[union-attr]
        items = [{"id": i, "body": b} for i, b in sorted(self.server.comments.items())]
        self._answer(200, items[(page - 1) * 100 : page * 100])

    def _write(self) -> None:
        body = self._record()
        if self.server.refuse:
            self._answer(403, {"message": "Resource not accessible by integration"})
            return
        if self.command == "POST":
            new = max(self.server.comments, default=0) + 1
            self.server.comments[new] = body["body"]
            self._answer(201, {"id": new})
        else:
            number = int(self.path.rstrip("/").rsplit("/", 1)[1])
            self.server.comments[number] = body["body"]
            self._answer(200, {"id": number})

    do_POST = do_PATCH = do_PUT = _write


@pytest.fixture
def stand_in() -> Iterator[StandIn]:
    server = StandIn(("127.0.0.1", 0), _Handler)
    server.comments, server.calls, server.refuse = {}, [], False
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _pr_payload(pr: Project, number: int = 7) -> dict[str, object]:
    return {"pull_request": {"number": number, "base": {"sha": pr.git("rev-parse", "main").stdout.strip()}}}


def test_pull_request_comment_is_posted_once_and_then_updated(pr: Project, cli, github, stand_in: StandIn) -> None:  # type: ignore[no-untyped-def]
    stand_in.comments[1] = "someone else's comment"
    github(_pr_payload(pr), GITHUB_TOKEN="t0ken", GITHUB_API_URL=stand_in.url, GITHUB_REPOSITORY="team/prompts")
    first = cli("ci", "--comment")
    assert first.code == 1  # the findings decide, not the comment
    assert "promptctl: posted the review comment on the pull request" in first.err
    second = cli("ci", "--comment")
    assert "promptctl: updated the review comment on the pull request" in second.err
    assert len(stand_in.comments) == 2 and stand_in.comments[1] == "someone else's comment"
    body = stand_in.comments[2]
    assert body.startswith("<!-- promptctl:review -->\n## promptctl\n")
    assert "`modified-version`" in body and "### Prompt changes" in body
    writes = [(method, path) for method, path, _ in stand_in.calls if method != "GET"]
    assert writes == [("POST", "/repos/team/prompts/issues/7/comments"), ("PATCH", "/repos/team/prompts/issues/comments/2")]
    headers = stand_in.calls[0][2]
    assert headers["Authorization"] == "Bearer t0ken" and headers["X-Github-Api-Version"] == "2022-11-28"


def test_fork_without_write_permission_keeps_the_summary_and_the_exit_code(pr: Project, cli, github, stand_in: StandIn) -> None:  # type: ignore[no-untyped-def]
    stand_in.refuse = True
    summary = github(_pr_payload(pr), GITHUB_TOKEN="read-only", GITHUB_API_URL=stand_in.url, GITHUB_REPOSITORY="team/prompts")
    result = cli("ci", "--comment")
    assert result.code == 1
    assert (
        "promptctl: warning: could not post the review comment: HTTP 403 on POST (Resource not accessible by integration); "
        "the job summary has the review" in result.err
    )
    assert "::warning title=promptctl::could not post the review comment" in result.out
    assert "### Prompt changes" in summary.read_text()


def test_comment_without_a_token_or_outside_a_pull_request_says_so(pr: Project, cli, github) -> None:  # type: ignore[no-untyped-def]
    github(_pr_payload(pr))
    assert "promptctl: no review comment: GITHUB_TOKEN is not set" in cli("ci", "--comment").err
    github({"before": pr.git("rev-parse", "main").stdout.strip()}, GITHUB_TOKEN="t")
    assert "promptctl: no review comment: this run is not for a pull request" in cli("ci", "--comment").err


def test_push_is_judged_against_the_commit_before_it(pr: Project, cli, github) -> None:  # type: ignore[no-untyped-def]
    summary = github({"before": pr.git("rev-parse", "main").stdout.strip()})
    result = cli("ci")
    assert result.code == 1 and "modified-version" in result.out
    assert "the commit before the push (GitHub event payload)" in summary.read_text()


def test_force_push_with_an_unknown_before_falls_back_to_the_base_branch(pr: Project, cli, github) -> None:  # type: ignore[no-untyped-def]
    summary = github({"before": "1" * 40})
    result = cli("ci")
    assert result.code == 1  # still judged: against main, with the edit of v1 found
    assert "modified-version" in result.out
    assert (
        "promptctl: warning: the commit before the push (111111111111) is not in this clone "
        "(a force-push rewrote it?): judging against the base branch\n" in result.err
    )
    assert result.out.startswith("::warning title=promptctl::the commit before the push")
    assert "from the base branch" in summary.read_text()


def test_shallow_clone_still_gets_its_lint_findings_and_an_error_annotation(pr: Project, cli, github, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    clone = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", "--branch", "feature", f"file://{pr.root}", str(clone)], check=True, env=git_env()
    )
    monkeypatch.chdir(clone)
    summary = github({"pull_request": {"number": 3, "base": {"sha": "2" * 40}}})
    result = cli("ci")
    assert result.code == 2
    assert "title=promptctl undeclared-variable::" in result.out  # lint still ran
    error = [line for line in result.out.splitlines() if line.startswith("::error title=promptctl::")]
    assert len(error) == 1 and "fetch-depth: 0" in error[0]
    assert "promptctl: error:" in result.err and "fetch-depth: 0" in result.err
    assert "❌ `check` could not run:" in summary.read_text()


def test_unwritable_job_summary_is_one_line_and_keeps_the_exit_code(pr: Project, cli, github, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    github(_pr_payload(pr), GITHUB_STEP_SUMMARY=str(tmp_path / "no-such-folder" / "summary.md"))
    result = cli("ci")
    assert result.code == 1
    errors = [line for line in result.err.splitlines() if line.startswith("promptctl: error:")]
    assert len(errors) == 1 and "cannot write the job summary" in errors[0] and "No such file or directory" in errors[0]


def test_gitlab_merge_request_target_branch_review_file_and_note(  # type: ignore[no-untyped-def]
    pr: Project, cli, monkeypatch: pytest.MonkeyPatch, stand_in: StandIn
) -> None:
    for var in CI_VARIABLES:
        monkeypatch.delenv(var, raising=False)
    pr.git("update-ref", "refs/remotes/origin/main", "main")
    for key, value in {
        "GITLAB_CI": "true",
        "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main",
        "CI_MERGE_REQUEST_IID": "12",
        "CI_PROJECT_ID": "team/prompts",
        "CI_API_V4_URL": stand_in.url + "/api/v4",
        "PROMPTCTL_GITLAB_TOKEN": "glpat-x",
    }.items():
        monkeypatch.setenv(key, value)
    result = cli("ci", "--comment")
    assert result.code == 1
    assert "promptctl: posted the review comment on the merge request" in result.err
    review = (pr.root / "promptctl-review.md").read_text()
    assert "CI_MERGE_REQUEST_TARGET_BRANCH_NAME" in review and "### Prompt changes" in review
    assert stand_in.comments[1].rstrip("\n") == "<!-- promptctl:review -->\n" + review.rstrip("\n")
    cli("ci", "--comment")
    writes = [(method, path) for method, path, _ in stand_in.calls if method != "GET"]
    assert writes == [
        ("POST", "/api/v4/projects/team%2Fprompts/merge_requests/12/notes"),
        ("PUT", "/api/v4/projects/team%2Fprompts/merge_requests/12/notes/1"),
    ]
    assert stand_in.calls[0][2]["Private-Token"] == "glpat-x"
    assert json.loads((pr.root / "gl-code-quality-report.json").read_text())


def test_monorepo_machine_formats_name_files_from_the_repository_top(project: Project, cli, github, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    project.init_git()
    project.write("services/llm/promptctl.toml", "")
    project.write("services/llm/prompts/greeting-v1.yaml", V1)
    project.commit("v1")
    project.git("checkout", "-q", "-b", "feature")
    project.write("services/llm/prompts/greeting-v2.yaml", "version: 2\nmodel: gpt-4o-2024-08-06\nsystem: Hi {{ who }}.\n")
    project.commit("v2")
    github({"pull_request": {"number": 1, "base": {"sha": project.git("rev-parse", "main").stdout.strip()}}})
    sarif = tmp_path / "out.sarif"
    result = cli("--project", "services/llm", "ci", "--sarif", str(sarif), "--exit-zero")
    assert result.code == 0  # --exit-zero: the findings are reported, the job passes
    assert result.out.startswith("::error file=services/llm/prompts/greeting-v2.yaml,line=3,col=15,")
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in json.loads(sarif.read_text())["runs"][0]["results"]]
    assert uris == ["services/llm/prompts/greeting-v2.yaml"]
    text = cli("--project", "services/llm", "ci", "--format", "text", "--base", "main")
    assert text.code == 1 and "greeting-v2.yaml:3:15" in text.out


def test_project_option_errors_are_one_line(project: Project, cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("--project", "nowhere", "lint")
    assert result.code == 2
    assert result.err == "promptctl: error: --project nowhere: no such folder — give the folder that holds the project's configuration\n"
    assert cli("lint", "--project").err.startswith("promptctl: error: option `--project` needs a folder")


def test_unwritable_reports_are_one_line_each_and_keep_the_exit_code(pr: Project, cli, github) -> None:  # type: ignore[no-untyped-def]
    github(_pr_payload(pr))
    result = cli("ci", "--sarif", "prompts/greeting-v1.yaml/x.sarif", "--review-file", "prompts/greeting-v2.yaml/r.md")
    assert result.code == 1
    errors = [line for line in result.err.splitlines() if line.startswith("promptctl: error:")]
    assert len(errors) == 2 and errors[0].startswith("promptctl: error: the SARIF report: cannot write")
    assert errors[1].startswith("promptctl: error: the review: cannot write")

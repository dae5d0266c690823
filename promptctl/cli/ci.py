from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from promptctl.cli import exit_with, settings
from promptctl.cli.options import ExitZeroOption, ExtendSelectOption, Format, IgnoreOption, PerFileIgnoresOption, SelectOption, StrictOption
from promptctl.errors import ExitCode

if TYPE_CHECKING:
    from promptctl.config import Settings
    from promptctl.findings import Report


def _warn(message: str, github: bool) -> None:
    """A warning on stderr, and as an annotation when GitHub shows the job."""
    from promptctl.reporters.github import data

    sys.stderr.write(f"promptctl: warning: {message}\n")
    if github:
        sys.stdout.write(f"::warning title=promptctl::{data(message)}\n")


def _write(path: Path, text: str, what: str) -> None:
    """Write a report file; an unwritable one is a one-line error that does not change
    what the findings decide."""
    from promptctl import fsio
    from promptctl.errors import PromptctlError
    from promptctl.redaction import redact

    target = path if path.is_absolute() else Path.cwd() / path
    try:
        fsio.replace(target, redact(text).encode("utf-8"))
    except PromptctlError as exc:
        sys.stderr.write(f"promptctl: error: the {what}: {exc.message} — the findings are above\n")
    except OSError as exc:
        sys.stderr.write(f"promptctl: error: cannot write the {what} to {path}: {exc.strerror or exc} — the findings are above\n")


def _append_summary(text: str) -> None:
    from promptctl.redaction import redact

    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if not path:
        return
    try:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(redact(text) + "\n")
    except OSError as exc:
        sys.stderr.write(f"promptctl: error: cannot write the job summary to {path}: {exc.strerror or exc} — the findings are above\n")


def _render(report: Report, chosen: str) -> str:
    import io

    from promptctl.reporters import reporter

    buffer = io.StringIO()
    reporter(chosen)(report, buffer)
    return buffer.getvalue()


def ci(
    base: Annotated[
        Optional[str], typer.Option("--base", metavar="REF", help="Base ref; default: from the CI environment, else the base branch.")
    ] = None,
    format: Annotated[
        Optional[Format], typer.Option("--format", "-f", help="Output format (default: github under GitHub Actions, else text).")
    ] = None,
    gitlab_report: Annotated[
        Optional[Path],
        typer.Option(
            "--gitlab-report",
            metavar="FILE",
            help="Also write a GitLab code-quality report (default under GitLab CI: gl-code-quality-report.json).",
        ),
    ] = None,
    sarif: Annotated[
        Optional[Path], typer.Option("--sarif", metavar="FILE", help="Also write the findings as SARIF (for code scanning).")
    ] = None,
    review_file: Annotated[
        Optional[Path],
        typer.Option(
            "--review-file",
            metavar="FILE",
            help="Also write the review (findings and prompt diff) as Markdown (default under GitLab CI: promptctl-review.md).",
        ),
    ] = None,
    comment: Annotated[
        bool,
        typer.Option(
            "--comment",
            help="Post the review as one pull-request comment (GITHUB_TOKEN) or merge-request note (PROMPTCTL_GITLAB_TOKEN), "
            "updated on every run.",
        ),
    ] = False,
    publish: Annotated[
        Optional[str],
        typer.Option(
            "--publish",
            metavar="TARGET",
            help="On a push to the base branch that passes, publish to mlflow, phoenix or langfuse (see `promptctl publish`).",
        ),
    ] = None,
    strict: StrictOption = False,
    exit_zero: ExitZeroOption = False,
    select: SelectOption = None,
    extend_select: ExtendSelectOption = None,
    ignore: IgnoreOption = None,
    per_file_ignores: PerFileIgnoresOption = None,
) -> None:
    """Lint and check a pull request in CI: annotations, a Markdown job summary, reports."""
    import io

    from promptctl.cijob import base_from_environment
    from promptctl.cijob import review_file as default_review_file
    from promptctl.cli.output import selected
    from promptctl.errors import GitError
    from promptctl.findings import Report
    from promptctl.git import Git
    from promptctl.history import collect, judge
    from promptctl.linter import lint

    s = selected(settings(), select, extend_select, ignore, per_file_ignores)
    if publish is not None:
        from promptctl.errors import UsageError
        from promptctl.publishing.targets import TARGETS

        if publish not in TARGETS:
            raise UsageError(f"--publish {publish}: not a registry", f"one of {', '.join(TARGETS)}")
    env = dict(os.environ)
    chosen = format.value if format else ("github" if env.get("GITHUB_ACTIONS") == "true" else "text")
    github = chosen == "github"
    source = "--base"
    if base is None:
        with Git(s.root) as git:
            found = base_from_environment(env, known=lambda ref: git.resolve(ref) is not None)
        base, source = found.ref, found.source
        for warning in found.warnings:
            _warn(warning, github)
    lint_report = lint(s)
    try:
        history = collect(s, staged=False, base=base)
    except GitError as exc:
        # Without history nothing can be judged, but the lint findings still help.
        sys.stdout.write(_render(lint_report, chosen))
        message = f"{exc.message} — {exc.hint}" if exc.hint else exc.message
        if github:
            from promptctl.reporters.github import data

            sys.stdout.write(f"::error title=promptctl::{data(message)}\n")
        _append_summary(f"## promptctl\n\n❌ `check` could not run: {message}\n")
        raise
    # Lint rules judge what the change adds or modifies; history rules judge everything.
    lint_report = lint_report.limited_to(history.changed_paths())
    history.settings = selected(history.settings, select, extend_select, ignore, per_file_ignores)
    check_report = judge(history)
    combined = Report(
        lint_report.findings + check_report.findings,
        files_checked=lint_report.files_checked,
        root=lint_report.root,
        sources={**lint_report.sources, **check_report.sources},
        quotes={**lint_report.quotes, **check_report.quotes},
        outside=lint_report.outside,
    )
    sys.stdout.write(_render(combined, chosen))
    if gitlab_report is None and env.get("GITLAB_CI"):
        gitlab_report = Path("gl-code-quality-report.json")
    if gitlab_report is not None:
        _write(gitlab_report, _render(combined, "gitlab"), "code quality report")
    if sarif is not None:
        _write(sarif, _render(combined, "sarif"), "SARIF report")
    review_path = default_review_file(env, review_file)
    if env.get("GITHUB_STEP_SUMMARY") or review_path is not None or comment:
        from promptctl.reporters.diff import render_markdown
        from promptctl.reporters.summary import summary_markdown
        from promptctl.review import pull_request

        changes = pull_request(s, base, history=history)
        moves = [
            f"`{c.name}` {c.tag}: v{c.before} → v{c.after}"
            for c in history.tag_changes()
            if c.tag in history.settings.channels and c.before is not None and c.after is not None and c.before != c.after
        ]

        label = f"{history.baseline.label}, from {source}"

        def review(limit: int) -> str:
            """The findings, then as much of the prompt diff as ``limit`` bytes leave room for."""
            findings = summary_markdown(lint_report, check_report, label, moves)
            diff_md = io.StringIO()
            render_markdown(changes, diff_md, limit=max(limit - len(findings.encode()) - 64, 4096))
            return summary_markdown(lint_report, check_report, label, moves, diff_md.getvalue())

        full = review(900 * 1024) if env.get("GITHUB_STEP_SUMMARY") or review_path is not None else ""
        if env.get("GITHUB_STEP_SUMMARY"):
            _append_summary(full)
        if review_path is not None:
            _write(review_path, full + "\n", "review")
        if comment:
            from promptctl import cicomment
            from promptctl.redaction import redact

            try:
                sys.stderr.write(f"promptctl: {cicomment.post(redact(review(cicomment.limit(env))), env)}\n")
            except cicomment.CommentFailed as exc:
                _warn(f"could not post the review comment: {exc}; the job summary has the review", github)
    failed = combined.failed(strict) and not exit_zero
    if publish and _publishes(s, env, publish, failed=combined.failed(strict)):
        from promptctl.cli.publish import run_publish

        failed = run_publish(publish, [], url=None, base="HEAD", dry_run=False, as_json=False) != ExitCode.CLEAN or failed
    exit_with(ExitCode.FINDINGS if failed else ExitCode.CLEAN)


def _publishes(s: Settings, env: dict[str, str], target: str, *, failed: bool) -> bool:
    """Whether `ci --publish` publishes in this run; says why not when it does not."""
    from promptctl.cijob import push_to
    from promptctl.history import base_ref

    branch = s.base_branch or base_ref(s).removeprefix("origin/")
    if failed:
        sys.stderr.write("promptctl: not published: the checks failed\n")
        return False
    if not push_to(env, branch):
        sys.stderr.write(f"promptctl: not published: this run is not for a push to {branch}\n")
        return False
    return True

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from promptctl.cli import exit_with, settings
from promptctl.cli.options import Format, StrictOption
from promptctl.errors import ExitCode


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
    strict: StrictOption = False,
) -> None:
    """Lint and check a pull request in CI: annotations, and a Markdown job summary."""
    from promptctl import fsio
    from promptctl.cijob import base_from_environment
    from promptctl.findings import Report
    from promptctl.history import collect, judge
    from promptctl.linter import lint
    from promptctl.redaction import redact
    from promptctl.reporters import reporter
    from promptctl.reporters.summary import summary_markdown

    s = settings()
    source = "--base"
    if base is None:
        base, source = base_from_environment()
    history = collect(s, staged=False, base=base)
    # Lint rules judge what the change adds or modifies; history rules judge everything.
    lint_report = lint(s).limited_to(history.changed_paths())
    check_report = judge(history)
    combined = Report(
        lint_report.findings + check_report.findings,
        files_checked=lint_report.files_checked,
        root=lint_report.root,
        sources={**lint_report.sources, **check_report.sources},
        outside=lint_report.outside,
    )
    chosen = format.value if format else ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    reporter(chosen)(combined, sys.stdout)
    if gitlab_report is None and os.environ.get("GITLAB_CI"):
        gitlab_report = Path("gl-code-quality-report.json")
    if gitlab_report is not None:
        import io

        buffer = io.StringIO()
        reporter("gitlab")(combined, buffer)
        target = gitlab_report if gitlab_report.is_absolute() else Path.cwd() / gitlab_report
        fsio.replace(target, redact(buffer.getvalue()).encode("utf-8"))
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary:
        label = f"{history.baseline.label}, from {source}"
        moves = [
            f"`{c.name}` {c.tag}: v{c.before} → v{c.after}"
            for c in history.tag_changes()
            if c.tag in history.settings.channels and c.before is not None and c.after is not None and c.before != c.after
        ]
        import io

        from promptctl.reporters.diff import render_markdown
        from promptctl.review import pull_request

        diff_md = io.StringIO()
        render_markdown(pull_request(s, base, history=history), diff_md, limit=900 * 1024)
        with open(summary, "a", encoding="utf-8") as fh:
            fh.write(redact(summary_markdown(lint_report, check_report, label, moves, diff_md.getvalue())) + "\n")
    exit_with(ExitCode.FINDINGS if combined.failed(strict) else ExitCode.CLEAN)

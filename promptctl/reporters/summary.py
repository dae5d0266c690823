"""The CI job summary (GitHub's `$GITHUB_STEP_SUMMARY`): the status of lint and check,
the findings, channel moves and the review diff, as Markdown."""

from __future__ import annotations

from promptctl.findings import Report
from promptctl.invisible import escape


def summary_markdown(
    lint: Report, check: Report, base_label: str, channel_moves: list[str] | None = None, diff_markdown: str | None = None
) -> str:
    def status(report: Report) -> str:
        if report.errors:
            return f"❌ {report.errors} error{'s' if report.errors != 1 else ''}" + (
                f", {report.warnings} warning{'s' if report.warnings != 1 else ''}" if report.warnings else ""
            )
        return "✅ clean" + (f" ({report.warnings} warning{'s' if report.warnings != 1 else ''})" if report.warnings else "")

    lines = [
        "## promptctl",
        "",
        "| step | result |",
        "| --- | --- |",
        f"| lint ({lint.files_checked} files) | {status(lint)} |",
        f"| check (against {base_label}) | {status(check)} |",
        "",
    ]
    if lint.outside_note:
        lines += [f"_{lint.outside_note}_", ""]
    findings = sorted(lint.findings + check.findings)
    if findings:
        lines += ["| file | line | rule | message |", "| --- | --- | --- | --- |"]
        for f in findings[:200]:
            message = f.message.splitlines()[0].replace("|", "\\|")
            lines.append(f"| `{f.path}` | {f.line} | `{f.rule}` | {message} |")
        if len(findings) > 200:
            lines.append(f"| … | | | {len(findings) - 200} more |")
        lines.append("")
    if channel_moves:
        lines += ["**Channel moves** (review these: they change what runs):", ""]
        lines += [f"- {move}" for move in channel_moves]
        lines.append("")
    if diff_markdown:
        lines += [diff_markdown, ""]
    return escape("\n".join(lines), keep_lines=True)

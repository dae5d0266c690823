"""render."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Project


def test_render_command(prompts: Project, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = cli("render", "billing/triage", "--var", "team=ops", "--var", "message=Hi", "--var", "days=7")
    assert out.code == 0
    assert out.out == (
        "billing/triage@1 for gpt-4o-2024-08-06 (max_tokens 300, stop ['END'], temperature 0.2)\n"
        "── system ──\nTriage for ops.\nWindow: 7 days.\n── user ──\nHi\n"
    )
    as_json = json.loads(cli("render", "billing/triage@1", "--var", "team=ops", "--var", "message=Hi", "-f", "json").out)
    assert as_json[1] == {"role": "user", "content": "Hi"}
    varsfile = tmp_path / "vars.yaml"
    varsfile.write_text("team: ops\nmessage: from file\nurgent: true\n")
    openai = json.loads(cli("render", "billing/triage", "--vars", str(varsfile), "-f", "openai").out)
    assert openai["messages"][1]["content"] == "from file" and openai["model"] == "gpt-4o-2024-08-06"
    anthropic = json.loads(cli("render", "billing/triage", "--vars", str(varsfile), "--fallback", "1", "-f", "anthropic").out)
    assert anthropic["model"] == "claude-3-5-haiku-20241022"
    assert json.loads(cli("render", "customer-support@production", "-f", "json").out)[0]["role"] == "system"


def test_render_problems_are_findings(prompts: Project, cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    missing = cli("render", "billing/triage", "--var", "team=ops")
    assert missing.code == 1
    assert missing.err.startswith("prompts/billing/triage-v1.yaml:10:3: render-error missing required variable `message`")
    typed = cli("render", "billing/triage", "--var", "team=ops", "--var", "message=x", "--var", "days=soon")
    assert typed.code == 1 and "variable `days` must be integer, got 'soon'" in typed.err
    prompts.write("prompts/broken-v1.yaml", "version: 1\nmodel: gpt-4o-2024-08-06\nsystem: |\n  fine\n  {{ nobody }}\n")
    undefined = cli("render", "broken")
    assert undefined.code == 1
    assert undefined.err.startswith("prompts/broken-v1.yaml:5:6: render-error `nobody` is undefined")
    blowup = cli("render", "billing/triage", "--var", "team={{ 'x' * 10 }}", "--var", "message=m")
    assert blowup.code == 0 and "{{ 'x' * 10 }}" in blowup.out  # values are data, never templates
    bad_file = tmp_path / "vars.yaml"
    bad_file.write_text("a: &x 1\nb: *x\n")
    assert cli("render", "billing/triage", "--vars", str(bad_file)).code == 2
    assert cli("render", "billing/triage", "--var", "nonsense").code == 2
    assert cli("render", "billing/triage", "--fallback", "5").code == 2
    assert cli("render", "nope").code == 2

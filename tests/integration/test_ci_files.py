"""The CI files we ship or generate, and the README's copies of them: valid against the
schemas GitHub and GitLab publish (shipped offline by check-jsonschema), audited by
zizmor, and the same as what `promptctl init` writes."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from promptctl._version import __version__
from promptctl.scaffold import WORKFLOW
from tests.conftest import ROOT, tool, validate_workflow


def _readme_blocks() -> dict[str, str]:
    """README's YAML blocks that name their file on the first line, by that name."""
    blocks = re.findall(r"```yaml\n# (\S+)\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
    return {name: body for name, body in blocks}


def test_the_action_validates_and_passes_zizmor() -> None:
    validate_workflow(ROOT / "action.yml", "vendor.github-actions")


@pytest.mark.parametrize(
    ("name", "schema"),
    [
        (".github/workflows/promptctl.yml", "vendor.github-workflows"),
        (".github/workflows/prompts.yml", "vendor.github-workflows"),
        (".gitlab-ci.yml", "vendor.gitlab-ci"),
        (".github/workflows/publish-prompts.yml", "vendor.github-workflows"),
    ],
)
def test_readme_ci_examples_validate(name: str, schema: str, tmp_path: Path) -> None:
    body = _readme_blocks()[name]
    path = tmp_path / Path(name).name
    path.write_text(body)
    if name.endswith("prompts.yml"):
        # the Action's reference is a placeholder for where a team keeps it: schema only
        proc = subprocess.run([tool("check-jsonschema"), "--builtin-schema", schema, str(path)], capture_output=True, text=True)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    else:
        validate_workflow(path, schema)


def test_readme_workflow_is_what_init_writes_and_installs_this_version() -> None:
    blocks = _readme_blocks()
    generated = WORKFLOW.format(source=f"promptctl-git=={__version__}", branch="main", project="", label="")
    assert blocks[".github/workflows/promptctl.yml"] == generated
    assert f'pip install "promptctl-git=={__version__}"' in blocks[".gitlab-ci.yml"]
    assert f'pip install "promptctl-git=={__version__}"' in blocks[".github/workflows/publish-prompts.yml"]
    assert "promptctl-review.md" in blocks[".gitlab-ci.yml"] and "gl-code-quality-report.json" in blocks[".gitlab-ci.yml"]

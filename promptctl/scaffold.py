"""``promptctl init``: set up an existing repository in one step. Each step is skipped
with a note when its file already does the job; nothing is ever clobbered (an existing
file is only ever extended, and only when the result still parses)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from promptctl import fsio
from promptctl._version import __version__

HOOK_REPO = "https://github.com/promptctl/promptctl"

CONFIG_BODY = """\
# prompts_dir = "prompts"              # where prompt files live
# layout = "flat"                      # or "nested": which layout `promptctl new` writes
# base_branch = "main"                 # default: origin/HEAD, else main, else master
# channels = ["production", "staging"] # tags that may move
# ignore = []                          # rule ids to skip (`promptctl rules` lists them)
"""

PROMPTS_README = """\
# Prompts

One YAML file per prompt version: `<name>-v<N>.yaml` (or `<name>/v<N>.yaml`). A version
on the base branch is published and never edited again — change a prompt with
`promptctl bump <name>`. Tags (`<name>.tags.yaml`) point environments at versions.
Run `promptctl lint` before you commit; the pre-commit hooks and CI do it too.
"""

WORKFLOW = """\
name: prompts
on:
  pull_request:
  push:
    branches: [main]
permissions:
  contents: read
jobs:
  promptctl:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0   # check needs the base branch's history
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - run: pip install promptctl=={version}
      - run: promptctl ci
"""


@dataclass
class Step:
    path: str
    done: str  # "created", "extended" or "skipped"
    note: str = ""


def _hooks_block(indent: str) -> str:
    item = f"{indent}- repo: {HOOK_REPO}\n{indent}  rev: v{__version__}\n{indent}  hooks:\n"
    return item + f"{indent}    - id: promptctl-lint\n{indent}    - id: promptctl-check\n"


def _pre_commit(root: Path) -> Step:
    path = root / ".pre-commit-config.yaml"
    rel = ".pre-commit-config.yaml"
    if not path.exists():
        fsio.create(path, ("repos:\n" + _hooks_block("  ")).encode(), root=root)
        return Step(rel, "created")
    text = path.read_text(encoding="utf-8")
    if "promptctl-check" in text and "promptctl-lint" in text:
        return Step(rel, "skipped", "the promptctl hooks are already there")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return Step(rel, "skipped", "it does not parse; add the promptctl hooks by hand (see the README)")
    if not isinstance(data, dict) or not isinstance(data.get("repos"), list) or not re.search(r"^repos:[ \t]*(#.*)?$", text, re.M):
        return Step(rel, "skipped", "no block-style `repos:` list to extend; add the promptctl hooks by hand")
    items = re.findall(r"^([ \t]*)- ", text[text.index("repos:") :], re.M)
    indent = items[0] if items else "  "
    updated = text + ("" if text.endswith("\n") else "\n") + _hooks_block(indent)
    check = yaml.safe_load(updated)
    if len(check.get("repos", [])) != len(data["repos"]) + 1:
        return Step(rel, "skipped", "could not extend it safely; add the promptctl hooks by hand")
    fsio.replace(path, updated.encode(), root=root)
    return Step(rel, "extended", "added the promptctl-lint and promptctl-check hooks")


def _config(root: Path) -> Step:
    pyproject = root / "pyproject.toml"
    standalone = root / "promptctl.toml"
    if standalone.exists():
        return Step("promptctl.toml", "skipped", "already present")
    if pyproject.exists():
        text = pyproject.read_text(encoding="utf-8")
        if re.search(r"^\[tool\.promptctl\]", text, re.M):
            return Step("pyproject.toml", "skipped", "[tool.promptctl] is already there")
        updated = text + ("" if text.endswith("\n") else "\n") + "\n[tool.promptctl]\n" + CONFIG_BODY
        fsio.replace(pyproject, updated.encode(), root=root)
        return Step("pyproject.toml", "extended", "added a commented [tool.promptctl] table")
    fsio.create(standalone, ("# promptctl configuration: every key is optional.\n" + CONFIG_BODY).encode(), root=root)
    return Step("promptctl.toml", "created")


def run(root: Path, prompts_dir: str = "prompts") -> list[Step]:
    steps: list[Step] = []
    prompts = root / prompts_dir
    if prompts.exists():
        steps.append(Step(f"{prompts_dir}/", "skipped", "already present"))
    else:
        fsio.create(prompts / "README.md", PROMPTS_README.encode(), root=root)
        steps.append(Step(f"{prompts_dir}/", "created", "with a README; add a prompt with `promptctl new NAME`"))
    steps.append(_config(root))
    steps.append(_pre_commit(root))
    workflow = root / ".github" / "workflows" / "promptctl.yml"
    if workflow.exists():
        steps.append(Step(".github/workflows/promptctl.yml", "skipped", "already present"))
    else:
        fsio.create(workflow, WORKFLOW.format(version=__version__).encode(), root=root)
        steps.append(Step(".github/workflows/promptctl.yml", "created"))
    return steps

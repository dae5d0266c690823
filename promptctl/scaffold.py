"""``promptctl init``: set up an existing repository in one step. Each step is skipped
with a note when its file already does the job; nothing is ever clobbered (an existing
file is only ever extended, and only when the result still parses)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from promptctl import fsio
from promptctl._version import __version__

DISTRIBUTION = "promptctl-git"  # the command is `promptctl`; `promptctl` on PyPI is someone else's


def default_source() -> str:
    """What generated files install: exactly this project, at the running version."""
    return f"{DISTRIBUTION}=={__version__}"


CONFIG_BODY = """\
# prompts_dir = "prompts"              # where prompt files live
# layout = "flat"                      # or "nested": which layout `promptctl new` writes
{base_branch_line}
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
name: prompts{label}
on:
  pull_request:
  push:
    branches: [{branch}]
permissions:
  contents: read
  pull-requests: write   # one review comment per pull request (read-only on forks: the job summary has it)
jobs:
  promptctl:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683  # v4.2.2
        with:
          fetch-depth: 0   # check needs the base branch's history
          persist-credentials: false
      - uses: actions/setup-python@a26af69be951a213d495a4c3e4e4022e16d87065  # v5
        with:
          python-version: "3.12"
      - run: pip install "{source}"
      - run: promptctl{project} ci --comment
        env:
          GITHUB_TOKEN: ${{{{ github.token }}}}
"""


@dataclass
class Step:
    path: str
    done: str  # "created", "extended" or "skipped"
    note: str = ""


def _hooks_block(indent: str, source: str, project: str) -> str:
    """Local hooks that install ``source`` in pre-commit's own environment: no hook
    repository to trust, and exactly the version this project runs. The lint hook
    takes every YAML file and lets promptctl keep those in the configured prompts
    folder, so a custom `prompts_dir` is followed at run time. For a project in a
    folder of the repository (``project``), the hooks run from the top with
    ``--project`` and their ids name the folder."""
    dep = json.dumps(source)
    option = f" --project {project}" if project else ""
    suffix = "-" + re.sub(r"[^a-z0-9]+", "-", project.lower()).strip("-") if project else ""
    files = "^" + re.escape(project + "/") + ".*\\.ya?ml$" if project else "\\.ya?ml$"
    hook = f"{indent}      language: python\n{indent}      additional_dependencies: [{dep}]\n{indent}      require_serial: true\n"
    return (
        f"{indent}- repo: local\n{indent}  hooks:\n"
        f"{indent}    - id: promptctl-lint{suffix}\n{indent}      name: promptctl lint{option}\n"
        f"{indent}      entry: promptctl{option} lint --only-prompts\n"
        + hook
        + f"{indent}      files: {files}\n"
        + f"{indent}    - id: promptctl-check{suffix}\n{indent}      name: promptctl check{option}\n{indent}      entry: promptctl{option} check\n"
        + hook
        + f"{indent}      pass_filenames: false\n{indent}      always_run: true\n{indent}      stages: [pre-commit, pre-push, manual]\n"
    )


def _pre_commit(top: Path, source: str, project: str) -> Step:
    path = top / ".pre-commit-config.yaml"
    rel = ".pre-commit-config.yaml"
    if not path.exists():
        fsio.create(path, ("repos:\n" + _hooks_block("  ", source, project)).encode(), root=top)
        return Step(rel, "created")
    text = path.read_text(encoding="utf-8")
    entry = f"promptctl --project {project} check" if project else "promptctl check"
    if re.search(r"^\s*entry:\s*" + re.escape(entry) + r"\s*$", text, re.M) or (not project and "id: promptctl-check\n" in text):
        return Step(rel, "skipped", "the promptctl hooks are already there")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return Step(rel, "skipped", "it does not parse; add the promptctl hooks by hand (see the README)")
    if not isinstance(data, dict) or not isinstance(data.get("repos"), list) or not re.search(r"^repos:[ \t]*(#.*)?$", text, re.M):
        return Step(rel, "skipped", "no block-style `repos:` list to extend; add the promptctl hooks by hand")
    items = re.findall(r"^([ \t]*)- ", text[text.index("repos:") :], re.M)
    indent = items[0] if items else "  "
    updated = text + ("" if text.endswith("\n") else "\n") + _hooks_block(indent, source, project)
    check = yaml.safe_load(updated)
    if len(check.get("repos", [])) != len(data["repos"]) + 1:
        return Step(rel, "skipped", "could not extend it safely; add the promptctl hooks by hand")
    fsio.replace(path, updated.encode(), root=top)
    return Step(rel, "extended", "added the promptctl-lint and promptctl-check hooks")


def _config(root: Path, branch: str | None) -> Step:
    line = f'base_branch = "{branch}"                # the branch that publishes (found by `promptctl init`)'
    body = CONFIG_BODY.format(
        base_branch_line=line if branch else '# base_branch = "main"                 # default: origin/HEAD, else main, else master'
    )
    pyproject = root / "pyproject.toml"
    standalone = root / "promptctl.toml"
    if standalone.exists():
        return Step("promptctl.toml", "skipped", "already present")
    if pyproject.exists():
        text = pyproject.read_text(encoding="utf-8")
        if re.search(r"^\[tool\.promptctl\]", text, re.M):
            return Step("pyproject.toml", "skipped", "[tool.promptctl] is already there")
        updated = text + ("" if text.endswith("\n") else "\n") + "\n[tool.promptctl]\n" + body
        fsio.replace(pyproject, updated.encode(), root=root)
        return Step("pyproject.toml", "extended", "added a [tool.promptctl] table")
    fsio.create(standalone, ("# promptctl configuration: every key is optional.\n" + body).encode(), root=root)
    return Step("promptctl.toml", "created")


# What `promptctl ci` writes into the work tree under GitLab: reports, never sources.
IGNORED = ("gl-code-quality-report.json", "promptctl-review.md")


def _gitignore(root: Path) -> Step:
    path = root / ".gitignore"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    present = {line.strip().lstrip("/") for line in text.splitlines()}
    missing = [name for name in IGNORED if name not in present]
    if not missing:
        return Step(".gitignore", "skipped", "already ignores the CI reports")
    block = "# reports written by `promptctl ci` (GitLab)\n" + "".join(f"/{name}\n" for name in missing)
    if not text:
        fsio.create(path, block.encode(), root=root)
        return Step(".gitignore", "created", "ignores the CI reports")
    fsio.replace(path, (text + ("" if text.endswith("\n") else "\n") + block).encode(), root=root)
    return Step(".gitignore", "extended", "ignores the CI reports")


def _schema_copy(root: Path, shown: str) -> Step:
    """The prompt schema in the project, for editors that resolve `$schema` offline;
    refreshed when this version of promptctl has a newer one."""
    from promptctl.schema import schema_text
    from promptctl.versions import SCHEMA_COPY

    path = root / SCHEMA_COPY
    text = schema_text("prompt").encode("utf-8")
    if path.is_file() and not path.is_symlink():
        if path.read_bytes() == text:
            return Step(shown + SCHEMA_COPY, "skipped", "up to date")
        fsio.replace(path, text, root=root)
        return Step(shown + SCHEMA_COPY, "updated", "the schema of this promptctl version")
    fsio.create(path, text, root=root)
    return Step(shown + SCHEMA_COPY, "created", "`promptctl new` points editors at it")


def _repository(root: Path) -> tuple[Path, str, str | None, str | None]:
    """(the work tree's top, the project's folder in it ("" at the top), the branch that
    publishes or None, a warning or None). The branch: `origin/HEAD`, else the one of
    main, master and trunk that exists, else the branch checked out (a new repository's
    first branch is its default)."""
    from promptctl.errors import GitError
    from promptctl.git import Git

    try:
        with Git(root) as git:
            top = git.toplevel()
            project = git.prefix(root)
            remote = git.remote_default_branch()
            if remote:
                return top, project, remote.split("/", 1)[1], None
            found = [name for name in ("main", "master", "trunk") if git.resolve(name) or git.resolve(f"origin/{name}")]
            if len(found) == 1:
                return top, project, found[0], None
            current = git.current_branch()
            if current:
                return top, project, current, None
            return top, project, None, "cannot tell the base branch (detached HEAD): set `base_branch` in the configuration"
    except GitError:
        return root, "", None, "this is not a git repository: `check` and the hooks need one — run `git init`, then `pre-commit install`"


@dataclass
class Setup:
    steps: list[Step]
    branch: str | None
    warnings: list[str]


def run(root: Path, prompts_dir: str = "prompts", source: str | None = None) -> Setup:
    """Scaffold the project at ``root``: its prompts folder and configuration there, the
    hooks, workflow and .gitignore at the top of its repository (for a project in a
    monorepo's folder they run it with ``--project``). Generated files install
    ``source`` (default: this project at the running version; a path, a wheel or a git
    URL for teams that install from elsewhere)."""
    source = source or default_source()
    top, project, branch, warning = _repository(root)
    shown = (project + "/") if project else ""
    steps: list[Step] = []
    prompts = root / prompts_dir
    if prompts.exists():
        steps.append(Step(f"{shown}{prompts_dir}/", "skipped", "already present"))
    else:
        fsio.create(prompts / "README.md", PROMPTS_README.encode(), root=root)
        steps.append(Step(f"{shown}{prompts_dir}/", "created", "with a README; add a prompt with `promptctl new NAME`"))
    config = _config(root, branch)
    steps.append(Step(shown + config.path, config.done, config.note))
    steps.append(_pre_commit(top, source, project))
    name = "promptctl-" + re.sub(r"[^a-z0-9]+", "-", project.lower()).strip("-") if project else "promptctl"
    workflow = top / ".github" / "workflows" / f"{name}.yml"
    rel = f".github/workflows/{name}.yml"
    if workflow.exists():
        steps.append(Step(rel, "skipped", "already present"))
    else:
        text = WORKFLOW.format(
            source=source,
            branch=branch or "main",
            project=f" --project {project}" if project else "",
            label=f" ({project})" if project else "",
        )
        fsio.create(workflow, text.encode(), root=top)
        steps.append(Step(rel, "created", f"runs on pull requests and on pushes to `{branch or 'main'}`"))
    steps.append(_schema_copy(root, shown))
    steps.append(_gitignore(top))
    return Setup(steps, branch, [warning] if warning else [])

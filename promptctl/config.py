"""``[tool.promptctl]`` in ``pyproject.toml`` or the same keys in ``promptctl.toml``.

The nearest file wins, walking up from the working directory; a ``pyproject.toml``
without a ``[tool.promptctl]`` table is passed over (as ruff does). Every key has a
default, so a repository with only ``prompts/`` needs no configuration at all.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal

from promptctl.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

Layout = Literal["flat", "nested"]
CONFIG_FILES = ("promptctl.toml", "pyproject.toml")


@dataclass(frozen=True)
class DeclaredModel:
    """A model the catalogue does not know (a fine-tune, a deployment name, a self-hosted
    or newer model), declared in `[tool.promptctl.models."ID-OR-GLOB"]`."""

    like: str | None = None  # inherit provider, limits and prices from this catalogue id
    provider: str | None = None
    context_window: int | None = None
    max_output: int | None = None
    input_price: float | None = None  # USD per million input tokens
    output_price: float | None = None
    reasoning: bool | None = None  # takes max_completion_tokens, no temperature/top_p


@dataclass(frozen=True)
class Settings:
    root: Path = field(default_factory=Path.cwd)
    config_path: Path | None = None
    prompts_dir: str = "prompts"
    layout: Layout = "flat"
    base_branch: str | None = None
    channels: tuple[str, ...] = ("production", "staging")
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    max_file_size: int = 256 * 1024
    max_depth: int = 32
    render_timeout: float = 5.0
    render_max_output: int = 1024 * 1024
    models: tuple[tuple[str, DeclaredModel], ...] = ()
    typical_output_tokens: int = 500
    start: Path | None = None  # where the configuration was looked for (None: the working directory)

    def declared_model(self, model: str) -> DeclaredModel | None:
        """The declaration for ``model``: an exact id first, else the first glob that matches."""
        import fnmatch

        for pattern, declared in self.models:
            if pattern == model:
                return declared
        for pattern, declared in self.models:
            if fnmatch.fnmatchcase(model, pattern):
                return declared
        return None

    @property
    def render_limits(self) -> dict[str, Any]:
        """The limits every render runs under: pass as ``**settings.render_limits``."""
        return {"render_timeout": self.render_timeout, "render_max_output": self.render_max_output}

    @property
    def prompts_path(self) -> Path:
        return self.root / self.prompts_dir

    def fingerprint(self) -> str:
        """What a cached lint result depends on, besides the file and promptctl itself."""
        parts = [f"{f.name}={getattr(self, f.name)!r}" for f in fields(self) if f.name not in ("root", "config_path")]
        return ";".join(parts)


_KEYS = {f.name for f in fields(Settings)} - {"root", "config_path", "start"}


def find_config(start: Path) -> tuple[Path | None, dict[str, Any]]:
    """The nearest config file at or above ``start`` and its promptctl table."""
    for folder in (start, *start.parents):
        for name in CONFIG_FILES:
            candidate = folder / name
            if not candidate.is_file():
                continue
            table = promptctl_table(name, _read_toml(candidate), str(candidate))
            if table is not None:
                return candidate, table
    return None, {}


def promptctl_table(name: str, data: dict[str, Any], where: str) -> dict[str, Any] | None:
    """The promptctl keys of a parsed config file named ``name``; None for a
    ``pyproject.toml`` without a ``[tool.promptctl]`` table."""
    if name == "pyproject.toml":
        tool = data.get("tool", {})
        if not isinstance(tool, dict) or "promptctl" not in tool:
            return None
        table = tool["promptctl"]
    else:
        table = data
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: [tool.promptctl] must be a table", "see the README's configuration section")
    return table


def parse_toml(raw: bytes, where: str) -> dict[str, Any]:
    """A config file's bytes (from the work tree or a git blob) as TOML."""
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where}: invalid TOML: {exc}", "fix the syntax of the file") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{where}: cannot read: {exc}", "check the file's encoding") from None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc}", "check the file's permissions and encoding") from None
    return parse_toml(raw, str(path))


def work_tree_top(start: Path) -> Path | None:
    """The top of the git work tree holding ``start``, found on disk without running git
    (it holds `.git`: a folder, or a file in a worktree or submodule); None outside git."""
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None


def _project_root(start: Path) -> Path:
    return work_tree_top(start) or start


def load_settings(start: Path | None = None, *, known_rules: set[str] | None = None, config_file: Path | None = None) -> Settings:
    """The settings found from ``start`` (the working directory): the nearest config file
    wins — or ``config_file`` (`--config`), whose folder is then the project root. A file
    named other than pyproject.toml holds the keys at its top level, as promptctl.toml does."""
    if config_file is not None:
        config_file = config_file.resolve()
        name = "pyproject.toml" if config_file.name == "pyproject.toml" else "promptctl.toml"
        table = promptctl_table(name, _read_toml(config_file), str(config_file))
        if table is None:
            raise ConfigError(f"{config_file}: has no [tool.promptctl] table", "add one, or give a promptctl.toml")
        return replace(
            settings_from_table(table, root=config_file.parent, path=config_file, known_rules=known_rules), start=config_file.parent
        )
    start = (start or Path.cwd()).resolve()
    path, table = find_config(start)
    root = path.parent if path else _project_root(start)
    return replace(settings_from_table(table, root=root, path=path, known_rules=known_rules), start=start)


class _Invalid(ValueError):
    """A value that does not fit its key; the message says what it must be."""


def _folder(raw: object) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise _Invalid("a non-empty string")
    if Path(raw).is_absolute() or ".." in Path(raw).parts:
        raise _Invalid("a folder inside the project")
    return raw.strip().strip("/")


def _text(raw: object) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise _Invalid("a non-empty string")
    return raw


def _layout(raw: object) -> str:
    if raw not in ("flat", "nested"):
        raise _Invalid('"flat" or "nested"')
    return str(raw)


def _strings(raw: object) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        raise _Invalid("a list of strings")
    return tuple(raw)


def _per_file(raw: object) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(raw, dict) or not all(isinstance(v, list) and all(isinstance(x, str) for x in v) for v in raw.values()):
        raise _Invalid("a table of glob = [rule ids]")
    return tuple((glob, tuple(rules)) for glob, rules in raw.items())


def _positive(raw: object) -> int:
    if not isinstance(raw, int) or isinstance(raw, bool) or raw < 1:
        raise _Invalid("a positive integer")
    return raw


def _seconds(raw: object) -> float:
    if not isinstance(raw, (int, float)) or isinstance(raw, bool) or raw <= 0:
        raise _Invalid("a positive number of seconds")
    return float(raw)


_MODEL_FIELDS: dict[str, tuple[type, ...]] = {
    "like": (str,),
    "provider": (str,),
    "context_window": (int,),
    "max_output": (int,),
    "input_price": (int, float),
    "output_price": (int, float),
    "reasoning": (bool,),
}


def _models(raw: object) -> tuple[tuple[str, DeclaredModel], ...]:
    if not isinstance(raw, dict) or not all(isinstance(v, dict) for v in raw.values()):
        raise _Invalid("a table of model id or glob = { like, provider, context_window, max_output, input_price, output_price, reasoning }")
    out = []
    for pattern, spec in raw.items():
        for key, value in spec.items():
            kinds = _MODEL_FIELDS.get(key)
            if kinds is None:
                raise _Invalid(
                    f"a table of model declarations; `{pattern}` has the unknown key `{key}` (known: {', '.join(_MODEL_FIELDS)})"
                )
            if not isinstance(value, kinds) or (bool not in kinds and isinstance(value, bool)):
                raise _Invalid(f"a table of model declarations; `{pattern}`.{key} has the wrong type")
        values: dict[str, Any] = {k: (float(v) if k.endswith("_price") else v) for k, v in spec.items()}
        out.append((pattern, DeclaredModel(**values)))
    return tuple(out)


@dataclass(frozen=True)
class Key:
    """One configuration key: how its value is read, and whether it names rule ids."""

    read: Callable[[object], Any]
    doc: str
    rules: bool = False


# Every key, declared once: validation, the error messages and `KEYS`' documentation
# (the README's configuration section is checked against it) come from this table.
KEYS: dict[str, Key] = {
    "prompts_dir": Key(_folder, "where prompt files live"),
    "layout": Key(_layout, '"flat" or "nested": which layout `new` writes'),
    "base_branch": Key(_text, "the branch that publishes (default: origin/HEAD, origin/main, main, …)"),
    "channels": Key(_strings, "tags that may move"),
    "select": Key(_strings, "rules to run (default: every default rule; ALL for all)", rules=True),
    "extend_select": Key(_strings, "add opt-in rules to the default set", rules=True),
    "ignore": Key(_strings, "rules to skip", rules=True),
    "per_file_ignores": Key(_per_file, "glob → rule ids to skip for matching files", rules=True),
    "max_file_size": Key(_positive, "bytes"),
    "max_depth": Key(_positive, "YAML nesting levels"),
    "render_timeout": Key(_seconds, "seconds for all renders of one file's examples, and for one render"),
    "render_max_output": Key(_positive, "characters per render"),
    "models": Key(_models, "models the catalogue does not know, by exact id or glob"),
    "typical_output_tokens": Key(_positive, "a typical reply's tokens for `cost` when a prompt sets no max_tokens"),
}
assert set(KEYS) == _KEYS, "every Settings field but root, config_path and start is a key"


def settings_from_table(
    table: dict[str, Any], *, root: Path, path: Path | None, where: str | None = None, known_rules: set[str] | None = None
) -> Settings:
    """Validate a promptctl table into Settings; ``where`` names the source in errors."""
    where = where or (str(path) if path else "configuration")
    values: dict[str, Any] = {}
    for name, raw in table.items():
        key = KEYS.get(name)
        if key is None:
            import difflib

            close = difflib.get_close_matches(name, sorted(KEYS), n=1)
            hint = f"did you mean `{close[0]}`?" if close else f"known keys: {', '.join(sorted(KEYS))}"
            raise ConfigError(f"{where}: unknown key `{name}`", hint)
        try:
            value = key.read(raw)
        except _Invalid as exc:
            raise ConfigError(f"{where}: `{name}` must be {exc}", "fix the value or remove the key to use the default") from None
        if key.rules and known_rules is not None:
            named = [r for _, rules in value for r in rules] if name == "per_file_ignores" else list(value)
            for rule in named:
                if rule not in known_rules and rule != "ALL":
                    raise ConfigError(f"{where}: `{name}` names unknown rule `{rule}`", "run `promptctl rules` to list them")
        values[name] = value
    settings = Settings(root=root, config_path=path, **values)
    prompts = settings.prompts_path
    if prompts.is_symlink() or any(p.is_symlink() for p in prompts.parents if root in p.parents):
        real = prompts.resolve()
        if real != root.resolve() and root.resolve() not in real.parents:
            raise ConfigError(
                f"{where}: `prompts_dir` ({settings.prompts_dir}) leads through a symbolic link to {real}, outside the project",
                "point `prompts_dir` at a real folder inside the repository",
            )
    return settings

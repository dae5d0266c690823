"""``[tool.promptctl]`` in ``pyproject.toml`` or the same keys in ``promptctl.toml``.

The nearest file wins, walking up from the working directory; a ``pyproject.toml``
without a ``[tool.promptctl]`` table is passed over (as ruff does). Every key has a
default, so a repository with only ``prompts/`` needs no configuration at all.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field, fields
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


_KEYS = {f.name for f in fields(Settings)} - {"root", "config_path"}


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


def _project_root(start: Path) -> Path:
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start


def load_settings(start: Path | None = None, *, known_rules: set[str] | None = None) -> Settings:
    start = (start or Path.cwd()).resolve()
    path, table = find_config(start)
    root = path.parent if path else _project_root(start)
    return settings_from_table(table, root=root, path=path, known_rules=known_rules)


def settings_from_table(
    table: dict[str, Any], *, root: Path, path: Path | None, where: str | None = None, known_rules: set[str] | None = None
) -> Settings:
    """Validate a promptctl table into Settings; ``where`` names the source in errors."""
    where = where or (str(path) if path else "configuration")

    def bad(key: str, expected: str) -> ConfigError:
        return ConfigError(f"{where}: `{key}` must be {expected}", "fix the value or remove the key to use the default")

    values: dict[str, Any] = {}
    for key, raw in table.items():
        if key not in _KEYS:
            known = ", ".join(sorted(_KEYS))
            raise ConfigError(f"{where}: unknown key `{key}`", f"known keys: {known}")
        if key in ("prompts_dir", "base_branch"):
            if not isinstance(raw, str) or not raw.strip():
                raise bad(key, "a non-empty string")
            if key == "prompts_dir" and (Path(raw).is_absolute() or ".." in Path(raw).parts):
                raise bad(key, "a folder inside the project")
            values[key] = raw.strip().strip("/") if key == "prompts_dir" else raw
        elif key == "layout":
            if raw not in ("flat", "nested"):
                raise bad(key, '"flat" or "nested"')
            values[key] = raw
        elif key in ("channels", "select", "extend_select", "ignore"):
            if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
                raise bad(key, "a list of strings")
            if key != "channels" and known_rules is not None:
                for rule in raw:
                    if rule not in known_rules and rule != "ALL":
                        raise ConfigError(f"{where}: `{key}` names unknown rule `{rule}`", "run `promptctl rules` to list them")
            values[key] = tuple(raw)
        elif key == "per_file_ignores":
            if not isinstance(raw, dict) or not all(isinstance(v, list) and all(isinstance(x, str) for x in v) for v in raw.values()):
                raise bad(key, "a table of glob = [rule ids]")
            if known_rules is not None:
                for rules in raw.values():
                    for rule in rules:
                        if rule not in known_rules:
                            raise ConfigError(f"{where}: `{key}` names unknown rule `{rule}`", "run `promptctl rules` to list them")
            values[key] = tuple((glob, tuple(rules)) for glob, rules in raw.items())
        elif key in ("max_file_size", "max_depth", "render_max_output"):
            if not isinstance(raw, int) or isinstance(raw, bool) or raw < 1:
                raise bad(key, "a positive integer")
            values[key] = raw
        elif key == "render_timeout":
            if not isinstance(raw, (int, float)) or isinstance(raw, bool) or raw <= 0:
                raise bad(key, "a positive number of seconds")
            values[key] = float(raw)
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

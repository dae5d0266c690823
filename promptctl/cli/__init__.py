"""The command line: a typer app whose commands are thin — parse, call the core, hand
the result to a reporter, exit. The one error handler lives in :func:`main`."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, Optional

import typer

from promptctl._version import __version__
from promptctl.errors import ExitCode

if TYPE_CHECKING:
    from promptctl.config import Settings

app = typer.Typer(
    name="promptctl",
    help="Git-native prompt management: lint, append-only checks, review diffs, tags and a runtime loader.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@contextmanager
def bulk_allocations() -> Iterator[None]:
    """For a command that builds many small objects and keeps them all (a warm lint reads
    ~100k from the cache): the cyclic collector would rescan them over and over for
    nothing (40% of the time). The process is the CLI's, so the CLI may tune it."""
    import gc

    thresholds = gc.get_threshold()
    gc.set_threshold(200_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def exit_with(code: ExitCode) -> NoReturn:
    raise typer.Exit(int(code))


_project: str | None = None  # --project DIR
_config: str | None = None  # --config FILE


def settings() -> Settings:
    """The settings for the working directory, or --project's folder (the nearest
    config file wins), or --config's file."""
    from pathlib import Path

    from promptctl.config import load_settings
    from promptctl.rules import known_ids

    return load_settings(Path(_project) if _project else None, known_rules=known_ids(), config_file=Path(_config) if _config else None)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"promptctl {__version__}")
        raise typer.Exit(ExitCode.CLEAN)


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of internal errors (before or after the command).")] = False,
    project: Annotated[
        Optional[str],
        typer.Option(
            "--project", metavar="DIR", help="Use the project in DIR (a folder of a monorepo); file arguments stay relative to here."
        ),
    ] = None,
    config: Annotated[
        Optional[str], typer.Option("--config", metavar="FILE", help="Use this configuration file (promptctl.toml or pyproject.toml).")
    ] = None,
    color: Annotated[
        Optional[str], typer.Option("--color", metavar="WHEN", help="auto (default: a terminal, unless NO_COLOR/TERM=dumb), always, never.")
    ] = None,
) -> None:
    """Git-native prompt management."""  # --debug, --project, --config and --color are read (and removed) by main()


# command name -> (module, function); modules are imported only for the command that runs
COMMANDS = {
    "lint": ("lint", "lint"),
    "check": ("check", "check"),
    "diff": ("diff", "diff"),
    "ci": ("ci", "ci"),
    "init": ("init", "init"),
    "new": ("new", "new"),
    "bump": ("bump", "bump"),
    "render": ("render", "render"),
    "export": ("export", "export"),
    "import": ("import_", "import_"),
    "publish": ("publish", "publish"),
    "cost": ("cost", "cost"),
    "codeowners": ("codeowners", "codeowners"),
    "tag": ("tag", "tag"),
    "tags": ("tags", "tags"),
    "log": ("log", "log"),
    "rollback": ("rollback", "rollback"),
    "list": ("list_", "list_prompts"),
    "show": ("show", "show"),
    "schema": ("schema", "schema"),
    "rules": ("rules", "rules"),
}


def _register(only: str | None = None) -> None:
    """Register the commands with typer: just the one being run (start-up time is paid
    on every commit by the pre-commit hook), or all of them for help and completion."""
    from importlib import import_module

    present = {c.name for c in app.registered_commands}
    for name, (module, function) in COMMANDS.items():
        if (only is None or name == only) and name not in present:
            app.command(name)(getattr(import_module(f"promptctl.cli.{module}"), function))


def _command(args: list[str]) -> str | None:
    for arg in args:
        if arg in ("-h", "--help"):
            return None
        if not arg.startswith("-"):
            return arg if arg in COMMANDS else None
    return None


def _usage_message(exc: Any, args: list[str]) -> str:
    """A usage error as one line with a hint: the command's help, and a close name."""
    import difflib

    message = exc.format_message().rstrip(".").replace("\n", " ")
    command = exc.ctx.command_path if exc.ctx is not None else "promptctl"
    words = [a for a in args if not a.startswith("-")]
    if "No such command" in message and words:
        close = difflib.get_close_matches(words[0], list(COMMANDS), n=1)
        hint = f"did you mean `promptctl {close[0]}`?" if close else "run `promptctl -h` for the commands"
        return f"no command `{words[0]}` — {hint}"
    possibilities = getattr(exc, "possibilities", None)
    if possibilities:
        given = getattr(exc, "option_name", "") or ""
        best = (difflib.get_close_matches(given, list(possibilities), n=1, cutoff=0) or sorted(possibilities))[0]
        return f"{message.split('(')[0].strip()} — did you mean `{best}`? (`{command} -h` lists the options)"
    return f"{message} — run `{command} -h`"


_GLOBAL = {
    "--project": "a folder — e.g. `promptctl --project services/llm lint`",
    "--config": "a file — e.g. `promptctl --config ci/promptctl.toml lint`",
    "--color": "auto, always or never",
}


def _take_globals(args: list[str]) -> list[str]:
    """Take ``--project DIR``, ``--config FILE`` and ``--color WHEN`` from anywhere on the
    line, as git's ``-C`` and ruff's ``--config``. The project's configuration is found
    from DIR; file arguments stay relative to the working directory, so pre-commit can
    run a hook at a monorepo's top."""
    from promptctl import reporters

    rest: list[str] = []
    given: dict[str, str] = {}
    items = iter(args)
    for arg in items:
        if arg == "--":
            rest += [arg, *items]
            break
        name, eq, value = arg.partition("=")
        if name in _GLOBAL:
            found = value if eq else next(items, None)
            if found is None:
                _fail(f"option `{name}` needs {_GLOBAL[name]}")
            given[name] = found
        else:
            rest.append(arg)
    global _project, _config
    _project, _config, reporters.COLOR = None, None, None
    if "--project" in given:
        if not os.path.isdir(given["--project"]):
            _fail(f"--project {given['--project']}: no such folder — give the folder that holds the project's configuration")
        _project = given["--project"]
    if "--config" in given:
        if not os.path.isfile(given["--config"]):
            _fail(f"--config {given['--config']}: no such file — give a promptctl.toml or a pyproject.toml")
        _config = given["--config"]
    if "--color" in given:
        choice = {"auto": None, "always": True, "never": False}
        if given["--color"] not in choice:
            _fail(f"--color {given['--color']}: not a choice — use auto, always or never")
        reporters.COLOR = choice[given["--color"]]
    return rest


def _fail(message: str) -> NoReturn:
    sys.stderr.write(f"promptctl: error: {message}\n")
    sys.exit(ExitCode.ERROR)


def main(argv: list[str] | None = None) -> NoReturn:
    from promptctl.redaction import RedactingStream

    # Every line the CLI prints passes through one place that masks secrets.
    stdout, stderr = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = RedactingStream(stdout), RedactingStream(stderr)
    try:
        _main(argv)
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        sys.stdout, sys.stderr = stdout, stderr


def _main(argv: list[str] | None) -> NoReturn:
    from promptctl.errors import PromptctlError
    from promptctl.templating import isolation

    isolation.enable()  # templates come from pull requests: render them in a limited child
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args or bool(os.environ.get("PROMPTCTL_DEBUG"))
    args = [a for a in args if a != "--debug"]  # anywhere on the line, as git's -c or ruff's -v
    args = _take_globals(args)
    command = _command(args)
    _register(command)
    try:
        code = typer.main.get_command(app).main(args=args, prog_name="promptctl", standalone_mode=False)
        sys.exit(code if isinstance(code, int) else ExitCode.CLEAN)
    except PromptctlError as exc:
        if debug:
            import traceback

            traceback.print_exc()
        sys.stderr.write(f"promptctl: error: {exc}\n")
        sys.exit(int(exc.exit_code))
    except Exception as exc:
        # click's usage errors (typer vendors click, so matched by shape, not by class):
        # one line, as every other error — what is wrong, and what to do.
        if hasattr(exc, "format_message") and getattr(exc, "exit_code", None) == 2:
            sys.stderr.write(f"promptctl: error: {_usage_message(exc, args)}\n")
            sys.exit(ExitCode.ERROR)
        if type(exc).__name__ == "Abort":
            sys.stderr.write("promptctl: error: interrupted\n")
            sys.exit(ExitCode.ERROR)
        if debug:
            import traceback

            traceback.print_exc()
        _fail(f"internal error: {type(exc).__name__}: {exc} — please report it; `promptctl --debug ...` shows the traceback")
    sys.exit(ExitCode.CLEAN)

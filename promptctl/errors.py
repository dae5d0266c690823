"""Exit codes and the exception tree.

Findings are data and never raise. An exception means promptctl *cannot run*: the
one handler in :mod:`promptctl.cli` prints ``promptctl: error: <what> — <what to do>``
on stderr and exits with the code carried by the exception class.
"""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    CLEAN = 0
    FINDINGS = 1
    ERROR = 2


class PromptctlError(Exception):
    """promptctl cannot do what was asked. ``message`` says what, ``hint`` what to do."""

    exit_code: ExitCode = ExitCode.ERROR

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} — {self.hint}" if self.hint else self.message


class UsageError(PromptctlError):
    """The command line names something that does not exist or does not fit."""


class ConfigError(PromptctlError):
    """The configuration file cannot be read or has an unknown key or a bad value."""


class GitError(PromptctlError):
    """git is missing, refuses the repository, or does not know a ref."""


class WriteRefused(PromptctlError):
    """A command that writes would overwrite a file or follow a symlink."""

"""The one finding model; every output format is a projection of it."""

from __future__ import annotations

import enum
import functools
import operator
from dataclasses import dataclass, field
from pathlib import Path


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, order=True)
class Finding:
    """One problem at one place. ``path`` is relative to the project root, POSIX style;
    ``line`` and ``column`` are 1-based (1:1 for a finding about a whole file)."""

    path: str
    line: int
    column: int
    rule: str
    severity: Severity
    message: str

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message,
        }


def finding_from_row(path: str, line: object, column: object, rule: object, severity: object, message: object) -> Finding:
    """A finding from a cache row, checked field by field: a cache is data that anyone
    with access to the folder (or a CI cache) could have written."""
    if not (
        type(severity) is str
        and isinstance(line, int)
        and isinstance(column, int)
        and isinstance(rule, str)
        and isinstance(message, str)
        and isinstance(path, str)
    ):
        raise TypeError("not a finding")
    return Finding(path, line, column, rule, _SEVERITY[severity], message)  # KeyError: not a severity


_SEVERITY = {s.value: s for s in Severity}


MESSAGE_CAP = 4096  # characters of a message in an annotation or a code-quality issue


def capped(message: str, limit: int = MESSAGE_CAP) -> str:
    """``message`` cut to ``limit`` characters with a pointer to the whole of it."""
    if len(message) <= limit:
        return message
    return message[: limit - 80].rstrip() + f"… ({len(message):,} characters; `promptctl lint` prints all of it)"


_ORDER = operator.attrgetter("path", "line", "column", "rule", "severity", "message")  # Finding's own order, in C


@functools.lru_cache(maxsize=8)
def _anchor(root: str) -> str:
    """The project root relative to the enclosing work tree's top, as a prefix
    ("services/llm/"; "" at the top or outside git)."""
    from promptctl.config import work_tree_top

    here = Path(root).resolve()
    top = work_tree_top(here)
    rel = here.relative_to(top).as_posix() if top is not None else "."
    return "" if rel == "." else rel + "/"


@dataclass
class Report:
    """The findings of one run, sorted, plus what a summary line needs."""

    findings: list[Finding]
    files_checked: int = 0
    root: str = "."
    # path -> text, for reporters that quote the offending line
    sources: dict[str, str] = field(default_factory=dict)
    # (findings, files) left out because the change does not touch those files
    outside: tuple[int, int] = (0, 0)
    # (path, line) -> the line's text, where the whole file is not in ``sources``
    quotes: dict[tuple[str, int], str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Sorted and without duplicates, by the fields' tuple (compared in C: hashing and
        # ordering the dataclass itself costs three times as much on 16,000 findings).
        unique = {_ORDER(f): f for f in self.findings}
        self.findings = [unique[key] for key in sorted(unique)]
        self._split: dict[str, list[str]] = {}
        self._here: str | None = None  # the working directory, relative to the root

    def limited_to(self, paths: set[str]) -> Report:
        """The findings on ``paths`` (what a change adds or modifies); the rest are
        counted in ``outside``: a published file cannot be edited, so its findings are
        never the change's to fix."""
        kept = [f for f in self.findings if f.path in paths]
        left = [f for f in self.findings if f.path not in paths]
        return Report(kept, self.files_checked, self.root, self.sources, (len(left), len({f.path for f in left})), self.quotes)

    @property
    def outside_note(self) -> str | None:
        count, files = self.outside
        if not count:
            return None
        return (
            f"{count} finding{'s' if count != 1 else ''} in {files} file{'s' if files != 1 else ''} not part of this change "
            "(published files cannot change: fix them in a new version with `promptctl bump NAME`, or list them in "
            "`per_file_ignores`); `promptctl lint` lists them"
        )

    def repository_path(self, path: str) -> str:
        """``path`` (relative to the project root) relative to the git repository's top
        level: what GitHub annotations, SARIF and GitLab reports need when the project
        lives in a folder of a larger repository (``services/llm/``)."""
        return _anchor(self.root) + path

    def source_line(self, path: str, line: int) -> str | None:
        """The text of ``line`` of ``path`` as it may be quoted (secrets masked), if known."""
        text = self.sources.get(path)
        if text is None:
            return self.quotes.get((path, line))
        lines = self._split.get(path)
        if lines is None:
            lines = self._split[path] = text.split("\n")
        return lines[line - 1] if 1 <= line <= len(lines) else None

    def shown_path(self, path: str) -> str:
        """``path`` as a person at the working directory types it (ruff's habit)."""
        import os

        if self._here is None:
            try:
                self._here = os.path.relpath(os.getcwd(), self.root).replace(os.sep, "/")
            except ValueError:  # another drive (Windows)
                self._here = "/"
        if self._here == ".":
            return path  # the usual case: run from the project root
        if not self._here.startswith("..") and path.startswith(self._here + "/"):
            return path[len(self._here) + 1 :]  # run from a folder of the project
        try:
            return os.path.relpath(os.path.join(self.root, path)).replace(os.sep, "/")
        except ValueError:
            return path

    def statistics(self) -> list[tuple[str, str, int]]:
        """(rule, severity, count) of the findings, most frequent first (ruff's --statistics)."""
        counts: dict[tuple[str, str], int] = {}
        for f in self.findings:
            counts[(f.rule, f.severity.value)] = counts.get((f.rule, f.severity.value), 0) + 1
        return [(rule, severity, n) for (rule, severity), n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.WARNING)

    def failed(self, strict: bool = False) -> bool:
        return self.errors > 0 or (strict and self.warnings > 0)

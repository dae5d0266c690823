"""The only module that talks to git.

A narrow, typed API over the ``git`` command: NUL-separated output, blobs read in one
``cat-file --batch`` process, plain data out (never library objects). Everything that
can go wrong with git itself — not installed, not a repository, a repository git
refuses ("dubious ownership"), an unknown ref, a shallow clone — becomes a
:class:`~promptctl.errors.GitError` with a line that says how to fix it.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from promptctl.errors import GitError

ZERO = "0" * 40
EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"


@dataclass(frozen=True)
class Entry:
    """A file in a tree or the index."""

    mode: str  # "100644", "100755", "120000" (symlink), "160000" (submodule)
    sha: str


@dataclass(frozen=True)
class Change:
    """One path that differs between two snapshots; ``None`` where it is absent."""

    path: str
    old: Entry | None
    new: Entry | None


@dataclass(frozen=True)
class Commit:
    sha: str
    author: str
    date: str  # ISO 8601, as git prints it
    subject: str


class Git:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._toplevel: Path | None = None
        self._shallow: bool | None = None

    # -- plumbing -------------------------------------------------------------

    def _run(self, *args: str, input: bytes | None = None, check: bool = True) -> subprocess.CompletedProcess[bytes]:
        env = dict(os.environ)
        env.setdefault("LC_ALL", "C")
        env["GIT_OPTIONAL_LOCKS"] = "0"
        try:
            proc = subprocess.run(["git", *args], cwd=self.root, input=input, capture_output=True, env=env)
        except FileNotFoundError:
            raise GitError("git is not installed (or not on PATH)", "install git; `promptctl lint` works without it") from None
        if check and proc.returncode != 0:
            raise self._error(proc.stderr.decode("utf-8", "replace"), args)
        return proc

    def _error(self, stderr: str, args: tuple[str, ...]) -> GitError:
        text = stderr.strip()
        if "dubious ownership" in text:
            return GitError(
                f"git refuses the repository at {self.root}: it is owned by another user",
                f"run `git config --global --add safe.directory {self.root}`",
            )
        if "not a git repository" in text.lower():
            return GitError(f"{self.root} is not inside a git repository", "run it in a clone, or `git init`; `promptctl lint` works without git")
        first = text.splitlines()[-1] if text else f"git {' '.join(args)} failed"
        return GitError(f"git {args[0]}: {first}", "check the repository's state")

    def _lines(self, *args: str) -> list[str]:
        out = self._run(*args).stdout.decode("utf-8", "surrogateescape")
        return [item for item in out.split("\0") if item]

    # -- repository -----------------------------------------------------------

    _CANDIDATE_REFS = ("refs/remotes/origin/HEAD", "refs/heads/main", "refs/heads/master",
                       "refs/remotes/origin/main", "refs/remotes/origin/master")

    def state(self) -> tuple[str | None, str | None, dict[str, str]]:
        """(HEAD's commit or None, the current branch or None, {ref: commit} of the usual
        base branches, `origin/HEAD` as `origin/HEAD -> origin/main`), in two git calls:
        this runs in every pre-commit hook."""
        proc = self._run("rev-parse", "--show-toplevel", "--is-shallow-repository", "--symbolic-full-name", "HEAD", check=False)
        lines = proc.stdout.decode("utf-8", "surrogateescape").splitlines()
        if len(lines) < 3:
            raise self._error(proc.stderr.decode("utf-8", "replace"), ("rev-parse",))
        self._toplevel = Path(lines[0])
        self._shallow = lines[1] == "true"
        branch = lines[2][len("refs/heads/"):] if lines[2].startswith("refs/heads/") else None
        refs = list(self._CANDIDATE_REFS) + ([f"refs/heads/{branch}"] if branch else [])
        found: dict[str, str] = {}
        out = self._run("for-each-ref", "--format=%(refname)%00%(objectname)%00%(symref)%01", *refs).stdout
        for record in out.decode("utf-8", "surrogateescape").split("\x01"):
            fields = record.strip("\n").split("\0")
            if len(fields) == 3 and fields[0]:
                short = fields[0].removeprefix("refs/heads/").removeprefix("refs/remotes/")
                found[short] = fields[1]
                if fields[2]:
                    found[f"{short} ->"] = fields[2].removeprefix("refs/remotes/")
        head = found.get(branch) if branch else None
        if branch is None and lines[2] == "HEAD":
            head = self.resolve("HEAD")  # detached (CI), or no commits yet
        return head, branch, found

    def toplevel(self) -> Path:
        if self._toplevel is None:
            out = self._run("rev-parse", "--show-toplevel").stdout.decode().strip()
            self._toplevel = Path(out)
        return self._toplevel

    def prefix(self, path: Path) -> str:
        """``path`` relative to the work tree's top, POSIX style ("" for the top)."""
        rel = os.path.relpath(path.resolve(), self.toplevel().resolve())
        return "" if rel == "." else Path(rel).as_posix()

    def resolve(self, ref: str) -> str | None:
        """The commit ``ref`` names, or None when git does not know it."""
        proc = self._run("rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}", check=False)
        if proc.returncode != 0:
            if b"dubious ownership" in proc.stderr or b"not a git repository" in proc.stderr.lower():
                raise self._error(proc.stderr.decode("utf-8", "replace"), ("rev-parse",))
            return None
        return proc.stdout.decode().strip() or None

    def head(self) -> str | None:
        """HEAD's commit; None in a repository with no commits yet."""
        self.toplevel()  # raise the right error outside a repository
        return self.resolve("HEAD")

    def current_branch(self) -> str | None:
        proc = self._run("symbolic-ref", "--quiet", "--short", "HEAD", check=False)
        return proc.stdout.decode().strip() or None if proc.returncode == 0 else None

    def remote_default_branch(self) -> str | None:
        proc = self._run("symbolic-ref", "--quiet", "refs/remotes/origin/HEAD", check=False)
        ref = proc.stdout.decode().strip()
        return ref[len("refs/remotes/"):] if proc.returncode == 0 and ref.startswith("refs/remotes/") else None

    def is_shallow(self) -> bool:
        if getattr(self, "_shallow", None) is None:
            self._shallow = self._run("rev-parse", "--is-shallow-repository").stdout.decode().strip() == "true"
        return bool(self._shallow)

    def merge_base(self, a: str, b: str) -> str | None:
        proc = self._run("merge-base", a, b, check=False)
        return proc.stdout.decode().strip() or None if proc.returncode == 0 else None

    # -- snapshots --------------------------------------------------------------

    def tree_entries(self, commit: str | None, folder: str) -> dict[str, Entry]:
        """Files directly inside ``folder`` (not below) at ``commit``."""
        if commit is None:
            return {}
        spec = f"{folder}/" if folder else "."
        result = {}
        for item in self._lines("ls-tree", "-z", "--full-tree", commit, "--", spec):
            meta, _, path = item.partition("\t")
            mode, kind, sha = meta.split()
            if kind == "blob":
                result[path] = Entry(mode, sha)
        return result

    def tree_files(self, commit: str | None, folder: str) -> dict[str, Entry]:
        """Every file below ``folder`` at ``commit``."""
        if commit is None:
            return {}
        result = {}
        for item in self._lines("ls-tree", "-r", "-z", "--full-tree", commit, "--", folder or "."):
            meta, _, path = item.partition("\t")
            mode, kind, sha = meta.split()
            if kind == "blob":
                result[path] = Entry(mode, sha)
        return result

    def index_files(self, folder: str) -> dict[str, Entry]:
        """Every file below ``folder`` in the index (stage 0, or the first conflict stage)."""
        result: dict[str, Entry] = {}
        top = self.toplevel()
        for item in self._lines("-C", str(top), "ls-files", "-s", "-z", "--", folder or "."):
            meta, _, path = item.partition("\t")
            mode, sha, _stage = meta.split()
            result.setdefault(path, Entry(mode, sha))
        return result

    def _raw_diff(self, args: list[str]) -> list[Change]:
        items = self._lines(*args)
        changes = []
        i = 0
        while i < len(items):
            meta = items[i]
            path = items[i + 1]
            i += 2
            old_mode, new_mode, old_sha, new_sha, _status = meta.lstrip(":").split()
            old = None if old_mode == "000000" else Entry(old_mode, old_sha)
            new = None if new_mode == "000000" else Entry(new_mode, new_sha)
            changes.append(Change(path, old, new))
        return changes

    def diff_trees(self, old: str | None, new: str, folder: str) -> list[Change]:
        """What differs below ``folder`` between two commits, compared as trees (so a
        merge commit is judged by its content). Renames are never paired."""
        return self._raw_diff(["-C", str(self.toplevel()), "diff-tree", "-r", "-z", "--no-renames", "--no-ext-diff",
                               old or EMPTY_TREE, new, "--", folder or "."])

    def diff_index(self, old: str | None, folder: str) -> list[Change]:
        """What differs below ``folder`` between a commit and the index (what will be
        committed). Index entries carry their blob ids."""
        return self._raw_diff(["-C", str(self.toplevel()), "diff-index", "--cached", "-z", "--no-renames",
                               old or EMPTY_TREE, "--", folder or "."])

    def blob_ids(self, commit: str | None, paths: list[str]) -> dict[str, str]:
        """The blob id of each of ``paths`` that exists at ``commit``, in one
        ``git cat-file --batch-check``: cost grows with the paths asked, not the tree."""
        if commit is None or not paths:
            return {}
        request = "".join(f"{commit}:{p}\n" for p in paths).encode("utf-8", "surrogateescape")
        out = self._run("cat-file", "--batch-check", input=request).stdout.decode("utf-8", "surrogateescape")
        found = {}
        for path, line in zip(paths, out.splitlines()):
            parts = line.split()
            if len(parts) == 3 and parts[1] == "blob":
                found[path] = parts[0]
        return found

    def read_blobs(self, shas: list[str]) -> dict[str, bytes]:
        """Blob contents by id, in one ``git cat-file --batch`` process."""
        wanted = sorted(set(shas))
        if not wanted:
            return {}
        out = self._run("cat-file", "--batch", input="".join(f"{sha}\n" for sha in wanted).encode()).stdout
        result: dict[str, bytes] = {}
        pos = 0
        for sha in wanted:
            end = out.index(b"\n", pos)
            header = out[pos:end].decode()
            pos = end + 1
            if header.endswith("missing"):
                raise GitError(f"git has no object {sha}", "the clone is incomplete; fetch the missing history")
            size = int(header.split()[2])
            result[sha] = out[pos:pos + size]
            pos += size + 1
        return result

    def show_file(self, commit: str, path: str) -> bytes | None:
        proc = self._run("cat-file", "blob", f"{commit}:{path}", check=False)
        return proc.stdout if proc.returncode == 0 else None

    # -- history --------------------------------------------------------------

    def log(self, paths: list[str], *, follow_limit: int | None = None) -> list[tuple[Commit, list[Change]]]:
        """Commits touching ``paths``, newest first, with what each changed there
        (first-parent diff; root commits against the empty tree)."""
        fmt = "%x01%H%x00%an <%ae>%x00%aI%x00%s%x00"
        args = ["-C", str(self.toplevel()), "log", "-z", "--no-renames", "--raw", "--no-abbrev", "--first-parent",
                f"--format={fmt}"]
        if follow_limit:
            args.append(f"-n{follow_limit}")
        out = self._run(*args, "--", *paths).stdout.decode("utf-8", "surrogateescape")
        result = []
        for chunk in out.split("\x01")[1:]:
            parts = chunk.split("\0")
            commit = Commit(parts[0], parts[1], parts[2], parts[3])
            items = [p for p in parts[4:] if p and p != "\n"]
            items = [p.lstrip("\n") for p in items]
            changes = []
            i = 0
            while i + 1 < len(items):
                meta, path = items[i], items[i + 1]
                i += 2
                if not meta.startswith(":"):
                    continue
                old_mode, new_mode, old_sha, new_sha, _status = meta.lstrip(":").split()
                changes.append(Change(path, None if old_mode == "000000" else Entry(old_mode, old_sha),
                                      None if new_mode == "000000" else Entry(new_mode, new_sha)))
            result.append((commit, changes))
        return result

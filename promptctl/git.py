"""The only module that talks to git.

A narrow, typed API over the ``git`` command: NUL-separated output, blobs read in one
``cat-file --batch`` process, plain data out (never library objects). Everything that
can go wrong with git itself — not installed, not a repository, a repository git
refuses ("dubious ownership"), an unknown ref, a shallow clone — becomes a
:class:`~promptctl.errors.GitError` with a line that says how to fix it.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from promptctl.errors import GitError

ZERO = "0" * 40  # git's "no commit" (a push that creates or deletes a branch)
SYMLINK_MODE = "120000"
GITLINK_MODE = "160000"  # a submodule
_TREE_ENTRY = re.compile(rb"[0-7]+ [^\0]*\0.{20}", re.S)


def _sort_key(raw: bytes) -> bytes:
    """git's order of tree entries: by name, a sub-tree as if followed by "/"."""
    space = raw.index(b" ")
    name = raw[space + 1 : raw.index(b"\0", space)]
    return name + b"/" if raw.startswith(b"40000 ") else name


def _decode_entry(raw: bytes) -> tuple[str, Entry]:
    """One entry of a tree object: ``<mode> <name>\\0<20-byte id>``."""
    space = raw.index(b" ")
    nul = raw.index(b"\0", space)
    mode = raw[:space].decode()
    return raw[space + 1 : nul].decode("utf-8", "surrogateescape"), Entry("40000" if mode == "040000" else mode, raw[nul + 1 :].hex())


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
        self._batch: subprocess.Popen[bytes] | None = None
        self._batch_failed = False
        self._batch_command: bool | None = None
        self._raw_trees: dict[str, list[bytes]] = {}
        self._folders: dict[tuple[str, str], str | None] = {}

    # -- plumbing -------------------------------------------------------------

    def _run(self, *args: str, input: bytes | None = None, check: bool = True) -> subprocess.CompletedProcess[bytes]:
        env = dict(os.environ)
        # git's messages are parsed: always in English, whatever the caller's locale
        env["LC_ALL"] = "C"
        env.pop("LANGUAGE", None)
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
            return GitError(
                f"{self.root} is not inside a git repository", "run it in a clone, or `git init`; `promptctl lint` works without git"
            )
        first = text.splitlines()[-1] if text else f"git {' '.join(args)} failed"
        return GitError(f"git {args[0]}: {first}", "check the repository's state")

    def _lines(self, *args: str) -> list[str]:
        out = self._run(*args).stdout.decode("utf-8", "surrogateescape")
        return [item for item in out.split("\0") if item]

    # -- repository -----------------------------------------------------------

    _CANDIDATE_REFS = (
        "refs/remotes/origin/HEAD",
        "refs/heads/main",
        "refs/heads/master",
        "refs/remotes/origin/main",
        "refs/remotes/origin/master",
    )

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
        branch = lines[2][len("refs/heads/") :] if lines[2].startswith("refs/heads/") else None
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

    def remote_default_branch(self) -> str | None:
        proc = self._run("symbolic-ref", "--quiet", "refs/remotes/origin/HEAD", check=False)
        ref = proc.stdout.decode().strip()
        return ref[len("refs/remotes/") :] if proc.returncode == 0 and ref.startswith("refs/remotes/") else None

    def current_branch(self) -> str | None:
        """The branch checked out (also in a repository with no commits yet), or None."""
        proc = self._run("symbolic-ref", "--quiet", "--short", "HEAD", check=False)
        return proc.stdout.decode("utf-8", "surrogateescape").strip() or None if proc.returncode == 0 else None

    def is_shallow(self) -> bool:
        if getattr(self, "_shallow", None) is None:
            self._shallow = self._run("rev-parse", "--is-shallow-repository").stdout.decode().strip() == "true"
        return bool(self._shallow)

    def merge_heads(self) -> list[str]:
        """The commits being merged into HEAD (a merge in progress), else []."""
        proc = self._run("rev-parse", "--git-path", "MERGE_HEAD", check=False)
        path = Path(proc.stdout.decode("utf-8", "surrogateescape").strip())
        if proc.returncode != 0 or not str(path):
            return []
        try:
            text = (path if path.is_absolute() else self.root / path).read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError):
            return []
        return [line.strip() for line in text.splitlines() if len(line.strip()) in (40, 64)]

    def merge_base(self, a: str, b: str, *others: str) -> str | None:
        """The best common ancestor of ``a`` and ``b`` — with ``others``, of ``a`` and the
        merge of ``b`` and ``others`` that is being made."""
        proc = self._run("merge-base", a, b, *others, check=False)
        return proc.stdout.decode().strip() or None if proc.returncode == 0 else None

    # -- snapshots --------------------------------------------------------------

    def _raw_diff(self, args: list[str]) -> list[Change]:
        items = self._lines(*args)
        changes = []
        i = 0
        while i < len(items):
            meta = items[i]
            path = items[i + 1]
            i += 2
            old_mode, new_mode, old_sha, new_sha, status = meta.lstrip(":").split()
            if status == "U":
                raise GitError(f"{path} has unresolved merge conflicts", "resolve them and `git add` the file, then run check again")
            old = None if old_mode == "000000" else Entry(old_mode, old_sha)
            new = None if new_mode == "000000" else Entry(new_mode, new_sha)
            changes.append(Change(path, old, new))
        return changes

    def diff_trees(self, old: str | None, new: str, folder: str) -> list[Change]:
        """What differs below ``folder`` between two commits, compared as trees (so a
        merge commit is judged by its content). Renames are never paired. Trees are
        read through the one cat-file process and kept, so the lookups `check` makes
        afterwards cost nothing more, however large the folder."""
        if not self._supports_batch_command():
            return self._raw_diff(
                [
                    "-C",
                    str(self.toplevel()),
                    "diff-tree",
                    "-r",
                    "-z",
                    "--no-renames",
                    "--no-ext-diff",
                    old or EMPTY_TREE,
                    new,
                    "--",
                    folder or ".",
                ]
            )
        changes: list[Change] = []
        self._diff(self._folder_tree(old, folder), self._folder_tree(new, folder), folder, changes)
        return sorted(changes, key=lambda c: c.path)

    def _diff(self, old: str | None, new: str | None, prefix: str, out: list[Change]) -> None:
        if old == new:
            return
        # Compare the raw entries first: in a folder of 20,000 files only the handful
        # that differ are decoded.
        raw_a = set(self._raw_entries(old)) if old else set()
        raw_b = set(self._raw_entries(new)) if new else set()
        a = {name: entry for name, entry in map(_decode_entry, raw_a - raw_b)}
        b = {name: entry for name, entry in map(_decode_entry, raw_b - raw_a)}
        for name in sorted(set(a) | set(b)):
            ea, eb = a.get(name), b.get(name)
            path = f"{prefix}/{name}" if prefix else name
            tree_a = ea if ea is not None and ea.mode == "40000" else None
            tree_b = eb if eb is not None and eb.mode == "40000" else None
            if tree_a or tree_b:
                self._diff(tree_a.sha if tree_a else None, tree_b.sha if tree_b else None, path, out)
            blob_a = ea if ea is not None and ea.mode != "40000" else None
            blob_b = eb if eb is not None and eb.mode != "40000" else None
            if blob_a != blob_b:
                out.append(Change(path, blob_a, blob_b))

    def _folder_tree(self, commit: str | None, folder: str) -> str | None:
        if commit is None:
            return None
        key = (commit, folder)
        if key not in self._folders:
            spec = f"{commit}:{folder}" if folder else f"{commit}^{{tree}}"
            header, _ = self._batch_request([f"info {spec}"])[0]
            parts = header.split()
            self._folders[key] = parts[0] if len(parts) == 3 and parts[1] == "tree" else None
        return self._folders[key]

    def _raw_entries(self, tree: str) -> list[bytes]:
        raw = self._raw_trees.get(tree)
        if raw is None:
            _, body = self._batch_request([f"contents {tree}"])[0]
            raw = self._raw_trees[tree] = _TREE_ENTRY.findall(body or b"")
        return raw

    def _find(self, tree: str, name: str) -> Entry | None:
        """One entry of a tree by binary search: git keeps entries sorted (a sub-tree as
        if its name ended in "/"), so a folder of 20,000 files costs 15 comparisons."""
        import bisect

        raw = self._raw_entries(tree)
        wanted = name.encode("utf-8", "surrogateescape")
        i = bisect.bisect_left(raw, wanted, key=_sort_key)
        for candidate in raw[i : i + 2]:
            found_name, entry = _decode_entry(candidate)
            if found_name == name:
                return entry
        return None

    def entries_with_prefix(self, commit: str | None, folder: str, prefix: str) -> dict[str, Entry]:
        """The entries of ``folder`` at ``commit`` whose names start with ``prefix``, by
        name: one binary search and the matching range, whatever the folder holds."""
        if commit is None:
            return {}
        if not self._supports_batch_command():
            spec = f"{commit}:{folder}" if folder else commit
            out = self._run("ls-tree", "-z", "--full-tree", spec, check=False).stdout.decode("utf-8", "surrogateescape")
            found = {}
            for record in filter(None, out.split("\0")):
                meta, _, name = record.partition("\t")
                mode, _, sha = meta.split(" ")
                if name.startswith(prefix):
                    found[name] = Entry("40000" if mode == "040000" else mode, sha)
            return found
        import bisect

        tree = self._folder_tree(commit, folder)
        if tree is None:
            return {}
        raw = self._raw_entries(tree)
        wanted = prefix.encode("utf-8", "surrogateescape")
        found = {}
        for candidate in raw[bisect.bisect_left(raw, wanted, key=_sort_key) :]:
            name, entry = _decode_entry(candidate)
            if not name.startswith(prefix):
                break
            found[name] = entry
        return found

    def symlinks(self, commit: str, folder: str) -> dict[str, str]:
        """{path: blob id} of the symbolic links below ``folder`` at ``commit``."""
        out = self._run("-C", str(self.toplevel()), "ls-tree", "-r", "-z", "--full-tree", commit, "--", folder or ".").stdout
        found: dict[str, str] = {}
        if f"{SYMLINK_MODE} ".encode() not in out:
            return found  # the usual folder: no link, and no need to read 20,000 records
        for record in out.decode("utf-8", "surrogateescape").split("\0"):
            meta, _, path = record.partition("\t")
            parts = meta.split(" ")
            if len(parts) == 3 and parts[0] == SYMLINK_MODE:
                found[path] = parts[2]
        return found

    def index_blob_ids(self, paths: list[str]) -> dict[str, str]:
        """{path: blob id} of ``paths`` in the index (what the next commit holds)."""
        if not paths:
            return {}
        out = self._run("-C", str(self.toplevel()), "ls-files", "-s", "-z", "--", *paths).stdout
        found = {}
        for record in out.decode("utf-8", "surrogateescape").split("\0"):
            meta, _, path = record.partition("\t")
            parts = meta.split(" ")
            if len(parts) == 3 and parts[2] == "0":
                found[path] = parts[1]
        return found

    def changed_in_work_tree(self, commit: str | None, folder: str) -> set[str]:
        """Files below ``folder`` that the work tree adds or changes against ``commit``,
        untracked ones included (paths from the top of the work tree)."""
        top = str(self.toplevel())
        spec = folder or "."
        found = set(self._lines("-C", top, "ls-files", "-z", "--others", "--exclude-standard", "--", spec))
        if commit is None:
            found |= set(self._lines("-C", top, "ls-files", "-z", "--", spec))
        else:
            found |= set(self._lines("-C", top, "diff", "--name-only", "-z", "--no-renames", "--diff-filter=d", commit, "--", spec))
        return found

    def diff_index(self, old: str | None, folder: str) -> list[Change]:
        """What differs below ``folder`` between a commit and the index (what will be
        committed). Index entries carry their blob ids."""
        return self._raw_diff(
            ["-C", str(self.toplevel()), "diff-index", "--cached", "-z", "--no-renames", old or EMPTY_TREE, "--", folder or "."]
        )

    def _reader(self) -> subprocess.Popen[bytes] | None:
        """One `git cat-file --batch-command` process for every object lookup of this
        run: in a large repository each new git process pays for reading the same big
        tree objects again."""
        if self._batch is None and not self._batch_failed:
            try:
                self._batch = subprocess.Popen(
                    ["git", "cat-file", "--batch-command", "--buffer"],
                    cwd=self.root,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                )
            except OSError:
                self._batch_failed = True
        return self._batch

    def _batch_request(self, commands: list[str]) -> list[tuple[str, bytes | None]]:
        """Send ``info`` / ``contents`` commands, get (header, content or None) each."""
        proc = self._reader()
        if proc is None or proc.stdin is None or proc.stdout is None:
            raise GitError("cannot read objects from git", "check the repository")
        proc.stdin.write(("".join(f"{c}\n" for c in commands) + "flush\n").encode("utf-8", "surrogateescape"))
        proc.stdin.flush()
        out: list[tuple[str, bytes | None]] = []
        for command in commands:
            header = proc.stdout.readline().decode("utf-8", "surrogateescape").rstrip("\n")
            if not header:
                self._batch, self._batch_failed = None, True
                raise GitError("git cat-file stopped answering", "check that git is at least 2.36")
            if header.endswith(" missing") or header.endswith(" ambiguous"):
                out.append((header, None))
            elif command.startswith("contents "):
                size = int(header.split()[2])
                body = proc.stdout.read(size)
                proc.stdout.read(1)
                out.append((header, body))
            else:
                out.append((header, None))
        return out

    def blob_ids(self, commit: str | None, paths: list[str]) -> dict[str, str]:
        """The blob id of each of ``paths`` that exists at ``commit``: cost grows with the
        paths asked, not with the tree."""
        found: dict[str, str] = {}
        if commit is None or not paths:
            return found
        if self._supports_batch_command():
            for path in paths:
                folder, _, name = path.rpartition("/")
                tree = self._folder_tree(commit, folder)
                entry = self._find(tree, name) if tree else None
                if entry is not None and entry.mode != "40000":
                    found[path] = entry.sha
            return found
        request = "".join(f"{commit}:{p}\n" for p in paths).encode("utf-8", "surrogateescape")
        lines = self._run("cat-file", "--batch-check", input=request).stdout.decode("utf-8", "surrogateescape").splitlines()
        for path, line in zip(paths, lines, strict=False):
            parts = line.split()
            if len(parts) == 3 and parts[1] == "blob":
                found[path] = parts[0]
        return found

    def read_blobs(self, shas: list[str]) -> dict[str, bytes]:
        """Blob contents by id."""
        wanted = sorted(set(shas))
        if not wanted:
            return {}
        if self._supports_batch_command():
            result = {}
            for sha, (_header, body) in zip(wanted, self._batch_request([f"contents {sha}" for sha in wanted]), strict=True):
                if body is None:
                    raise GitError(f"git has no object {sha}", "the clone is incomplete; fetch the missing history")
                result[sha] = body
            return result
        out = self._run("cat-file", "--batch", input="".join(f"{sha}\n" for sha in wanted).encode()).stdout
        result = {}
        pos = 0
        for sha in wanted:
            end = out.index(b"\n", pos)
            header = out[pos:end].decode()
            pos = end + 1
            if header.endswith("missing"):
                raise GitError(f"git has no object {sha}", "the clone is incomplete; fetch the missing history")
            size = int(header.split()[2])
            result[sha] = out[pos : pos + size]
            pos += size + 1
        return result

    def _supports_batch_command(self) -> bool:
        if self._batch_command is None:
            version = self._run("version").stdout.decode().split()
            try:
                major, minor = (int(x) for x in version[2].split(".")[:2])
                self._batch_command = (major, minor) >= (2, 36)
            except (IndexError, ValueError):
                self._batch_command = False
        return self._batch_command and not self._batch_failed

    def close(self) -> None:
        """Stop the cat-file process. It only ever reads, so it is killed rather than
        waited for: after a big tree, git takes milliseconds to free its caches."""
        if self._batch is not None:
            try:
                if self._batch.stdin:
                    self._batch.stdin.close()
                self._batch.kill()
                self._batch.wait()
            except OSError:
                pass
            self._batch = None

    def __enter__(self) -> Git:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def show_file(self, commit: str, path: str) -> bytes | None:
        proc = self._run("cat-file", "blob", f"{commit}:{path}", check=False)
        return proc.stdout if proc.returncode == 0 else None

    # -- history --------------------------------------------------------------

    def log(self, paths: list[str], *, follow_limit: int | None = None, since: str | None = None) -> list[tuple[Commit, list[Change]]]:
        """Commits touching ``paths``, newest first, with what each changed there
        (first-parent diff; root commits against the empty tree)."""
        # A commit message can hold any character but NUL, \x01 included: records are
        # split on a marker no commit can predict.
        import secrets

        marker = f"\x01{secrets.token_hex(16)}\x01"
        fmt = f"%x01{marker[1:-1]}%x01%H%x00%an <%ae>%x00%aI%x00%s%x00"
        args = ["-C", str(self.toplevel()), "log", "-z", "--no-renames", "--raw", "--no-abbrev", "--first-parent", f"--format={fmt}"]
        if follow_limit:
            args.append(f"-n{follow_limit}")
        if since:
            args.append(f"--since={since}")
        out = self._run(*args, "--", *paths).stdout.decode("utf-8", "surrogateescape")
        result = []
        for chunk in out.split(marker)[1:]:
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
                changes.append(
                    Change(
                        path,
                        None if old_mode == "000000" else Entry(old_mode, old_sha),
                        None if new_mode == "000000" else Entry(new_mode, new_sha),
                    )
                )
            result.append((commit, changes))
        return result

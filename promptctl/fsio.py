"""Writes that are atomic, never overwrite and never follow a planted symlink.

A file is written in full to a hidden temporary file beside the target and then
hard-linked into place: ``link`` fails if *anything* (a file, a directory, a dangling
symlink) already has the name, so two concurrent writers can never both "create" the
same version. The temporary file is removed on every exit path, including Ctrl-C.
New files get the mode the umask allows, as any editor would create them.

Folders are made one level at a time, refusing a link at each level *before* anything
is created through it. Temporary files that a killed run left behind (older than
:data:`STALE_SECONDS`) are removed by the next write beside them. A write that the
system refuses (read-only folder, full disk, a folder where a file should be) is a
one-line :class:`WriteFailed`, never a traceback.
"""

from __future__ import annotations

import errno
import os
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from promptctl.errors import PromptctlError, WriteRefused

STALE_SECONDS = 3600


class WriteFailed(PromptctlError):
    """The system refused a write: permissions, a full disk, a folder in the way."""


@contextmanager
def _reported(path: Path) -> Iterator[None]:
    try:
        yield
    except (FileExistsError, WriteRefused):
        raise
    except IsADirectoryError:
        raise WriteFailed(f"cannot write {path}: it is a folder", "name a file, e.g. --output bundle.json") from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise WriteFailed(f"cannot write {path}: {reason}", "check the folder's permissions and free space; nothing was written") from None


def _make_folders(folder: Path, root: Path | None) -> None:
    """Create ``folder`` level by level, refusing a symbolic link at any level first."""
    missing = []
    current = folder
    while not current.exists() and not current.is_symlink() and current.parent != current:
        missing.append(current)
        current = current.parent
    _check_no_links(current, root)
    for level in reversed(missing):
        os.mkdir(level)
        if level.is_symlink():  # pragma: no cover - a race with another process
            raise WriteRefused(f"{level} is a symbolic link; promptctl does not write through links", "remove the link")


def _clean_stale(path: Path) -> None:
    now = time.time()
    try:
        for tmp in path.parent.glob(f".{path.name}.*.tmp"):
            if now - tmp.lstat().st_mtime > STALE_SECONDS:
                tmp.unlink(missing_ok=True)
    except OSError:
        pass


def _check_no_links(path: Path, root: Path | None) -> None:
    """Refuse when ``path``, or a folder between ``root`` and it, is a symlink."""
    current = path
    while True:
        if current.is_symlink():
            raise WriteRefused(
                f"{current} is a symbolic link; promptctl does not write through links", "replace the link with a real file or folder"
            )
        if root is None or current == root or current.parent == current or not current.is_relative_to(root):
            return
        current = current.parent


def _temp_beside(path: Path, data: bytes) -> Path:
    for _ in range(100):
        tmp = path.parent / f".{path.name}.{secrets.token_hex(4)}.tmp"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)
        except FileExistsError:
            continue
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return tmp
    raise WriteRefused(f"cannot create a temporary file in {path.parent}", "check the folder's permissions")


def create(path: Path, data: bytes, *, root: Path | None = None) -> None:
    """Write ``data`` to a new file at ``path``; :class:`FileExistsError` if the name is taken."""
    with _reported(path):
        _make_folders(path.parent, root)
        _check_no_links(path.parent, root)
        _clean_stale(path)
        _create(path, data)


def _create(path: Path, data: bytes) -> None:
    tmp = _temp_beside(path, data)
    try:
        try:
            os.link(tmp, path, follow_symlinks=False)
        except FileExistsError:
            raise
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
                raise
            # No hard links on this file system: exclusive create is still never an overwrite.
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
    finally:
        tmp.unlink(missing_ok=True)


def replace(path: Path, data: bytes, *, root: Path | None = None) -> None:
    """Atomically replace (or create) ``path``; refuses when it is a symlink."""
    with _reported(path):
        _make_folders(path.parent, root)
        _check_no_links(path, root)
        _clean_stale(path)
        _replace(path, data)


def _replace(path: Path, data: bytes) -> None:
    if path.is_dir():
        raise IsADirectoryError(str(path))
    tmp = _temp_beside(path, data)
    try:
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


class folder_lock:
    """An advisory lock on a folder for read-modify-write updates (``tag``,
    ``rollback``): concurrent runs wait for each other instead of losing a write. The
    lock is released when the process ends, however it ends; no file is left behind."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.fd: int | None = None

    def __enter__(self) -> folder_lock:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows: best effort
            return self
        with _reported(self.folder):
            _make_folders(self.folder, None)
            self.fd = os.open(self.folder, os.O_RDONLY)
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

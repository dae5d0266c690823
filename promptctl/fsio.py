"""Writes that are atomic, never overwrite and never follow a planted symlink.

A file is written in full to a hidden temporary file beside the target and then
hard-linked into place: ``link`` fails if *anything* (a file, a directory, a dangling
symlink) already has the name, so two concurrent writers can never both "create" the
same version. The temporary file is removed on every exit path, including Ctrl-C.
New files get the mode the umask allows, as any editor would create them.
"""

from __future__ import annotations

import errno
import os
import secrets
from pathlib import Path

from promptctl.errors import WriteRefused


def _check_no_links(path: Path, root: Path | None) -> None:
    """Refuse when ``path``, or a folder between ``root`` and it, is a symlink."""
    current = path
    while True:
        if current.is_symlink():
            raise WriteRefused(f"{current} is a symbolic link; promptctl does not write through links", "replace the link with a real file or folder")
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
    path.parent.mkdir(parents=True, exist_ok=True)
    _check_no_links(path.parent, root)
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
    path.parent.mkdir(parents=True, exist_ok=True)
    _check_no_links(path, root)
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
        self.folder.mkdir(parents=True, exist_ok=True)
        self.fd = os.open(self.folder, os.O_RDONLY)
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

"""The files beside the database: atomic replacement and the one-writer lock.

Snapshots and the manifest are written to a temporary file, fsynced and renamed, so a crash
leaves either the old or the new file (``shared/design/reliability.md``). The LOCK file is held
with ``flock`` by the one process allowed to write, and names it for the next one that tries.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import logging
import os
import shlex
import stat
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..errors import StoreLocked, StoreReadOnly, StoreUnsafe, StoreWriteError
from ..faults import crash_point

log = logging.getLogger(__name__)

LOCK_NAME = "LOCK"


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def user_mode(fd_or_path: int | str) -> None:
    """Give a file made by mkstemp (0600) the permissions any file the user creates has."""
    umask = os.umask(0)
    os.umask(umask)
    if isinstance(fd_or_path, int):
        os.fchmod(fd_or_path, 0o666 & ~umask)
    else:
        os.chmod(fd_or_path, 0o666 & ~umask)


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a crash leaves either the old or the new file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.tmp-")
    try:
        user_mode(fd)
        with os.fdopen(fd, "wb") as fh:
            half = len(data) // 2
            fh.write(data[:half])
            fh.flush()
            crash_point("mid-file-write")
            fh.write(data[half:])
            fh.flush()
            # Any write, fsync or close error aborts this save; it is never retried (fsyncgate).
            os.fsync(fh.fileno())
        crash_point("before-rename")
        os.replace(tmp, path)
        fsync_dir(path.parent)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def build_into_place(folder: Path, name: str, build: Callable[[str], None], before_rename: str | None = None) -> None:
    """Build a database file with ``build(temporary path)`` beside ``folder / name``, fsync it
    and rename it into place: a crash leaves no half-made database, only a temporary file the
    next writer removes. ``before_rename`` names the crash point the crash tests stop at."""
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.tmp-")
    os.close(fd)
    try:
        build(tmp)
        user_mode(tmp)
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        if before_rename:
            crash_point(before_rename)
        os.replace(tmp, folder / name)
        fsync_dir(folder)
    except BaseException:
        for leftover in (tmp, tmp + "-wal", tmp + "-shm", tmp + "-journal"):
            with contextlib.suppress(OSError):
                os.unlink(leftover)
        raise


def refuse_unsafe_folder(folder: Path) -> None:
    """Refuse a store folder every user may write: anyone could swap its database, manifest or
    vectors for their own, or plant a link at its LOCK (reliability.md, S8)."""
    try:
        mode = os.stat(folder).st_mode
    except OSError:
        return  # a folder that cannot be looked at fails with its own message when opened
    if mode & stat.S_IWOTH:
        raise StoreUnsafe(
            f"store folder {folder} is writable by every user (mode {stat.S_IMODE(mode):o}), so anyone could "
            f"replace its files; make it yours alone with: chmod o-w {shlex.quote(str(folder))} (or use another --store)"
        )


def acquire_lock(folder: Path, wait: bool) -> int:
    """Hold the store's LOCK (flock) and write who holds it; returns its file descriptor."""
    lock_path = folder / LOCK_NAME
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
    except OSError as exc:
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            raise StoreReadOnly(
                f"store {folder} is read-only ({exc.strerror}); trace and report still work, "
                "index into a writable --store"
            ) from exc
        if exc.errno == errno.ELOOP:
            raise StoreWriteError(f"{lock_path} is a symbolic link; remove it (a store's LOCK must be a plain file)") from exc
        raise StoreWriteError(f"cannot open {lock_path}: {exc.strerror}") from exc
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        other = os.pread(fd, 512, 0).decode("utf-8", "replace").strip() or "unknown"
        if not wait:
            os.close(fd)
            raise StoreLocked(
                f"store {folder} is being written by another indexer (pid {other}); "
                "wait for it to finish or run index with --wait"
            ) from None
        log.warning("store %s is being written by pid %s; waiting for it to finish", folder, other)
        fcntl.flock(fd, fcntl.LOCK_EX)
    os.ftruncate(fd, 0)
    # Who holds the lock, for the message a second writer gets.
    holder = f"{os.getpid()}: {' '.join(['provenance', *sys.argv[1:]])}"[:500]
    os.pwrite(fd, holder.encode("utf-8", "replace"), 0)
    return fd

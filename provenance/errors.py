"""provenance's own exceptions.

Every message says what happened and what to do next; the CLI prints it as one line and exits
with the exception's ``exit_code``.
"""

from __future__ import annotations

# Exit codes: the contract fixes 0, 1 and 2; the store-level ones follow sysexits.h as the
# reliability design suggests.
EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_STORE_IO = 74
EXIT_STORE_BUSY = 75
EXIT_READ_ONLY = 77
EXIT_MODEL_MISMATCH = 78
# A shell's code for a process ended by Ctrl-C (128 + SIGINT).
EXIT_INTERRUPTED = 130


class ProvenanceError(Exception):
    """Base class: a failure a user can act on."""

    exit_code: int = EXIT_FAILURE


class StoreNotFound(ProvenanceError):
    def __init__(self, path: str) -> None:
        super().__init__(
            f"no store at {path}; create one with 'provenance --store {path} index PATH...' "
            "or point --store / $PROVENANCE_STORE at an existing store"
        )


class StoreCorrupt(ProvenanceError):
    exit_code = EXIT_STORE_IO


class StoreLocked(ProvenanceError):
    exit_code = EXIT_STORE_BUSY


class StoreWriteError(ProvenanceError):
    exit_code = EXIT_STORE_IO


class StoreReadOnly(ProvenanceError):
    """The store can be read but not written (read-only filesystem or no permission)."""

    exit_code = EXIT_READ_ONLY


class StoreUnsafe(ProvenanceError):
    """The store folder's permissions let other users replace its files (reliability.md, S8)."""

    exit_code = EXIT_READ_ONLY


class ModelMismatch(ProvenanceError):
    exit_code = EXIT_MODEL_MISMATCH


class EmbeddingFormMismatch(ModelMismatch):
    """The store's vectors were computed from another form of the claims' text."""

    def __init__(self, path: str, stored: int, current: int) -> None:
        super().__init__(
            f"store {path} was built by an older provenance (embedding form {stored}: claims embedded "
            f"with their quotation marks, quotes inside longer sentences and web debris not split "
            f"out); this version embeds form {current}, so new documents cannot be matched fairly "
            f"against it. Index your documents again into a new store (provenance --store NEW "
            f"index PATH...); trace and report still read {path} as it is"
        )


class ModelUnavailable(ProvenanceError):
    """The embedding model can't be loaded (not installed, not a local folder)."""


class UsageProblem(ProvenanceError):
    """Bad arguments caught by the library (the CLI maps it to exit 2)."""

    exit_code = EXIT_USAGE


class InputRejected(ProvenanceError):
    """One input (file or line) can't be indexed; carries where and why."""

    def __init__(self, path: str, line: int | None, reason: str) -> None:
        self.path = path
        self.line = line
        self.reason = reason
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {reason}")


def storage_error(exc: BaseException, store: str) -> ProvenanceError | None:
    """Our error for a storage failure of ``store`` (a full disk, a lock held too long, a
    read-only file, an I/O error), or None when ``exc`` is not a storage failure.

    The one mapping from SQLite's and the OS's errors to ours: the store's writes, its opening
    and the CLI's last resort all use it.
    """
    import errno
    import sqlite3

    if isinstance(exc, sqlite3.OperationalError):
        msg = str(exc)
        if "full" in msg or "disk I/O" in msg:
            return StoreWriteError(
                f"store {store} could not be written ({msg}); free some space and run index again "
                "(a batch that failed was rolled back, earlier ones are kept)"
            )
        if "readonly" in msg or "read-only" in msg:
            return StoreReadOnly(f"store {store} is read-only ({msg}); trace and report still work, index into a writable --store")
        if "locked" in msg or "busy" in msg:
            return StoreLocked(f"store {store} is busy ({msg}); retry when the other process is done")
        return StoreWriteError(f"store {store} could not be read or written ({msg}); free some space or check the disk, then retry")
    if isinstance(exc, OSError):
        where = f" ({exc.filename})" if exc.filename else ""
        if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            return StoreWriteError(f"no space left writing{where}: {exc.strerror}; free some space and retry (committed work is kept)")
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return StoreReadOnly(f"permission denied{where}: {exc.strerror}; use a writable location")
        return StoreWriteError(f"I/O error{where}: {exc.strerror or exc}; check the disk and retry")
    return None

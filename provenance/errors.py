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


class ModelMismatch(ProvenanceError):
    exit_code = EXIT_MODEL_MISMATCH


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

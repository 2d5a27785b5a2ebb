"""The dataset store: what ``index --engine ray`` writes, because SQLite takes one writer.

Parquet tables mirroring the SQLite store's (documents, claims, vectors, matches, credits,
clusters, members), a FAISS index (exact, or IVF-PQ when large), an FTS5 file for ``trace``'s
lexical side, and a manifest that commits them. ``layout`` (folders, manifest, commit),
``schema`` (the tables), ``tables`` (reading Parquet by key), ``reader`` (the read interface of
``Store``), ``ann`` (the vector index), ``lexical`` and ``export`` (to a SQLite store).

Importing this package costs nothing; the modules that need pyarrow import it themselves, and
:func:`require_pyarrow` says how to install it when it is missing.
"""

from __future__ import annotations

from ...errors import ProvenanceError
from .layout import DATASET_FORMAT, read_manifest

__all__ = ["DATASET_FORMAT", "INSTALL_HINT", "read_manifest", "require_pyarrow"]

INSTALL_HINT = "pip install 'provenance[ray]'"


def require_pyarrow(what: str) -> None:
    """Raise our error with the install command when pyarrow is missing."""
    try:
        import pyarrow  # noqa: F401
    except ImportError as exc:
        raise ProvenanceError(f"{what} needs pyarrow, which is not installed; install it with: {INSTALL_HINT}") from exc

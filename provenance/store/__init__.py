"""The on-disk store: SQLite is the source of truth, FAISS a rebuildable search cache.

Layout of a store folder::

    store.sqlite          documents, claims, embeddings (vectors as float32 BLOBs), matches,
                          clusters, attributions (credits), claims_fts (FTS5 over claim texts
                          and document titles); schema changes through numbered migrations
    manifest.json         model, dimension, normalisation, schema version, and the current
                          vector snapshot (file, count, last claim id, sha256): the commit point
    vectors-<gen>.faiss   FAISS snapshot, ids are claim ids; never overwritten in place
    LOCK                  held (flock) by the one process allowed to write

This follows ``shared/design/reliability.md``: a snapshot is written to a temporary file,
fsynced and renamed to a new generation name, then the manifest is replaced the same way; on
open the checksum is verified before FAISS reads a byte, claims committed after the snapshot are
added from SQLite, and a missing or damaged snapshot is rebuilt from SQLite.

Modules: ``store`` (opening, reads), ``writer`` (the writes of one transaction), ``schema``
(migrations), ``vectors`` (the FAISS cache, with ``vectorindex`` and ``snapshot``),
``manifest``, ``files`` (atomic writes, the lock), ``sqlite`` (connections), ``inspect`` (what
``provenance check`` looks at). Only this package speaks SQL.
"""

from __future__ import annotations

from ..records import NewClaim, StoredClaim, StoredDocument
from .files import LOCK_NAME
from .manifest import MANIFEST_NAME, STORE_FORMAT
from .schema import DB_NAME, SCHEMA_VERSION
from .store import Store
from .vectors import INDEX_TYPES, vectors_from_blobs
from .writer import Writer

__all__ = [
    "DB_NAME",
    "INDEX_TYPES",
    "LOCK_NAME",
    "MANIFEST_NAME",
    "NewClaim",
    "SCHEMA_VERSION",
    "STORE_FORMAT",
    "Store",
    "StoredClaim",
    "StoredDocument",
    "Writer",
    "vectors_from_blobs",
]

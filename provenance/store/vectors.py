"""The FAISS side of a store: a search cache over the vectors SQLite holds.

SQLite is the truth (every claim's vector is stored there); FAISS is a cache that can always be
rebuilt from it. A :class:`VectorCache` loads the snapshot the manifest names (verified before
FAISS reads a byte, or memory-mapped when its file identity proves it is the file the writer
hashed: ``snapshot.py``), adds the claims committed after it, searches, takes new claims as they
are committed, and writes the next snapshot as a new generation committed through the manifest.
A missing or damaged snapshot is rebuilt from SQLite. ``provenance check`` verifies snapshots
with the same :func:`read_snapshot`.

The cache reads SQLite only through a :class:`VectorSource` (the store), so it knows nothing of
tables or SQL.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from ..errors import StoreWriteError
from ..faults import crash_point
from .files import atomic_write
from .manifest import Manifest
from .snapshot import MappedIndex, identity_matches, read_mapped, record_identity
from .vectorindex import (
    HNSW_EF_CONSTRUCTION,
    HNSW_EF_SEARCH,
    HNSW_M,
    choose_index_type,
    index_kind,
    set_search_threads,
    tune_search,
)

log = logging.getLogger(__name__)

# Claims added from SQLite per round while catching up (bounds the memory of one round).
CATCH_UP_ROWS = 50_000


class VectorSource(Protocol):
    """Where the cache reads committed claims' vectors (the store)."""

    def claim_count(self) -> int: ...

    def vectors_after(self, last_id: int, limit: int) -> tuple[np.ndarray, np.ndarray]:
        """(claim ids, vectors) of up to ``limit`` claims with id > ``last_id``, in id order."""


@dataclass(frozen=True)
class IndexType:
    name: str
    build: Callable[[int], Any]


def _flat(dim: int) -> Any:
    import faiss

    return faiss.IndexIDMap2(faiss.IndexFlatIP(dim))


def _hnsw(dim: int) -> Any:
    import faiss

    inner = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
    inner.hnsw.efSearch = HNSW_EF_SEARCH
    inner.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
    return faiss.IndexIDMap2(inner)


# Exact search while stores are small; HNSW past a measured size (vectorindex.py, "auto").
INDEX_TYPES: dict[str, IndexType] = {t.name: t for t in (IndexType("flat", _flat), IndexType("hnsw", _hnsw))}


def vectors_from_blobs(blobs: Sequence[bytes], dim: int) -> np.ndarray:
    if not blobs:
        return np.zeros((0, dim), dtype=np.float32)
    return np.frombuffer(b"".join(blobs), dtype="<f4").reshape(len(blobs), dim).astype(np.float32)


@dataclass
class SnapshotRead:
    """A snapshot read back: the index when it is sound, else why not (a fact, without advice:
    a reader rebuilds, ``check`` tells the user to repair)."""

    index: Any = None
    mapped: bool = False
    problem: str | None = None


def read_snapshot(folder: Path, entry: dict[str, Any], dim: int, *, trust_identity: bool = False) -> SnapshotRead:
    """The snapshot a manifest entry names, verified: its SHA-256 before FAISS reads a byte
    (or, with ``trust_identity``, mapped when its file identity is the one its writer recorded),
    then its dimension and count against the entry."""
    import faiss

    name = str(entry.get("file", ""))
    path = folder / name
    if Path(name).name != name or not name.startswith("vectors-"):
        return SnapshotRead(problem=f"manifest names an unexpected vector file {name!r}")
    if trust_identity and identity_matches(path, entry.get("identity")):
        try:
            index = read_mapped(path)
        except RuntimeError as exc:
            log.warning("vector snapshot %s cannot be mapped (%s); reading it whole", name, exc)
        else:
            if index.d == dim and index.ntotal == entry.get("count"):
                return SnapshotRead(index, mapped=True)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return SnapshotRead(problem=f"vector snapshot {name} cannot be read ({exc.strerror})")
    if hashlib.sha256(data).hexdigest() != entry.get("sha256"):
        return SnapshotRead(problem=f"vector snapshot {name} fails its checksum")
    try:
        index = faiss.deserialize_index(np.frombuffer(data, dtype=np.uint8))
    except RuntimeError as exc:
        return SnapshotRead(problem=f"vector snapshot {name} cannot be read by FAISS ({exc})")
    if index.d != dim or not hasattr(index, "id_map") or index.ntotal != entry.get("count"):
        return SnapshotRead(problem=f"vector snapshot {name} disagrees with its manifest")
    return SnapshotRead(index)


def index_ids(index: Any) -> np.ndarray:
    """Every claim id a FAISS index holds (mapped or in memory)."""
    import faiss

    if isinstance(index, MappedIndex):
        return index.ids()
    return faiss.vector_to_array(index.id_map).astype(np.int64)


class VectorCache:
    """The FAISS index over every committed claim: loaded, caught up or rebuilt on first use."""

    def __init__(self, folder: Path, dim: int, index_type: str, manifest: Manifest, source: VectorSource, writable: bool) -> None:
        self.folder = folder
        self.dim = dim
        self.index_type = index_type
        self.manifest = manifest
        self.source = source
        self.writable = writable
        self._index: Any = None
        self._last_id = 0
        # True once a snapshot the manifest names had to be rebuilt from SQLite.
        self.rebuilt = False
        # True when the snapshot was memory-mapped, trusted by its identity without rehashing.
        self.mapped = False

    @property
    def loaded(self) -> bool:
        return self._index is not None

    def index(self) -> Any:
        if self._index is None:
            self._load(trust_identity=True)
        return self._index

    def _load(self, trust_identity: bool) -> None:
        entry = self.manifest.vectors()
        read = read_snapshot(self.folder, entry, self.dim, trust_identity=trust_identity) if entry else SnapshotRead()
        if read.problem:
            log.warning("%s; rebuilding vectors from SQLite", read.problem)
        if read.index is None:
            self._index = self._empty(self.source.claim_count())
            self._last_id = 0
            self.rebuilt = bool(entry)
        else:
            self._index, self._last_id, self.mapped = read.index, int(entry.get("last_claim_id", 0)), read.mapped
            if read.mapped:
                # FAISS cannot add to a mapped index: later claims go to a small exact one beside it.
                self._index = MappedIndex(self._index, INDEX_TYPES["flat"].build(self.dim))
        self._catch_up()
        tune_search(self._index.mapped if isinstance(self._index, MappedIndex) else self._index)

    def _empty(self, n_claims: int) -> Any:
        return INDEX_TYPES[choose_index_type(n_claims, self.index_type)].build(self.dim)

    def _catch_up(self) -> None:
        """Add claims committed after the snapshot (SQLite is the truth)."""
        added = 0
        while True:
            ids, vectors = self.source.vectors_after(self._last_id, CATCH_UP_ROWS)
            if not len(ids):
                break
            self._index.add_with_ids(vectors, ids)
            self._last_id = int(ids[-1])
            added += len(ids)
        if added:
            log.info("added %d claims to the vector index from SQLite", added)

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Add freshly committed claims."""
        index = self.index()
        # Loading the index just now may already have caught these up from SQLite.
        keep = ids > self._last_id
        ids, vectors = ids[keep], vectors[keep]
        if len(ids):
            index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), ids.astype(np.int64))
            self._last_id = max(self._last_id, int(ids.max()))

    def search(self, vectors: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Top-``k`` (cosines, claim ids) per query row; ids are -1 where fewer exist."""
        index = self.index()
        n = len(vectors)
        if index.ntotal == 0 or n == 0:
            return np.zeros((n, 0), dtype=np.float32), np.zeros((n, 0), dtype=np.int64)
        k = min(k, int(index.ntotal))
        set_search_threads(n)
        return index.search(np.ascontiguousarray(vectors, dtype=np.float32), k)

    def claims_since_snapshot(self) -> int | None:
        """Claims the cache holds beyond the committed snapshot; None when there is none yet."""
        entry = self.manifest.vectors()
        if not entry:
            return None
        return int(self.index().ntotal) - int(entry.get("count", 0))

    def rebuild(self) -> None:
        """Drop the in-memory index and build it again from SQLite alone."""
        self._index = self._empty(self.source.claim_count())
        self._last_id = 0
        self.mapped = False
        self.rebuilt = True
        self._catch_up()

    def save_snapshot(self) -> None:
        """Write the index as a new generation and commit it in the manifest."""
        if not self.writable:
            raise StoreWriteError("internal: snapshot requested on a read-only store")
        import faiss

        if isinstance(self.index(), MappedIndex):
            # Writing a snapshot needs the whole index in memory: load it, every byte hashed
            # first, and catch up from SQLite (which holds every claim the mapped part lacks).
            self._index, self.mapped = None, False
            self._load(trust_identity=False)
        index = self._index
        wanted = choose_index_type(int(index.ntotal), self.index_type)
        if index_kind(index) != wanted:
            # Crossing the size threshold: rebuild the cache as the other type from SQLite.
            log.info("rebuilding the vector index as %s for %d claims", wanted, index.ntotal)
            self._index = INDEX_TYPES[wanted].build(self.dim)
            self._last_id = 0
            self._catch_up()
            index = self._index
        old = self.manifest.vectors()
        generation = int(old.get("generation", 0)) + 1
        params = tune_search(index)
        data = faiss.serialize_index(index).tobytes()
        name = f"vectors-{generation:06d}.faiss"
        try:
            self._commit(name, data, generation, index, params)
        except OSError as exc:
            raise StoreWriteError(
                f"could not write the vector snapshot in {self.folder}: {exc.strerror or exc}; "
                "free some space and run index again (nothing committed was lost)"
            ) from exc
        if old.get("file") and old["file"] != name:
            with contextlib.suppress(OSError):
                (self.folder / old["file"]).unlink()

    def _commit(self, name: str, data: bytes, generation: int, index: Any, params: dict[str, Any]) -> None:
        atomic_write(self.folder / name, data)
        # Big snapshots: readers may trust this exact file without rehashing (snapshot.py).
        identity = record_identity(self.folder / name, len(data))
        crash_point("before-manifest")
        entry: dict[str, Any] = {
            "file": name,
            "generation": generation,
            "count": int(index.ntotal),
            "last_claim_id": self._last_id,
            "sha256": hashlib.sha256(data).hexdigest(),
            "kind": index_kind(index),
        }
        if params:
            entry["params"] = params
        if identity:
            entry["identity"] = identity
        self.manifest.write(entry)

"""Opening a big vector snapshot cheaply, without trusting unverified bytes.

A snapshot is committed only after its bytes were fsynced and renamed into place, with their
SHA-256 in the manifest. Hashing and deserialising the whole file on every reader open costs
time in proportion to the store (about 2.4 s at 100 k claims, measured by
scripts/bench_scale.py), so for big snapshots the writer also records the file's identity right
after the rename: inode, size, mtime and ctime (nanoseconds). Any later write through the file
system changes ctime (no process can set it back, short of resetting the system clock), so a reader that finds the same identity
is reading the bytes the writer hashed; it then memory-maps the file (FAISS
``IO_FLAG_MMAP_IFC``) instead of reading and copying it. A file with another identity (a copy,
an edit, a restore) gets the full check: SHA-256 over every byte before FAISS reads one.
Writers map it the same way to search and add (new claims go beside it); writing the next
snapshot loads the old one whole with every byte hashed, and ``provenance check`` always hashes
every byte, so damage below the file system (a bad disk block) is still found by the next
snapshot or check, as git finds it with fsck.

The kernel stamps times at clock-tick granularity, so an edit within the same tick as the
writer's rename could keep the recorded ctime; the writer therefore waits out a tick before it
records the identity's manifest, and any edit after that carries a later ctime.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import numpy as np

# Below this a full check costs under ~30 ms, so small snapshots keep the plain path.
TRUST_IDENTITY_FROM_BYTES = 64 << 20
# Longer than a kernel clock tick (1-10 ms), so later edits get a later ctime.
_TICK_S = 0.03


def file_identity(path: Path) -> dict[str, int]:
    st = os.stat(path)
    return {"inode": st.st_ino, "size": st.st_size, "mtime_ns": st.st_mtime_ns, "ctime_ns": st.st_ctime_ns}


def record_identity(path: Path, size: int) -> dict[str, int] | None:
    """The identity to commit with a freshly renamed snapshot (None for small ones)."""
    if size < TRUST_IDENTITY_FROM_BYTES:
        return None
    identity = file_identity(path)
    time.sleep(_TICK_S)
    return identity


def identity_matches(path: Path, recorded: Any) -> bool:
    if not isinstance(recorded, dict):
        return False
    try:
        return file_identity(path) == {k: recorded.get(k) for k in ("inode", "size", "mtime_ns", "ctime_ns")}
    except OSError:
        return False


def read_mapped(path: Path) -> Any:
    """The FAISS index in ``path``, its vectors memory-mapped read-only (nothing copied)."""
    import faiss

    return faiss.read_index(str(path), faiss.IO_FLAG_MMAP_IFC | faiss.IO_FLAG_READ_ONLY)


class MappedIndex:
    """A memory-mapped snapshot plus the claims committed after it, searched as one index.

    FAISS aborts the process on adding to a mapped index, so later claims go to a small exact
    index beside it and both are searched (``IndexShards`` merges their top-k by score).
    """

    def __init__(self, mapped: Any, tail: Any) -> None:
        import faiss

        self.mapped = mapped
        self.tail = tail
        self.d = mapped.d
        self._shards = faiss.IndexShards(mapped.d, False, False)
        self._shards.add_shard(mapped)
        self._shards.add_shard(tail)

    @property
    def ntotal(self) -> int:
        return int(self.mapped.ntotal) + int(self.tail.ntotal)

    def add_with_ids(self, x: np.ndarray, ids: np.ndarray) -> None:
        self.tail.add_with_ids(x, ids)
        self._shards.syncWithSubIndexes()

    def search(self, x: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        return self._shards.search(x, k)

    def ids(self) -> np.ndarray:
        import faiss

        return np.concatenate(
            [faiss.vector_to_array(self.mapped.id_map), faiss.vector_to_array(self.tail.id_map)]
        ).astype(np.int64)

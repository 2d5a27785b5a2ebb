"""The vector index of a dataset store: exact while it fits, IVF-PQ past that.

Below :data:`IVF_FROM_CLAIMS` claims the index is exact (``IndexFlatIP`` in an id map, what a
small SQLite store uses): 1.5 KB a claim, and searching every earlier claim for every new one
grows with the square of the corpus. Above it, FAISS IVF-PQ (the FAISS wiki's recipe for
indexes that do not fit: "Indexes that do not fit in RAM", ``merge_ondisk``): a coarse
quantiser and product-quantiser codebooks trained on a sample of the vectors, then shards of
the claims added by separate workers to copies of the trained index and merged; about 56 bytes
a claim (48-byte codes for 384 dimensions, and the id), each query scanning ``nprobe`` of
``nlist`` lists. Its cosines are approximate, so wherever a cosine is judged (matching), the
candidates it finds are scored again exactly from their vectors.

The functions are pure FAISS and numpy; who runs them where (Ray tasks for the shards) is the
engine's business.
"""

from __future__ import annotations

import hashlib
import math
from typing import Any

import numpy as np

FLAT = "flat"
IVFPQ = "ivfpq"

# An exact index of 2 M claims is 3 GB and an exact search of every earlier claim for each new
# one costs 2 M x 384 multiply-adds a claim: past this, IVF-PQ.
IVF_FROM_CLAIMS = 2_000_000
# Lists scanned per query; the recall this buys depends on nlist (4 sqrt(n) here).
NPROBE = 32
# At most this many vectors train the quantisers (FAISS asks for 39-256 per list).
TRAIN_MAX = 500_000
# Over-fetch before exact re-scoring, so that PQ's errors rarely push a true neighbour out.
REFINE_FACTOR = 2


def kind_for(n_claims: int, ivf_from: int = IVF_FROM_CLAIMS) -> str:
    return IVFPQ if n_claims >= ivf_from else FLAT


def flat_index(ids: np.ndarray, vectors: np.ndarray) -> Any:
    import faiss

    index = faiss.IndexIDMap2(faiss.IndexFlatIP(vectors.shape[1]))
    if len(ids):
        index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), ids.astype(np.int64))
    return index


def ivfpq_params(n: int, dim: int) -> dict[str, int]:
    """nlist, sub-quantisers and bits per code for ``n`` vectors of ``dim`` dimensions."""
    nlist = max(1, min(int(4 * math.sqrt(n)), n // 39 or 1))
    m = next(m for m in (dim // 8, dim // 4, dim // 2, dim) if m >= 1 and dim % m == 0)
    # FAISS wants 39 training vectors per centroid: 8 bits (256 centroids per sub-quantiser)
    # from 9,984 vectors; a small sample (tests force IVF-PQ on a few hundred claims) gets fewer.
    nbits = max(1, min(8, int(math.log2(max(2, min(n, TRAIN_MAX) // 39)))))
    return {"nlist": nlist, "m": m, "nbits": nbits}


def train_ivfpq(sample: np.ndarray, n_total: int) -> tuple[Any, dict[str, int]]:
    """An empty IVF-PQ index trained on ``sample`` for an index of ``n_total`` vectors."""
    import faiss

    dim = sample.shape[1]
    params = ivfpq_params(n_total, dim)
    quantizer = faiss.IndexFlatIP(dim)
    index = faiss.IndexIVFPQ(quantizer, dim, params["nlist"], params["m"], params["nbits"], faiss.METRIC_INNER_PRODUCT)
    index.own_fields = True
    quantizer.this.disown()
    index.train(np.ascontiguousarray(sample, dtype=np.float32))
    index.nprobe = min(NPROBE, params["nlist"])
    return index, params


def training_sample(n: int, seed: int = 0) -> np.ndarray:
    """Which rows (of ``n``) train the quantisers: all, or a fixed random subset."""
    if n <= TRAIN_MAX:
        return np.arange(n)
    return np.sort(np.random.default_rng(seed).choice(n, TRAIN_MAX, replace=False))


def add_shard(trained: bytes, ids: np.ndarray, vectors: np.ndarray) -> bytes:
    """A copy of the trained (empty) index holding one shard of the claims, serialised."""
    import faiss

    index = faiss.deserialize_index(np.frombuffer(trained, dtype=np.uint8))
    index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), ids.astype(np.int64))
    return faiss.serialize_index(index).tobytes()


def merge_shards(base: Any, shards: list[bytes]) -> Any:
    """``base`` (trained, possibly holding earlier claims) with every shard's lists merged in."""
    import faiss

    for blob in shards:
        shard = faiss.deserialize_index(np.frombuffer(blob, dtype=np.uint8))
        base.merge_from(shard, 0)
    return base


def serialize(index: Any) -> bytes:
    import faiss

    return faiss.serialize_index(index).tobytes()


def deserialize(data: bytes) -> Any:
    import faiss

    index = faiss.deserialize_index(np.frombuffer(data, dtype=np.uint8))
    tune(index)
    return index


def tune(index: Any) -> None:
    import faiss

    ivf = faiss.try_extract_index_ivf(index)
    if ivf is not None:
        ivf.nprobe = min(NPROBE, ivf.nlist)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def kind_of(index: Any) -> str:
    import faiss

    return IVFPQ if faiss.try_extract_index_ivf(index) is not None else FLAT


def search(index: Any, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Top-``k`` (cosines, claim ids) per query; ids are -1 where fewer exist."""
    n = len(queries)
    if index.ntotal == 0 or n == 0:
        return np.zeros((n, 0), dtype=np.float32), np.zeros((n, 0), dtype=np.int64)
    return index.search(np.ascontiguousarray(queries, dtype=np.float32), min(k, int(index.ntotal)))


def exact_earlier(queries: np.ndarray, earlier: np.ndarray, ids: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Top-``k`` among ``earlier`` (the vectors of claims ``ids``), exactly as a flat index
    holding just those claims answers: the same FAISS kernel over the same rows in the same
    order, so the cosines and the ties come out bit for bit the same."""
    import faiss

    n = len(queries)
    if not len(earlier) or n == 0:
        return np.zeros((n, 0), dtype=np.float32), np.zeros((n, 0), dtype=np.int64)
    q = np.ascontiguousarray(queries, dtype=np.float32)
    sims, rows = faiss.knn(q, earlier, min(k, len(earlier)), metric=faiss.METRIC_INNER_PRODUCT)
    return sims, np.where(rows >= 0, ids[np.maximum(rows, 0)], -1)


def approximate_earlier(
    index: Any, queries: np.ndarray, before_id: int, k: int, vectors_of: Any
) -> tuple[np.ndarray, np.ndarray]:
    """Top-``k`` among the claims with id < ``before_id`` by IVF-PQ (a range selector keeps the
    search to them), re-scored exactly: ``vectors_of(ids)`` gives the candidates' vectors."""
    import faiss

    n = len(queries)
    if n == 0 or before_id <= 1:
        return np.zeros((n, 0), dtype=np.float32), np.zeros((n, 0), dtype=np.int64)
    ivf = faiss.try_extract_index_ivf(index)
    params = faiss.SearchParametersIVF(sel=faiss.IDSelectorRange(0, int(before_id)), nprobe=ivf.nprobe)
    q = np.ascontiguousarray(queries, dtype=np.float32)
    _, found = index.search(q, k * REFINE_FACTOR, params=params)
    sims = np.full(found.shape, -np.inf, dtype=np.float32)
    ok = found >= 0
    if ok.any():
        vecs = vectors_of(found[ok])
        sims[ok] = np.einsum("ij,ij->i", np.repeat(q, ok.sum(axis=1), axis=0), vecs)
    order = np.argsort(-sims, axis=1, kind="stable")[:, :k]
    sims, found = np.take_along_axis(sims, order, 1), np.take_along_axis(found, order, 1)
    found[~np.isfinite(sims)] = -1
    return np.where(np.isfinite(sims), sims, -1.0).astype(np.float32), found

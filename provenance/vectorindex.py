"""Which FAISS index a store uses, chosen by its size.

Exact inner-product search (``flat``) costs time in proportion to the number of stored claims;
HNSW costs roughly log(n) per query but is approximate and slower to build. A store whose
index type is ``auto`` (the default for new stores) keeps exact search while small and moves to
HNSW once it holds ``HNSW_FROM_CLAIMS`` claims: the size at which one exact query on these
2-core machines passes about 10 ms, half of the 20 ms budget for a warm trace, so the query's
encoding still fits (measured by ``scripts/bench_scale.py``; see README "Speed").

The FAISS file is a cache rebuilt from SQLite, so switching type never loses anything: the next
snapshot after crossing the threshold is written as HNSW.
"""

from __future__ import annotations

from typing import Any

AUTO = "auto"
# Measured: exact search p50 for one query at 100 k claims ~ 9-12 ms on 2 shared cores, and it
# grows linearly (see README "Speed"); HNSW (M=32, efSearch=128) stays ~1 ms with recall@10 of
# about 0.99 against exact search on clustered synthetic vectors.
HNSW_FROM_CLAIMS = 100_000
HNSW_M = 32
HNSW_EF_SEARCH = 128
HNSW_EF_CONSTRUCTION = 40


def choose_index_type(n_claims: int, requested: str = AUTO) -> str:
    """The index type for a store of ``n_claims`` claims: ``requested`` unless it is ``auto``."""
    if requested != AUTO:
        return requested
    return "hnsw" if n_claims >= HNSW_FROM_CLAIMS else "flat"


def index_kind(index: Any) -> str:
    """``flat`` or ``hnsw`` for a FAISS index (possibly wrapped in an id map)."""
    import faiss

    inner = faiss.downcast_index(index.index) if hasattr(index, "id_map") else index
    return "hnsw" if isinstance(inner, faiss.IndexHNSW) else "flat"

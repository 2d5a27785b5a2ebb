"""Which FAISS index a store uses, chosen by its size.

Exact inner-product search (``flat``) costs time in proportion to the number of stored claims;
HNSW costs roughly log(n) per query but is approximate and slower to build. A store whose
index type is ``auto`` (the default for new stores) keeps exact search while small and moves to
HNSW once it holds ``HNSW_FROM_CLAIMS`` claims: past the size at which the flat index outgrows
the CPU cache and one exact query goes from a fraction of a millisecond to tens of
milliseconds (measured by ``scripts/bench_scale.py``; see README "Speed").

The FAISS file is a cache rebuilt from SQLite, so switching type never loses anything: the next
snapshot after crossing the threshold is written as HNSW.
"""

from __future__ import annotations

from typing import Any

AUTO = "auto"
# Measured on 2 shared cores, one query, one thread: exact search p50 0.29 ms at 10 k claims
# (15 MB, in cache), 22 ms at 25 k, 49 ms at 50 k, 79 ms at 100 k (memory bound); HNSW (M=32,
# efSearch=128) 0.41 ms at 10 k with recall@10 1.000 against exact search. Between 10 k and
# 25 k exact search leaves the warm-trace budget (20 ms), so HNSW takes over at 20 k.
HNSW_FROM_CLAIMS = 20_000
HNSW_M = 32
HNSW_EF_SEARCH = 128
HNSW_EF_CONSTRUCTION = 40
# efSearch by index size, (from claims, efSearch): the same recall needs a wider search as the
# graph grows. Measured with scripts/bench_scale.py --ef-store on a 1 M-claim store (README
# "Speed"): recall@10 against exact 0.897 at efSearch 128, 0.977 at 192, 1.000 at 256 and 384;
# one-query p50 0.93, 1.38, 1.81, 2.61 ms. At 100 k claims 128 already gives 0.99+. The larger
# values keep a margin for harder vector sets than the benchmark's (0.82 at 128 on 1 M
# distinct synthetic vectors) at a few ms, far inside the 20 ms warm-trace budget.
HNSW_EF_SEARCH_BY_SIZE: tuple[tuple[int, int], ...] = ((0, HNSW_EF_SEARCH), (250_000, 256), (750_000, 384))


# One query at a time (trace, one new document) is searched on one thread: OpenMP's start-up and
# spinning cost more than the scan saves, and on a shared CPU far more (measured with
# scripts/bench_scale.py: flat search over 5 k claims p50 0.16 ms on 1 thread against 19 ms on
# 2 while other processes held the cores). Large batches still use every thread.
PARALLEL_FROM_QUERIES = 64
_DEFAULT_THREADS: int | None = None


def default_search_threads() -> int:
    """FAISS's OpenMP threads as this process found them, before any search narrowed them."""
    import faiss

    global _DEFAULT_THREADS
    if _DEFAULT_THREADS is None:
        _DEFAULT_THREADS = faiss.omp_get_max_threads()
    return _DEFAULT_THREADS


def search_threads(n_queries: int, default: int | None = None) -> int:
    """FAISS's thread count for a search of ``n_queries`` vectors. It decides more than speed:
    FAISS's BLAS splits a large search by thread, which moves cosines in the last bit, so the
    Ray engine searches with the count this would give on the machine that runs ``index``."""
    return 1 if n_queries < PARALLEL_FROM_QUERIES else (default or default_search_threads())


def set_search_threads(n_queries: int) -> None:
    """Pick FAISS's OpenMP thread count for a search of ``n_queries`` vectors."""
    import faiss

    faiss.omp_set_num_threads(search_threads(n_queries))


def choose_index_type(n_claims: int, requested: str = AUTO) -> str:
    """The index type for a store of ``n_claims`` claims: ``requested`` unless it is ``auto``."""
    if requested != AUTO:
        return requested
    return "hnsw" if n_claims >= HNSW_FROM_CLAIMS else "flat"


def ef_search_for(n_claims: int) -> int:
    """The HNSW efSearch for an index of ``n_claims`` vectors."""
    ef = HNSW_EF_SEARCH
    for start, value in HNSW_EF_SEARCH_BY_SIZE:
        if n_claims >= start:
            ef = value
    return ef


def _hnsw_of(index: Any) -> Any:
    import faiss

    inner = faiss.downcast_index(index.index) if hasattr(index, "id_map") else index
    return inner if isinstance(inner, faiss.IndexHNSW) else None


def tune_search(index: Any) -> dict[str, Any]:
    """Set an HNSW index's efSearch for its size (a snapshot carries the value it was written
    with; the policy here wins); returns the index's parameters, as the manifest records them."""
    hnsw = _hnsw_of(index)
    if hnsw is None:
        return {}
    hnsw.hnsw.efSearch = ef_search_for(int(index.ntotal))
    return {"M": int(hnsw.hnsw.nb_neighbors(1)), "efConstruction": int(hnsw.hnsw.efConstruction),
            "efSearch": int(hnsw.hnsw.efSearch)}


def index_kind(index: Any) -> str:
    """``flat`` or ``hnsw`` for a FAISS index (possibly wrapped in an id map)."""
    return "hnsw" if _hnsw_of(index) is not None else "flat"

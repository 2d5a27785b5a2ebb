"""``provenance export --sqlite DIR``: a dataset store as an ordinary (SQLite) store.

Everything goes through the SQLite store's own writer (:meth:`Store.open_for_writing`,
:class:`~provenance.store.Writer`), in document order, a few thousand documents per
transaction, so the store it makes is one ``index`` could have made: the same document numbers
and claim ids (checked as they are given out), the same matches, credits and clusters, and a
vector snapshot built by the store itself. Meant for stores that fit one machine (up to about a
million claims); larger ones are read where they are.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from ...errors import StoreCorrupt, UsageProblem
from ...records import NewClaim
from .. import Store
from . import schema as sc
from .reader import DatasetStore, flat_vectors

log = logging.getLogger(__name__)

# Documents per transaction.
EXPORT_BATCH_DOCUMENTS = 2_000
# Past this many claims a SQLite store is slow to open and search (README "Speed").
EXPORT_COMFORTABLE_CLAIMS = 1_000_000


def export_sqlite(source: str | os.PathLike, target: str | os.PathLike) -> dict[str, int]:
    """Write the dataset store at ``source`` as a new SQLite store at ``target``; returns the
    target's counts."""
    target = Path(target)
    if Store.exists(target) or (target.exists() and any(target.iterdir())):
        raise UsageProblem(f"{target} is not empty; export into a new folder")
    with DatasetStore.open(source) as data:
        claims = data.claim_count()
        if claims > EXPORT_COMFORTABLE_CLAIMS:
            log.warning("exporting %d claims: a SQLite store this large is slow (see README 'Speed')", claims)
        store = Store.open_for_writing(target, model=data.model, dimension=data.dim, encoder=data.meta["encoder"] or None)
        try:
            _copy(data, store)
            # Claims went in without their vectors: the snapshot is built from SQLite, as
            # ``check --repair --rebuild`` would.
            store.vectors.rebuild()
            store.vectors.save_snapshot()
            return store.counts()
        finally:
            store.release()


def _copy(data: DatasetStore, store: Store) -> None:
    docs = data.tables["documents"].sorted()
    all_claims = data.tables["claims"].sorted()
    doc_nums = all_claims["doc_num"].to_numpy()
    for start in range(0, docs.num_rows, EXPORT_BATCH_DOCUMENTS):
        part = docs.slice(start, EXPORT_BATCH_DOCUMENTS).to_pylist()
        lo = int(np.searchsorted(doc_nums, part[0]["num"], side="left"))
        hi = int(np.searchsorted(doc_nums, part[-1]["num"], side="right"))
        claims = all_claims.slice(lo, hi - lo)
        with store.write() as w:
            for row in part:
                dates = (row["published_ts"], row["published_precision"], row["published_zone"], row["date_conflict"])
                if w.insert_document(_Doc(row), *dates) != row["num"]:
                    raise StoreCorrupt(
                        f"document {row['id']} would get another number in the SQLite store; the dataset store is damaged"
                    )
            w.insert_embeddings(_embeddings(data, claims))
            rows = claims.to_pylist()
            ordinal = {r["id"]: r["ordinal"] for r in rows}  # a quote unit's parent is in its document's rows
            ids = w.insert_claims([(r["doc_num"], _claim(r, ordinal)) for r in rows])
            if not np.array_equal(ids, claims["id"].to_numpy()):
                raise StoreCorrupt("claim ids would change in the SQLite store; the dataset store is damaged")
            w.insert_credits(_credits(data, claims["id"].to_pylist()))
    with store.write() as w:
        w.insert_matches(data.all_matches())
        w.replace_clusters(data.cluster_rows(), data.cluster_member_rows())


def _embeddings(data: DatasetStore, claims: pa.Table) -> Iterator[tuple[str, np.ndarray]]:
    vids = np.unique(claims["vid"].to_numpy())
    table = data.tables["vectors"].lookup(vids.tolist())
    yield from zip(table["hash"].to_pylist(), flat_vectors(table["vector"], data.dim))


def _credits(data: DatasetStore, claim_ids: list[int]) -> list[tuple[int, int, Any]]:
    rows = data.tables["credits"].lookup(claim_ids).sort_by([("claim_id", "ascending"), ("seq", "ascending")]).to_pylist()
    return [(r["claim_id"], r["doc_num"], sc.credit(r)) for r in rows]


def _claim(r: dict[str, Any], ordinal: dict[int, int]) -> NewClaim:
    """A claims row as the writer takes it: a quote unit names its parent by ordinal."""
    parent = None if r["parent"] is None else ordinal[r["parent"]]
    return NewClaim(0, r["ordinal"], r["start"], r["end"], r["text"], r["norm"], r["hash"], r["kind"], parent)


class _Doc:
    """A documents row as ``Writer.insert_document`` reads a Document."""

    def __init__(self, row: dict[str, Any]) -> None:
        import orjson

        self.id, self.content_hash, self.source, self.title = row["id"], row["content_hash"], row["source"], row["title"]
        self.url, self.published, self.origin, self.text = row["url"], row["published"], row["origin"], row["text"]
        self.authors = orjson.loads(row["authors"])
        self.metadata = orjson.loads(row["metadata"])

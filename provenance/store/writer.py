"""The writes of one transaction: ``with store.write() as w: w.insert_document(...)``.

A :class:`Writer` exists only inside :meth:`Store.write`'s transaction, so everything written
through it commits or rolls back together; the claims' vectors it is given join the store's
vector cache only once the transaction has committed.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import orjson

from ..records import ClusterRow, Credit, MemberRow, NewClaim
from .sqlite import chunks

if TYPE_CHECKING:
    from .store import Store


class Writer:
    def __init__(self, db: sqlite3.Connection, store: Store) -> None:
        self._db = db
        self._store = store
        self._vectors: list[tuple[np.ndarray, np.ndarray]] = []

    def insert_document(self, doc: Any, published_ts: float | None, precision: str | None = None,
                        zone: str | None = None, conflict: str | None = None) -> int:
        """Insert a :class:`~provenance.documents.Document` with its date's UTC seconds,
        precision, offset and (when its text contradicts it) why; returns its number in the store."""
        cur = self._db.execute(
            "INSERT INTO documents (id, content_hash, source, title, url, published, published_ts, authors,"
            " metadata, origin, text, added_at, published_precision, published_zone, date_conflict)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                doc.id,
                doc.content_hash,
                doc.source,
                doc.title,
                doc.url,
                doc.published,
                published_ts,
                orjson.dumps(list(doc.authors)).decode(),
                orjson.dumps(doc.metadata, option=orjson.OPT_NON_STR_KEYS).decode(),
                doc.origin,
                doc.text,
                time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                precision,
                zone,
                conflict,
            ),
        )
        return int(cur.lastrowid)

    def insert_embeddings(self, items: Iterable[tuple[str, np.ndarray]]) -> None:
        """(normalised-text hash, unit vector) pairs; a hash already stored is kept as it is."""
        self._db.executemany(
            "INSERT OR IGNORE INTO embeddings (hash, vector) VALUES (?, ?)",
            ((h, np.asarray(v, dtype="<f4").tobytes()) for h, v in items),
        )

    def insert_claims(self, rows: Sequence[tuple[int, NewClaim]], vectors: np.ndarray | None = None) -> np.ndarray:
        """Insert (doc_num, claim) rows and their search rows; returns the new claim ids in order.

        The ids are the ones SQLite would pick itself (max + 1 onwards, no AUTOINCREMENT): this
        writer holds the store's lock and transaction. ``vectors`` (one row per claim) join the
        vector cache when the transaction commits.
        """
        if not rows:
            return np.zeros(0, dtype=np.int64)
        first = int(self._db.execute("SELECT coalesce(max(id), 0) FROM claims").fetchone()[0]) + 1
        ids = np.arange(first, first + len(rows), dtype=np.int64)
        parents = _parent_ids(rows, first)
        self._db.executemany(
            "INSERT INTO claims (id, doc_num, ordinal, start, end, text, norm, hash, kind, parent) VALUES (?,?,?,?,?,?,?,?,?,?)",
            ((first + i, d, c.ordinal, c.start, c.end, c.text, c.norm, c.hash, c.kind, p) for i, ((d, c), p) in enumerate(zip(rows, parents))),
        )
        self._db.executemany(
            "INSERT INTO claims_fts (rowid, norm, title) SELECT ?, ?, coalesce(title, '') FROM documents WHERE num = ?",
            ((first + i, c.norm, d) for i, (d, c) in enumerate(rows)),
        )
        if vectors is not None:
            self._vectors.append((ids, vectors))
        return ids

    def insert_claim(self, doc_num: int, claim: NewClaim) -> int:
        return int(self.insert_claims([(doc_num, claim)])[0])

    def insert_matches(self, rows: Iterable[tuple[int, int, float, float, str]]) -> None:
        self._db.executemany(
            "INSERT OR REPLACE INTO matches (a, b, cosine, lexical, relation) VALUES (?,?,?,?,?)",
            ((min(a, b), max(a, b), c, lx, r) for a, b, c, lx, r in rows),
        )

    def insert_credits(self, rows: Iterable[tuple[int, int, Credit]]) -> None:
        """(claim id, doc num, credit) rows."""
        self._db.executemany(
            "INSERT INTO attributions (claim_id, doc_num, cue, name, kind, document, start, end, url, marker, scope)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (
                (cid, num, a.cue, a.name, a.kind, a.document, a.start, a.end, a.url, a.marker, a.scope)
                for cid, num, a in rows
            ),
        )

    def replace_clusters(self, clusters: Iterable[ClusterRow], members: Iterable[MemberRow]) -> None:
        """Replace every cluster (a full rebuild)."""
        self._db.execute("DELETE FROM cluster_members")
        self._db.execute("DELETE FROM clusters")
        self._write_clusters(clusters, members)

    def replace_clusters_of(self, claim_ids: Iterable[int], clusters: Iterable[ClusterRow], members: Iterable[MemberRow]) -> None:
        """Replace only the clusters holding any of ``claim_ids`` (a local update)."""
        old = sorted(set(self._store.cluster_of(claim_ids).values()))
        for chunk in chunks(old):
            marks = ",".join("?" * len(chunk))
            self._db.execute(f"DELETE FROM cluster_members WHERE cluster_id IN ({marks})", chunk)
            self._db.execute(f"DELETE FROM clusters WHERE id IN ({marks})", chunk)
        self._write_clusters(clusters, members)

    def _write_clusters(self, clusters: Iterable[ClusterRow], members: Iterable[MemberRow]) -> None:
        self._db.executemany("INSERT INTO clusters (id, origin_claim, basis, size) VALUES (?,?,?,?)", clusters)
        self._db.executemany(
            "INSERT INTO cluster_members (cluster_id, claim_id, similarity, lexical, relation) VALUES (?,?,?,?,?)",
            members,
        )
        self.mark_clustered()

    def mark_clustered(self) -> None:
        """Record that the clusters cover every claim up to the last one: in the same transaction
        as the clusters, so a writer killed before its commit leaves the old mark."""
        self._db.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('clustered_through', "
            "(SELECT CAST(coalesce(max(id), 0) AS TEXT) FROM claims))"
        )

    def committed_vectors(self) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """(ids, vectors) given to :meth:`insert_claims`, for the cache once committed."""
        yield from self._vectors


def _parent_ids(rows: Sequence[tuple[int, NewClaim]], first: int) -> list[int | None]:
    """Each row's enclosing claim id: a quote unit names its parent by ordinal, and the parent
    is inserted in the same call (a document's claims always travel together)."""
    if all(c.parent is None for _, c in rows):
        return [None] * len(rows)
    by_ordinal = {(d, c.ordinal): first + i for i, (d, c) in enumerate(rows)}
    return [None if c.parent is None else by_ordinal[(d, c.parent)] for d, c in rows]

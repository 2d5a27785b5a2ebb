"""One store folder: opening it as a reader or as its one writer, and every read.

Writes go through :meth:`Store.write`, which hands out a :class:`~provenance.store.writer.Writer`
bound to one transaction; the FAISS cache is ``store.vectors`` (:mod:`.vectors`).
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np
import orjson

from ..errors import ModelMismatch, StoreCorrupt, StoreNotFound, StoreReadOnly, StoreWriteError, storage_error
from ..records import ClusterRow, Credit, DocRef, Match, MemberRow, StoredClaim, StoredDocument
from ..textnorm import EMBEDDING_FORM
from . import sqlite as _sql
from .files import acquire_lock, refuse_unsafe_folder
from .listing import DocumentSummary, cluster_witnesses, document_summaries
from .manifest import Manifest, header_from_meta
from .schema import DB_NAME, SCHEMA_VERSION, create_database, migrate
from .vectorindex import AUTO
from .vectors import INDEX_TYPES, VectorCache, vectors_from_blobs
from .writer import Writer

log = logging.getLogger(__name__)

_CLAIM_COLUMNS = "c.id, c.doc_num, d.id AS doc_id, c.ordinal, c.start, c.end, c.text, c.norm, c.parent"
_CREDIT_COLUMNS = "claim_id, cue, name, kind, start, end, document, url, marker, scope"  # Credit's field order


class Store:
    """One store folder. Open it with :meth:`open` (read) or :meth:`open_for_writing`."""

    def __init__(self, path: Path, db: sqlite3.Connection, meta: dict[str, str], writable: bool) -> None:
        self.path = path
        self.db = db
        self.meta = meta
        self.writable = writable
        self.model: str = meta["model"]
        self.dim: int = int(meta["dimension"])
        self.index_type: str = meta.get("index_type", "flat")
        # What the model read for each stored vector (textnorm.embedding_text); stores made
        # before the key existed embedded form 1.
        self.embedding_form: int = int(meta.get("embedding_form") or 1)
        self._lock_fd: int | None = None
        self._manifest = Manifest(path, header_from_meta(meta, SCHEMA_VERSION))
        self.vectors = VectorCache(path, self.dim, self.index_type, self._manifest, self, writable)

    # ---- opening -----------------------------------------------------------------------

    @staticmethod
    def exists(path: str | os.PathLike) -> bool:
        return (Path(path) / DB_NAME).is_file()

    @classmethod
    def open(cls, path: str | os.PathLike) -> Store:
        """Open an existing store for reading (trace, report)."""
        p = Path(path)
        if not cls.exists(p):
            raise StoreNotFound(str(p))
        refuse_unsafe_folder(p)
        try:
            db = _sql.connect(p / DB_NAME, readonly=True)
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StoreCorrupt(
                    f"store {p} has schema version {version}, newer than this provenance "
                    f"understands ({SCHEMA_VERSION}); upgrade provenance"
                )
            if version < SCHEMA_VERSION:
                # A reader never migrates: let the next writer do it.
                db.close()
                cls.open_for_writing(p, wait=True).release()
                db = _sql.connect(p / DB_NAME, readonly=True)
            # One read transaction for the whole command: everything this reader sees (claims,
            # clusters, vectors caught up from SQLite) is one committed state, even while an
            # indexer commits new batches. Reader code therefore never BEGINs or COMMITs.
            db.execute("BEGIN")
            meta = _read_meta(db, p)
        except sqlite3.DatabaseError as exc:
            raise StoreCorrupt(f"store {p} is damaged ({exc}); restore it from a backup or rebuild it") from exc
        return cls(p, db, meta, writable=False)

    @classmethod
    def open_for_writing(
        cls,
        path: str | os.PathLike,
        *,
        model: str | None = None,
        dimension: int | None = None,
        encoder: str | None = None,
        index_type: str = AUTO,
        wait: bool = False,
    ) -> Store:
        """Open (creating if needed) a store as its one writer.

        ``model``/``dimension`` are required to create a store; for an existing store they must
        match what it was built with.
        """
        p = Path(path)
        if not cls.exists(p) and (model is None or dimension is None):
            raise StoreNotFound(str(p))
        _make_folder(p)
        refuse_unsafe_folder(p)
        lock_fd = acquire_lock(p, wait)
        try:
            # Checked again under the lock: another writer may have created it meanwhile.
            creating = not cls.exists(p)
            if creating:
                _create(p, model, dimension, encoder, index_type)
            db = _connect_writer(p)
            meta = _read_meta(db, p)
            if model is not None and meta["model"] != model:
                raise ModelMismatch(
                    f"store {p} was built with model {meta['model']} (dimension {meta['dimension']}); "
                    f"rebuild it with --model {meta['model']} or use another --store for {model}"
                )
            store = cls(p, db, meta, writable=True)
            store._lock_fd = lock_fd
            store._clean_orphans()
            if creating or not store._manifest.exists():
                store._manifest.write(None)
            return store
        except BaseException:
            os.close(lock_fd)
            raise

    def release(self) -> None:
        """Close the database (ending a reader's snapshot) and, for a writer, give up the lock."""
        with contextlib.suppress(sqlite3.Error):
            self.db.close()
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def manifest(self) -> dict:
        return self._manifest.read()

    def _clean_orphans(self) -> None:
        """Remove temporary files a killed writer left, and snapshots no manifest names."""
        current = self._manifest.vectors().get("file")
        for f in self.path.iterdir():
            stale_tmp = f.name.startswith(".") and ".tmp-" in f.name
            stale_gen = f.name.startswith("vectors-") and f.name.endswith(".faiss") and f.name != current
            if stale_tmp or stale_gen:
                log.info("removing %s (left by an interrupted writer)", f.name)
                with contextlib.suppress(OSError):
                    f.unlink()

    # ---- writing ---------------------------------------------------------------------------

    @contextlib.contextmanager
    def write(self) -> Iterator[Writer]:
        """One write transaction; the claims it inserts join the vector cache once committed."""
        if not self.writable:
            raise StoreWriteError("internal: write on a store opened for reading")
        # Load (and catch up) the vector cache before the transaction: loaded inside it, it
        # would already hold the claims being inserted, and they would crowd out the stored
        # neighbours that searches inside the transaction are for.
        self.vectors.index()
        writer = Writer(self.db, self)
        try:
            with _sql.transaction(self.db):
                yield writer
        except sqlite3.OperationalError as exc:
            raise storage_error(exc, str(self.path)) from exc
        for ids, vectors in writer.committed_vectors():
            self.vectors.add(ids, vectors)

    # ---- the vector cache's source -----------------------------------------------------------

    def claim_count(self) -> int:
        return self.db.execute("SELECT count(*) FROM claims").fetchone()[0]

    def vectors_after(self, last_id: int, limit: int) -> tuple[np.ndarray, np.ndarray]:
        rows = self.db.execute(
            "SELECT c.id, e.vector FROM claims c JOIN embeddings e ON e.hash = c.hash "
            "WHERE c.id > ? ORDER BY c.id LIMIT ?",
            (last_id, limit),
        ).fetchall()
        ids = np.array([r[0] for r in rows], dtype=np.int64)
        return ids, vectors_from_blobs([r[1] for r in rows], self.dim)

    def lexical_search(self, query: str, k: int) -> list[tuple[int, float]]:
        """Top-``k`` (claim id, BM25 score) for free text, best first; scores are positive.

        Every word of ``query`` is quoted (see :func:`provenance.lexical.fts_query`), so user
        text never becomes FTS5 syntax; a query with no searchable word finds nothing.
        """
        from ..lexical import BM25_WEIGHTS, fts_query

        expr = fts_query(query)
        if not expr or k < 1:
            return []
        rows = self.db.execute(
            "SELECT rowid, bm25(claims_fts, ?, ?) AS s FROM claims_fts WHERE claims_fts MATCH ? ORDER BY s LIMIT ?",
            (*BM25_WEIGHTS, expr, int(k)),
        ).fetchall()
        return [(int(r[0]), -float(r[1])) for r in rows]

    # ---- documents -------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        q = self.db.execute
        return {
            "documents": q("SELECT count(*) FROM documents").fetchone()[0],
            "claims": q("SELECT count(*) FROM claims").fetchone()[0],  # quote units included: one vector each
            "quote_units": q("SELECT count(*) FROM claims WHERE parent IS NOT NULL").fetchone()[0],
            "matches": q("SELECT count(*) FROM matches").fetchone()[0],
            "clusters": q("SELECT count(*) FROM clusters").fetchone()[0],
        }

    def document_summaries(self) -> list[DocumentSummary]:
        """Every document's metadata and claim count, without its text, in ingest order."""
        return document_summaries(self.db)

    def cluster_witnesses(self) -> Iterator[tuple[str, list[tuple[str, str | None]]]]:
        """Each cluster's origin text and its members' (document id, outlet), origin first."""
        return cluster_witnesses(self.db)

    def document_hash(self, doc_id: str) -> str | None:
        row = self.db.execute("SELECT content_hash FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return row[0] if row else None

    def documents(self) -> list[StoredDocument]:
        return [_doc_from_row(r) for r in self.db.execute("SELECT * FROM documents ORDER BY num")]

    def documents_by_num(self, nums: Iterable[int]) -> dict[int, StoredDocument]:
        rows = _sql.select_in(self.db, "SELECT * FROM documents WHERE num IN ({marks})", set(nums))
        return {r["num"]: _doc_from_row(r) for r in rows}

    def document_refs(self) -> list[DocRef]:
        """Every stored document's id, outlet, URL and date: what resolving credits needs."""
        rows = self.db.execute("SELECT num, id, source, url, published_ts FROM documents ORDER BY num")
        return [DocRef(*r) for r in rows]

    def claim_counts(self) -> dict[int, int]:
        """Claims per document number, quote units left out: each lies inside a counted claim."""
        return dict(self.db.execute("SELECT doc_num, count(*) FROM claims WHERE parent IS NULL GROUP BY doc_num").fetchall())

    def quote_unit_count(self) -> int:
        return self.db.execute("SELECT count(*) FROM claims WHERE parent IS NOT NULL").fetchone()[0]

    # ---- claims ------------------------------------------------------------------------------

    def max_claim_id(self) -> int:
        return int(self.db.execute("SELECT coalesce(max(id), 0) FROM claims").fetchone()[0])

    def claim_ids(self) -> np.ndarray:
        """Every claim id, in order."""
        return np.array([r[0] for r in self.db.execute("SELECT id FROM claims ORDER BY id")], dtype=np.int64)

    def duplicate_document_ids(self) -> int:
        return self.db.execute("SELECT count(*) - count(DISTINCT id) FROM documents").fetchone()[0]

    def documents_without_claims(self) -> int:
        return self.db.execute(
            "SELECT count(*) FROM documents d WHERE NOT EXISTS (SELECT 1 FROM claims c WHERE c.doc_num = d.num)"
        ).fetchone()[0]

    def claims(self, ids: Iterable[int]) -> dict[int, StoredClaim]:
        rows = _sql.select_in(
            self.db, f"SELECT {_CLAIM_COLUMNS} FROM claims c JOIN documents d ON d.num = c.doc_num WHERE c.id IN ({{marks}})", ids
        )
        return {r["id"]: StoredClaim(**dict(r)) for r in rows}

    def claim_vectors(self, ids: Sequence[int]) -> np.ndarray:
        """The claims' unit vectors, one row per id, in the order given."""
        rows = dict(
            _sql.select_in(
                self.db, "SELECT c.id, e.vector FROM claims c JOIN embeddings e ON e.hash = c.hash WHERE c.id IN ({marks})", ids
            )
        )
        return vectors_from_blobs([rows[i] for i in ids], self.dim)

    def known_hashes(self, hashes: Iterable[str]) -> dict[str, np.ndarray]:
        """Vectors already stored for these normalised-text hashes (each text is embedded once)."""
        rows = _sql.select_in(self.db, "SELECT hash, vector FROM embeddings WHERE hash IN ({marks})", set(hashes))
        return {h: np.frombuffer(blob, dtype="<f4").astype(np.float32) for h, blob in rows}

    def credits(self, claim_ids: Iterable[int]) -> dict[int, list[Credit]]:
        """Who each claim credits (credits/extract.py), in text order."""
        out: dict[int, list[Credit]] = {}
        rows = _sql.select_in(
            self.db, f"SELECT {_CREDIT_COLUMNS} FROM attributions WHERE claim_id IN ({{marks}}) ORDER BY claim_id, start, id", set(claim_ids)
        )
        for r in rows:
            out.setdefault(r[0], []).append(Credit(*tuple(r)[1:]))
        return out

    def document_credits(self) -> dict[int, list[tuple[StoredClaim, list[Credit]]]]:
        """Every credited claim of every document, by document number, in text order: what a
        report lists as who each document credits, even when nothing was reused."""
        out: dict[int, list[tuple[StoredClaim, list[Credit]]]] = {}
        last: StoredClaim | None = None
        rows = self.db.execute(
            f"SELECT {_CLAIM_COLUMNS}, a.cue, a.name, a.kind, a.start, a.end, a.document, a.url, a.marker, a.scope "
            "FROM attributions a JOIN claims c ON c.id = a.claim_id JOIN documents d ON d.num = c.doc_num "
            "ORDER BY c.doc_num, c.ordinal, a.start, a.id"
        )
        n = len(_CLAIM_COLUMNS.split(","))
        for r in rows:
            if last is None or last.id != r[0]:
                last = StoredClaim(*tuple(r)[:n])
                out.setdefault(last.doc_num, []).append((last, []))
            out[last.doc_num][-1][1].append(Credit(*tuple(r)[n:]))
        return out

    # ---- matches and clusters ------------------------------------------------------------------

    def all_matches(self) -> list[Match]:
        return [Match(*r) for r in self.db.execute("SELECT a, b, cosine, lexical, relation FROM matches ORDER BY a, b")]

    def match_pairs_touching(self, ids: Iterable[int]) -> set[tuple[int, int]]:
        """(a, b) of every stored match with an end among ``ids`` (both ends are indexed): what
        walking the match graph needs, without the rest of each row."""
        out: set[tuple[int, int]] = set()
        for chunk in _sql.chunks(list(ids), _sql.MAX_PARAMS // 2):
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(
                f"SELECT a, b FROM matches WHERE a IN ({marks}) UNION ALL SELECT a, b FROM matches WHERE b IN ({marks})",
                [*chunk, *chunk],
            )
            out.update((a, b) for a, b in rows)
        return out

    def cluster_count(self) -> int:
        return self.db.execute("SELECT count(*) FROM clusters").fetchone()[0]

    def clustered_through(self) -> int:
        """The last claim id the stored clusters cover (0 when never clustered)."""
        row = self.db.execute("SELECT value FROM meta WHERE key = 'clustered_through'").fetchone()
        return int(row[0]) if row else 0

    def cluster_rows(self) -> list[ClusterRow]:
        return [ClusterRow(*r) for r in self.db.execute("SELECT id, origin_claim, basis, size FROM clusters ORDER BY id")]

    def clusters_by_id(self, ids: Iterable[int]) -> dict[int, ClusterRow]:
        """Cluster rows by id, for only the clusters asked for (trace must not read them all)."""
        rows = _sql.select_in(self.db, "SELECT id, origin_claim, basis, size FROM clusters WHERE id IN ({marks})", sorted(set(ids)))
        return {r[0]: ClusterRow(*r) for r in rows}

    def cluster_member_rows(self) -> list[MemberRow]:
        return [
            MemberRow(*r)
            for r in self.db.execute(
                "SELECT cluster_id, claim_id, similarity, lexical, relation FROM cluster_members ORDER BY cluster_id, claim_id"
            )
        ]

    def cluster_member_rows_of(self, cluster_id: int) -> list[MemberRow]:
        return [
            MemberRow(*r)
            for r in self.db.execute(
                "SELECT cluster_id, claim_id, similarity, lexical, relation FROM cluster_members WHERE cluster_id = ? ORDER BY claim_id",
                (cluster_id,),
            )
        ]

    def cluster_of(self, claim_ids: Iterable[int]) -> dict[int, int]:
        """The cluster of each claim that has one."""
        rows = _sql.select_in(self.db, "SELECT claim_id, cluster_id FROM cluster_members WHERE claim_id IN ({marks})", claim_ids)
        return {r[0]: r[1] for r in rows}


def _make_folder(p: Path) -> None:
    try:
        p.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            raise StoreReadOnly(f"cannot create store folder {p} ({exc.strerror}); choose another --store") from exc
        raise StoreWriteError(f"cannot create store folder {p}: {exc.strerror}; choose another --store") from exc


def _create(p: Path, model: str | None, dimension: int | None, encoder: str | None, index_type: str) -> None:
    if index_type not in INDEX_TYPES and index_type != AUTO:
        raise StoreCorrupt(f"unknown index type {index_type!r}; choose one of {sorted(INDEX_TYPES)}")
    create_database(
        p,
        {
            "format": "provenance-store",
            "model": str(model),
            "dimension": str(dimension),
            "normalized": "true",
            "encoder": encoder or "",
            "index_type": index_type,
            "embedding_form": str(EMBEDDING_FORM),
            "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        },
    )


def _connect_writer(p: Path) -> sqlite3.Connection:
    """The writer's connection, its schema brought up to date."""
    try:
        db = _sql.connect(p / DB_NAME, readonly=False)
    except StoreCorrupt as exc:
        if "readonly" in str(exc) or "read-only" in str(exc):
            raise StoreReadOnly(f"store {p} is read-only; use another --store to index") from exc
        raise
    try:
        migrate(db)
    except sqlite3.OperationalError as exc:
        raise storage_error(exc, str(p)) from exc
    return db


def _read_meta(db: sqlite3.Connection, p: Path) -> dict[str, str]:
    meta = {r["key"]: r["value"] for r in db.execute("SELECT key, value FROM meta")}
    if "model" not in meta or "dimension" not in meta:
        raise StoreCorrupt(f"store {p} has no model record; it is not a provenance store or was damaged")
    return meta


def _doc_from_row(r: sqlite3.Row) -> StoredDocument:
    return StoredDocument(
        num=r["num"],
        id=r["id"],
        content_hash=r["content_hash"],
        source=r["source"],
        title=r["title"],
        url=r["url"],
        published=r["published"],
        published_ts=r["published_ts"],
        authors=orjson.loads(r["authors"]),
        metadata=orjson.loads(r["metadata"]),
        text=r["text"],
        published_precision=r["published_precision"],
        published_zone=r["published_zone"],
        date_conflict=r["date_conflict"],
        path=r["origin"],
    )

"""The on-disk store: SQLite is the source of truth, FAISS a rebuildable search cache.

Layout of a store folder::

    store.sqlite          documents, claims, embeddings (vectors as float32 BLOBs), matches,
                          clusters, claims_fts (FTS5 over claim texts and document titles);
                          schema changes through numbered migrations (user_version)
    manifest.json         model, dimension, normalisation, schema version, and the current
                          vector snapshot (file, count, last claim id, sha256): the commit point
    vectors-<gen>.faiss   FAISS snapshot, ids are claim ids; never overwritten in place
    LOCK                  held (flock) by the one process allowed to write

This follows ``shared/design/reliability.md``: a snapshot is written to a temporary file,
fsynced and renamed to a new generation name, then the manifest is replaced the same way; on
open the checksum is verified before FAISS reads a byte, claims committed after the snapshot are
added from SQLite, and a missing or damaged snapshot is rebuilt from SQLite.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import logging
import os
import re
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import orjson

from .errors import ModelMismatch, StoreCorrupt, StoreLocked, StoreNotFound, StoreReadOnly, StoreWriteError
from .faults import crash_point
from .snapshot import MappedIndex, identity_matches, read_mapped, record_identity
from .vectorindex import (
    AUTO,
    HNSW_EF_CONSTRUCTION,
    HNSW_EF_SEARCH,
    HNSW_M,
    choose_index_type,
    index_kind,
    set_search_threads,
    tune_search,
)

log = logging.getLogger(__name__)

DB_NAME = "store.sqlite"
MANIFEST_NAME = "manifest.json"
LOCK_NAME = "LOCK"
STORE_FORMAT = "provenance-store"


# --------------------------------------------------------------------------- migrations

def _run_script(db: sqlite3.Connection, script: str) -> None:
    # executescript() would COMMIT the migration's transaction half-way; run statements singly.
    script = re.sub(r"--[^\n]*", "", script)
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def _m001_initial(db: sqlite3.Connection) -> None:
    _run_script(
        db,
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE documents (
            num INTEGER PRIMARY KEY,          -- ingest order
            id TEXT NOT NULL UNIQUE,          -- the contract's document id
            content_hash TEXT NOT NULL,
            source TEXT, title TEXT, url TEXT,
            published TEXT,                   -- ISO 8601 as given or found
            published_ts REAL,                -- UTC seconds, for ordering; NULL when undated
            authors TEXT NOT NULL DEFAULT '[]',
            metadata TEXT NOT NULL DEFAULT '{}',
            origin TEXT,
            text TEXT NOT NULL,
            added_at TEXT NOT NULL
        );
        CREATE TABLE embeddings (
            hash TEXT PRIMARY KEY,            -- sha256 of the claim's normalised text
            vector BLOB NOT NULL              -- little-endian float32, unit length
        );
        CREATE TABLE claims (
            id INTEGER PRIMARY KEY,           -- also the FAISS id
            doc_num INTEGER NOT NULL REFERENCES documents(num),
            ordinal INTEGER NOT NULL,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            text TEXT NOT NULL,
            norm TEXT NOT NULL,
            hash TEXT NOT NULL REFERENCES embeddings(hash),
            kind TEXT NOT NULL DEFAULT 'sentence'
        );
        CREATE INDEX claims_doc ON claims(doc_num);
        CREATE INDEX claims_hash ON claims(hash);
        CREATE TABLE matches (
            a INTEGER NOT NULL REFERENCES claims(id),
            b INTEGER NOT NULL REFERENCES claims(id),
            cosine REAL NOT NULL,
            lexical REAL NOT NULL,
            relation TEXT NOT NULL,
            PRIMARY KEY (a, b),
            CHECK (a < b)
        ) WITHOUT ROWID;
        CREATE INDEX matches_b ON matches(b);
        CREATE TABLE clusters (
            id INTEGER PRIMARY KEY,           -- the origin claim's id, so ids stay stable
            origin_claim INTEGER NOT NULL REFERENCES claims(id),
            basis TEXT NOT NULL,
            size INTEGER NOT NULL
        );
        CREATE TABLE cluster_members (
            claim_id INTEGER PRIMARY KEY REFERENCES claims(id),
            cluster_id INTEGER NOT NULL REFERENCES clusters(id),
            similarity REAL,
            lexical REAL,
            relation TEXT NOT NULL
        );
        CREATE INDEX cluster_members_cluster ON cluster_members(cluster_id);
        """
    )


def _m002_attributions(db: sqlite3.Connection) -> None:
    # Who each claim credits (issue 3): its own sentence's credits and those it inherits from a
    # neighbouring sentence, so reports and traces need not re-read document texts.
    _run_script(
        db,
        """
        CREATE TABLE attributions (
            id INTEGER PRIMARY KEY,
            claim_id INTEGER NOT NULL REFERENCES claims(id),
            doc_num INTEGER NOT NULL REFERENCES documents(num),
            cue TEXT NOT NULL,                -- "according to", "said", "interview", "footnote", "url", ...
            name TEXT NOT NULL,               -- the credited source as written
            kind TEXT NOT NULL,               -- person / organisation / outlet / document
            document TEXT,                    -- "report", "news release", a reference's title
            start INTEGER NOT NULL,           -- span of the name / marker / URL in the document text
            end INTEGER NOT NULL,
            url TEXT,
            marker TEXT,                      -- footnote marker
            scope TEXT NOT NULL DEFAULT 'sentence'   -- sentence / previous / next
        );
        CREATE INDEX attributions_claim ON attributions(claim_id);
        CREATE INDEX attributions_doc ON attributions(doc_num);
        """
    )
    # Stores indexed before this migration get their credits from the texts they already hold.
    from .attribution import credits_for_claims

    for num, text in db.execute("SELECT num, text FROM documents ORDER BY num").fetchall():
        claims = db.execute("SELECT id, start, end FROM claims WHERE doc_num = ? ORDER BY ordinal", (num,)).fetchall()
        if not claims:
            continue
        found = credits_for_claims(text, [(c[1], c[2]) for c in claims])
        db.executemany(
            "INSERT INTO attributions (claim_id, doc_num, cue, name, kind, document, start, end, url, marker, scope)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [
                (c[0], num, a.cue, a.name, a.kind, a.document, a.start, a.end, a.url, a.marker, a.scope)
                for c, attrs in zip(claims, found)
                for a in attrs
            ],
        )


def _m003_fts(db: sqlite3.Connection) -> None:
    # Lexical retrieval for trace: BM25 over each claim's normalised text and its document's
    # title. A plain (not external-content) FTS5 table, so SQLite keeps it consistent by itself;
    # claims indexed before this migration are added here, new ones by insert_claim. Rebuilt
    # from the claims if it exists already, so the migration can be re-run safely.
    _run_script(
        db,
        """
        DROP TABLE IF EXISTS claims_fts;
        CREATE VIRTUAL TABLE claims_fts USING fts5(norm, title, tokenize = 'porter unicode61 remove_diacritics 2');
        INSERT INTO claims_fts (rowid, norm, title)
            SELECT c.id, c.norm, coalesce(d.title, '') FROM claims c JOIN documents d ON d.num = c.doc_num;
        """
    )


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_m001_initial, _m002_attributions, _m003_fts]
SCHEMA_VERSION = len(MIGRATIONS)


# --------------------------------------------------------------------------- vector index

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


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a crash leaves either the old or the new file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.tmp-")
    try:
        # mkstemp creates 0600; store files are as readable as any file the user creates.
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as fh:
            half = len(data) // 2
            fh.write(data[:half])
            fh.flush()
            crash_point("mid-file-write")
            fh.write(data[half:])
            fh.flush()
            # Any write, fsync or close error aborts this save; it is never retried (fsyncgate).
            os.fsync(fh.fileno())
        crash_point("before-rename")
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


# --------------------------------------------------------------------------- records

@dataclass(frozen=True)
class StoredDocument:
    num: int
    id: str
    content_hash: str
    source: str | None
    title: str | None
    url: str | None
    published: str | None
    published_ts: float | None
    authors: list[str]
    metadata: dict
    text: str


@dataclass(frozen=True)
class StoredClaim:
    id: int
    doc_num: int
    doc_id: str
    ordinal: int
    start: int
    end: int
    text: str
    norm: str


@dataclass(frozen=True)
class NewClaim:
    """A claim to insert: its document is identified by the document's position in the batch."""

    doc_index: int
    ordinal: int
    start: int
    end: int
    text: str
    norm: str
    hash: str
    kind: str


# --------------------------------------------------------------------------- the store

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
        self._index: Any = None
        self._index_last_id = 0
        self._lock_fd: int | None = None
        # True once a snapshot the manifest names had to be rebuilt from SQLite.
        self.vectors_rebuilt = False
        # True when the snapshot was memory-mapped, trusted by its identity without rehashing.
        self.snapshot_mapped = False
        # False while a writer loads the snapshot whole to write the next one (snapshot.py).
        self._trust_identity = True

    # ---- opening -----------------------------------------------------------------------

    @staticmethod
    def exists(path: str | os.PathLike) -> bool:
        return (Path(path) / DB_NAME).is_file()

    @staticmethod
    def _connect(path: Path, readonly: bool) -> sqlite3.Connection:
        db_path = path / DB_NAME
        try:
            if readonly:
                db = _connect_readonly(db_path)
            else:
                db = sqlite3.connect(db_path, timeout=30.0)
            db.row_factory = sqlite3.Row
            # We manage transactions ourselves (BEGIN IMMEDIATE for writes).
            db.isolation_level = None
            # A store may come from someone else: nothing in it may run code or make SQLite read
            # out of bounds (sqlite.org/security.html), and a damaged file is refused up front.
            db.execute("PRAGMA trusted_schema=OFF")
            db.execute("PRAGMA cell_size_check=ON")
            db.execute("PRAGMA mmap_size=0")
            db.execute("PRAGMA foreign_keys=ON")
            _quick_check(db, db_path)
            if not readonly:
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
        except sqlite3.DatabaseError as exc:
            raise StoreCorrupt(
                f"cannot open {db_path} ({exc}); if the file is damaged, restore it from a backup "
                "or salvage it with the sqlite3 shell's .recover command"
            ) from exc
        return db

    @classmethod
    def open(cls, path: str | os.PathLike) -> Store:
        """Open an existing store for reading (trace, report)."""
        p = Path(path)
        if not cls.exists(p):
            raise StoreNotFound(str(p))
        try:
            db = cls._connect(p, readonly=True)
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StoreCorrupt(
                    f"store {p} has schema version {version}, newer than this provenance "
                    f"understands ({SCHEMA_VERSION}); upgrade provenance"
                )
            if version < SCHEMA_VERSION:
                # A reader never migrates: let the next writer do it.
                db.close()
                store = cls.open_for_writing(p, wait=True)
                store.release()
                db = cls._connect(p, readonly=True)
            # One read transaction for the whole command: everything this reader sees (claims,
            # clusters, vectors caught up from SQLite) is one committed state, even while an
            # indexer commits new batches. Reader code therefore never BEGINs or COMMITs.
            db.execute("BEGIN")
            meta = {r["key"]: r["value"] for r in db.execute("SELECT key, value FROM meta")}
            if "model" not in meta or "dimension" not in meta:
                raise StoreCorrupt(f"store {p} has no model record; it is not a provenance store or was damaged")
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
        try:
            p.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
                raise StoreReadOnly(f"cannot create store folder {p} ({exc.strerror}); choose another --store") from exc
            raise StoreWriteError(f"cannot create store folder {p}: {exc.strerror}; choose another --store") from exc
        lock_fd = cls._acquire_lock(p, wait)
        try:
            # Checked again under the lock: another writer may have created it meanwhile.
            creating = not cls.exists(p)
            if creating:
                if index_type not in INDEX_TYPES and index_type != AUTO:
                    raise StoreCorrupt(f"unknown index type {index_type!r}; choose one of {sorted(INDEX_TYPES)}")
                _create_database(
                    p,
                    {
                        "format": STORE_FORMAT,
                        "model": str(model),
                        "dimension": str(dimension),
                        "normalized": "true",
                        "encoder": encoder or "",
                        "index_type": index_type,
                        "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                    },
                )
            try:
                db = cls._connect(p, readonly=False)
            except StoreCorrupt as exc:
                if "readonly" in str(exc) or "read-only" in str(exc):
                    raise StoreReadOnly(f"store {p} is read-only; use another --store to index") from exc
                raise
            try:
                cls._migrate(db)
            except sqlite3.OperationalError as exc:
                if "readonly" in str(exc):
                    raise StoreReadOnly(f"store {p} is read-only ({exc}); use another --store to index") from exc
                raise
            meta = {r["key"]: r["value"] for r in db.execute("SELECT key, value FROM meta")}
            if "model" not in meta or "dimension" not in meta:
                raise StoreCorrupt(f"store {p} has no model record; it is not a provenance store or was damaged")
            if model is not None and meta["model"] != model:
                raise ModelMismatch(
                    f"store {p} was built with model {meta['model']} (dimension {meta['dimension']}); "
                    f"rebuild it with --model {meta['model']} or use another --store for {model}"
                )
            store = cls(p, db, meta, writable=True)
            store._lock_fd = lock_fd
            store._clean_orphans()
            if creating or not (p / MANIFEST_NAME).exists():
                store._write_manifest(None)
            return store
        except BaseException:
            os.close(lock_fd)
            raise

    @staticmethod
    def _acquire_lock(path: Path, wait: bool) -> int:
        lock_path = path / LOCK_NAME
        try:
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
        except OSError as exc:
            if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
                raise StoreReadOnly(
                    f"store {path} is read-only ({exc.strerror}); trace and report still work, "
                    "index into a writable --store"
                ) from exc
            if exc.errno == errno.ELOOP:
                raise StoreWriteError(f"{lock_path} is a symbolic link; remove it (a store's LOCK must be a plain file)") from exc
            raise StoreWriteError(f"cannot open {lock_path}: {exc.strerror}") from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            other = os.pread(fd, 512, 0).decode("utf-8", "replace").strip() or "unknown"
            if not wait:
                os.close(fd)
                raise StoreLocked(
                    f"store {path} is being written by another indexer (pid {other}); "
                    "wait for it to finish or run index with --wait"
                ) from None
            log.warning("store %s is being written by pid %s; waiting for it to finish", path, other)
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        # Who holds the lock, for the message a second writer gets.
        holder = f"{os.getpid()}: {' '.join(['provenance', *sys.argv[1:]])}"[:500]
        os.pwrite(fd, holder.encode("utf-8", "replace"), 0)
        return fd

    @staticmethod
    def _migrate(db: sqlite3.Connection) -> None:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreCorrupt(
                f"store schema version {version} is newer than this provenance understands "
                f"({SCHEMA_VERSION}); upgrade provenance"
            )
        for number, migration in enumerate(MIGRATIONS[version:], start=version + 1):
            with _transaction(db):
                migration(db)
                db.execute(f"PRAGMA user_version = {number:d}")
            log.info("store schema migrated to version %d", number)

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

    # ---- manifest and snapshots ----------------------------------------------------------

    def manifest(self) -> dict[str, Any]:
        try:
            return orjson.loads((self.path / MANIFEST_NAME).read_bytes())
        except (OSError, orjson.JSONDecodeError):
            return {}

    def _write_manifest(self, vectors: dict[str, Any] | None) -> None:
        manifest = {
            "format": STORE_FORMAT,
            "schema_version": SCHEMA_VERSION,
            "model": self.model,
            "dimension": self.dim,
            "normalized": True,
            "encoder": self.meta.get("encoder") or None,
            "index_type": self.index_type,
            "vectors": vectors,
            "updated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        _atomic_write(self.path / MANIFEST_NAME, orjson.dumps(manifest, option=orjson.OPT_INDENT_2))

    def _clean_orphans(self) -> None:
        """Remove temporary files a killed writer left, and snapshots no manifest names."""
        current = (self.manifest().get("vectors") or {}).get("file")
        for f in self.path.iterdir():
            stale_tmp = f.name.startswith(".") and ".tmp-" in f.name
            stale_gen = f.name.startswith("vectors-") and f.name.endswith(".faiss") and f.name != current
            if stale_tmp or stale_gen:
                log.info("removing %s (left by an interrupted writer)", f.name)
                with contextlib.suppress(OSError):
                    f.unlink()

    def save_snapshot(self) -> None:
        """Write the in-memory FAISS index as a new generation and commit it in the manifest."""
        if not self.writable:
            raise StoreWriteError("internal: snapshot requested on a read-only store")
        import faiss

        index = self.vector_index()
        if isinstance(index, MappedIndex):
            # Writing a snapshot needs the whole index in memory: load it, every byte hashed
            # first, and catch up from SQLite (which holds every claim the mapped part lacks).
            self._index, self.snapshot_mapped, self._trust_identity = None, False, False
            try:
                index = self.vector_index()
            finally:
                self._trust_identity = True
        wanted = choose_index_type(int(index.ntotal), self.index_type)
        if index_kind(index) != wanted:
            # Crossing the size threshold: rebuild the cache as the other type from SQLite.
            log.info("rebuilding the vector index as %s for %d claims", wanted, index.ntotal)
            self._index = INDEX_TYPES[wanted].build(self.dim)
            self._index_last_id = 0
            self._catch_up()
            index = self._index
        old = (self.manifest().get("vectors") or {}).get("file")
        generation = int((self.manifest().get("vectors") or {}).get("generation", 0)) + 1
        params = tune_search(index)
        data = faiss.serialize_index(index).tobytes()
        name = f"vectors-{generation:06d}.faiss"
        try:
            _atomic_write(self.path / name, data)
            # Big snapshots: readers may trust this exact file without rehashing (snapshot.py).
            identity = record_identity(self.path / name, len(data))
            crash_point("before-manifest")
            entry = {
                "file": name,
                "generation": generation,
                "count": int(index.ntotal),
                "last_claim_id": self._index_last_id,
                "sha256": hashlib.sha256(data).hexdigest(),
                "kind": index_kind(index),
            }
            if params:
                entry["params"] = params
            if identity:
                entry["identity"] = identity
            self._write_manifest(entry)
        except OSError as exc:
            raise StoreWriteError(
                f"could not write the vector snapshot in {self.path}: {exc.strerror or exc}; "
                "free some space and run index again (nothing committed was lost)"
            ) from exc
        if old and old != name:
            with contextlib.suppress(OSError):
                (self.path / old).unlink()

    def _load_snapshot(self) -> tuple[Any, int] | None:
        """The verified snapshot the manifest names, or None when it is missing or damaged."""
        import faiss

        vectors = self.manifest().get("vectors")
        if not vectors:
            return None
        path = self.path / str(vectors.get("file", ""))
        if path.name != vectors.get("file") or not path.name.startswith("vectors-"):
            log.warning("manifest names an unexpected vector file; rebuilding vectors from SQLite")
            return None
        if self._trust_identity and identity_matches(path, vectors.get("identity")):
            # The very file the writer hashed (snapshot.py): map it instead of reading it.
            try:
                index = read_mapped(path)
            except RuntimeError as exc:
                log.warning("vector snapshot %s cannot be mapped (%s); reading it whole", path.name, exc)
            else:
                if index.d == self.dim and index.ntotal == vectors.get("count"):
                    self.snapshot_mapped = True
                    return index, int(vectors.get("last_claim_id", 0))
        try:
            data = path.read_bytes()
        except OSError:
            log.warning("vector snapshot %s is missing; rebuilding it from SQLite", path.name)
            return None
        if hashlib.sha256(data).hexdigest() != vectors.get("sha256"):
            log.warning("vector snapshot %s fails its checksum; rebuilding it from SQLite", path.name)
            return None
        try:
            index = faiss.deserialize_index(np.frombuffer(data, dtype=np.uint8))
        except RuntimeError as exc:
            log.warning("vector snapshot %s cannot be read (%s); rebuilding it from SQLite", path.name, exc)
            return None
        if index.d != self.dim or index.ntotal != vectors.get("count"):
            log.warning("vector snapshot %s disagrees with its manifest; rebuilding it from SQLite", path.name)
            return None
        return index, int(vectors.get("last_claim_id", 0))

    def vector_index(self) -> Any:
        """The FAISS index over every committed claim (loaded, caught up or rebuilt on first use)."""
        if self._index is None:
            loaded = self._load_snapshot()
            if loaded is None:
                count = self.db.execute("SELECT count(*) FROM claims").fetchone()[0]
                self._index = INDEX_TYPES[choose_index_type(count, self.index_type)].build(self.dim)
                self._index_last_id = 0
                self.vectors_rebuilt = bool(self.manifest().get("vectors"))
            else:
                self._index, self._index_last_id = loaded
                if self.snapshot_mapped:
                    # Claims after a mapped snapshot go to a small exact index beside it.
                    self._index = MappedIndex(self._index, INDEX_TYPES["flat"].build(self.dim))
            self._catch_up()
            tune_search(self._index.mapped if isinstance(self._index, MappedIndex) else self._index)
        return self._index

    def _catch_up(self) -> None:
        """Add claims committed after the snapshot (SQLite is the truth)."""
        added = 0
        while True:
            rows = self.db.execute(
                "SELECT c.id, e.vector FROM claims c JOIN embeddings e ON e.hash = c.hash "
                "WHERE c.id > ? ORDER BY c.id LIMIT 50000",
                (self._index_last_id,),
            ).fetchall()
            if not rows:
                break
            ids = np.array([r[0] for r in rows], dtype=np.int64)
            self._index.add_with_ids(vectors_from_blobs([r[1] for r in rows], self.dim), ids)
            self._index_last_id = int(ids[-1])
            added += len(rows)
        if added:
            log.info("added %d claims to the vector index from SQLite", added)

    def add_vectors(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Add freshly committed claims to the in-memory index."""
        index = self.vector_index()
        # Loading the index just now may already have caught these up from SQLite.
        keep = ids > self._index_last_id
        ids, vectors = ids[keep], vectors[keep]
        if len(ids):
            index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), ids.astype(np.int64))
            self._index_last_id = max(self._index_last_id, int(ids.max()))

    def search(self, vectors: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Top-``k`` (cosines, claim ids) per query row; ids are -1 where fewer exist."""
        index = self.vector_index()
        n = len(vectors)
        if index.ntotal == 0 or n == 0:
            return np.zeros((n, 0), dtype=np.float32), np.zeros((n, 0), dtype=np.int64)
        k = min(k, int(index.ntotal))
        set_search_threads(n)
        sims, ids = index.search(np.ascontiguousarray(vectors, dtype=np.float32), k)
        return sims, ids

    def lexical_search(self, query: str, k: int) -> list[tuple[int, float]]:
        """Top-``k`` (claim id, BM25 score) for free text, best first; scores are positive.

        Every word of ``query`` is quoted (see :func:`provenance.lexical.fts_query`), so user
        text never becomes FTS5 syntax; a query with no searchable word finds nothing.
        """
        from .lexical import BM25_WEIGHTS, fts_query

        expr = fts_query(query)
        if not expr or k < 1:
            return []
        rows = self.db.execute(
            "SELECT rowid, bm25(claims_fts, ?, ?) AS s FROM claims_fts WHERE claims_fts MATCH ? ORDER BY s LIMIT ?",
            (*BM25_WEIGHTS, expr, int(k)),
        ).fetchall()
        return [(int(r[0]), -float(r[1])) for r in rows]

    # ---- reading ---------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        q = self.db.execute
        return {
            "documents": q("SELECT count(*) FROM documents").fetchone()[0],
            "claims": q("SELECT count(*) FROM claims").fetchone()[0],
            "matches": q("SELECT count(*) FROM matches").fetchone()[0],
            "clusters": q("SELECT count(*) FROM clusters").fetchone()[0],
        }

    def cluster_count(self) -> int:
        return self.db.execute("SELECT count(*) FROM clusters").fetchone()[0]

    def document_hash(self, doc_id: str) -> str | None:
        row = self.db.execute("SELECT content_hash FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return row[0] if row else None

    def documents(self) -> list[StoredDocument]:
        return [_doc_from_row(r) for r in self.db.execute("SELECT * FROM documents ORDER BY num")]

    def claims(self, ids: Iterable[int]) -> dict[int, StoredClaim]:
        out: dict[int, StoredClaim] = {}
        for chunk in _chunks(list(ids), 900):
            marks = ",".join("?" * len(chunk))
            for r in self.db.execute(
                "SELECT c.id, c.doc_num, d.id AS doc_id, c.ordinal, c.start, c.end, c.text, c.norm "
                f"FROM claims c JOIN documents d ON d.num = c.doc_num WHERE c.id IN ({marks})",
                chunk,
            ):
                out[r["id"]] = StoredClaim(**dict(r))
        return out

    def claim_vectors(self, ids: Sequence[int]) -> np.ndarray:
        rows: dict[int, bytes] = {}
        for chunk in _chunks(list(ids), 900):
            marks = ",".join("?" * len(chunk))
            for r in self.db.execute(
                f"SELECT c.id, e.vector FROM claims c JOIN embeddings e ON e.hash = c.hash WHERE c.id IN ({marks})",
                chunk,
            ):
                rows[r[0]] = r[1]
        return vectors_from_blobs([rows[i] for i in ids], self.dim)

    def known_hashes(self, hashes: Iterable[str]) -> dict[str, np.ndarray]:
        out: dict[str, np.ndarray] = {}
        for chunk in _chunks(list(set(hashes)), 900):
            marks = ",".join("?" * len(chunk))
            for h, blob in self.db.execute(f"SELECT hash, vector FROM embeddings WHERE hash IN ({marks})", chunk):
                out[h] = np.frombuffer(blob, dtype="<f4").astype(np.float32)
        return out

    def documents_by_num(self, nums: Iterable[int]) -> dict[int, StoredDocument]:
        out: dict[int, StoredDocument] = {}
        for chunk in _chunks(list(set(nums)), 900):
            marks = ",".join("?" * len(chunk))
            for r in self.db.execute(f"SELECT * FROM documents WHERE num IN ({marks})", chunk):
                out[r["num"]] = _doc_from_row(r)
        return out

    def all_matches(self) -> list[tuple[int, int, float, float, str]]:
        return [tuple(r) for r in self.db.execute("SELECT a, b, cosine, lexical, relation FROM matches ORDER BY a, b")]

    def matches_touching(self, ids: Iterable[int]) -> list[tuple[int, int, float, float, str]]:
        """Every stored match with an end among ``ids`` (both ends are indexed)."""
        out: set[tuple[int, int, float, float, str]] = set()
        for chunk in _chunks(list(ids), 450):
            marks = ",".join("?" * len(chunk))
            for r in self.db.execute(
                f"SELECT a, b, cosine, lexical, relation FROM matches WHERE a IN ({marks}) "
                f"UNION SELECT a, b, cosine, lexical, relation FROM matches WHERE b IN ({marks})",
                chunk + chunk,
            ):
                out.add(tuple(r))
        return sorted(out)

    def cluster_rows(self) -> list[sqlite3.Row]:
        return self.db.execute("SELECT id, origin_claim, basis, size FROM clusters ORDER BY id").fetchall()

    def clusters_by_id(self, ids: Iterable[int]) -> dict[int, sqlite3.Row]:
        """Cluster rows by id, for only the clusters asked for (trace must not read them all)."""
        out: dict[int, sqlite3.Row] = {}
        for chunk in _chunks(sorted(set(ids)), 900):
            marks = ",".join("?" * len(chunk))
            for r in self.db.execute(f"SELECT id, origin_claim, basis, size FROM clusters WHERE id IN ({marks})", chunk):
                out[r["id"]] = r
        return out

    def cluster_member_rows(self) -> list[sqlite3.Row]:
        return self.db.execute(
            "SELECT cluster_id, claim_id, similarity, lexical, relation FROM cluster_members ORDER BY cluster_id, claim_id"
        ).fetchall()

    def cluster_of(self, claim_ids: Iterable[int]) -> dict[int, int]:
        out: dict[int, int] = {}
        for chunk in _chunks(list(claim_ids), 900):
            marks = ",".join("?" * len(chunk))
            for r in self.db.execute(
                f"SELECT claim_id, cluster_id FROM cluster_members WHERE claim_id IN ({marks})", chunk
            ):
                out[r[0]] = r[1]
        return out

    def attributions(self, claim_ids: Iterable[int]) -> dict[int, list[sqlite3.Row]]:
        """Credits stored per claim (see attribution.py), in text order."""
        out: dict[int, list[sqlite3.Row]] = {}
        for chunk in _chunks(list(set(claim_ids)), 900):
            marks = ",".join("?" * len(chunk))
            for r in self.db.execute(
                f"SELECT * FROM attributions WHERE claim_id IN ({marks}) ORDER BY claim_id, start, id", chunk
            ):
                out.setdefault(r["claim_id"], []).append(r)
        return out

    def cluster_member_rows_of(self, cluster_id: int) -> list[sqlite3.Row]:
        return self.db.execute(
            "SELECT cluster_id, claim_id, similarity, lexical, relation FROM cluster_members WHERE cluster_id = ? ORDER BY claim_id",
            (cluster_id,),
        ).fetchall()

    # ---- writing ---------------------------------------------------------------------------

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE), mapping storage failures to our errors."""
        if not self.writable:
            raise StoreWriteError("internal: write on a store opened for reading")
        try:
            with _transaction(self.db):
                yield self.db
        except sqlite3.OperationalError as exc:
            msg = str(exc)
            if "full" in msg or "disk I/O" in msg:
                raise StoreWriteError(
                    f"store {self.path} could not be written ({msg}); free some space and run index "
                    "again (the failed batch was rolled back, earlier ones are kept)"
                ) from exc
            if "readonly" in msg or "read-only" in msg:
                raise StoreReadOnly(f"store {self.path} is read-only ({msg}); use another --store") from exc
            if "locked" in msg or "busy" in msg:
                raise StoreLocked(f"store {self.path} is busy ({msg}); retry when the other process is done") from exc
            raise

    def insert_document(self, db: sqlite3.Connection, doc: Any, published_ts: float | None) -> int:
        cur = db.execute(
            "INSERT INTO documents (id, content_hash, source, title, url, published, published_ts, authors,"
            " metadata, origin, text, added_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
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
            ),
        )
        return int(cur.lastrowid)

    def insert_embeddings(self, db: sqlite3.Connection, items: Iterable[tuple[str, np.ndarray]]) -> None:
        db.executemany(
            "INSERT OR IGNORE INTO embeddings (hash, vector) VALUES (?, ?)",
            ((h, np.asarray(v, dtype="<f4").tobytes()) for h, v in items),
        )

    def insert_claims(self, db: sqlite3.Connection, rows: Sequence[tuple[int, NewClaim]]) -> np.ndarray:
        """Insert (doc_num, claim) rows in one statement each for claims and their FTS rows;
        returns the new claim ids in order.  The ids are the ones SQLite would pick itself
        (max + 1 onwards, no AUTOINCREMENT): this writer holds the store's lock and transaction."""
        if not rows:
            return np.zeros(0, dtype=np.int64)
        first = int(db.execute("SELECT coalesce(max(id), 0) FROM claims").fetchone()[0]) + 1
        ids = np.arange(first, first + len(rows), dtype=np.int64)
        db.executemany(
            "INSERT INTO claims (id, doc_num, ordinal, start, end, text, norm, hash, kind) VALUES (?,?,?,?,?,?,?,?,?)",
            ((first + i, d, c.ordinal, c.start, c.end, c.text, c.norm, c.hash, c.kind) for i, (d, c) in enumerate(rows)),
        )
        db.executemany(
            "INSERT INTO claims_fts (rowid, norm, title) "
            "SELECT ?, ?, coalesce(title, '') FROM documents WHERE num = ?",
            ((first + i, c.norm, d) for i, (d, c) in enumerate(rows)),
        )
        return ids

    def insert_claim(self, db: sqlite3.Connection, doc_num: int, c: NewClaim) -> int:
        return int(self.insert_claims(db, [(doc_num, c)])[0])

    def insert_matches(self, db: sqlite3.Connection, rows: Iterable[tuple[int, int, float, float, str]]) -> None:
        db.executemany(
            "INSERT OR REPLACE INTO matches (a, b, cosine, lexical, relation) VALUES (?,?,?,?,?)",
            ((min(a, b), max(a, b), c, lx, r) for a, b, c, lx, r in rows),
        )

    def replace_clusters_of(
        self,
        db: sqlite3.Connection,
        claim_ids: Iterable[int],
        clusters: Iterable[tuple[int, int, str, int]],
        members: Iterable[tuple[int, int, float | None, float | None, str]],
    ) -> None:
        """Replace only the clusters holding any of ``claim_ids`` (a local update)."""
        old = sorted(set(self.cluster_of(claim_ids).values()))
        for chunk in _chunks(old, 900):
            marks = ",".join("?" * len(chunk))
            db.execute(f"DELETE FROM cluster_members WHERE cluster_id IN ({marks})", chunk)
            db.execute(f"DELETE FROM clusters WHERE id IN ({marks})", chunk)
        self._write_clusters(db, clusters, members)

    def insert_attributions(self, db: sqlite3.Connection, rows: Iterable[tuple]) -> None:
        """Rows of (claim_id, doc_num, cue, name, kind, document, start, end, url, marker, scope)."""
        db.executemany(
            "INSERT INTO attributions (claim_id, doc_num, cue, name, kind, document, start, end, url, marker, scope)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            rows,
        )

    def replace_clusters(
        self,
        db: sqlite3.Connection,
        clusters: Iterable[tuple[int, int, str, int]],
        members: Iterable[tuple[int, int, float | None, float | None, str]],
    ) -> None:
        db.execute("DELETE FROM cluster_members")
        db.execute("DELETE FROM clusters")
        self._write_clusters(db, clusters, members)

    @staticmethod
    def _write_clusters(
        db: sqlite3.Connection,
        clusters: Iterable[tuple[int, int, str, int]],
        members: Iterable[tuple[int, int, float | None, float | None, str]],
    ) -> None:
        db.executemany("INSERT INTO clusters (id, origin_claim, basis, size) VALUES (?,?,?,?)", clusters)
        db.executemany(
            "INSERT INTO cluster_members (cluster_id, claim_id, similarity, lexical, relation) VALUES (?,?,?,?,?)",
            members,
        )
        # Same transaction as the clusters: a writer killed before this commit leaves the old
        # mark, and the next index sees that clustering is behind and redoes it.
        db.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('clustered_through', "
            "(SELECT CAST(coalesce(max(id), 0) AS TEXT) FROM claims))"
        )

    def max_claim_id(self) -> int:
        return int(self.db.execute("SELECT coalesce(max(id), 0) FROM claims").fetchone()[0])

    def clustered_through(self) -> int:
        """The last claim id the stored clusters cover (0 when never clustered)."""
        row = self.db.execute("SELECT value FROM meta WHERE key = 'clustered_through'").fetchone()
        return int(row[0]) if row else 0

    def rebuild_vectors(self) -> None:
        """Drop the in-memory index and build it again from SQLite alone."""
        count = self.db.execute("SELECT count(*) FROM claims").fetchone()[0]
        self._index = INDEX_TYPES[choose_index_type(count, self.index_type)].build(self.dim)
        self._index_last_id = 0
        self.vectors_rebuilt = True
        self._catch_up()


@contextlib.contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[None]:
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
        crash_point("before-commit")
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _connect_readonly(db_path: Path) -> sqlite3.Connection:
    """A read-only connection; on a read-only filesystem (no -shm can be made) fall back to
    ``immutable=1``, which is safe there because no writer can be active."""
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30.0)
    try:
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return db
    except sqlite3.OperationalError as exc:
        if os.access(db_path.parent, os.W_OK) and "unable to open" not in str(exc) and "readonly" not in str(exc):
            raise
        db.close()
    log.info("store %s is on read-only media; opening it immutable", db_path.parent)
    return sqlite3.connect(f"file:{db_path}?mode=ro&immutable=1", uri=True, timeout=30.0)


def _quick_check(db: sqlite3.Connection, db_path: Path) -> None:
    rows = [r[0] for r in db.execute("PRAGMA quick_check(5)")]
    if rows != ["ok"]:
        raise StoreCorrupt(
            f"store database {db_path} is damaged ({'; '.join(rows)}); restore it from a backup "
            "or salvage it with the sqlite3 shell's .recover command, then run 'provenance check --repair'"
        )


def _create_database(path: Path, meta: dict[str, str]) -> None:
    """Create store.sqlite with every migration and the meta record, all or nothing.

    It is built under a temporary name and renamed into place, so a crash during creation leaves
    no half-made store (only a temporary file the next writer removes).
    """
    fd, tmp = tempfile.mkstemp(dir=path, prefix=f".{DB_NAME}.tmp-")
    os.close(fd)
    try:
        db = sqlite3.connect(tmp)
        try:
            db.isolation_level = None
            with _transaction(db):
                for number, migration in enumerate(MIGRATIONS, start=1):
                    migration(db)
                db.execute(f"PRAGMA user_version = {len(MIGRATIONS):d}")
                db.executemany("INSERT INTO meta(key, value) VALUES (?, ?)", meta.items())
            db.execute("PRAGMA journal_mode=WAL")
        finally:
            db.close()
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        crash_point("create-before-rename")
        os.replace(tmp, path / DB_NAME)
        _fsync_dir(path)
    except BaseException:
        for leftover in (tmp, tmp + "-wal", tmp + "-shm", tmp + "-journal"):
            with contextlib.suppress(OSError):
                os.unlink(leftover)
        raise


def _chunks(items: list, size: int) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


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
    )

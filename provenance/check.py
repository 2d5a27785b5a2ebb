"""``provenance check``: is a store whole, and can what is not be rebuilt?

SQLite is the truth and cannot be rebuilt from anything else, so its damage is reported with
what to do (restore a backup, or salvage with the sqlite3 shell's ``.recover``). Everything
derived from it can be: the FAISS snapshot (from the stored vectors) and the clusters (from the
stored matches). ``--repair`` rebuilds what is wrong; ``--rebuild`` rebuilds both regardless.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import orjson

from .errors import StoreNotFound
from .snapshot import MappedIndex
from .store import DB_NAME, MANIFEST_NAME, SCHEMA_VERSION, STORE_FORMAT, Store, _connect_readonly

log = logging.getLogger(__name__)


@dataclass
class CheckResult:
    store: str
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    sqlite_ok: bool = True

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict:
        return {
            "store": self.store,
            "ok": self.ok,
            "sqlite_ok": self.sqlite_ok,
            "problems": self.problems,
            "notes": self.notes,
            "repaired": self.repaired,
            "counts": self.counts,
        }


def check_store(path: str | Path, *, repair: bool = False, rebuild: bool = False, wait: bool = False) -> CheckResult:
    """Check the store at ``path``; with ``repair`` rebuild what is derived and wrong (with
    ``rebuild`` also what is right), then check again."""
    p = Path(path)
    if not Store.exists(p):
        raise StoreNotFound(str(p))
    result = _inspect(p)
    if not (repair and result.sqlite_ok and (rebuild or not result.ok or result.notes)):
        return result
    from .pipeline import recluster

    with Store.open_for_writing(p, wait=wait) as store:
        store.rebuild_vectors()
        store.save_snapshot()
        repaired = [f"vector snapshot rebuilt from SQLite ({store.vector_index().ntotal} vectors)"]
        clusters = recluster(store)
        repaired.append(f"clusters rebuilt from the stored matches ({clusters} clusters)")
    after = _inspect(p)
    after.repaired = repaired
    return after


def _inspect(p: Path) -> CheckResult:
    result = CheckResult(str(p))
    try:
        db = _connect_readonly(p / DB_NAME)
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA trusted_schema=OFF")
        db.execute("PRAGMA cell_size_check=ON")
        rows = [r[0] for r in db.execute("PRAGMA integrity_check(20)")]
    except sqlite3.DatabaseError as exc:
        result.sqlite_ok = False
        result.problems.append(f"SQLite cannot read {p / DB_NAME}: {exc}; restore it from a backup")
        return result
    try:
        if rows != ["ok"]:
            result.sqlite_ok = False
            result.problems.extend(f"SQLite integrity: {r}" for r in rows)
            result.problems.append(
                "the database itself is damaged and cannot be rebuilt from anything else; restore it "
                "from a backup, or salvage it with: sqlite3 store.sqlite '.recover' | sqlite3 new.sqlite"
            )
            return result
        _check_database(db, p, result)
    except sqlite3.DatabaseError as exc:
        result.sqlite_ok = False
        result.problems.append(f"SQLite error while checking: {exc}; restore the store from a backup")
    finally:
        db.close()
    return result


def _check_database(db: sqlite3.Connection, p: Path, result: CheckResult) -> None:
    db.execute("BEGIN")  # one consistent snapshot for every comparison below
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        result.sqlite_ok = False
        result.problems.append(f"schema version {version} is newer than this provenance ({SCHEMA_VERSION}); upgrade provenance")
        return
    meta = {r["key"]: r["value"] for r in db.execute("SELECT key, value FROM meta")}
    if "model" not in meta or "dimension" not in meta:
        result.sqlite_ok = False
        result.problems.append("no model record in the meta table; this is not a provenance store")
        return
    dim = int(meta["dimension"])
    for name in ("documents", "claims", "embeddings", "matches", "clusters"):
        result.counts[name] = db.execute(f"SELECT count(*) FROM {name}").fetchone()[0]  # noqa: S608 - fixed names
    fk = db.execute("PRAGMA foreign_key_check").fetchall()
    if fk:
        result.problems.append(f"{len(fk)} rows point at rows that do not exist (first in table {fk[0][0]})")
    missing = db.execute(
        "SELECT count(*) FROM claims c LEFT JOIN embeddings e ON e.hash = c.hash WHERE e.hash IS NULL"
    ).fetchone()[0]
    if missing:
        result.problems.append(f"{missing} claims have no stored vector; re-index their documents")
    bad_len = db.execute("SELECT count(*) FROM embeddings WHERE length(vector) != ?", (4 * dim,)).fetchone()[0]
    if bad_len:
        result.problems.append(f"{bad_len} stored vectors have the wrong size for dimension {dim}")
    last = db.execute("SELECT coalesce(max(id), 0) FROM claims").fetchone()[0]
    row = db.execute("SELECT value FROM meta WHERE key = 'clustered_through'").fetchone()
    clustered = int(row[0]) if row else 0
    if clustered < last:
        result.notes.append(
            f"clusters cover claims up to id {clustered} of {last} (a run was interrupted); the next index "
            "or check --repair reclusters"
        )
    _check_vectors(db, p, meta, dim, last, result)


def _check_vectors(db: sqlite3.Connection, p: Path, meta: dict[str, str], dim: int, last: int, result: CheckResult) -> None:
    try:
        manifest = orjson.loads((p / MANIFEST_NAME).read_bytes())
    except FileNotFoundError:
        # Derived data only: readers rebuild vectors from SQLite, the next writer writes it.
        result.notes.append("manifest.json is missing (a run was interrupted early); the next index or check --repair writes it")
        return
    except (OSError, orjson.JSONDecodeError) as exc:
        result.problems.append(f"manifest.json cannot be read ({exc}); check --repair writes it again")
        return
    if not isinstance(manifest, dict) or manifest.get("format") != STORE_FORMAT:
        result.problems.append("manifest.json is not a provenance manifest; check --repair writes it again")
        return
    if manifest.get("model") != meta["model"] or manifest.get("dimension") != dim:
        result.problems.append("manifest.json names another model or dimension than the database; check --repair")
    vectors = manifest.get("vectors")
    if not vectors:
        if last:
            result.notes.append("no vector snapshot yet; it is built from SQLite when needed")
        return
    name = str(vectors.get("file", ""))
    if Path(name).name != name or not name.startswith("vectors-"):
        result.problems.append(f"manifest names an unexpected vector file {name!r}; check --repair")
        return
    try:
        data = (p / name).read_bytes()
    except OSError as exc:
        result.problems.append(f"vector snapshot {name} cannot be read ({exc.strerror}); check --repair rebuilds it")
        return
    if hashlib.sha256(data).hexdigest() != vectors.get("sha256"):
        result.problems.append(f"vector snapshot {name} fails its checksum; check --repair rebuilds it")
        return
    import faiss

    try:
        index = faiss.deserialize_index(np.frombuffer(data, dtype=np.uint8))
        ids = faiss.vector_to_array(index.id_map) if hasattr(index, "id_map") else None
    except RuntimeError as exc:
        result.problems.append(f"vector snapshot {name} cannot be read by FAISS ({exc}); check --repair")
        return
    if index.d != dim or ids is None or len(ids) != vectors.get("count"):
        result.problems.append(f"vector snapshot {name} disagrees with its manifest; check --repair")
        return
    through = int(vectors.get("last_claim_id", 0))
    sql_ids = np.array(
        [r[0] for r in db.execute("SELECT id FROM claims WHERE id <= ? ORDER BY id", (through,))], dtype=np.int64
    )
    if not np.array_equal(np.sort(ids.astype(np.int64)), sql_ids):
        extra = len(np.setdiff1d(ids, sql_ids))
        lacking = len(np.setdiff1d(sql_ids, ids))
        result.problems.append(
            f"vector snapshot {name} and SQLite disagree ({extra} ids only in FAISS, {lacking} only in SQLite); check --repair"
        )
    behind = db.execute("SELECT count(*) FROM claims WHERE id > ?", (through,)).fetchone()[0]
    if behind:
        result.notes.append(f"{behind} claims committed after the vector snapshot; they are added from SQLite on open")


def invariant_violations(path: str | Path, *, every_document_has_claims: bool = False) -> list[str]:
    """What the crash tests require after any interruption, as a list of violations (empty: ok).

    The store opens for reading; SQLite passes ``integrity_check``; every document has its claims
    and every claim its vector; the vector index a reader gets (snapshot plus catch-up, or a
    rebuild) holds exactly the SQLite claim ids; check finds no problem.
    """
    out: list[str] = []
    result = check_store(path)
    out.extend(result.problems)
    if not result.sqlite_ok:
        return out
    import faiss

    with Store.open(path) as store:
        empty = every_document_has_claims and store.db.execute(
            "SELECT count(*) FROM documents d WHERE NOT EXISTS (SELECT 1 FROM claims c WHERE c.doc_num = d.num)"
        ).fetchone()[0]
        if empty:
            out.append(f"{empty} documents without claims")
        index = store.vector_index()
        ids = index.ids() if isinstance(index, MappedIndex) else faiss.vector_to_array(index.id_map)
        faiss_ids = np.sort(ids.astype(np.int64))
        sql_ids = np.array([r[0] for r in store.db.execute("SELECT id FROM claims ORDER BY id")], dtype=np.int64)
        if not np.array_equal(faiss_ids, sql_ids):
            out.append(f"FAISS holds {len(faiss_ids)} ids, SQLite {len(sql_ids)} claims, and they differ")
        dup = store.db.execute("SELECT count(*) - count(DISTINCT id) FROM documents").fetchone()[0]
        if dup:
            out.append(f"{dup} duplicate document ids")
    return out

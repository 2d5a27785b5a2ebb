"""What ``provenance check`` looks at in a store folder, read without opening it as a Store.

A damaged store must still be described, so this reads the database on a bare read-only
connection (``integrity_check`` rather than the ``quick_check`` every open runs) and verifies the
vector snapshot with the loader's own :func:`~.vectors.read_snapshot`. Findings are split into
problems (something is wrong) and notes (something is behind, and the next writer finishes it).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import orjson

from .manifest import MANIFEST_NAME, STORE_FORMAT
from .schema import DB_NAME, SCHEMA_VERSION
from .sqlite import connect_readonly, harden
from .vectors import index_ids, read_snapshot


@dataclass
class Findings:
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    sqlite_ok: bool = True


def inspect_store(p: Path) -> Findings:
    """Check the database's integrity, its tables against each other, and the snapshot."""
    found = Findings()
    try:
        db = connect_readonly(p / DB_NAME)
        db.row_factory = sqlite3.Row
        harden(db)
        rows = [r[0] for r in db.execute("PRAGMA integrity_check(20)")]
    except sqlite3.DatabaseError as exc:
        found.sqlite_ok = False
        found.problems.append(f"SQLite cannot read {p / DB_NAME}: {exc}; restore it from a backup")
        return found
    try:
        if rows != ["ok"]:
            found.sqlite_ok = False
            found.problems.extend(f"SQLite integrity: {r}" for r in rows)
            found.problems.append(
                "the database itself is damaged and cannot be rebuilt from anything else; restore it "
                "from a backup, or salvage it with: sqlite3 store.sqlite '.recover' | sqlite3 new.sqlite"
            )
            return found
        _check_database(db, p, found)
    except sqlite3.DatabaseError as exc:
        found.sqlite_ok = False
        found.problems.append(f"SQLite error while checking: {exc}; restore the store from a backup")
    finally:
        db.close()
    return found


def _check_database(db: sqlite3.Connection, p: Path, found: Findings) -> None:
    db.execute("BEGIN")  # one consistent snapshot for every comparison below
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        found.sqlite_ok = False
        found.problems.append(f"schema version {version} is newer than this provenance ({SCHEMA_VERSION}); upgrade provenance")
        return
    meta = {r["key"]: r["value"] for r in db.execute("SELECT key, value FROM meta")}
    if "model" not in meta or "dimension" not in meta:
        found.sqlite_ok = False
        found.problems.append("no model record in the meta table; this is not a provenance store")
        return
    dim = int(meta["dimension"])
    for name in ("documents", "claims", "embeddings", "matches", "clusters"):
        found.counts[name] = db.execute(f"SELECT count(*) FROM {name}").fetchone()[0]  # noqa: S608 - fixed names
    fk = db.execute("PRAGMA foreign_key_check").fetchall()
    if fk:
        found.problems.append(f"{len(fk)} rows point at rows that do not exist (first in table {fk[0][0]})")
    missing = db.execute(
        "SELECT count(*) FROM claims c LEFT JOIN embeddings e ON e.hash = c.hash WHERE e.hash IS NULL"
    ).fetchone()[0]
    if missing:
        found.problems.append(f"{missing} claims have no stored vector; re-index their documents")
    bad_len = db.execute("SELECT count(*) FROM embeddings WHERE length(vector) != ?", (4 * dim,)).fetchone()[0]
    if bad_len:
        found.problems.append(f"{bad_len} stored vectors have the wrong size for dimension {dim}")
    last = db.execute("SELECT coalesce(max(id), 0) FROM claims").fetchone()[0]
    row = db.execute("SELECT value FROM meta WHERE key = 'clustered_through'").fetchone()
    clustered = int(row[0]) if row else 0
    if clustered < last:
        found.notes.append(
            f"clusters cover claims up to id {clustered} of {last} (a run was interrupted); the next index "
            "or check --repair reclusters"
        )
    _check_vectors(db, p, meta, dim, last, found)


def _check_vectors(db: sqlite3.Connection, p: Path, meta: dict[str, str], dim: int, last: int, found: Findings) -> None:
    try:
        manifest = orjson.loads((p / MANIFEST_NAME).read_bytes())
    except FileNotFoundError:
        # Derived data only: readers rebuild vectors from SQLite, the next writer writes it.
        found.notes.append("manifest.json is missing (a run was interrupted early); the next index or check --repair writes it")
        return
    except (OSError, orjson.JSONDecodeError) as exc:
        found.problems.append(f"manifest.json cannot be read ({exc}); check --repair writes it again")
        return
    if not isinstance(manifest, dict) or manifest.get("format") != STORE_FORMAT:
        found.problems.append("manifest.json is not a provenance manifest; check --repair writes it again")
        return
    if manifest.get("model") != meta["model"] or manifest.get("dimension") != dim:
        found.problems.append("manifest.json names another model or dimension than the database; check --repair")
    vectors = manifest.get("vectors")
    if not vectors:
        if last:
            found.notes.append("no vector snapshot yet; it is built from SQLite when needed")
        return
    read = read_snapshot(p, vectors, dim)
    if read.problem:
        found.problems.append(f"{read.problem}; check --repair rebuilds it")
        return
    name = vectors["file"]
    through = int(vectors.get("last_claim_id", 0))
    ids = index_ids(read.index)
    sql_ids = np.array(
        [r[0] for r in db.execute("SELECT id FROM claims WHERE id <= ? ORDER BY id", (through,))], dtype=np.int64
    )
    if not np.array_equal(np.sort(ids), sql_ids):
        extra = len(np.setdiff1d(ids, sql_ids))
        lacking = len(np.setdiff1d(sql_ids, ids))
        found.problems.append(
            f"vector snapshot {name} and SQLite disagree ({extra} ids only in FAISS, {lacking} only in SQLite); check --repair"
        )
    behind = db.execute("SELECT count(*) FROM claims WHERE id > ?", (through,)).fetchone()[0]
    if behind:
        found.notes.append(f"{behind} claims committed after the vector snapshot; they are added from SQLite on open")


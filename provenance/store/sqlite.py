"""SQLite connections for a store: how they are opened, checked and given transactions.

A store may come from someone else, so every connection refuses to run code stored in the
schema and checks pages as it reads them, and a damaged file is refused up front (``PRAGMA
quick_check``) rather than half-way through a job.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from ..errors import StoreCorrupt
from ..faults import crash_point

log = logging.getLogger(__name__)

# SQLite's default limit on host parameters is 999 on old builds: stay below it.
MAX_PARAMS = 900


def connect(db_path: Path, readonly: bool) -> sqlite3.Connection:
    """A connection with the store's settings, its database checked before first use."""
    try:
        db = connect_readonly(db_path) if readonly else sqlite3.connect(db_path, timeout=30.0)
        db.row_factory = sqlite3.Row
        # We manage transactions ourselves (BEGIN IMMEDIATE for writes).
        db.isolation_level = None
        harden(db)
        db.execute("PRAGMA mmap_size=0")
        db.execute("PRAGMA foreign_keys=ON")
        quick_check(db, db_path)
        if not readonly:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
    except sqlite3.DatabaseError as exc:
        raise StoreCorrupt(
            f"cannot open {db_path} ({exc}); if the file is damaged, restore it from a backup "
            "or salvage it with the sqlite3 shell's .recover command"
        ) from exc
    return db


def harden(db: sqlite3.Connection) -> None:
    """Nothing in a store may run code or make SQLite read out of bounds
    (sqlite.org/security.html)."""
    db.execute("PRAGMA trusted_schema=OFF")
    db.execute("PRAGMA cell_size_check=ON")


def connect_readonly(db_path: Path) -> sqlite3.Connection:
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


def quick_check(db: sqlite3.Connection, db_path: Path) -> None:
    rows = [r[0] for r in db.execute("PRAGMA quick_check(5)")]
    if rows != ["ok"]:
        raise StoreCorrupt(
            f"store database {db_path} is damaged ({'; '.join(rows)}); restore it from a backup "
            "or salvage it with the sqlite3 shell's .recover command, then run 'provenance check --repair'"
        )


@contextlib.contextmanager
def transaction(db: sqlite3.Connection) -> Iterator[None]:
    """One write transaction (BEGIN IMMEDIATE): committed on success, rolled back otherwise."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
        crash_point("before-commit")
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def chunks(items: Sequence, size: int = MAX_PARAMS) -> Iterator[Sequence]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def select_in(db: sqlite3.Connection, sql: str, keys: Iterable, size: int = MAX_PARAMS) -> Iterator[sqlite3.Row]:
    """Rows of ``sql`` for every key, asked ``size`` keys at a time: ``sql`` holds ``{marks}``
    where the parameter list goes (``... WHERE id IN ({marks})``)."""
    keys = list(keys)
    for chunk in chunks(keys, size):
        yield from db.execute(sql.format(marks=",".join("?" * len(chunk))), chunk)


def bm25_search(db: sqlite3.Connection, query: str, k: int) -> list[tuple[int, float]]:
    """Top-``k`` (claim id, BM25 score) in the ``claims_fts`` table of ``db`` (a store's
    database, or a dataset store's lexical file), best first; scores are positive."""
    from ..lexical import BM25_WEIGHTS, fts_query

    expr = fts_query(query)
    if not expr or k < 1:
        return []
    rows = db.execute(
        "SELECT rowid, bm25(claims_fts, ?, ?) AS s FROM claims_fts WHERE claims_fts MATCH ? ORDER BY s LIMIT ?",
        (*BM25_WEIGHTS, expr, int(k)),
    ).fetchall()
    return [(int(r[0]), -float(r[1])) for r in rows]

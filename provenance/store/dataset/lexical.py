"""The lexical index of a dataset store: an SQLite FTS5 file beside the Parquet tables.

``trace`` ranks candidates by BM25 over each claim's normalised text and its document's title
(``provenance/lexical.py``). A dataset store answers with the same table as a SQLite store's
``claims_fts`` (same tokenizer, rowid = claim id), so a trace reads the same scores from either
kind. It is derived data written by one process at the end of a run: each run copies the last
committed file and adds its own claims, so a crash never touches the committed one.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from ..sqlite import bm25_search, harden

# The same table as migration m003_fts of the SQLite store.
FTS_TABLE = "CREATE VIRTUAL TABLE claims_fts USING fts5(norm, title, tokenize = 'porter unicode61 remove_diacritics 2')"


def build(path: Path, base: Path | None, rows: Iterable[tuple[int, str, str]]) -> None:
    """Write the lexical file at ``path``: ``base``'s claims (when given) and ``rows``
    (claim id, normalised text, document title)."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    if base is not None:
        shutil.copyfile(base, tmp)
    db = sqlite3.connect(tmp)
    try:
        if base is None:
            db.execute(FTS_TABLE)
        with db:
            db.executemany("INSERT INTO claims_fts (rowid, norm, title) VALUES (?, ?, ?)", rows)
    finally:
        db.close()
    tmp.replace(path)


class LexicalIndex:
    """Read-only BM25 search over a lexical file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db: sqlite3.Connection | None = None

    def search(self, query: str, k: int) -> list[tuple[int, float]]:
        if self._db is None:
            self._db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
            harden(self._db)
        return bm25_search(self._db, query, k)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

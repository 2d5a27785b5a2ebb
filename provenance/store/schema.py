"""The store's schema: numbered migrations, and creating a new database all or nothing.

``MIGRATIONS[i]`` takes a database from schema version ``i`` to ``i + 1`` inside one
transaction; ``PRAGMA user_version`` records how far a database has come, and a writer runs
whatever is missing when it opens a store. A reader never migrates (it asks a writer to).
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

from ..errors import StoreCorrupt
from .files import build_into_place
from .sqlite import transaction

log = logging.getLogger(__name__)

DB_NAME = "store.sqlite"


def run_script(db: sqlite3.Connection, script: str) -> None:
    # executescript() would COMMIT the migration's transaction half-way; run statements singly.
    script = re.sub(r"--[^\n]*", "", script)
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def m001_initial(db: sqlite3.Connection) -> None:
    run_script(
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
            hash TEXT PRIMARY KEY,            -- sha256 of the text the model read (textnorm.embedding_text)
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


def m002_attributions(db: sqlite3.Connection) -> None:
    # Who each claim credits (issue 3): its own sentence's credits and those it inherits from a
    # neighbouring sentence, so reports and traces need not re-read document texts.
    run_script(
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
    # The one upward import of the store, lazy: only an old store's upgrade needs the
    # credit patterns.
    from ..credits.claims import credits_for_claims

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


def m003_fts(db: sqlite3.Connection) -> None:
    # Lexical retrieval for trace: BM25 over each claim's normalised text and its document's
    # title. A plain (not external-content) FTS5 table, so SQLite keeps it consistent by itself;
    # claims indexed before this migration are added here, new ones by insert_claim. Rebuilt
    # from the claims if it exists already, so the migration can be re-run safely.
    run_script(
        db,
        """
        DROP TABLE IF EXISTS claims_fts;
        CREATE VIRTUAL TABLE claims_fts USING fts5(norm, title, tokenize = 'porter unicode61 remove_diacritics 2');
        INSERT INTO claims_fts (rowid, norm, title)
            SELECT c.id, c.norm, coalesce(d.title, '') FROM claims c JOIN documents d ON d.num = c.doc_num;
        """
    )


def m004_quote_units(db: sqlite3.Connection) -> None:
    # A quoted sentence inside a longer claim (a quote in an attributive frame, one sentence of a
    # multi-sentence quotation) is a claim of its own, linked to the claim that encloses it so
    # reports count it once (issue 13). Claims stored before have no units: parent stays NULL.
    # The embedding form is not migrated here: a store without the meta key 'embedding_form'
    # was embedded in form 1 (textnorm.embedding_text) and keeps it (pipeline.open_writer).
    if "parent" not in {r[1] for r in db.execute("PRAGMA table_info(claims)")}:  # safe to re-run
        run_script(db, "ALTER TABLE claims ADD COLUMN parent INTEGER REFERENCES claims(id)")


def m005_date_precision(db: sqlite3.Connection) -> None:
    # Issue 14: each document's date as precise as it was given (year / month / day / time),
    # its UTC offset when it gave one, and why its text contradicts it, so that witnesses the
    # dates cannot order are a tie instead of "earliest". Stores indexed before are filled from
    # the dates and texts they hold; a date-time they stored as "+00:00" may have had no zone
    # (those days were made UTC), and midnight at UTC is read as a day either way.
    have = {r[1] for r in db.execute("PRAGMA table_info(documents)")}
    for column in ("published_precision", "published_zone", "date_conflict"):
        # year / month / day / time; "+HH:MM" as given (NULL when none); why the text contradicts
        # its date. Added only when missing, so the migration can be re-run safely.
        if column not in have:
            db.execute(f"ALTER TABLE documents ADD COLUMN {column} TEXT")
    # Lazy upward imports, as in m002: only an old store's upgrade needs them.
    from ..dates import date_conflict, date_info, timestamp
    from ..origins import EARLIEST, TIE, order_origin
    from ..records import claim_node

    rows = db.execute("SELECT num, published, text FROM documents WHERE published IS NOT NULL").fetchall()
    for num, published, text in rows:
        info = date_info(published)
        db.execute(
            "UPDATE documents SET published_precision = ?, published_zone = ?, published_ts = ?, date_conflict = ? WHERE num = ?",
            (info.precision if info else None, info.zone if info else None, timestamp(published),
             date_conflict(text, published), num),
        )
    # Origins asserted on dates that cannot order their witnesses become ties. The origin claim
    # itself stays (the earliest by date is still the first of the tied); clusters whose origin
    # a credit decided keep it.
    docs = {r[0]: r[1:] for r in db.execute(
        "SELECT num, published_ts, published_precision, published_zone, date_conflict FROM documents")}
    members: dict[int, list[tuple[int, int]]] = {}
    for cluster_id, claim_id, doc_num in db.execute(
        "SELECT m.cluster_id, m.claim_id, c.doc_num FROM cluster_members m JOIN claims c ON c.id = m.claim_id "
        "JOIN clusters k ON k.id = m.cluster_id WHERE k.basis IN (?, 'ingest-order')", (EARLIEST,)
    ):
        members.setdefault(cluster_id, []).append((claim_id, doc_num))
    for cluster_id, items in members.items():
        nodes = {claim_id: claim_node(claim_id, doc_num, *docs[doc_num]) for claim_id, doc_num in items}
        _, basis, _ = order_origin(nodes)
        if basis == TIE:
            db.execute("UPDATE clusters SET basis = ? WHERE id = ?", (TIE, cluster_id))


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    m001_initial, m002_attributions, m003_fts, m004_quote_units, m005_date_precision,
]
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(db: sqlite3.Connection) -> None:
    """Run every migration the database lacks, each in its own transaction."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise StoreCorrupt(
            f"store schema version {version} is newer than this provenance understands "
            f"({SCHEMA_VERSION}); upgrade provenance"
        )
    for number, migration in enumerate(MIGRATIONS[version:], start=version + 1):
        with transaction(db):
            migration(db)
            db.execute(f"PRAGMA user_version = {number:d}")
        log.info("store schema migrated to version %d", number)


def create_database(folder: Path, meta: dict[str, str]) -> None:
    """Create store.sqlite with every migration and the meta record, all or nothing.

    It is built under a temporary name and renamed into place, so a crash during creation leaves
    no half-made store (only a temporary file the next writer removes).
    """

    def build(tmp: str) -> None:
        db = sqlite3.connect(tmp)
        try:
            db.isolation_level = None
            with transaction(db):
                for migration in MIGRATIONS:
                    migration(db)
                db.execute(f"PRAGMA user_version = {len(MIGRATIONS):d}")
                db.executemany("INSERT INTO meta(key, value) VALUES (?, ?)", meta.items())
            db.execute("PRAGMA journal_mode=WAL")
        finally:
            db.close()

    build_into_place(folder, DB_NAME, build, before_rename="create-before-rename")

"""The store's contents in outline, without document texts: what ``documents``, ``info`` and the
``index`` summary list and count."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class DocumentSummary:
    """A stored document's metadata and claim count (its text left in the database)."""

    num: int
    id: str
    title: str | None
    source: str | None
    published: str | None
    published_ts: float | None
    url: str | None
    origin: str | None  # the file (and line) it was read from
    claims: int


def document_summaries(db: sqlite3.Connection) -> list[DocumentSummary]:
    rows = db.execute(
        "SELECT d.num, d.id, d.title, d.source, d.published, d.published_ts, d.url, d.origin, "
        "(SELECT count(*) FROM claims c WHERE c.doc_num = d.num AND c.parent IS NULL) FROM documents d ORDER BY d.num"
    )
    return [DocumentSummary(*r) for r in rows]


def cluster_witnesses(db: sqlite3.Connection) -> Iterator[tuple[str, list[tuple[str, str | None]]]]:
    """Each stored cluster as (origin text, [(document id, outlet)] origin first, then by claim
    id): what :func:`provenance.visibility.shown` judges."""
    rows = db.execute(
        "SELECT cm.cluster_id, cm.claim_id = cl.origin_claim, c.text, d.id, d.source "
        "FROM cluster_members cm JOIN clusters cl ON cl.id = cm.cluster_id "
        "JOIN claims c ON c.id = cm.claim_id JOIN documents d ON d.num = c.doc_num "
        "ORDER BY cm.cluster_id, cm.claim_id = cl.origin_claim DESC, cm.claim_id"
    )
    current, text, witnesses = None, "", []
    for cluster_id, is_origin, claim_text, doc_id, source in rows:
        if cluster_id != current:
            if witnesses:
                yield text, witnesses
            current, text, witnesses = cluster_id, "", []
        if is_origin:
            text = claim_text
        witnesses.append((doc_id, source))
    if witnesses:
        yield text, witnesses

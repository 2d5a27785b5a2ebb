"""What a store holds, for a person: its documents listed, what reports show of its clusters,
and what its documents lack (``provenance documents``, ``provenance info``, the ``index``
summary)."""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass

from .store import Store
from .store.listing import DocumentSummary
from .visibility import Shown, shown
from .wording import plural


def shown_clusters(store: Store) -> Shown:
    """The clusters a report of ``store`` shows, what it hides, and the reused claims of each
    document, counted by the report's own rule (:mod:`provenance.visibility`)."""
    return shown(store.cluster_witnesses())


@dataclass(frozen=True)
class DocumentRow:
    """One line of ``provenance documents``."""

    id: str
    name: str  # the title, else the file it came from, else the id
    outlet: str | None
    published: str | None
    claims: int
    reused_claims: int
    location: str | None  # its URL, else the file (and line) it was read from

    def to_json(self) -> dict:
        return {
            "id": self.id, "name": self.name, "outlet": self.outlet, "published": self.published,
            "claims": self.claims, "reused_claims": self.reused_claims, "location": self.location,
        }  # fmt: skip


def document_rows(store: Store) -> list[DocumentRow]:
    """Every stored document in ingest order, with its claims and the claims reports count as
    reused."""
    reused = shown_clusters(store).reused
    return [_row(d, reused[d.id]) for d in store.document_summaries()]


def _row(d: DocumentSummary, reused: int) -> DocumentRow:
    name = d.title or (os.path.basename(d.origin) if d.origin and not d.origin.startswith("<") else None) or d.id
    return DocumentRow(d.id, name, d.source, d.published, d.claims, reused, d.url or d.origin)


def missing(store: Store) -> list[str]:
    """What the store's documents lack that the answers depend on, each with what it costs and
    how to add it; [] when nothing is missing."""
    docs = store.document_summaries()
    total = len(docs)
    lacking = Counter()
    for d in docs:
        lacking["published"] += d.published_ts is None
        lacking["source"] += not d.source
        lacking["title"] += not d.title
        lacking["claims"] += d.claims == 0
    out = []
    if lacking["published"]:
        out.append(
            f"{_of(lacking['published'], total)} no date (published): origins among them are ties, "
            "told apart only by the order they were indexed; add 'published: YYYY-MM-DD'"
        )
    if lacking["source"]:
        out.append(
            f"{_of(lacking['source'], total)} no outlet (source): reuse inside their outlet cannot be told "
            "from reuse across outlets, and credits naming their outlet cannot find them; add 'source: NAME'"
        )
    if lacking["title"]:
        out.append(f"{_of(lacking['title'], total)} no title: lists name them by their file; add 'title: ...'")
    if lacking["claims"]:
        out.append(f"{_of(lacking['claims'], total)} no claim (no sentence of four words or more)")
    behind = store.max_claim_id() - store.clustered_through()
    if behind > 0:
        out.append(f"clusters are behind the last {plural(behind, 'claim')}; the next index or 'check --repair' brings them up to date")
    return out


def _of(n: int, total: int) -> str:
    """"1 of 3 documents has", "142 of 300 documents have"."""
    return f"{n} of {plural(total, 'document')} {'has' if n == 1 else 'have'}"

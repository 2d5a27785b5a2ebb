"""The plain records that flow between the stages and the store.

Stages are small functions over these records (and numpy arrays); only :mod:`provenance.store`
turns them into SQL rows and back. Nothing here imports anything beyond the standard library,
so every layer can use them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

# How a member of a cluster was reused from its origin, weakest copy last. The report, the
# renderers and the matcher share this one vocabulary; ``origin`` marks the origin itself and
# ``related`` a trace candidate that is not the same claim.
RELATIONS = ("verbatim", "near-verbatim", "excerpt", "paraphrase")
ORIGIN = "origin"
RELATED = "related"


@dataclass(frozen=True)
class StoredDocument:
    num: int                      # ingest order, the store's key
    id: str                       # the contract's document id
    content_hash: str
    source: str | None
    title: str | None
    url: str | None
    published: str | None
    published_ts: float | None    # UTC seconds, for ordering; None when undated
    authors: list[str]
    metadata: dict
    text: str
    published_precision: str | None = None   # year / month / day / time (provenance.dates)
    published_zone: str | None = None        # the UTC offset the date gave, None when it gave none
    date_conflict: str | None = None         # why the text contradicts its date (then it orders nothing)
    path: str | None = None                  # the file (or stdin) it was read from

    def node(self, claim_id: int, parent: int | None = None) -> ClaimNode:
        """What ordering a claim of this document needs: its date, as far as the date goes (and,
        for a quote unit, the claim that encloses it)."""
        return claim_node(claim_id, self.num, self.published_ts, self.published_precision, self.published_zone,
                          self.date_conflict, parent)


@dataclass(frozen=True)
class DocRef:
    """What crediting needs of a stored document: where it lives and who published it."""

    num: int
    id: str
    source: str | None
    url: str | None
    published_ts: float | None = None


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
    parent: int | None = None     # the enclosing claim's id, for a quote unit (see segment.quote_units)


@dataclass(frozen=True)
class NewClaim:
    """A claim to insert: its document is identified by the document's position in the batch."""

    doc_index: int
    ordinal: int
    start: int
    end: int
    text: str
    norm: str
    hash: str                     # SHA-256 of the text the model embeds (textnorm.embedding_text)
    kind: str
    parent: int | None = None     # a quote unit's enclosing claim, by its ordinal in the document


@dataclass(frozen=True)
class Credit:
    """Who a claim credits: "according to X", a quote's speaker, a footnote, a URL."""

    cue: str                 # "according to", "said", "told", "interview", "report by", "footnote", "url", ...
    name: str                # the credited source as written (titles and articles trimmed)
    kind: str                # "person" | "organisation" | "outlet" | "document"
    start: int               # span of the name (or marker / URL) in the document text
    end: int
    document: str | None = None   # "report", "investigation", "news release" when a document is named
    url: str | None = None
    marker: str | None = None     # footnote marker, e.g. "13"
    scope: str = "sentence"       # "sentence", "previous" / "next" when inherited from a neighbour, "enclosing" for a quote unit's speaker


@dataclass(frozen=True)
class ClaimNode:
    """What clustering and choosing an origin need of a claim."""

    id: int
    doc_num: int                 # ingest order of the claim's document
    published_ts: float | None   # the document's date, UTC seconds; None when undated (or untrusted)
    precision: str = "time"      # how far the date goes: year / month / day / time
    offset: float | None = 0.0   # the UTC offset the date gave, in seconds; None when it gave none
    parent: int | None = None    # a quote unit's enclosing claim


def claim_node(claim_id: int, doc_num: int, published_ts: float | None, precision: str | None,
               zone: str | None, conflict: str | None, parent: int | None = None) -> ClaimNode:
    """A claim's place in time from its document's stored date: a date the text contradicts
    orders nothing, one without a UTC offset floats, one without a stored precision (a
    hand-made record) is an instant at UTC."""
    from .dates import offset_seconds

    offset = offset_seconds(zone) if precision is not None else 0.0
    return ClaimNode(claim_id, doc_num, None if conflict else published_ts, precision or "time", offset, parent)


@dataclass(frozen=True)
class Cluster:
    origin: int               # claim id of the origin
    basis: str                # why it is the origin ("tie" when the witnesses cannot be ordered)
    members: tuple[int, ...]  # claim ids, origin first, then in time order
    tied: tuple[int, ...] = ()  # with basis "tie": the members that could each be first


class Match(NamedTuple):
    """Two claims of different documents judged the same claim (``a < b`` once stored)."""

    a: int
    b: int
    cosine: float
    lexical: float
    relation: str


class ClusterRow(NamedTuple):
    id: int              # the origin claim's id, so ids stay stable
    origin_claim: int
    basis: str           # why that claim is the origin
    size: int


class MemberRow(NamedTuple):
    cluster_id: int
    claim_id: int
    similarity: float | None   # cosine to the origin (None for the origin itself)
    lexical: float | None
    relation: str

"""The tables of a dataset store as Arrow schemas, and their rows as the records stages use.

The tables mirror the SQLite store's (``store/schema.py``): documents, claims, vectors (one per
distinct normalised text, like ``embeddings``), matches, credits (``attributions``), clusters
and members (``cluster_members``), with the columns later migrations added (a quote unit's
``parent``; a document's date precision, offset and conflict). Two columns are added so that no read needs a join: a claim
carries its document's id (``doc_id``) and the number of its text's vector (``vid``); vectors
are numbered in the order their texts were first seen, so a claim's vector is one lookup by a
sorted key. Each table is kept sorted by its key (:data:`KEYS`), which lets a reader fetch
rows by key from only the Parquet row groups whose statistics span them.
"""

from __future__ import annotations

from typing import Any

import orjson
import pyarrow as pa

from ...records import ClusterRow, Credit, DocRef, Match, MemberRow, StoredClaim, StoredDocument
from .layout import DATASET_FORMAT, DATASET_SCHEMA_VERSION, TABLES

__all__ = ["DATASET_FORMAT", "DATASET_SCHEMA_VERSION", "TABLES", "KEYS"]

_s, _i, _f = pa.string(), pa.int64(), pa.float64()

DOCUMENTS = pa.schema(
    [("num", _i), ("id", _s), ("content_hash", _s), ("source", _s), ("title", _s), ("url", _s), ("published", _s),
     ("published_ts", _f), ("authors", _s), ("metadata", _s), ("origin", _s), ("text", _s), ("added_at", _s),
     ("published_precision", _s), ("published_zone", _s), ("date_conflict", _s)]
)  # fmt: skip
CLAIMS = pa.schema(
    [("id", _i), ("doc_num", _i), ("doc_id", _s), ("ordinal", _i), ("start", _i), ("end", _i), ("text", _s),
     ("norm", _s), ("hash", _s), ("kind", _s), ("vid", _i), ("parent", _i)]
)  # fmt: skip
MATCHES = pa.schema([("a", _i), ("b", _i), ("cosine", _f), ("lexical", _f), ("relation", _s)])
# ``seq`` keeps the order credits were found in, the SQLite table's rowid order.
CREDITS = pa.schema(
    [("claim_id", _i), ("doc_num", _i), ("seq", _i), ("cue", _s), ("name", _s), ("kind", _s), ("start", _i), ("end", _i),
     ("document", _s), ("url", _s), ("marker", _s), ("scope", _s)]
)  # fmt: skip
CLUSTERS = pa.schema([("id", _i), ("origin_claim", _i), ("basis", _s), ("size", _i)])
MEMBERS = pa.schema([("cluster_id", _i), ("claim_id", _i), ("similarity", _f), ("lexical", _f), ("relation", _s)])


def vectors_schema(dim: int) -> pa.Schema:
    return pa.schema([("vid", _i), ("hash", _s), ("vector", pa.list_(pa.float32(), dim))])


KEYS = {
    "documents": "num",
    "claims": "id",
    "vectors": "vid",
    "matches": "a",
    "credits": "claim_id",
    "clusters": "id",
    "members": "cluster_id",
}


def schema_of(table: str, dim: int) -> pa.Schema:
    fixed = {"documents": DOCUMENTS, "claims": CLAIMS, "matches": MATCHES, "credits": CREDITS,
             "clusters": CLUSTERS, "members": MEMBERS}  # fmt: skip
    return vectors_schema(dim) if table == "vectors" else fixed[table]


# ---- rows -> records ---------------------------------------------------------------------------


def stored_document(row: dict[str, Any]) -> StoredDocument:
    return StoredDocument(
        num=row["num"], id=row["id"], content_hash=row["content_hash"], source=row["source"], title=row["title"],
        url=row["url"], published=row["published"], published_ts=row["published_ts"],
        authors=orjson.loads(row["authors"]), metadata=orjson.loads(row["metadata"]), text=row["text"],
        published_precision=row["published_precision"], published_zone=row["published_zone"],
        date_conflict=row["date_conflict"], path=row["origin"],
    )  # fmt: skip


def doc_ref(row: dict[str, Any]) -> DocRef:
    return DocRef(row["num"], row["id"], row["source"], row["url"], row["published_ts"])


def stored_claim(row: dict[str, Any]) -> StoredClaim:
    return StoredClaim(
        id=row["id"], doc_num=row["doc_num"], doc_id=row["doc_id"], ordinal=row["ordinal"], start=row["start"],
        end=row["end"], text=row["text"], norm=row["norm"], parent=row["parent"],
    )  # fmt: skip


def credit(row: dict[str, Any]) -> Credit:
    return Credit(
        cue=row["cue"], name=row["name"], kind=row["kind"], start=row["start"], end=row["end"],
        document=row["document"], url=row["url"], marker=row["marker"], scope=row["scope"],
    )  # fmt: skip


def match(row: dict[str, Any]) -> Match:
    return Match(row["a"], row["b"], row["cosine"], row["lexical"], row["relation"])


def cluster_row(row: dict[str, Any]) -> ClusterRow:
    return ClusterRow(row["id"], row["origin_claim"], row["basis"], row["size"])


def member_row(row: dict[str, Any]) -> MemberRow:
    return MemberRow(row["cluster_id"], row["claim_id"], row["similarity"], row["lexical"], row["relation"])


# ---- records -> rows ---------------------------------------------------------------------------


def document_row(doc: Any, num: int, dates: tuple[Any, ...], added_at: str) -> dict[str, Any]:
    """The documents row of a :class:`~provenance.documents.Document` with its ``dates`` (what
    :func:`~provenance.pipeline.document_dates` gives ``Writer.insert_document``)."""
    published_ts, precision, zone, conflict = dates
    return {
        "num": num, "id": doc.id, "content_hash": doc.content_hash, "source": doc.source, "title": doc.title,
        "url": doc.url, "published": doc.published, "published_ts": published_ts, "published_precision": precision,
        "published_zone": zone, "date_conflict": conflict,
        "authors": orjson.dumps(list(doc.authors)).decode(),
        "metadata": orjson.dumps(doc.metadata, option=orjson.OPT_NON_STR_KEYS).decode(),
        "origin": doc.origin, "text": doc.text, "added_at": added_at,
    }  # fmt: skip


def credit_row(claim_id: int, doc_num: int, seq: int, c: Credit) -> dict[str, Any]:
    return {"claim_id": claim_id, "doc_num": doc_num, "seq": seq, "cue": c.cue, "name": c.name, "kind": c.kind,
            "start": c.start, "end": c.end, "document": c.document, "url": c.url, "marker": c.marker, "scope": c.scope}  # fmt: skip


def table_of(rows: list[dict[str, Any]] | list[tuple], schema: pa.Schema) -> pa.Table:
    """Rows (dicts, or tuples in the schema's column order) as a table of ``schema``."""
    if rows and not isinstance(rows[0], dict):
        rows = [dict(zip(schema.names, r)) for r in rows]
    return pa.Table.from_pylist(list(rows), schema=schema)

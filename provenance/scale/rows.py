"""The rows that travel between the Ray stages (Arrow tables), and back to records.

``parsed``: one row per input read (a document, or a rejection in its place); ``segmented``:
one row per new document with its number, its batch, its claims and its credits (nested lists),
from which the documents, claims and credits tables of the dataset store are cut.
"""

from __future__ import annotations

from typing import Any

import orjson
import pyarrow as pa

from ..documents import Document, Rejection
from ..records import Credit, NewClaim
from ..store.dataset import schema as sc

_s, _i = pa.string(), pa.int64()

PARSED = pa.schema(
    [("chunk", _i), ("seq", _i), ("is_doc", pa.bool_()), ("origin", _s), ("line", _i), ("reason", _s), ("id", _s),
     ("content_hash", _s), ("source", _s), ("title", _s), ("url", _s), ("published", _s), ("authors", _s),
     ("metadata", _s), ("text", _s), ("chars", _i)]
)  # fmt: skip

# ``parent``: a quote unit's enclosing claim by its ordinal in the document (NewClaim.parent).
CLAIM = pa.struct(
    [("ordinal", _i), ("start", _i), ("end", _i), ("text", _s), ("norm", _s), ("hash", _s), ("kind", _s), ("parent", _i)]
)
CREDIT = pa.struct(
    [("claim", _i), ("cue", _s), ("name", _s), ("kind", _s), ("start", _i), ("end", _i), ("document", _s), ("url", _s),
     ("marker", _s), ("scope", _s)]
)  # fmt: skip
SEGMENTED = pa.schema(
    list(sc.DOCUMENTS)
    + [("batch", _i), ("n_claims", _i), ("n_units", _i), ("hashes", pa.list_(_s)), ("claims", pa.list_(CLAIM)), ("credits", pa.list_(CREDIT))]
)
MATCH_ITEMS = pa.schema([("batch", _i), ("lo", _i), ("hi", _i)])
# A cluster stage's output: each member row with its cluster's row beside it.
CLUSTERED = pa.schema(list(sc.MEMBERS) + [("origin_claim", _i), ("basis", _s), ("size", _i)])


def parsed_row(chunk: int, seq: int, item: Document | Rejection) -> dict[str, Any]:
    if isinstance(item, Rejection):
        return {"chunk": chunk, "seq": seq, "is_doc": False, "origin": item.path, "line": item.line, "reason": item.reason}
    return {
        "chunk": chunk, "seq": seq, "is_doc": True, "origin": item.origin, "line": item.line, "id": item.id,
        "content_hash": item.content_hash, "source": item.source, "title": item.title, "url": item.url,
        "published": item.published, "authors": orjson.dumps(list(item.authors)).decode(),
        "metadata": orjson.dumps(item.metadata, option=orjson.OPT_NON_STR_KEYS).decode(), "text": item.text,
        "chars": len(item.text),
    }  # fmt: skip


def document_of(row: dict[str, Any]) -> Document:
    return Document(
        id=row["id"], text=row["text"], source=row["source"], title=row["title"], url=row["url"],
        published=row["published"], authors=tuple(orjson.loads(row["authors"])), metadata=orjson.loads(row["metadata"]),
        origin=row["origin"], line=row["line"], content_hash=row["content_hash"],
    )  # fmt: skip


def claim_struct(c: NewClaim) -> dict[str, Any]:
    return {"ordinal": c.ordinal, "start": c.start, "end": c.end, "text": c.text, "norm": c.norm, "hash": c.hash, "kind": c.kind,
            "parent": c.parent}  # fmt: skip


def credit_struct(local_claim: int, a: Credit) -> dict[str, Any]:
    return {"claim": local_claim, "cue": a.cue, "name": a.name, "kind": a.kind, "start": a.start, "end": a.end,
            "document": a.document, "url": a.url, "marker": a.marker, "scope": a.scope}  # fmt: skip


def credit_of(s: dict[str, Any]) -> Credit:
    return Credit(s["cue"], s["name"], s["kind"], s["start"], s["end"], s["document"], s["url"], s["marker"], s["scope"])

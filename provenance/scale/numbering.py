"""The driver's share of the work: numbers, exactly as one machine gives them.

One machine reads inputs in order, cuts them into batches (:func:`~provenance.batching.batches`),
keeps the documents the store lacks (:func:`~provenance.pipeline.new_documents`), and numbers
documents and claims in that order. Here the same loop runs over the light (id, content hash,
length) columns of what the workers read, with the same two functions, the batches cut as
``index --commit-every 0`` cuts them (by count and size, never by time: the matches do not
depend on the cuts, ``pairs.py``, and cutting where one machine cuts keeps even the last bit of
each cosine the same);
then claim ids follow from the claim counts, and each distinct text gets the number of its
vector (``vid``): the store's own for a text it has embedded before, else the next one in order
of first appearance. All of it is on column arrays (a few tens of bytes per claim); the texts
stay with the workers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..batching import CommitPacer, batches
from ..documents import Rejection
from ..pipeline import IndexSummary, new_documents


class _Key(NamedTuple):
    """What numbering needs of a document (``new_documents`` reads id, content_hash, origin,
    line; ``batches`` the length of its text)."""

    id: str
    content_hash: str
    origin: str
    line: int | None
    chunk: int
    seq: int
    chars: int

    @property
    def text(self) -> _Length:
        return _Length(self.chars)


class _Length:
    """Stands for a text the driver never holds: ``batches`` only takes its length."""

    def __init__(self, n: int) -> None:
        self.n = n

    def __len__(self) -> int:
        return self.n


class _Known:
    """The store as ``new_documents`` asks it: the content hash of a document id, if stored."""

    def __init__(self, stored: dict[str, str]) -> None:
        self.hashes = dict(stored)

    def document_hash(self, doc_id: str) -> str | None:
        return self.hashes.get(doc_id)


def assign_documents(
    inputs: pa.Table,
    stored_hashes: Callable[[Iterable[str]], dict[str, str]],
    max_doc_num: int,
    batch_documents: int,
    summary: IndexSummary,
) -> pa.Table:
    """(chunk, seq, num, batch) of every new document, in input order.

    ``inputs`` holds every input read (sorted by chunk, seq); ``stored_hashes`` gives the
    content hash of the ids the store already holds. Skipped documents and rejections are
    counted into ``summary`` as one machine counts them."""
    items: list[_Key | Rejection] = []
    for r in inputs.to_pylist():
        if r["is_doc"]:
            items.append(_Key(r["id"], r["content_hash"], r["origin"], r["line"], r["chunk"], r["seq"], r["chars"]))
        else:
            items.append(Rejection(r["origin"], r["line"], r["reason"]))
    known = _Known(stored_hashes({k.id for k in items if isinstance(k, _Key)}))
    out: list[tuple[int, int, int, int]] = []
    pacer = CommitPacer(seconds=0, max_documents=batch_documents, first_documents=batch_documents)
    for b, batch in enumerate(batches(items, pacer, summary.rejected, summary.skipped)):
        fresh = new_documents(known, batch, summary)  # type: ignore[arg-type]
        for doc in fresh:
            out.append((doc.chunk, doc.seq, max_doc_num + len(out) + 1, b))
            # One machine has committed the batch before it reads the next one.
            known.hashes[doc.id] = doc.content_hash
    summary.documents_added = len(out)
    names = ("chunk", "seq", "num", "batch")
    return pa.table({n: pa.array([r[i] for r in out], pa.int64()) for i, n in enumerate(names)})


@dataclass
class ClaimNumbers:
    first_ids: np.ndarray      # first claim id of each new document, by num - max_doc_num - 1
    claim_vids: np.ndarray     # vector number of each new claim, by id - max_claim_id - 1
    new_vectors: int           # distinct texts the store has no vector for (embedded now)


def number_claims(
    counts: pa.Table, max_claim_id: int, stored_vectors: pa.Table, vector_count: int
) -> ClaimNumbers:
    """Claim ids and vector numbers for the new documents' claims.

    ``counts``: (num, n_claims, hashes) of each new document, in number order;
    ``stored_vectors``: (vid, hash) of the vectors the store holds, ``vector_count`` of them."""
    n = counts["n_claims"].to_numpy()
    first_ids = max_claim_id + 1 + np.concatenate([[0], np.cumsum(n)[:-1]]).astype(np.int64) if len(n) else np.zeros(0, np.int64)
    hashes = pc.list_flatten(counts["hashes"]) if counts.num_rows else pa.chunked_array([], pa.string())
    encoded = pc.dictionary_encode(hashes).combine_chunks() if len(hashes) else None
    if encoded is None:
        return ClaimNumbers(first_ids, np.zeros(0, np.int64), 0)
    distinct, codes = encoded.dictionary, encoded.indices.to_numpy()
    where = pc.index_in(distinct, value_set=stored_vectors["hash"].combine_chunks())
    known = where.is_valid().to_numpy(zero_copy_only=False)
    positions = where.fill_null(0).to_numpy().astype(np.int64)
    vids = np.empty(len(distinct), dtype=np.int64)
    vids[known] = stored_vectors["vid"].to_numpy()[positions[known]]
    fresh = ~known
    # Texts new to the store get the next numbers, in order of first appearance (dictionary
    # encoding numbers distinct values in that order).
    vids[fresh] = vector_count + np.arange(int(fresh.sum()), dtype=np.int64)
    return ClaimNumbers(first_ids, vids[codes], int(fresh.sum()))


def first_claims_of_new_texts(ids: np.ndarray, vids: np.ndarray, vector_count: int) -> np.ndarray:
    """The claim ids whose text is embedded: the first claim of each vector number from
    ``vector_count`` on (``ids`` in increasing order)."""
    new = vids >= vector_count
    _, first = np.unique(vids[new], return_index=True)
    return ids[new][first]


def index_batches(batches: pa.Table) -> pa.Table:
    """(batch, lo, hi): the claim id range of each index batch's new claims, in batch order
    (a batch's claims are consecutive ids because its documents are consecutive numbers)."""
    grouped = batches.group_by("batch").aggregate([("lo", "min"), ("hi", "max")]).sort_by("batch")
    return pa.table({"batch": grouped["batch"], "lo": grouped["lo_min"], "hi": grouped["hi_max"]})

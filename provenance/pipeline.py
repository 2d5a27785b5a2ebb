"""The index job: documents -> claims -> vectors -> matches -> clusters, into one store.

Per batch of documents (:func:`_index_batch`), each stage a call with a named input and output:

    new_documents  documents             -> the ones the store lacks
    segment        documents             -> claims (NewClaim)
    embed          claims                -> one vector per claim (each distinct text once)
    find_matches   claims, neighbours    -> same-claim pairs (Match)
    attribute      documents, claims     -> who each claim credits (Credit)

then, once per run, :func:`finish_pending` clusters what changed (``incremental.py``:
cluster -> drop look-alikes -> credited origins) and writes the vector snapshot when due.

Each batch is one SQLite transaction: a crash loses at most the batch in flight, and running the
same ``index`` again finishes the job (documents already stored are skipped by id and content
hash).
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import BinaryIO

import numpy as np

from .cluster import DEFAULT_CLUSTER_SETTINGS, ClusterSettings
from .credits.claims import credits_for_claims
from .documents import Document, Rejection, read_inputs
from .embed import TORCH, Embedder, agreeing, canonical_model_name, load_encoder, prepare_query_encoder
from .errors import ModelMismatch
from .faults import crash_point
from .incremental import cluster_records, recluster_local, snapshot_due
from .match import DEFAULT_SETTINGS, MatchSettings, classify
from .records import Credit, Match, NewClaim, StoredClaim
from .segment import split_claims
from .store import Store

log = logging.getLogger(__name__)

# Neighbours fetched per new claim. Beyond this many earlier copies of one sentence the extra
# matches add nothing a cluster doesn't already show.
NEIGHBOURS = 32
BATCH_DOCUMENTS = 64
# Pairs inside a batch are scored this many cosines at a time (16 MB of float32).
BLOCK_ELEMENTS = 1 << 22
# Texts embedded per call: a huge document's claims are embedded in slices, not all at once.
EMBED_SLICE = 4096


@dataclass
class IndexSummary:
    documents_added: int = 0
    documents_skipped: int = 0
    claims_added: int = 0
    texts_embedded: int = 0
    matches_added: int = 0
    clusters: int = 0
    seconds: float = 0.0
    rejected: list[Rejection] = field(default_factory=list)

    def to_json(self) -> dict:
        """The contract's ``index --json`` object (plus a few extra figures)."""
        return {
            "documents_added": self.documents_added,
            "documents_skipped": self.documents_skipped,
            "claims_added": self.claims_added,
            "rejected": [{"path": r.path, "line": r.line, "reason": r.reason} for r in self.rejected],
            "texts_embedded": self.texts_embedded,
            "matches_added": self.matches_added,
            "clusters": self.clusters,
            "seconds": round(self.seconds, 3),
        }


def published_timestamp(published: str | None) -> float | None:
    """UTC seconds for an ISO 8601 date or date-time; a bare date counts as its midnight UTC."""
    if not published:
        return None
    try:
        dt = datetime.fromisoformat(published.replace("Z", "+00:00"))
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.timestamp()


def claim_hash(norm: str) -> str:
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


class _LazyEmbedder:
    """The store's model, loaded on the first text that needs embedding: re-indexing documents
    the store already holds then costs no model load at all."""

    def __init__(self, name: str, encoder: str = TORCH, device: str | None = None) -> None:
        self.name = name
        self.encoder = encoder
        self.device = device
        self._embedder: Embedder | None = None

    @property
    def loaded(self) -> bool:
        return self._embedder is not None

    def embed(self, texts: list[str]) -> np.ndarray:
        if self._embedder is None:
            self._embedder = load_encoder(self.name, self.encoder, self.device)
        return self._embedder.embed(texts)


def open_writer(
    store_path: str | Path, model: str | None, wait: bool = False, encoder: str = TORCH, device: str | None = None
) -> tuple[Store, Embedder]:
    """Open (or create) a store for writing together with the embedder it was built with."""
    if Store.exists(store_path):
        store = Store.open_for_writing(store_path, model=canonical_model_name(model) if model else None, wait=wait)
        if not agreeing(store.meta.get("encoder"), encoder) and not store.model.startswith("hashing-"):
            store.release()
            raise ModelMismatch(
                f"store {store_path} was built with encoder {store.meta.get('encoder')}; "
                f"index with --encoder {store.meta.get('encoder')}"
            )
        return store, _LazyEmbedder(store.model, encoder, device)  # type: ignore[return-value]
    embedder = load_encoder(model, encoder, device)
    store = Store.open_for_writing(
        store_path, model=embedder.name, dimension=embedder.dim, encoder=embedder.encoder, wait=wait
    )
    return store, embedder


def index_paths(
    store_path: str | Path,
    paths: Sequence[str],
    *,
    model: str | None = None,
    stdin: BinaryIO | None = None,
    wait: bool = False,
    batch_documents: int = BATCH_DOCUMENTS,
    match_settings: MatchSettings = DEFAULT_SETTINGS,
    cluster_settings: ClusterSettings = DEFAULT_CLUSTER_SETTINGS,
    progress: Callable[[int], None] | None = None,
    encoder: str = TORCH,
    device: str | None = None,
) -> IndexSummary:
    """Index every document under ``paths`` into the store at ``store_path``."""
    started = time.perf_counter()
    summary = IndexSummary()
    store, embedder = open_writer(store_path, model, wait=wait, encoder=encoder, device=device)
    touched: set[int] = set()  # ends of new matches: the clusters to update
    try:
        # Clusters are current up to here, so this run's clusters can be updated locally.
        clean_before = store.clustered_through() >= store.max_claim_id()
        for batch in _batches(read_inputs(paths, stdin=stdin), batch_documents, summary.rejected):
            _index_batch(store, embedder, batch, summary, match_settings, touched)
            if progress:
                progress(len(batch))
        summary.clusters = finish_pending(store, match_settings, cluster_settings, touched=touched, clean=clean_before)
    finally:
        store.release()
    summary.seconds = time.perf_counter() - started
    if summary.texts_embedded and getattr(embedder, "encoder", None) == TORCH and getattr(embedder, "loaded", True):
        # torch is loaded now anyway: make later trace processes torch-free (once per machine).
        prepare_query_encoder(store.model)
    return summary


def _batches(items: Iterable[Document | Rejection], size: int, rejected: list[Rejection]) -> Iterator[list[Document]]:
    """Documents in batches of ``size``; rejections go to ``rejected`` as they come."""
    batch: list[Document] = []
    for item in items:
        if isinstance(item, Rejection):
            rejected.append(item)
            log.debug("rejected %s:%s: %s", item.path, item.line, item.reason)
            continue
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _index_batch(
    store: Store,
    embedder: Embedder,
    docs: list[Document],
    summary: IndexSummary,
    settings: MatchSettings,
    touched: set[int] | None = None,
) -> None:
    """One batch, one transaction: read -> segment -> embed -> match -> attribute."""
    fresh = new_documents(store, docs, summary)
    if not fresh:
        return
    claims = segment(fresh)
    matrix, embedded = embed(store, embedder, claims)
    summary.texts_embedded += len(embedded)
    crash_point("embedded")
    with store.write() as w:
        doc_nums = [w.insert_document(d, published_timestamp(d.published)) for d in fresh]
        w.insert_embeddings(embedded.items())
        ids = w.insert_claims([(doc_nums[c.doc_index], c) for c in claims], vectors=matrix)
        claim_docs = np.array([doc_nums[c.doc_index] for c in claims], dtype=np.int64)
        texts = [c.text for c in claims]
        neighbours = store.vectors.search(matrix, NEIGHBOURS)
        stored = store.claims(candidate_ids(neighbours, settings))
        matches = find_matches(ids, claim_docs, texts, matrix, neighbours, stored, settings)
        w.insert_matches(matches)
        w.insert_credits(attribute(fresh, doc_nums, claims, ids))
    crash_point("after-commit")
    if touched is not None:
        touched.update(x for m in matches for x in (m.a, m.b))
    summary.documents_added += len(fresh)
    # The acknowledgement the crash tests read: these documents are committed.
    log.info("committed %d documents (%d this run)", len(fresh), summary.documents_added)
    summary.claims_added += len(claims)
    summary.matches_added += len(matches)


def new_documents(store: Store, docs: list[Document], summary: IndexSummary) -> list[Document]:
    """The documents the store does not hold yet. The same id with the same content is a no-op;
    the same id with other content is refused rather than silently replacing what users already
    traced."""
    fresh: list[Document] = []
    seen: dict[str, str] = {}
    for doc in docs:
        known = seen.get(doc.id) or store.document_hash(doc.id)
        if known is None:
            fresh.append(doc)
            seen[doc.id] = doc.content_hash
        elif known == doc.content_hash:
            summary.documents_skipped += 1
        else:
            summary.rejected.append(
                Rejection(
                    doc.origin,
                    doc.line,
                    f"document id {doc.id!r} is already indexed with different text; give this version its own id",
                )
            )
    return fresh


def segment(docs: Sequence[Document]) -> list[NewClaim]:
    """Every claim of the documents, each tagged with its document's position in ``docs``."""
    return [
        NewClaim(di, c.ordinal, c.start, c.end, c.text, c.norm, claim_hash(c.norm), c.kind)
        for di, doc in enumerate(docs)
        for c in split_claims(doc.text)
    ]


def embed(
    store: Store, embedder: Embedder, claims: Sequence[NewClaim], slice_size: int | None = None
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """One vector per claim, and the vectors computed now by normalised-text hash: each
    distinct text is embedded once per store, ever, ``slice_size`` texts per call."""
    known = store.known_hashes(c.hash for c in claims)
    todo: dict[str, str] = {}
    for c in claims:
        if c.hash not in known and c.hash not in todo:
            todo[c.hash] = c.norm
    hashes = list(todo)
    fresh: dict[str, np.ndarray] = {}
    slice_size = slice_size or EMBED_SLICE
    for at in range(0, len(hashes), slice_size):
        part = hashes[at : at + slice_size]
        fresh.update(zip(part, embedder.embed([todo[h] for h in part])))
    matrix = np.empty((len(claims), store.dim), dtype=np.float32)
    for i, c in enumerate(claims):
        matrix[i] = fresh[c.hash] if c.hash in fresh else known[c.hash]
    return matrix, fresh


def candidate_ids(neighbours: tuple[np.ndarray, np.ndarray], settings: MatchSettings) -> set[int]:
    """The stored claims close enough to some new claim to be judged against it."""
    sims, nbrs = neighbours
    return {int(x) for x in nbrs[sims >= settings.candidate_cosine].ravel() if x >= 0} if nbrs.size else set()


def find_matches(
    ids: np.ndarray,
    doc_nums: np.ndarray,
    texts: list[str],
    matrix: np.ndarray,
    neighbours: tuple[np.ndarray, np.ndarray],
    stored: dict[int, StoredClaim],
    settings: MatchSettings,
    block_rows: int | None = None,
) -> list[Match]:
    """Same-claim pairs between the new claims and (a) their stored ``neighbours`` (FAISS
    cosines and ids, the claims in ``stored``), (b) each other.

    Pairs inside one document are never matches: a document repeating itself is not reuse.
    """
    out: dict[tuple[int, int], Match] = {}

    def consider(i: int, other_id: int, other_doc: int, other_text: str, cos: float) -> None:
        if other_doc == doc_nums[i] or cos < settings.candidate_cosine:
            return
        a, b = int(ids[i]), int(other_id)
        key = (min(a, b), max(a, b))
        if key in out:
            return
        relation, lexical = classify(texts[i], other_text, float(cos), settings)
        if relation is not None:
            out[key] = Match(key[0], key[1], float(cos), float(lexical), relation)

    sims, nbrs = neighbours
    if nbrs.size:
        # Row-major order of the candidates is the order the nested loop over (claim,
        # neighbour) used to take, so the first pair found for a key stays the one kept.
        rows_i, cols_k = np.nonzero((sims >= settings.candidate_cosine) & (nbrs >= 0))
        for i, k in zip(rows_i.tolist(), cols_k.tolist()):
            other = stored[int(nbrs[i, k])]
            consider(i, other.id, other.doc_num, other.text, float(sims[i, k]))
    for i, j, cos in batch_pairs(matrix, doc_nums, settings.candidate_cosine, block_rows):
        consider(i, int(ids[j]), int(doc_nums[j]), texts[j], cos)
    return list(out.values())


def batch_pairs(
    matrix: np.ndarray, doc_nums: np.ndarray, min_cosine: float, block_rows: int | None = None
) -> Iterator[tuple[int, int, float]]:
    """(i, j, cosine) for the pairs of new claims i < j from different documents with cosine
    at least ``min_cosine``, in row-major order; each claim's best :data:`NEIGHBOURS` at most,
    as for the stored ones.

    The whole product is quadratic in the batch (one 20 MB document of 10,000 claims made a
    400 MB matrix and 50 M candidate pairs), so each run of one document's claims is scored, a
    block of rows at a time, only against the claims after the run: memory stays within
    :data:`BLOCK_ELEMENTS` cosines, and a document alone in its batch costs nothing.
    """
    n = len(matrix)
    run_start = 0
    while run_start < n - 1:
        run_end = run_start + 1
        while run_end < n and doc_nums[run_end] == doc_nums[run_start]:
            run_end += 1
        others = matrix[run_end:]
        rows = block_rows or max(1, BLOCK_ELEMENTS // max(len(others), 1))
        for r0 in range(run_start, run_end, rows):
            r1 = min(r0 + rows, run_end)
            yield from _block_pairs(matrix[r0:r1] @ others.T, r0, run_end, doc_nums, min_cosine)
        run_start = run_end


def _block_pairs(block: np.ndarray, r0: int, c0: int, doc_nums: np.ndarray, min_cosine: float) -> Iterator[tuple[int, int, float]]:
    """The candidate pairs in ``block``: rows are claims ``r0...``, columns claims ``c0...``."""
    keep = block >= min_cosine
    # A document's claims need not be contiguous: its later claims are still not its reuse.
    keep &= doc_nums[c0 : c0 + block.shape[1]][None, :] != doc_nums[r0 : r0 + block.shape[0]][:, None]
    for i in np.flatnonzero(keep.any(axis=1)).tolist():
        cols = np.flatnonzero(keep[i])
        if len(cols) > NEIGHBOURS:
            best = np.argsort(-block[i, cols], kind="stable")[:NEIGHBOURS]
            cols = np.sort(cols[best])
        for c in cols.tolist():
            yield r0 + i, c0 + c, float(block[i, c])


def attribute(docs: Sequence[Document], doc_nums: Sequence[int], claims: Sequence[NewClaim], ids: np.ndarray) -> list[tuple[int, int, Credit]]:
    """(claim id, doc num, credit) for who each new claim credits (credits/extract.py)."""
    by_doc: dict[int, list[tuple[NewClaim, int]]] = {}
    for c, cid in zip(claims, ids.tolist()):
        by_doc.setdefault(c.doc_index, []).append((c, cid))
    rows = []
    for di, doc in enumerate(docs):
        items = by_doc.get(di, [])
        if not items:
            continue
        try:
            found = credits_for_claims(doc.text, [(c.start, c.end) for c, _ in items])
        except Exception:  # a pattern bug must never cost the document its claims
            log.exception("attribution failed for %s; indexed without credits", doc.id)
            continue
        rows.extend((cid, doc_nums[di], a) for (_, cid), credits in zip(items, found) for a in credits)
    return rows


def finish_pending(
    store: Store,
    match_settings: MatchSettings = DEFAULT_SETTINGS,
    cluster_settings: ClusterSettings = DEFAULT_CLUSTER_SETTINGS,
    *,
    touched: set[int] | None = None,
    clean: bool = False,
) -> int:
    """Bring clusters and the vector snapshot up to the last committed claim.

    Claims are committed batch by batch; clustering and the snapshot follow at the end of a run.
    A run killed in between left them behind, and this (run by every index, even one with
    nothing new) finishes that work. When clusters were current when this run began (``clean``)
    only the components holding ``touched`` claims are rebuilt. Returns the number of clusters.
    """
    last = store.max_claim_id()
    if store.clustered_through() < last:
        if clean and touched is not None:
            clusters = recluster_local(store, touched, match_settings, cluster_settings)
        else:
            if store.clustered_through():
                log.warning("clusters are behind the committed claims (an earlier run was interrupted); reclustering")
            clusters = recluster(store, match_settings, cluster_settings)
    else:
        clusters = store.cluster_count()
    if last:
        # Loading verifies the snapshot; a missing or damaged one is rebuilt and then saved.
        store.vectors.index()
        if store.vectors.rebuilt or snapshot_due(store):
            store.vectors.save_snapshot()
    return clusters


def recluster(
    store: Store,
    match_settings: MatchSettings = DEFAULT_SETTINGS,
    cluster_settings: ClusterSettings = DEFAULT_CLUSTER_SETTINGS,
) -> int:
    """Rebuild every cluster from the stored matches; returns the number of clusters."""
    rows, members = cluster_records(store, store.all_matches(), match_settings, cluster_settings)
    with store.write() as w:
        w.replace_clusters(rows, members)
    return len(rows)

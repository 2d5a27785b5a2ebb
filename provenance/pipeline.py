"""The index job: documents -> claims -> vectors -> matches -> clusters, into one store.

Per batch of documents (:func:`_index_batch`), each stage a call with a named input and output:

    new_documents  documents             -> the ones the store lacks
    segment        documents             -> claims (NewClaim)
    embed          claims                -> one vector per claim (each distinct text once)
    find_matches   claims, neighbours    -> same-claim pairs (Match)      (pairs.py)
    attribute      documents, claims     -> who each claim credits (Credit)
    update_clusters  new matches         -> the clusters of the components they touch
                                            (incremental.py: cluster -> drop look-alikes ->
                                            credited origins)

then, once per run, :func:`finish_pending` writes the vector snapshot when due.

Each batch is one SQLite transaction, clusters included, so every committed state has clusters
that match its matches; a crash loses at most the batch in flight, and running the same
``index`` again finishes the job (documents already stored are skipped by id and content hash).
Batches are sized by time as well as by count (``batching.py``), so an interrupt loses seconds
of work, and memory is bounded by the batch, not by a document's size (claims are embedded in
slices and scored against each other in blocks).
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import numpy as np

from .batching import MAX_BATCH_DOCUMENTS, CommitPacer, batches
from .cluster import DEFAULT_CLUSTER_SETTINGS, ClusterSettings
from .credits.claims import credits_for_claims, unit_credits
from .dates import date_conflict, date_info, timestamp
from .documents import Document, Rejection, Skipped, read_inputs
from .embed import TORCH, Embedder, agreeing, canonical_model_name, load_encoder, prepare_query_encoder
from .errors import EmbeddingFormMismatch, ModelMismatch
from .faults import crash_point
from .incremental import cluster_records, snapshot_due, update_clusters
from .inventory import shown_clusters
from .match import DEFAULT_SETTINGS, MatchSettings
from .pairs import NEIGHBOURS, candidate_ids, find_matches
from .records import Credit, NewClaim
from .segment import Claim, quote_units, split_claims
from .store import Store, Writer
from .textnorm import EMBEDDING_FORM, embedding_text

log = logging.getLogger(__name__)

BATCH_DOCUMENTS = MAX_BATCH_DOCUMENTS
# Texts embedded per call: a huge document's claims are embedded in slices, not all at once.
EMBED_SLICE = 4096

#: Told what an index run is doing, for a person watching ("loading the embedding model").
Stage = Callable[[str], None]


@dataclass
class IndexSummary:
    documents_added: int = 0
    documents_skipped: int = 0
    claims_added: int = 0          # sentences, headlines, list items: what reports count as claims
    quote_units_added: int = 0     # quoted sentences stored as claims inside those (segment.quote_units)
    texts_embedded: int = 0
    matches_added: int = 0
    clusters: int = 0  # as reports show them (visibility.py); hidden ones counted apart
    clusters_hidden: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    rejected: list[Rejection] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def found_nothing(self) -> bool:
        """No document at all under the paths given (not even one indexed before)."""
        return not (self.documents_added or self.documents_skipped)

    def to_json(self) -> dict:
        """The contract's ``index --json`` object (plus a few extra figures)."""
        return {
            "documents_added": self.documents_added,
            "documents_skipped": self.documents_skipped,
            "claims_added": self.claims_added,
            "quote_units_added": self.quote_units_added,
            "rejected": [{"path": r.path, "line": r.line, "reason": r.reason} for r in self.rejected],
            "files_skipped": [{"path": f.path, "reason": f.reason} for f in self.skipped],
            "texts_embedded": self.texts_embedded,
            "matches_added": self.matches_added,
            "clusters": self.clusters,
            "clusters_hidden": self.clusters_hidden,
            "seconds": round(self.seconds, 3),
        }


def insert_document(w: Writer, doc: Document) -> int:
    """Store a document with its date as precise as it was given (provenance.dates)."""
    info = date_info(doc.published)
    return w.insert_document(
        doc, timestamp(doc.published), info.precision if info else None, info.zone if info else None,
        date_conflict(doc.text, doc.published),
    )


def claim_hash(text: str) -> str:
    """The key of a stored vector: SHA-256 of the text the model read (``embedding_text``)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class _LazyEmbedder:
    """The store's model, loaded on the first text that needs embedding: re-indexing documents
    the store already holds then costs no model load at all."""

    def __init__(self, name: str, encoder: str = TORCH, device: str | None = None, stage: Stage | None = None) -> None:
        self.name = name
        self.encoder = encoder
        self.device = device
        self.stage = stage
        self.load_seconds = 0.0
        self._embedder: Embedder | None = None

    @property
    def loaded(self) -> bool:
        return self._embedder is not None

    def embed(self, texts: list[str]) -> np.ndarray:
        if self._embedder is None:
            started = time.perf_counter()
            if self.stage:
                self.stage(f"loading the embedding model ({self.name})")
            self._embedder = load_encoder(self.name, self.encoder, self.device)
            if self.stage:
                self.stage("indexing")
            self.load_seconds = time.perf_counter() - started
        return self._embedder.embed(texts)


def open_writer(
    store_path: str | Path,
    model: str | None,
    wait: bool = False,
    encoder: str = TORCH,
    device: str | None = None,
    stage: Stage | None = None,
) -> tuple[Store, Embedder]:
    """Open (or create) a store for writing together with the embedder it was built with."""
    if Store.exists(store_path):
        store = Store.open_for_writing(store_path, model=canonical_model_name(model) if model else None, wait=wait)
        if store.embedding_form != EMBEDDING_FORM:
            store.release()
            raise EmbeddingFormMismatch(str(store_path), store.embedding_form, EMBEDDING_FORM)
        if not agreeing(store.meta.get("encoder"), encoder) and not store.model.startswith("hashing-"):
            store.release()
            raise ModelMismatch(
                f"store {store_path} was built with encoder {store.meta.get('encoder')}; "
                f"index with --encoder {store.meta.get('encoder')}"
            )
        return store, _LazyEmbedder(store.model, encoder, device, stage)  # type: ignore[return-value]
    if stage:
        stage(f"loading the embedding model ({canonical_model_name(model)})")
    embedder = load_encoder(model, encoder, device)
    store = Store.open_for_writing(
        store_path, model=embedder.name, dimension=embedder.dim, encoder=embedder.encoder, wait=wait
    )
    if stage:
        stage("indexing")
    return store, embedder


class _Writing:
    """The store an index run writes: opened at the start when it exists (so a busy store is
    known at once), created only when the first document to index arrives (paths that hold
    nothing indexable load no model and leave no empty store behind)."""

    def __init__(self, store_path: str | Path, model: str | None, wait: bool, encoder: str, device: str | None, stage: Stage) -> None:
        self.path = store_path
        self.model = model
        self._options = {"wait": wait, "encoder": encoder, "device": device, "stage": stage}
        self.store: Store | None = None
        self.embedder: Embedder | None = None
        if Store.exists(store_path):
            self.open()

    def open(self) -> tuple[Store, Embedder]:
        if self.store is None or self.embedder is None:
            self.store, self.embedder = open_writer(self.path, self.model, **self._options)
        return self.store, self.embedder

    def release(self) -> None:
        if self.store is not None:
            self.store.release()


def index_paths(
    store_path: str | Path,
    paths: Sequence[str],
    *,
    model: str | None = None,
    stdin: BinaryIO | None = None,
    wait: bool = False,
    batch_documents: int | None = None,
    pacer: CommitPacer | None = None,
    match_settings: MatchSettings = DEFAULT_SETTINGS,
    cluster_settings: ClusterSettings = DEFAULT_CLUSTER_SETTINGS,
    progress: Callable[[int], None] | None = None,
    stage: Stage | None = None,
    encoder: str = TORCH,
    device: str | None = None,
) -> IndexSummary:
    """Index every document under ``paths`` into the store at ``store_path``.

    Batches are sized by :class:`~provenance.batching.CommitPacer` (``batch_documents`` fixes
    their size instead), and each commits with its clusters current. ``progress`` is told how
    many documents each batch indexed, ``stage`` what the run is doing ("loading the embedding
    model", "indexing", "saving the vector snapshot").
    """
    started = time.perf_counter()
    summary = IndexSummary()
    say: Stage = stage or (lambda _text: None)
    if pacer is None:
        pacer = CommitPacer()
        if batch_documents:
            pacer.first_documents = pacer.max_documents = batch_documents
    say("reading documents")
    writing = _Writing(store_path, model, wait, encoder, device, say)
    try:
        for batch in batches(read_inputs(paths, stdin=stdin), pacer, summary.rejected, summary.skipped):
            store, embedder = writing.open()
            say("indexing")
            began, loading = time.perf_counter(), getattr(embedder, "load_seconds", 0.0)
            clustering = _index_batch(store, embedder, batch, summary, match_settings, cluster_settings)
            loaded = getattr(embedder, "load_seconds", 0.0) - loading
            pacer.record(sum(len(d.text) for d in batch), time.perf_counter() - began - loaded, clustering)
            if progress:
                progress(len(batch))
        if writing.store is not None:
            finish_pending(writing.store, match_settings, cluster_settings, stage=say)
            seen = shown_clusters(writing.store)
            summary.clusters, summary.clusters_hidden = seen.clusters, dict(seen.hidden)
    finally:
        writing.release()
    summary.seconds = time.perf_counter() - started
    embedder = writing.embedder
    if summary.texts_embedded and getattr(embedder, "encoder", None) == TORCH and getattr(embedder, "loaded", True):
        # torch is loaded now anyway: make later trace processes torch-free (once per machine).
        prepare_query_encoder(embedder.name)  # type: ignore[union-attr]
    return summary


def _index_batch(
    store: Store,
    embedder: Embedder,
    docs: list[Document],
    summary: IndexSummary,
    settings: MatchSettings,
    cluster_settings: ClusterSettings = DEFAULT_CLUSTER_SETTINGS,
) -> float:
    """One batch, one transaction: read -> segment -> embed -> match -> attribute, then the
    clusters of the components the new matches touch, so every committed batch has current
    clusters. Returns the seconds the clusters took (a cost that does not grow with the batch)."""
    fresh = new_documents(store, docs, summary)
    if not fresh:
        return 0.0
    claims = segment(fresh)
    matrix, embedded = embed(store, embedder, claims)
    summary.texts_embedded += len(embedded)
    crash_point("embedded")
    clustered_before = store.clustered_through() >= store.max_claim_id()
    with store.write() as w:
        doc_nums = [insert_document(w, d) for d in fresh]
        w.insert_embeddings(embedded.items())
        ids = w.insert_claims([(doc_nums[c.doc_index], c) for c in claims], vectors=matrix)
        claim_docs = np.array([doc_nums[c.doc_index] for c in claims], dtype=np.int64)
        texts = [c.text for c in claims]
        neighbours = store.vectors.search(matrix, NEIGHBOURS)
        stored = store.claims(candidate_ids(neighbours, settings))
        matches = find_matches(ids, claim_docs, texts, matrix, neighbours, stored, settings)
        w.insert_matches(matches)
        w.insert_credits(attribute(fresh, doc_nums, claims, ids))
        touched = {x for m in matches for x in (m.a, m.b)}
        began = time.perf_counter()
        update_clusters(store, w, touched, clustered_before, settings, cluster_settings)
        clustering = time.perf_counter() - began
    crash_point("after-commit")
    summary.documents_added += len(fresh)
    # The acknowledgement the crash tests read: these documents are committed.
    log.info("committed %d documents (%d this run)", len(fresh), summary.documents_added)
    units = sum(1 for c in claims if c.parent is not None)
    summary.claims_added += len(claims) - units
    summary.quote_units_added += units
    summary.matches_added += len(matches)
    return clustering


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
    """Every claim of the documents, each tagged with its document's position in ``docs``: the
    sentences, headlines and list items, then the quote units inside them (their ``parent`` the
    enclosing claim's ordinal)."""
    return [
        NewClaim(di, c.ordinal, c.start, c.end, c.text, c.norm, claim_hash(embedding_text(c.norm)), c.kind, c.parent)
        for di, doc in enumerate(docs)
        for c in claims_of(doc.text)
    ]


def claims_of(text: str) -> list[Claim]:
    """A text's claims as the index stores them: the claims, then the quote units inside them."""
    claims = split_claims(text)
    return [*claims, *quote_units(text, claims)]


def embed(
    store: Store, embedder: Embedder, claims: Sequence[NewClaim], slice_size: int | None = None
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """One vector per claim, and the vectors computed now by the hash of what the model reads
    (``textnorm.embedding_text``): each distinct text is embedded once per store, ever, and a
    quote and the same words in another outlet's quotation marks share one vector;
    ``slice_size`` texts per call."""
    known = store.known_hashes(c.hash for c in claims)
    todo: dict[str, str] = {}
    for c in claims:
        if c.hash not in known and c.hash not in todo:
            todo[c.hash] = embedding_text(c.norm)
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


def attribute(docs: Sequence[Document], doc_nums: Sequence[int], claims: Sequence[NewClaim], ids: np.ndarray) -> list[tuple[int, int, Credit]]:
    """(claim id, doc num, credit) for who each new claim credits (credits/extract.py); a quote
    unit takes its enclosing claim's speaker (credits/claims.py ``unit_credits``)."""
    by_doc: dict[int, list[tuple[NewClaim, int]]] = {}
    for c, cid in zip(claims, ids.tolist()):
        by_doc.setdefault(c.doc_index, []).append((c, cid))
    rows = []
    for di, doc in enumerate(docs):
        items = by_doc.get(di, [])
        whole = [(c, cid) for c, cid in items if c.parent is None]
        if not whole:
            continue
        try:
            found = credits_for_claims(doc.text, [(c.start, c.end) for c, _ in whole])
            by_ordinal = {c.ordinal: (c, credits) for (c, _), credits in zip(whole, found)}
            units = [(c, cid, unit_credits(doc.text, (c.start, c.end), *_span_and_credits(by_ordinal[c.parent])))
                     for c, cid in items if c.parent is not None]
        except Exception:  # a pattern bug must never cost the document its claims
            log.exception("attribution failed for %s; indexed without credits", doc.id)
            continue
        rows.extend((cid, doc_nums[di], a) for (_, cid), credits in zip(whole, found) for a in credits)
        rows.extend((cid, doc_nums[di], a) for _, cid, credits in units for a in credits)
    return rows


def _span_and_credits(item: tuple[NewClaim, list[Credit]]) -> tuple[tuple[int, int], list[Credit]]:
    claim, credits = item
    return (claim.start, claim.end), credits


def finish_pending(
    store: Store,
    match_settings: MatchSettings = DEFAULT_SETTINGS,
    cluster_settings: ClusterSettings = DEFAULT_CLUSTER_SETTINGS,
    *,
    stage: Stage | None = None,
) -> int:
    """Bring clusters and the vector snapshot up to the last committed claim; returns the
    number of stored clusters.

    Every batch commits with its clusters, so they are behind only in a store an older version
    left so; the snapshot (a full copy of the index) is written when due, and a missing or
    damaged one is rebuilt. Every index run ends here, even one with nothing new.
    """
    last = store.max_claim_id()
    if store.clustered_through() < last:
        if stage:
            stage("bringing the clusters up to date")
        log.warning("clusters are behind the committed claims (an earlier run was interrupted); reclustering")
        recluster(store, match_settings, cluster_settings)
    if last:
        # Loading verifies the snapshot; a missing or damaged one is rebuilt and then saved.
        store.vectors.index()
        if store.vectors.rebuilt or snapshot_due(store):
            if stage:
                stage("saving the vector snapshot")
            store.vectors.save_snapshot()
    return store.cluster_count()


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

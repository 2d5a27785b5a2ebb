"""The work of each Ray Data stage: functions over Arrow batches that call the one-machine stages.

Every function here takes a batch (a ``pyarrow.Table``) and returns one, so Ray Data can run it
on any worker; what it computes comes from the same functions ``pipeline.py`` calls:
:func:`~provenance.pipeline.segment` and :func:`~provenance.pipeline.attribute` (per
document), the embedder of :func:`~provenance.embed.load_encoder`,
:func:`~provenance.pairs.find_matches` (each claim's candidates and the same-claim judge) and
:func:`~provenance.incremental.cluster_records` (clusters, look-alikes, credited origins).
Stages that read stored claims read them through a :class:`~provenance.store.dataset.reader.
DatasetStore` over the committed tables plus what this run has written, the read interface the
one-machine stages use on a SQLite store.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pyarrow as pa

from ..cluster import ClusterSettings
from ..incremental import cluster_records
from ..match import MatchSettings
from ..pairs import NEIGHBOURS, candidate_ids, find_matches
from ..pipeline import attribute, document_dates, segment
from ..records import Match, NewClaim
from ..store.dataset import ann
from ..store.dataset import schema as sc
from ..store.dataset.reader import DatasetStore
from ..store.vectorindex import search_threads
from ..store.writer import parent_ids
from ..textnorm import embedding_text
from . import rows as rw
from .inputs import chunk_from_spec, read_chunk

# Per worker process: the run's view of the store and objects fetched from the object store.
_VIEWS: dict[str, DatasetStore] = {}
_OBJECTS: dict[str, Any] = {}


def _timed(stage: str, clock: Any, units: int, started: tuple[float, float]) -> None:
    """Report ``units`` of work done by ``stage`` since ``started`` (from :func:`_now`)."""
    if clock is not None:
        clock.add.remote(stage, time.perf_counter() - started[0], units, time.process_time() - started[1])


def _now() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def _view(store: str, manifest: dict[str, Any]) -> DatasetStore:
    """The store as ``manifest`` lists it, opened once per worker process (its row-group cache
    then serves every batch the worker gets)."""
    import hashlib
    from pathlib import Path

    import orjson

    key = store + hashlib.sha256(orjson.dumps(manifest["tables"])).hexdigest()
    if key not in _VIEWS:
        _VIEWS.clear()
        _VIEWS[key] = DatasetStore.from_manifest(Path(store), manifest)
    return _VIEWS[key]


def _use_judge(judge: str) -> None:
    """Decide same-claim pairs with the driver's judge (``match.classify`` reads it from
    ``$PROVENANCE_JUDGE``, once per value): a worker's own environment may say otherwise."""
    import os

    os.environ["PROVENANCE_JUDGE"] = judge


def _get(ref: Any, convert: Callable[[Any], Any] | None = None) -> Any:
    """The object behind ``ref`` (fetched once per process; zero-copy for arrays), converted
    once by ``convert`` when given."""
    import ray

    if not isinstance(ref, ray.ObjectRef):
        return ref
    key = ref.hex()
    if key not in _OBJECTS:
        if len(_OBJECTS) > 8:
            _OBJECTS.clear()
        value = ray.get(ref)
        _OBJECTS[key] = convert(value) if convert else value
    return _OBJECTS[key]


# ---- read ---------------------------------------------------------------------------------------


def parse_chunks(batch: pa.Table, clock: Any = None) -> pa.Table:
    """Every input of the batch's chunks, in order, one row each (document or rejection)."""
    started = _now()
    out = []
    for chunk, spec in zip(batch["chunk"].to_pylist(), batch["spec"].to_pylist()):
        out.extend(rw.parsed_row(chunk, seq, item) for seq, item in enumerate(read_chunk(chunk_from_spec(spec))))
    _timed("read", clock, len(out), started)
    return pa.Table.from_pylist(out, schema=rw.PARSED)


# ---- segment and credits ----------------------------------------------------------------------------


def segment_documents(batch: pa.Table, fresh: Any, added_at: str, clock: Any = None) -> pa.Table:
    """The new documents among the batch's inputs, each with its number, batch, claims
    (:func:`~provenance.pipeline.segment`) and credits (:func:`~provenance.pipeline.attribute`)."""
    started = _now()
    plan = _get(fresh)  # (chunk, seq) -> (num, batch) of every new document
    chunks = set(batch["chunk"].to_pylist())
    wanted = {(c, s): (n, b) for c, s, n, b in _rows(plan, chunks)}
    out = []
    for row in batch.to_pylist():
        hit = wanted.get((row["chunk"], row["seq"]))
        if hit is not None:
            out.append(_segmented(row, *hit, added_at))
    _timed("segment", clock, sum(r["n_claims"] for r in out), started)
    return pa.Table.from_pylist(out, schema=rw.SEGMENTED)


def _rows(plan: pa.Table, chunks: set[int]) -> list[tuple[int, int, int, int]]:
    import pyarrow.compute as pc

    part = plan.filter(pc.is_in(plan["chunk"], pa.array(sorted(chunks), pa.int64())))
    return list(zip(*(part[c].to_pylist() for c in ("chunk", "seq", "num", "batch"))))


def _segmented(row: dict[str, Any], num: int, batch: int, added_at: str) -> dict[str, Any]:
    doc = rw.document_of(row)
    claims = segment([doc])
    credits = attribute([doc], [num], claims, np.arange(len(claims), dtype=np.int64))
    out = sc.document_row(doc, num, document_dates(doc), added_at)
    out.update(
        batch=batch, n_claims=len(claims), n_units=sum(1 for c in claims if c.parent is not None), hashes=[c.hash for c in claims], claims=[rw.claim_struct(c) for c in claims],
        credits=[rw.credit_struct(cid, a) for cid, _num, a in credits],
    )
    return out


def document_rows(batch: pa.Table) -> pa.Table:
    return batch.select(sc.DOCUMENTS.names)


def claim_rows(batch: pa.Table, first_ids: Any, claim_vids: Any, base_max_num: int, base_max_claim: int) -> pa.Table:
    """The claims of the batch's documents with their ids and vector numbers."""
    first, vids = _get(first_ids), _get(claim_vids)
    out = []
    for num, doc_id, claims in zip(batch["num"].to_pylist(), batch["id"].to_pylist(), batch["claims"].to_pylist()):
        start = int(first[num - base_max_num - 1])
        # A quote unit's parent by claim id, as the SQLite writer numbers it.
        parents = parent_ids([(num, NewClaim(0, **c)) for c in claims], start)
        for k, (c, parent) in enumerate(zip(claims, parents)):
            cid = start + k
            vid = int(vids[cid - base_max_claim - 1])
            out.append({"id": cid, "doc_num": num, "doc_id": doc_id, **c, "parent": parent, "vid": vid})
    return pa.Table.from_pylist(out, schema=sc.CLAIMS)


def credit_rows(batch: pa.Table, first_ids: Any, base_max_num: int) -> pa.Table:
    first = _get(first_ids)
    out = []
    for num, credits in zip(batch["num"].to_pylist(), batch["credits"].to_pylist()):
        start = int(first[num - base_max_num - 1])
        out.extend(sc.credit_row(start + s["claim"], num, seq, rw.credit_of(s)) for seq, s in enumerate(credits))
    return pa.Table.from_pylist(out, schema=sc.CREDITS)


# ---- embed ------------------------------------------------------------------------------------------


def new_texts(batch: pa.Table, folder: str, first_claims: Any) -> pa.Table:
    """The texts to embed from the batch's claims files: the first claim of each text new to
    the store (vector number, hash, normalised text)."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    wanted = _get(first_claims)
    parts = []
    for name in batch["file"].to_pylist():
        claims = pq.read_table(f"{folder}/{name}", columns=["id", "vid", "hash", "norm"])
        parts.append(claims.filter(pc.is_in(claims["id"], wanted)).select(["vid", "hash", "norm"]))
    return pa.concat_tables(parts).cast(pa.schema([sc.CLAIMS.field(c) for c in ("vid", "hash", "norm")]))


def embed_worker(model: str, encoder: str, device: str | None, threads: int, out_dir: str, clock: Any = None) -> type:
    """The :class:`EmbedTexts` class with its settings bound, for an actor pool. (Ray Data would
    keep constructor arguments in the object store and warn on every run that a restarted actor
    could lose them; class attributes travel with the class.)"""
    config = {"model": model, "encoder": encoder, "device": device, "threads": threads, "out_dir": out_dir, "clock": clock}
    return type("EmbedTexts", (EmbedTexts,), {"config": config})


class EmbedTexts:
    """An embedding worker: the store's model loaded once (on its GPU when it has one).

    It writes its vectors itself (one Parquet file per block, named by the block's first
    vector number): no write task then waits for cores the actors hold."""

    config: dict[str, Any] = {}

    def __init__(self) -> None:
        from ..embed import load_encoder

        c = self.config
        if c["threads"]:
            try:
                import torch

                torch.set_num_threads(c["threads"])
            except ImportError:
                pass
        self.embedder = load_encoder(c["model"], c["encoder"], c["device"])
        self.out_dir = c["out_dir"]
        self.clock = c["clock"]

    def __call__(self, batch: pa.Table) -> pa.Table:
        from pathlib import Path

        from ..store.dataset.tables import write_table

        started = _now()
        # What the model reads of each text, as ``pipeline.embed`` gives it (its hash is the key).
        texts = [embedding_text(n) for n in batch["norm"].to_pylist()]
        # Longest first over the whole block: batches inside the encoder pad to similar lengths.
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        vectors = np.zeros((len(texts), self.embedder.dim), dtype=np.float32)
        if texts:
            vectors[order] = self.embedder.embed([texts[i] for i in order])
            column = pa.FixedSizeListArray.from_arrays(pa.array(vectors.ravel(), pa.float32()), self.embedder.dim)
            table = pa.table({"vid": batch["vid"], "hash": batch["hash"], "vector": column})
            first = min(batch["vid"].to_pylist())
            write_table(Path(self.out_dir) / f"part-{first:012d}.parquet", table, "vid")
        _timed("embed", self.clock, len(texts), started)
        return pa.table({"texts": [len(texts)]})


# ---- match ------------------------------------------------------------------------------------------


def match_batches(
    batch: pa.Table, store: str, manifest: dict[str, Any], refs: dict[str, Any], settings: MatchSettings, threads: int,
    judge: str, clock: Any = None,
) -> pa.Table:  # fmt: skip
    """Same-claim pairs for each index batch of claims [lo, hi): its earlier neighbours and
    its own claims, judged by :func:`~provenance.pairs.find_matches` as one machine's batch
    with the same claims would judge them (with the driver's ``judge``)."""
    started = _now()
    _use_judge(judge)
    view = _view(store, manifest)
    vectors = _get(refs["vectors"])  # row i holds claim i + 1
    index = _get(refs["index"], ann.deserialize) if refs.get("index") is not None else None
    out: list[Match] = []
    claims, searching, searching_cpu = 0, 0.0, 0.0
    for lo, hi in zip(batch["lo"].to_pylist(), batch["hi"].to_pylist()):
        ids = np.arange(lo, hi, dtype=np.int64)
        matrix = vectors[lo - 1 : hi - 1]
        searched = _now()
        neighbours = earlier_neighbours(vectors, index, matrix, lo, threads)
        searching += time.perf_counter() - searched[0]
        searching_cpu += time.process_time() - searched[1]
        own = view.claims(ids.tolist())
        claim_docs = np.array([own[i].doc_num for i in ids.tolist()], dtype=np.int64)
        texts = [own[i].text for i in ids.tolist()]
        stored = view.claims(candidate_ids(neighbours, settings))
        out.extend(find_matches(ids, claim_docs, texts, matrix, neighbours, stored, settings))
        claims += hi - lo
    if clock is not None:
        clock.add.remote("match: search", searching, claims, searching_cpu)
    _timed("match", clock, claims, started)
    return sc.table_of([tuple(m) for m in out], sc.MATCHES)


def earlier_neighbours(
    vectors: np.ndarray, index: Any, matrix: np.ndarray, lo: int, threads: int
) -> tuple[np.ndarray, np.ndarray]:
    """The NEIGHBOURS nearest claims among those with ids below ``lo`` (claims of earlier index
    batches, as one machine's index holds them when it searches): exactly over ``vectors``'
    first rows, with one machine's FAISS thread count, or by IVF-PQ restricted to those ids and
    re-scored exactly."""
    import faiss

    faiss.omp_set_num_threads(search_threads(len(matrix), threads))
    if index is None:
        return ann.exact_earlier(matrix, vectors[: lo - 1], np.arange(1, lo, dtype=np.int64), NEIGHBOURS)
    return ann.approximate_earlier(index, matrix, lo, NEIGHBOURS, lambda found: vectors[found - 1])


# ---- clusters -----------------------------------------------------------------------------------------


def cluster_groups(
    batch: pa.Table, store: str, manifest: dict[str, Any], match_settings: MatchSettings,
    cluster_settings: ClusterSettings, judge: str, clock: Any = None,
) -> pa.Table:  # fmt: skip
    """Clusters of each group of whole components, by the one-machine cluster code."""
    started = _now()
    _use_judge(judge)
    view = _view(store, manifest)
    out = []
    groups: dict[int, list[Match]] = {}
    for r in batch.to_pylist():
        groups.setdefault(r["group"], []).append(Match(r["a"], r["b"], r["cosine"], r["lexical"], r["relation"]))
    for matches in groups.values():
        rows, members = cluster_records(view, sorted(matches), match_settings, cluster_settings)
        info = {r.id: r for r in rows}
        out.extend({**m._asdict(), "origin_claim": info[m.cluster_id].origin_claim, "basis": info[m.cluster_id].basis,
                    "size": info[m.cluster_id].size} for m in members)  # fmt: skip
    _timed("cluster", clock, batch.num_rows, started)
    return pa.Table.from_pylist(out, schema=rw.CLUSTERED)

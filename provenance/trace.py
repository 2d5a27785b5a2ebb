"""Answer "where did this claim come from?" for free text against a store."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .cluster import ClaimNode, origin_basis, origin_key
from .credits import CreditIndex, credited_member
from .embed import Embedder
from .lexical import LEXICAL_DEPTH, LEXICAL_WEIGHT, fused_score
from .match import DEFAULT_SETTINGS, MatchSettings, classify, excerpt_relation, lexical_similarity
from .mutations import differences
from .sources import primary_source
from .segment import split_sentences
from .store import Store
from .textnorm import normalise

# Candidates fetched per query sentence before ranking; generous so that `related` neighbours
# still fill --top after the real matches.
SEARCH_DEPTH = 50


@dataclass(frozen=True)
class Query:
    text: str
    id: str | int | None = None


def query_claims(text: str) -> list[str]:
    """The sentences a query is traced by.

    A query of several sentences is split like a document and each sentence is searched on
    its own; their matches are merged, keeping each stored claim's best similarity. Fragments of
    fewer than three words are folded back, and a query with no sentence of its own is searched
    whole.
    """
    spans = split_sentences(text)
    parts = [normalise(text[s:e]) for s, e in spans]
    parts = [p for p in parts if len(p.split()) >= 3]
    whole = normalise(text)
    return parts if len(parts) > 1 else [whole] if whole else []


def query_units(text: str, parts: list[str]) -> list[str]:
    """The texts a query is embedded as: its sentences and, when it has several, the whole.

    A tweet or paragraph often states its claim across sentences; the whole query's vector
    catches that, each sentence's vector catches a claim stated in one sentence among others.
    """
    whole = normalise(text)
    return parts + [whole] if len(parts) > 1 and whole else list(parts)


def trace(
    store: Store,
    embedder: Embedder,
    queries: Sequence[Query],
    *,
    top: int = 10,
    settings: MatchSettings = DEFAULT_SETTINGS,
    lexical_weight: float = LEXICAL_WEIGHT,
) -> list[dict]:
    """One trace result (see trace.schema.json) per query, in order.

    Candidates come from the dense index (each query sentence and the whole query) and from
    BM25 over the claims' words and their documents' titles (the whole query); each is ranked
    by :func:`provenance.lexical.fused_score` (reported as ``score``), real matches first.
    ``lexical_weight`` 0 gives dense-only ranking.
    """
    if top < 1:
        raise ValueError("top must be at least 1")
    pieces = [query_claims(q.text) for q in queries]
    units = [query_units(q.text, ps) for q, ps in zip(queries, pieces)]
    flat = [u for us in units for u in us]
    vectors = embedder.embed(flat) if flat else np.zeros((0, store.dim), dtype=np.float32)
    _, ids = store.search(vectors, SEARCH_DEPTH)
    lexical_hits = [
        dict(store.lexical_search(q.text, LEXICAL_DEPTH)) if lexical_weight > 0 and us else {}
        for q, us in zip(queries, units)
    ]
    candidates: list[list[int]] = []
    row = 0
    for us, hits in zip(units, lexical_hits):
        found = {int(x) for x in ids[row : row + len(us)].ravel() if x >= 0}
        found.update(hits)
        candidates.append(sorted(found))
        row += len(us)
    wanted = {c for cs in candidates for c in cs}
    claims = store.claims(wanted)
    order = sorted(wanted)
    claim_vectors = dict(zip(order, store.claim_vectors(order))) if order else {}
    docs = store.documents_by_num(c.doc_num for c in claims.values())
    clusters_of = store.cluster_of(wanted)
    cluster_info = store.clusters_by_id(clusters_of.values()) if clusters_of else {}

    results = []
    row = 0
    credit_index: _LazyCredits | None = None  # built once, when a witness credits someone
    for q, parts, us, hits, cands in zip(queries, pieces, units, lexical_hits, candidates):
        qvecs = vectors[row : row + len(us)]
        row += len(us)
        best_bm25 = max(hits.values(), default=0.0)
        matches_by_claim: list[dict] = []
        if cands:
            cos_matrix = qvecs @ np.stack([claim_vectors[c] for c in cands]).T
        for j, cid in enumerate(cands):
            claim = claims[cid]
            best: tuple[bool, float, str | None, float] | None = None
            # Relations are decided sentence by sentence, as the query's claims; the whole
            # query's vector only helps find and rank candidates (a paragraph "contains" many
            # claims without being any one of them).
            for i, unit in enumerate(us[: len(parts)]):
                cos = float(cos_matrix[i, j])
                relation, lexical = classify(unit, claim.text, cos, settings)
                if relation is None:
                    relation = excerpt_relation(unit, claim.text, cos)
                rank = (relation is not None, cos, relation, lexical)
                if best is None or rank[:2] > best[:2]:
                    best = rank
            assert best is not None
            is_real, _, relation, lexical = best
            cos = float(cos_matrix[:, j].max())
            score = fused_score(cos, hits.get(cid, 0.0), best_bm25, lexical_weight)
            if not is_real:
                if score < settings.related_cosine:
                    continue
                relation = "related"
            doc = docs[claim.doc_num]
            matches_by_claim.append(
                {
                    "claim_id": claim.id,
                    "doc_id": claim.doc_id,
                    "source": doc.source,
                    "title": doc.title,
                    "published": doc.published,
                    "text": claim.text,
                    "start": claim.start,
                    "end": claim.end,
                    "similarity": round(cos, 4),
                    "lexical": round(float(lexical), 4),
                    "score": round(score, 4),
                    "relation": relation,
                    "cluster_id": clusters_of.get(claim.id),
                }
            )
        ranked = sorted(matches_by_claim, key=lambda m: (m["relation"] == "related", -m["score"], m["claim_id"]))
        matches = ranked[:top]
        real = [m for m in ranked if m["relation"] != "related"]
        origin, cluster_id = _origin(real, store, claims, docs, cluster_info)
        if credit_index is None and real:
            credit_index = _LazyCredits(store)
        primary = _primary_source(store, real, cluster_id, claims, docs, credit_index)
        if cluster_id is None and origin is not None and len(real) > 1:
            # Unclustered matches: one that another match's document credits is the origin.
            ids = [m["claim_id"] for m in real]
            credited = credited_member(ids, {i: claims[i].doc_num for i in ids}, store.attributions(ids), credit_index)
            if credited is not None and credited[0] != origin["claim_id"]:
                claim = claims[credited[0]]
                origin = _origin_record(claim, docs[claim.doc_num], credited[1])
        if origin is not None:
            # A query of several sentences is compared by the sentence closest to the origin.
            said = max(parts, key=lambda part: lexical_similarity(part, origin["text"])) if len(parts) > 1 else q.text
            origin["differences"] = differences(origin["text"], said)
            for m in matches:
                if m["relation"] != "related":
                    m["differences"] = differences(origin["text"], m["text"], m["relation"])
        results.append(
            {
                "id": q.id,
                "query": q.text,
                "query_claims": parts,
                "matches": matches,
                "origin": origin,
                "primary_source": primary,
                "cluster_id": cluster_id,
            }
        )
    return results


class _LazyCredits:
    """The store's credit index, read on first use: it covers every stored document (O(store)),
    and most traces meet no witness that credits anyone, so they never need it (at 100 k
    claims building it per trace cost ~55 of ~80 ms, measured by profiling bench_scale's
    warm traces)."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._index: CreditIndex | None = None

    def __getattr__(self, name: str):
        if self._index is None:
            self._index = CreditIndex.from_store(self._store)
        return getattr(self._index, name)


def _primary_source(store: Store, real: list[dict], cluster_id: int | None, claims: dict, docs: dict, index: CreditIndex | _LazyCredits | None) -> dict | None:
    """The outside source the witnesses credit: the cluster's members when the best match has a
    cluster, else the matched claims themselves."""
    if not real:
        return None
    if cluster_id is not None:
        ids = [r["claim_id"] for r in store.cluster_member_rows_of(cluster_id)]
    else:
        ids = [m["claim_id"] for m in real]
    found = store.claims(ids)
    nums = {c.doc_num for c in found.values()}
    doc_rows = store.documents_by_num(nums)
    order = sorted(found.values(), key=lambda c: origin_key(ClaimNode(c.id, c.doc_num, doc_rows[c.doc_num].published_ts)))
    attrs = store.attributions(ids)
    return primary_source([(c.doc_num, c.doc_id, attrs.get(c.id, [])) for c in order], index)


def _origin(real: list[dict], store: Store, claims: dict, docs: dict, cluster_info: dict) -> tuple[dict | None, int | None]:
    """The best match's cluster origin, else the earliest of the matched claims themselves."""
    if not real:
        return None, None
    cluster_id = real[0]["cluster_id"]
    if cluster_id is not None and cluster_id in cluster_info:
        info = cluster_info[cluster_id]
        claim = claims.get(info["origin_claim"]) or store.claims([info["origin_claim"]])[info["origin_claim"]]
        doc = docs.get(claim.doc_num) or store.documents_by_num([claim.doc_num])[claim.doc_num]
        return _origin_record(claim, doc, info["basis"]), cluster_id
    nodes = [ClaimNode(m["claim_id"], claims[m["claim_id"]].doc_num, docs[claims[m["claim_id"]].doc_num].published_ts) for m in real]
    first = min(nodes, key=origin_key)
    claim = claims[first.id]
    return _origin_record(claim, docs[claim.doc_num], origin_basis(first)), None


def _origin_record(claim, doc, basis: str) -> dict:
    return {
        "doc_id": claim.doc_id,
        "claim_id": claim.id,
        "basis": basis,
        "source": doc.source,
        "published": doc.published,
        "text": claim.text,
    }

"""Answer "where did this claim come from?" for free text against a store.

The trace job, step by step: split each query into the sentences it is traced by
(:func:`query_claims`); find candidates for all queries at once, densely (each sentence and the
whole query) and lexically (BM25 over claims and titles) (:func:`_candidates`); judge and rank
each candidate against the query's sentences (:func:`_rank`); then answer with the origin, the
primary source and how the query differs from the origin (:func:`_answer`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .credits.primary import primary_source
from .credits.resolve import CreditIndex
from .embed import Embedder
from .lexical import LEXICAL_DEPTH, LEXICAL_WEIGHT, fused_score
from .match import DEFAULT_SETTINGS, MatchSettings, classify, excerpt_relation, lexical_similarity
from .mutations import differences
from .origins import TIE, WitnessOrder, credit_edges, order_origin, origin_key
from .records import RELATED, ClusterRow, StoredClaim, StoredDocument
from .segment import QUOTE_UNIT_MIN_WORDS, split_sentences
from .segment.quotes import quote_unit_spans
from .store import Store
from .textnorm import embedding_text, normalise
from .whynot import why_not, why_not_phrase

# When nothing is the same claim, the related candidates shown as possible origins.
POSSIBLE_ORIGINS = 3
# Candidates fetched per query sentence before ranking; generous so that `related` neighbours
# still fill --top after the real matches.
SEARCH_DEPTH = 50


@dataclass(frozen=True)
class Query:
    text: str
    id: str | int | None = None


@dataclass
class _Candidates:
    """What the searches found for all queries, and the stored records they refer to."""

    pieces: list[list[str]]           # each query's sentences
    units: list[list[str]]            # what each query was embedded as
    vectors: np.ndarray               # one row per unit, queries in order
    lexical: list[dict[int, float]]   # each query's BM25 hits
    ids: list[list[int]]              # each query's candidate claim ids
    claims: dict[int, StoredClaim]
    claim_vectors: dict[int, np.ndarray]
    docs: dict[int, StoredDocument]
    clusters_of: dict[int, int]
    cluster_info: dict[int, ClusterRow]


def query_claims(text: str) -> list[str]:
    """The sentences a query is traced by.

    A query of several sentences is split like a document and each sentence is searched on
    its own; their matches are merged, keeping each stored claim's best similarity. Fragments of
    fewer than three words are folded back, and a query with no sentence of its own is searched
    whole. A quoted sentence inside the query's frame is searched on its own too, as the index
    stores it (``segment.quote_units``).
    """
    spans = split_sentences(text)
    spans += [(s, e) for s, e, _ in quote_unit_spans(text, spans, QUOTE_UNIT_MIN_WORDS)]
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
    return parts + [whole] if len(parts) > 1 and whole and whole not in parts else list(parts)


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
    found = _candidates(store, embedder, queries, lexical_weight)
    credits = _LazyCredits(store)
    results = []
    row = 0
    for qi, q in enumerate(queries):
        n_units = len(found.units[qi])
        ranked = _rank(found, qi, found.vectors[row : row + n_units], settings, lexical_weight)
        row += n_units
        results.append(_answer(store, q, found, qi, ranked, top, credits))
    return results


def _candidates(store: Store, embedder: Embedder, queries: Sequence[Query], lexical_weight: float) -> _Candidates:
    pieces = [query_claims(q.text) for q in queries]
    units = [query_units(q.text, ps) for q, ps in zip(queries, pieces)]
    flat = [u for us in units for u in us]
    # Read as the store's vectors were: a store built before embedding form 2 keeps its form.
    flat = [embedding_text(u, store.embedding_form) for u in flat]
    vectors = embedder.embed(flat) if flat else np.zeros((0, store.dim), dtype=np.float32)
    _, dense = store.vectors.search(vectors, SEARCH_DEPTH)
    lexical = [
        dict(store.lexical_search(q.text, LEXICAL_DEPTH)) if lexical_weight > 0 and us else {}
        for q, us in zip(queries, units)
    ]
    ids: list[list[int]] = []
    row = 0
    for us, hits in zip(units, lexical):
        found = {int(x) for x in dense[row : row + len(us)].ravel() if x >= 0}
        found.update(hits)
        ids.append(sorted(found))
        row += len(us)
    wanted = sorted({c for cs in ids for c in cs})
    claims = store.claims(wanted)
    # A quote unit is shown inside the sentence that quotes it.
    claims.update(store.claims({c.parent for c in claims.values() if c.parent is not None} - claims.keys()))
    clusters_of = store.cluster_of(wanted)
    # A sentence that is little more than its quotation is clustered through the quotation
    # (cluster._without_framings): it answers with its unit's cluster.
    for cid in wanted:
        parent = claims[cid].parent
        if parent is not None and cid in clusters_of and parent not in clusters_of:
            clusters_of[parent] = clusters_of[cid]
    return _Candidates(
        pieces, units, vectors, lexical, ids, claims,
        claim_vectors=dict(zip(wanted, store.claim_vectors(wanted))) if wanted else {},
        docs=store.documents_by_num(c.doc_num for c in claims.values()),
        clusters_of=clusters_of,
        cluster_info=store.clusters_by_id(clusters_of.values()) if clusters_of else {},
    )


def _rank(found: _Candidates, qi: int, qvecs: np.ndarray, settings: MatchSettings, lexical_weight: float) -> list[dict]:
    """Every candidate of query ``qi`` judged and scored: real matches first, then ``related``
    ones (down to ``related_cosine``), each best score first."""
    parts, cands, hits = found.pieces[qi], found.ids[qi], found.lexical[qi]
    best_bm25 = max(hits.values(), default=0.0)
    if not cands:
        return []
    cos_matrix = qvecs @ np.stack([found.claim_vectors[c] for c in cands]).T
    out = []
    for j, cid in enumerate(cands):
        claim = found.claims[cid]
        relation, lexical = _best_relation(parts, claim.text, cos_matrix[:, j], settings)
        cos = float(cos_matrix[:, j].max())
        score = fused_score(cos, hits.get(cid, 0.0), best_bm25, lexical_weight)
        if relation is None:
            if score < settings.related_cosine:
                continue
            relation = RELATED
        record = _match_record(claim, found.docs[claim.doc_num], cos, lexical, score, relation, found.clusters_of.get(claim.id))
        if claim.parent is not None:
            p = found.claims[claim.parent]
            record["enclosing"] = {"claim_id": p.id, "start": p.start, "end": p.end, "text": p.text}
        out.append(record)
    return sorted(out, key=lambda m: (m["relation"] == RELATED, -m["score"], m["claim_id"]))


def _best_relation(parts: list[str], text: str, cosines: np.ndarray, settings: MatchSettings) -> tuple[str | None, float]:
    """The relation of a stored claim to the query, decided sentence by sentence (the query's
    claims): the whole query's vector only helps find and rank candidates (a paragraph
    "contains" many claims without being any one of them)."""
    best: tuple[bool, float, str | None, float] | None = None
    for i, unit in enumerate(parts):
        cos = float(cosines[i])
        relation, lexical = classify(unit, text, cos, settings)
        if relation is None:
            relation = excerpt_relation(unit, text, cos)
        rank = (relation is not None, cos, relation, lexical)
        if best is None or rank[:2] > best[:2]:
            best = rank
    assert best is not None
    return best[2], best[3]


def _match_record(claim: StoredClaim, doc: StoredDocument, cos: float, lexical: float, score: float, relation: str, cluster_id: int | None) -> dict:
    return {
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
        "cluster_id": cluster_id,
    }


def _answer(store: Store, q: Query, found: _Candidates, qi: int, ranked: list[dict], top: int, credits: _LazyCredits) -> dict:
    """The result for one query: its best matches, the origin, the primary source, and how the
    query and the matches differ from the origin."""
    parts = found.pieces[qi]
    matches = ranked[:top]
    real = [m for m in ranked if m["relation"] != RELATED]
    cluster_id = real[0]["cluster_id"] if real and real[0]["cluster_id"] in found.cluster_info else None
    witnesses = _Witnesses(store, real, cluster_id, credits)
    primary = primary_source(witnesses.rows, credits) if witnesses.rows else None
    origin = _origin(store, found, witnesses, cluster_id) if real else None
    if origin is not None:
        # A query of several sentences is compared by the sentence closest to the origin.
        said = max(parts, key=lambda part: lexical_similarity(part, origin["text"])) if len(parts) > 1 else q.text
        origin["differences"] = differences(origin["text"], said, None, origin.get("published"))
        for m in matches:
            if m["relation"] != RELATED:
                m["differences"] = differences(origin["text"], m["text"], m["relation"], origin.get("published"), m.get("published"))
    result = {
        "id": q.id,
        "query": q.text,
        "query_claims": parts,
        "matches": matches,
        "origin": origin,
        "primary_source": primary,
        "cluster_id": cluster_id,
    }
    if origin is None and ranked:
        result["possible_origins"] = _possible_origins(store, found, qi, ranked, credits)
    return result


def _possible_origins(store: Store, found: _Candidates, qi: int, ranked: list[dict], credits: _LazyCredits) -> list[dict]:
    """When no stored claim is the same claim: the strongest related candidates (one per
    cluster), each with the origin and primary source it would give, and why it was not taken
    (:func:`provenance.whynot.why_not`, against the query sentence closest to it)."""
    out, seen = [], set()
    for m in ranked:
        key = m["cluster_id"] if m["cluster_id"] in found.cluster_info else ("claim", m["claim_id"])
        if key in seen:
            continue
        seen.add(key)
        cluster_id = m["cluster_id"] if m["cluster_id"] in found.cluster_info else None
        witnesses = _Witnesses(store, [m], cluster_id, credits)
        parts = found.pieces[qi]
        said = max(parts, key=lambda part: lexical_similarity(part, m["text"])) if len(parts) > 1 else parts[0]
        reason = why_not(said, m["text"], m["similarity"])
        out.append({
            "claim_id": m["claim_id"], "doc_id": m["doc_id"], "text": m["text"], "similarity": m["similarity"],
            "cluster_id": cluster_id,
            "origin": _origin(store, found, witnesses, cluster_id),
            "primary_source": primary_source(witnesses.rows, credits) if witnesses.rows else None,
            "why_not": reason, "reason": why_not_phrase(reason),
        })
        if len(out) == POSSIBLE_ORIGINS:
            break
    return out


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
            self._index = CreditIndex(self._store.document_refs())
        return getattr(self._index, name)


class _Witnesses:
    """The claim's witnesses: the cluster's members when the best match has a cluster, else the
    matched claims themselves; with their documents, their credits in time order (``rows``:
    (doc num, doc id, credits)), and what the data says of their order."""

    def __init__(self, store: Store, real: list[dict], cluster_id: int | None, index: _LazyCredits) -> None:
        if cluster_id is not None:
            ids = [r.claim_id for r in store.cluster_member_rows_of(cluster_id)]
        else:
            ids = [m["claim_id"] for m in real]
        self.claims = store.claims(ids) if ids else {}
        self.docs = store.documents_by_num({c.doc_num for c in self.claims.values()}) if ids else {}
        self.nodes = {c.id: self.docs[c.doc_num].node(c.id) for c in self.claims.values()}
        order = sorted(self.claims.values(), key=lambda c: origin_key(self.nodes[c.id]))
        credits = store.credits(ids) if ids else {}
        self.rows = [(c.doc_num, c.doc_id, credits.get(c.id, [])) for c in order]
        doc_of = {c.id: c.doc_num for c in self.claims.values()}
        # The store-wide credit index only when some witness credits someone (_LazyCredits).
        self.edges = credit_edges(list(self.nodes), doc_of, credits, index if any(credits.values()) else None)

    def tied(self, firsts: Sequence[int]) -> list[dict]:
        return [{"claim_id": t, "doc_id": self.claims[t].doc_id, "source": self.docs[self.claims[t].doc_num].source,
                 "published": self.docs[self.claims[t].doc_num].published} for t in firsts]


def _origin(store: Store, found: _Candidates, witnesses: _Witnesses, cluster_id: int | None) -> dict:
    """The best match's cluster origin (with the tied witnesses when its basis is a tie), else
    the origin the dates and credits give the matched claims themselves."""
    if cluster_id is not None:
        info = found.cluster_info[cluster_id]
        claim = found.claims.get(info.origin_claim) or store.claims([info.origin_claim])[info.origin_claim]
        doc = found.docs.get(claim.doc_num) or store.documents_by_num([claim.doc_num])[claim.doc_num]
        record = _origin_record(claim, doc, info.basis)
        if info.basis == TIE:
            record["tied"] = witnesses.tied(WitnessOrder(witnesses.nodes, witnesses.edges).firsts())
        return record
    first, basis, tied = order_origin(witnesses.nodes, witnesses.edges)
    claim = witnesses.claims[first]
    record = _origin_record(claim, witnesses.docs[claim.doc_num], basis)
    if tied:
        record["tied"] = witnesses.tied(tied)
    return record


def _origin_record(claim: StoredClaim, doc: StoredDocument, basis: str) -> dict:
    return {
        "doc_id": claim.doc_id,
        "claim_id": claim.id,
        "basis": basis,
        "source": doc.source,
        "published": doc.published,
        "text": claim.text,
    }

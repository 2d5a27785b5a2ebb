"""Answer "where did this claim come from?" for free text against a store."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .cluster import ClaimNode, origin_basis, origin_key
from .credits import CreditIndex, credited_member
from .embed import Embedder
from .match import DEFAULT_SETTINGS, MatchSettings, classify, lexical_similarity
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


def trace(
    store: Store,
    embedder: Embedder,
    queries: Sequence[Query],
    *,
    top: int = 10,
    settings: MatchSettings = DEFAULT_SETTINGS,
) -> list[dict]:
    """One trace result (see trace.schema.json) per query, in order."""
    if top < 1:
        raise ValueError("top must be at least 1")
    pieces = [query_claims(q.text) for q in queries]
    flat = [p for ps in pieces for p in ps]
    vectors = embedder.embed(flat) if flat else np.zeros((0, store.dim), dtype=np.float32)
    sims, ids = store.search(vectors, SEARCH_DEPTH)
    wanted = {int(x) for x in ids.ravel() if x >= 0}
    claims = store.claims(wanted)
    docs = store.documents_by_num(c.doc_num for c in claims.values())
    clusters_of = store.cluster_of(wanted)
    cluster_info = store.clusters_by_id(clusters_of.values()) if clusters_of else {}

    results = []
    row = 0
    credit_index: CreditIndex | None = None  # built once, on the first query that matches
    for q, parts in zip(queries, pieces):
        best: dict[int, dict] = {}
        for part in parts:
            for cos, cid in zip(sims[row], ids[row]):
                if cid < 0:
                    continue
                cos = float(cos)
                claim = claims[int(cid)]
                relation, lexical = classify(part, claim.text, cos, settings)
                if relation is None:
                    if cos < settings.related_cosine:
                        continue
                    relation = "related"
                prev = best.get(claim.id)
                rank = (relation != "related", cos)
                if prev is None or rank > (prev["relation"] != "related", prev["similarity"]):
                    doc = docs[claim.doc_num]
                    best[claim.id] = {
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
                        "relation": relation,
                        "cluster_id": clusters_of.get(claim.id),
                    }
            row += 1
        ranked = sorted(best.values(), key=lambda m: (m["relation"] == "related", -m["similarity"], m["claim_id"]))
        matches = ranked[:top]
        origin, cluster_id = _origin([m for m in ranked if m["relation"] != "related"], store, claims, docs, cluster_info)
        real = [m for m in ranked if m["relation"] != "related"]
        if credit_index is None and real:
            credit_index = CreditIndex.from_store(store)
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


def _primary_source(store: Store, real: list[dict], cluster_id: int | None, claims: dict, docs: dict, index: CreditIndex | None) -> dict | None:
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

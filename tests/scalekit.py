"""Canonical dumps of a store of either kind, keyed by document id and claim offsets, for
comparing what one machine and Ray indexed (claim and document numbers never appear)."""

from __future__ import annotations

from typing import Any

from provenance.report import build_report


def canonical_dump(store: Any) -> dict[str, Any]:
    """Documents, claims, matches, clusters (origin, basis, members with relations) and primary
    sources, keyed by (document id, start, end)."""
    docs = {d.num: d.id for d in store.documents()}
    ids = list(range(1, store.max_claim_id() + 1))
    claims = store.claims(ids)
    key = {cid: (c.doc_id, c.start, c.end) for cid, c in claims.items()}
    matches = sorted((*sorted((key[m.a], key[m.b])), m.relation, m.cosine, m.lexical) for m in store.all_matches())
    report = build_report(store)
    clusters = sorted(
        (
            (cl["origin"]["doc_id"], key[cl["origin"]["claim_id"]]),
            cl["origin"]["basis"],
            tuple(sorted((key[m["claim_id"]], m["relation"], m["similarity"], m["lexical"]) for m in cl["members"])),
            repr(cl["primary_source"]),
        )
        for cl in report["clusters"]
    )
    stored_clusters = sorted((key[r.origin_claim], r.basis, r.size) for r in store.cluster_rows())
    credits = store.credits(ids)
    return {
        "documents": sorted(docs.values()),
        "claims": sorted((k, claims[cid].text) for cid, k in key.items()),
        "credits": sorted((key[cid], repr(c)) for cid, cs in credits.items() for c in cs),
        "matches": matches,
        "clusters": stored_clusters,
        "report_clusters": clusters,
        "summary": report["summary"],
    }

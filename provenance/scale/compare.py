"""Do two stores hold the same index? Canonical dumps keyed by document id and claim offsets.

Claim ids and document numbers depend on nothing but input order, yet a comparison between
engines should not lean on them: each claim is named here by (document id, start, end), and a
dump lists documents (with their dates' precision, offset and conflict), claims (a quote unit
with its enclosing claim), credits, matches (with relation, cosine and lexical similarity),
stored clusters, and the report's clusters (origin, basis, members with relations and
similarities, primary source). Used by the equality tests and ``scripts/bench_ray.py``.

With the real model two engines embed the same texts in different batches, which moves cosines
in the seventh decimal; :func:`unexplained_differences` lists the match differences that such
noise cannot explain (a pair whose judgement does not change when its cosine moves by 1e-5).
"""

from __future__ import annotations

from typing import Any

from ..match import DEFAULT_SETTINGS, MatchSettings, classify
from ..report import build_report

# How far float noise between engines may move a cosine.
COSINE_TOLERANCE = 1e-5


def canonical_dump(store: Any) -> dict[str, Any]:
    """Everything an index decides, keyed by (document id, start, end), for either store kind."""
    ids = list(range(1, store.max_claim_id() + 1))
    claims = store.claims(ids)
    key = {cid: (c.doc_id, c.start, c.end) for cid, c in claims.items()}
    report = build_report(store)
    return {
        "documents": sorted(
            (d.id, d.published_ts, d.published_precision, d.published_zone, d.date_conflict) for d in store.documents()
        ),
        # A quote unit names its enclosing claim by that claim's key.
        "claims": sorted((k, claims[cid].text, key.get(claims[cid].parent)) for cid, k in key.items()),
        "credits": sorted((key[cid], repr(c)) for cid, cs in store.credits(ids).items() for c in cs),
        "matches": sorted((*sorted((key[m.a], key[m.b])), m.relation, m.cosine, m.lexical) for m in store.all_matches()),
        "clusters": sorted((key[r.origin_claim], r.basis, r.size) for r in store.cluster_rows()),
        "report_clusters": sorted(
            (
                (cl["origin"]["doc_id"], key[cl["origin"]["claim_id"]]),
                cl["origin"]["basis"],
                tuple(sorted((key[m["claim_id"]], m["relation"], m["similarity"], m["lexical"]) for m in cl["members"])),
                repr(cl["primary_source"]),
            )
            for cl in report["clusters"]
        ),
        "summary": report["summary"],
    }


def unexplained_differences(a: dict[str, Any], b: dict[str, Any], settings: MatchSettings = DEFAULT_SETTINGS) -> dict[str, Any]:
    """How the matches of dumps ``a`` and ``b`` differ: pairs in one only or judged otherwise,
    how many of those lie within COSINE_TOLERANCE of a threshold (the judgement flips when the
    cosine moves that far), the others (unexplained), and the largest cosine gap of shared pairs."""
    texts = {k: text for k, text, _ in a["claims"]}
    pairs_a = {m[:2]: m for m in a["matches"]}
    pairs_b = {m[:2]: m for m in b["matches"]}
    differing, borderline, unexplained, gap = 0, 0, [], 0.0
    for pair in sorted(set(pairs_a) | set(pairs_b)):
        ma, mb = pairs_a.get(pair), pairs_b.get(pair)
        if ma and mb and ma[2] == mb[2]:
            gap = max(gap, abs(ma[3] - mb[3]))
            continue
        differing += 1
        cos = (ma or mb)[3]
        moved = (cos - COSINE_TOLERANCE, cos, cos + COSINE_TOLERANCE)
        judged = {classify(texts[pair[0]], texts[pair[1]], c, settings)[0] for c in moved}
        if len(judged) > 1:
            borderline += 1
        else:
            unexplained.append((pair, ma and ma[2:], mb and mb[2:]))
    return {"pairs_a": len(pairs_a), "pairs_b": len(pairs_b), "differing": differing, "borderline": borderline,
            "unexplained": unexplained, "largest_cosine_gap": gap}  # fmt: skip

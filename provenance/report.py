"""Build the reuse report (report.schema.json, plus figures for people) from a store.

Rendering it as JSON, Markdown, HTML, CSV or terminal text is ``render``'s job.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict

from . import __version__
from .cluster import ClaimNode, origin_key
from .lineage import enrich_report
from .records import RELATIONS
from .store import SCHEMA_VERSION, Store



def build_report(store: Store, *, show_hidden: bool = False, include_text: bool = False) -> dict:
    """The report: clusters with origins, then (lineage.py) primary sources, witness chains,
    differences and passages; same-outlet reuse and boilerplate only with ``show_hidden``.
    ``include_text`` adds each document's full ``text`` (the HTML report's per-document view
    highlights reused spans in it; other formats leave it out to stay small)."""
    return enrich_report(_base_report(store, include_text=include_text), store, show_hidden=show_hidden)


def _base_report(store: Store, *, include_text: bool = False) -> dict:
    docs = store.documents()
    by_num = {d.num: d for d in docs}
    claim_counts = dict(store.db.execute("SELECT doc_num, count(*) FROM claims GROUP BY doc_num").fetchall())
    member_rows = store.cluster_member_rows()
    claims = store.claims(r["claim_id"] for r in member_rows)

    members_of: dict[int, list] = defaultdict(list)
    for r in member_rows:
        members_of[r["cluster_id"]].append(r)

    reused: Counter[int] = Counter()
    clusters = []
    edges: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for info in store.cluster_rows():
        rows = members_of[info["id"]]

        def order(r) -> tuple:
            c = claims[r["claim_id"]]
            return (r["relation"] != "origin", origin_key(ClaimNode(c.id, c.doc_num, by_num[c.doc_num].published_ts)))

        members = []
        for r in sorted(rows, key=order):
            c = claims[r["claim_id"]]
            d = by_num[c.doc_num]
            reused[c.doc_num] += 1
            members.append(
                {
                    "claim_id": c.id,
                    "doc_id": d.id,
                    "source": d.source,
                    "title": d.title,
                    "published": d.published,
                    "text": c.text,
                    "start": c.start,
                    "end": c.end,
                    "similarity": None if r["similarity"] is None else round(r["similarity"], 4),
                    "lexical": None if r["lexical"] is None else round(r["lexical"], 4),
                    "relation": r["relation"],
                    "differences": [],
                }
            )
        origin = members[0]
        for m in members[1:]:
            edges[(origin["doc_id"], m["doc_id"])][m["relation"]] += 1
        clusters.append(
            {
                "id": info["id"],
                "size": len(members),
                "documents": len({m["doc_id"] for m in members}),
                "origin": {"doc_id": origin["doc_id"], "claim_id": origin["claim_id"], "basis": info["basis"]},
                "primary_source": None,
                "members": members,
            }
        )
    # Widest-travelled claims first; then by the origin's date for a stable reading order.
    clusters.sort(key=lambda c: (-c["documents"], -c["size"], c["id"]))

    documents = []
    for d in docs:
        n = claim_counts.get(d.num, 0)
        documents.append(
            {
                "id": d.id,
                "source": d.source,
                "title": d.title,
                "url": d.url,
                "published": d.published,
                "claims": n,
                "reused_claims": reused[d.num],
                "reuse_share": round(reused[d.num] / n, 4) if n else 0.0,
            }
        )
        if include_text:
            documents[-1]["text"] = d.text
    document_edges = [
        {
            "source_doc": src,
            "target_doc": dst,
            "shared_claims": sum(counter.values()),
            "relations": {rel: counter.get(rel, 0) for rel in RELATIONS},
        }
        for (src, dst), counter in edges.items()
    ]
    document_edges.sort(key=lambda e: (-e["shared_claims"], e["source_doc"], e["target_doc"]))
    return {
        "provenance_version": __version__,
        "generated_at": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime()),
        "store": {"path": str(store.path), "model": store.model, "dimension": store.dim, "schema_version": SCHEMA_VERSION},
        "summary": {
            "documents": len(documents),
            "claims": sum(claim_counts.values()),
            "clusters": len(clusters),
            "reused_claims": sum(reused.values()),
            "document_edges": len(document_edges),
        },
        "documents": documents,
        "clusters": clusters,
        "document_edges": document_edges,
    }

"""Build the reuse report (report.schema.json, plus figures for people) from a store, once.

:func:`build_report` reads what it needs from the store in one pass (:func:`read_report_input`),
then the pure steps follow, each computing its part once: every cluster's members in time order;
what is hidden (reuse inside one outlet, boilerplate lines) unless ``show_hidden``; for what is
shown, each member's differences and credits, the cluster's primary source and witness chain
(``lineage.py``, ``credits/primary.py``); the passages; and last the reuse figures, counted from
what is shown. Rendering it as text, Markdown, HTML, CSV, ... is :mod:`provenance.output`'s job.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np

from . import __version__
from .credits.primary import credit_records, primary_source
from .credits.resolve import CreditIndex
from .lineage import chain_links, passages
from .mutations import differences
from .origins import origin_key
from .records import ORIGIN, RELATIONS, ClaimNode, ClusterRow, Credit, DocRef, MemberRow, StoredClaim, StoredDocument
from .store import SCHEMA_VERSION, Store
from .visibility import BOILERPLATE, SAME_OUTLET, judge_cluster

__all__ = ["build_report", "read_report_input", "assemble_report"]


@dataclass
class ReportInput:
    """Everything a report is made of, as read from the store."""

    store: dict
    documents: list[StoredDocument]
    claim_counts: dict[int, int]              # claims per document number
    clusters: list[tuple[ClusterRow, list[MemberRow]]]
    claims: dict[int, StoredClaim]            # every member claim
    credits: dict[int, list[Credit]]          # who each member credits
    vectors: dict[int, np.ndarray]            # each member's unit vector


def build_report(store: Store, *, show_hidden: bool = False, include_text: bool = False) -> dict:
    """The report: clusters with origins, primary sources, witness chains, differences and
    passages; same-outlet reuse and boilerplate only with ``show_hidden``. ``include_text``
    adds each document's full ``text`` (the HTML report's per-document view highlights reused
    spans in it; other formats leave it out to stay small)."""
    return assemble_report(read_report_input(store), show_hidden=show_hidden, include_text=include_text)


def read_report_input(store: Store) -> ReportInput:
    members_of: dict[int, list[MemberRow]] = defaultdict(list)
    for r in store.cluster_member_rows():
        members_of[r.cluster_id].append(r)
    clusters = [(row, members_of[row.id]) for row in store.cluster_rows()]
    ids = [m.claim_id for _, members in clusters for m in members]
    return ReportInput(
        store={"path": str(store.path), "model": store.model, "dimension": store.dim, "schema_version": SCHEMA_VERSION},
        documents=store.documents(),
        claim_counts=store.claim_counts(),
        clusters=clusters,
        claims=store.claims(ids),
        credits=store.credits(ids),
        vectors=dict(zip(ids, store.claim_vectors(ids))) if ids else {},
    )


def assemble_report(data: ReportInput, *, show_hidden: bool = False, include_text: bool = False) -> dict:
    by_num = {d.num: d for d in data.documents}
    index = CreditIndex(DocRef(d.num, d.id, d.source, d.url, d.published_ts) for d in data.documents)
    clusters = [_cluster_view(row, members, data.claims, by_num) for row, members in data.clusters]
    # Widest-travelled claims first (as stored, before anything is hidden); then by id.
    clusters.sort(key=lambda c: (-c["documents"], -c["size"], c["id"]))
    hidden: Counter[str] = Counter()
    kept = []
    for cl in clusters:
        if _hide(cl, len(data.documents), show_hidden, hidden):
            continue
        _add_lineage(cl, data, index)
        kept.append(cl)
    ordinal = {cid: c.ordinal for cid, c in data.claims.items()}
    found_passages = passages(kept, ordinal)
    reused, edges = _reuse_figures(kept)
    documents = [_document_entry(d, data.claim_counts.get(d.num, 0), reused[d.id], include_text) for d in data.documents]
    return {
        "provenance_version": __version__,
        "generated_at": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime()),
        "store": data.store,
        "summary": {
            "documents": len(documents),
            "claims": sum(data.claim_counts.values()),
            "clusters": len(kept),
            "reused_claims": sum(reused.values()),
            "document_edges": len(edges),
            "passages": len(found_passages),
        },
        "documents": documents,
        "clusters": kept,
        "document_edges": edges,
        "passages": found_passages,
        "hidden": {"shown": show_hidden, **hidden},
    }


def _cluster_view(row: ClusterRow, members: list[MemberRow], claims: dict[int, StoredClaim], by_num: dict[int, StoredDocument]) -> dict:
    """A stored cluster as the report shows it: the origin, then the members in time order."""

    def order(r: MemberRow) -> tuple:
        c = claims[r.claim_id]
        return (r.relation != ORIGIN, origin_key(ClaimNode(c.id, c.doc_num, by_num[c.doc_num].published_ts)))

    out = [_member_entry(r, claims[r.claim_id], by_num[claims[r.claim_id].doc_num]) for r in sorted(members, key=order)]
    origin = out[0]
    return {
        "id": row.id,
        "size": len(out),
        "documents": len({m["doc_id"] for m in out}),
        "origin": {"doc_id": origin["doc_id"], "claim_id": origin["claim_id"], "basis": row.basis},
        "primary_source": None,
        "members": out,
    }


def _member_entry(r: MemberRow, c: StoredClaim, d: StoredDocument) -> dict:
    return {
        "claim_id": c.id,
        "doc_id": d.id,
        "source": d.source,
        "title": d.title,
        "published": d.published,
        "text": c.text,
        "start": c.start,
        "end": c.end,
        "similarity": None if r.similarity is None else round(r.similarity, 4),
        "lexical": None if r.lexical is None else round(r.lexical, 4),
        "relation": r.relation,
        "differences": [],
    }


def _hide(cl: dict, total_documents: int, show_hidden: bool, hidden: Counter[str]) -> bool:
    """Mark what readers should not count as reuse (:func:`provenance.visibility.judge_cluster`:
    the rule ``index``, ``info`` and ``documents`` count with): a boilerplate cluster, a member
    from the origin's own outlet, a cluster left in one document. True when ``cl`` is to be
    left out."""
    origin = cl["members"][0]
    verdict = judge_cluster(origin["text"], [(m["doc_id"], m.get("source")) for m in cl["members"]], total_documents)
    members = [origin]
    for m, same_outlet in zip(cl["members"][1:], verdict.same_outlet):
        m["differences"] = differences(origin["text"], m["text"], m["relation"])
        if same_outlet:
            m["hidden"] = SAME_OUTLET
            hidden[SAME_OUTLET] += 1
            if not show_hidden:
                continue
        members.append(m)
    if verdict.reason:
        hidden[verdict.reason] += 1
        if not show_hidden:
            return True
        if verdict.reason == BOILERPLATE:
            cl["hidden"] = BOILERPLATE
        members = cl["members"]
    cl["members"] = members
    cl["size"] = len(members)
    cl["documents"] = len({m["doc_id"] for m in members})
    return False


def _add_lineage(cl: dict, data: ReportInput, index: CreditIndex) -> None:
    """The cluster's primary source and witness chain, and each member's credits."""
    members = cl["members"]
    origin = members[0]
    doc_num = {m["claim_id"]: data.claims[m["claim_id"]].doc_num for m in members}
    ts = {cid: index.docs[num].published_ts for cid, num in doc_num.items()}
    credits = {m["claim_id"]: credit_records(data.credits.get(m["claim_id"], [])) for m in members}
    cl["primary_source"] = primary_source([(doc_num[m["claim_id"]], m["doc_id"], credits[m["claim_id"]]) for m in members], index)
    time_order = sorted(members, key=lambda m: (ts[m["claim_id"]] is None, ts[m["claim_id"]] or 0.0, doc_num[m["claim_id"]]))
    if time_order[0] is not origin:
        # The origin stays first even when credited rather than earliest.
        time_order.remove(origin)
        time_order.insert(0, origin)
    cl["chain"] = chain_links(time_order, ts, data.vectors, doc_num, credits, index)
    for m in members:
        m["credits"] = credits[m["claim_id"]]


def _reuse_figures(clusters: list[dict]) -> tuple[Counter[str], list[dict]]:
    """Reused claims per document id, and the document edges (earlier -> reuser), counted from
    the members shown and not marked hidden."""
    reused: Counter[str] = Counter()
    edges: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for cl in clusters:
        if cl.get("hidden"):
            continue
        origin = cl["members"][0]
        visible = [m for m in cl["members"] if not m.get("hidden")]
        if len({m["doc_id"] for m in visible}) < 2:
            continue
        for m in visible:
            reused[m["doc_id"]] += 1
        for m in visible[1:]:
            edges[(origin["doc_id"], m["doc_id"])][m["relation"]] += 1
    out = [
        {
            "source_doc": src,
            "target_doc": dst,
            "shared_claims": sum(c.values()),
            "relations": {rel: c.get(rel, 0) for rel in RELATIONS},
        }
        for (src, dst), c in edges.items()
    ]
    out.sort(key=lambda e: (-e["shared_claims"], e["source_doc"], e["target_doc"]))
    return reused, out


def _document_entry(d: StoredDocument, claims: int, reused: int, include_text: bool) -> dict:
    entry = {
        "id": d.id,
        "source": d.source,
        "title": d.title,
        "url": d.url,
        "published": d.published,
        "claims": claims,
        "reused_claims": reused,
        "reuse_share": round(reused / claims, 4) if claims else 0.0,
    }
    if include_text:
        entry["text"] = d.text
    return entry

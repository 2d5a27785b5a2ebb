"""Build the reuse report (report.schema.json, plus figures for people) from a store, once.

:func:`build_report` reads what it needs from the store in one pass (:func:`read_report_input`),
then the pure steps follow, each computing its part once: every cluster's members in time order;
what is hidden (reuse inside one outlet, boilerplate lines) unless ``show_hidden``; for what is
shown, each member's differences and credits, the cluster's primary source and witness chain
(``lineage.py``, ``credits/primary.py``); the passages; and last the reuse figures, counted from
what is shown. Rendering it as text, Markdown, HTML, CSV, ... is :mod:`provenance.output`'s job.

Overlapping claims are counted once. A quote unit (a quoted sentence inside a longer claim,
``segment.quote_units``) lies inside its enclosing claim, so every figure counts *root* claims
(a claim's root is its enclosing claim, or itself): a document's ``claims`` leaves its quote
units out; a root claim is ``reused`` when it or any of its units is shown in a cluster, once
however many of them are; a document edge's ``shared_claims`` counts the reusing document's
root claims, each once, with the closest relation any of them has; passages run over root
claims in document order. Clusters themselves may hold quote units (a member carries its
``enclosing`` claim), but never a unit and its own enclosing claim together.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy as np

from . import __version__
from .credits.primary import credit_records, primary_source
from .credits.resolve import CreditIndex
from .lineage import chain_links, passages
from .mutations import differences
from .origins import EARLIEST, TIE, WitnessOrder, credit_edges, order_origin, origin_key
from .records import ORIGIN, RELATIONS, ClusterRow, Credit, DocRef, MemberRow, StoredClaim, StoredDocument
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
    claims: dict[int, StoredClaim]            # every member claim, and each member unit's enclosing claim
    credits: dict[int, list[Credit]]          # who each member credits
    vectors: dict[int, np.ndarray]            # each member's unit vector
    document_credits: dict[int, list[tuple[StoredClaim, list[Credit]]]] = field(default_factory=dict)  # by document number
    quote_units: int = 0                      # quote units stored (not counted as claims)


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
    claims = store.claims(ids)
    claims.update(store.claims({c.parent for c in claims.values() if c.parent is not None} - claims.keys()))
    return ReportInput(
        store={"path": str(store.path), "model": store.model, "dimension": store.dim, "schema_version": SCHEMA_VERSION},
        documents=store.documents(),
        claim_counts=store.claim_counts(),
        clusters=clusters,
        claims=claims,
        credits=store.credits(ids),
        vectors=dict(zip(ids, store.claim_vectors(ids))) if ids else {},
        document_credits=store.document_credits(),
        quote_units=store.quote_unit_count(),
    )


def assemble_report(data: ReportInput, *, show_hidden: bool = False, include_text: bool = False) -> dict:
    by_num = {d.num: d for d in data.documents}
    index = CreditIndex(DocRef(d.num, d.id, d.source, d.url, d.published_ts) for d in data.documents)
    clusters = [_cluster_view(row, members, data.claims, by_num) for row, members in data.clusters]
    _add_enclosing(clusters, data.claims)
    # Widest-travelled claims first (as stored, before anything is hidden); then by id.
    clusters.sort(key=lambda c: (-c["documents"], -c["size"], c["id"]))
    hidden: Counter[str] = Counter()
    kept = []
    for cl in clusters:
        if _hide(cl, show_hidden, hidden):
            continue
        _add_lineage(cl, data, index, by_num)
        kept.append(cl)
    root = {cid: c.parent if c.parent is not None else cid for cid, c in data.claims.items()}
    ordinal = {cid: data.claims[root[cid]].ordinal for cid in data.claims}
    found_passages = passages(kept, ordinal)
    reused, edges = _reuse_figures(kept, root)
    documents = [
        _document_entry(d, data.claim_counts.get(d.num, 0), reused[d.id], include_text, _document_credits(d, data, index))
        for d in data.documents
    ]
    return {
        "provenance_version": __version__,
        "generated_at": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime()),
        "store": data.store,
        "summary": {
            "documents": len(documents),
            "claims": sum(data.claim_counts.values()),
            "quote_units": data.quote_units,
            "clusters": len(kept),
            "reused_claims": sum(reused.values()),
            "document_edges": len(edges),
            "passages": len(found_passages),
            # How many origins the dates cannot settle: several witnesses could each be first.
            "origins_tied": sum(1 for c in kept if c["origin"]["basis"] == TIE),
            "credited_claims": sum(len(d["credits"]) for d in documents),
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
        return (r.relation != ORIGIN, origin_key(by_num[c.doc_num].node(c.id)))

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


def _add_enclosing(clusters: list[dict], claims: dict[int, StoredClaim]) -> None:
    """A quote unit member names the claim it is quoted in: where it sits, and its frame."""
    for cl in clusters:
        for m in cl["members"]:
            parent = claims[m["claim_id"]].parent
            if parent is not None:
                p = claims[parent]
                m["enclosing"] = {"claim_id": p.id, "start": p.start, "end": p.end, "text": p.text}


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


def _hide(cl: dict, show_hidden: bool, hidden: Counter[str]) -> bool:
    """Mark what readers should not count as reuse (:func:`provenance.visibility.judge_cluster`:
    the rule ``index``, ``info`` and ``documents`` count with): a boilerplate cluster, a member
    from the origin's own outlet, a cluster left in one document. True when ``cl`` is to be
    left out."""
    origin = cl["members"][0]
    verdict = judge_cluster(origin["text"], [(m["doc_id"], m.get("source")) for m in cl["members"]])
    members = [origin]
    for m, same_outlet in zip(cl["members"][1:], verdict.same_outlet):
        m["differences"] = differences(origin["text"], m["text"], m["relation"], origin.get("published"), m.get("published"))
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


def _add_lineage(cl: dict, data: ReportInput, index: CreditIndex, by_num: dict[int, StoredDocument]) -> None:
    """The cluster's primary source, the order its witnesses can be given (a tie when the data
    gives none) and witness chain, and each member's credits."""
    members = cl["members"]
    origin = members[0]
    doc_num = {m["claim_id"]: data.claims[m["claim_id"]].doc_num for m in members}
    ts = {cid: index.docs[num].published_ts for cid, num in doc_num.items()}
    credits = {m["claim_id"]: credit_records(data.credits.get(m["claim_id"], [])) for m in members}
    cl["primary_source"] = primary_source([(doc_num[m["claim_id"]], m["doc_id"], credits[m["claim_id"]]) for m in members], index)
    nodes = {cid: by_num[num].node(cid) for cid, num in doc_num.items()}
    edges = credit_edges(list(nodes), doc_num, credits, index)
    _order_of_shown(cl, nodes, edges)
    order = WitnessOrder(nodes, edges)
    time_order = sorted(members, key=lambda m: origin_key(nodes[m["claim_id"]]))
    if time_order[0] is not origin:
        # The origin stays first even when credited rather than earliest.
        time_order.remove(origin)
        time_order.insert(0, origin)
    cl["chain"], unordered = chain_links(time_order, order, ts, data.vectors, doc_num, credits, index)
    if unordered:
        cl["unordered"] = unordered
    for m in members:
        m["credits"] = credits[m["claim_id"]]


def _order_of_shown(cl: dict, nodes: dict, edges: list) -> None:
    """The basis for the members shown (a tie may have been with a hidden same-outlet copy), and
    the tied witnesses when there are several that could each be first. A basis a credit gave
    stays; so does the stored origin, which the members' relations are measured against."""
    origin = cl["origin"]
    if origin["basis"] in (EARLIEST, TIE, "ingest-order"):
        first, basis, tied = order_origin(nodes, edges)
        if first == origin["claim_id"] or origin["claim_id"] in tied:
            origin["basis"] = basis
        if basis == TIE and origin["claim_id"] in tied:
            doc_of = {m["claim_id"]: m["doc_id"] for m in cl["members"]}
            origin["tied"] = [{"claim_id": t, "doc_id": doc_of[t]} for t in tied]


def _reuse_figures(clusters: list[dict], root: dict[int, int]) -> tuple[Counter[str], list[dict]]:
    """Reused claims per document id, and the document edges (earlier -> reuser), counted from
    the members shown and not marked hidden, each root claim once (``root``: a claim's enclosing
    claim, or itself; see the module's note on overlapping claims)."""
    reused_roots: dict[str, set[int]] = defaultdict(set)
    # (source doc, target doc) -> target root claim -> the closest relation it was reused with
    edges: dict[tuple[str, str], dict[int, str]] = defaultdict(dict)
    for cl in clusters:
        if cl.get("hidden"):
            continue
        origin = cl["members"][0]
        visible = [m for m in cl["members"] if not m.get("hidden")]
        if len({m["doc_id"] for m in visible}) < 2:
            continue
        for m in visible:
            reused_roots[m["doc_id"]].add(root[m["claim_id"]])
        # An edge says who came first: none to a witness the data cannot order (a tie, undated).
        unordered = {u["claim_id"] for u in cl.get("unordered") or []}
        for m in visible[1:]:
            if m["claim_id"] in unordered:
                continue
            shared = edges[(origin["doc_id"], m["doc_id"])]
            r = root[m["claim_id"]]
            shared[r] = min(shared.get(r, m["relation"]), m["relation"], key=_relation_rank)
    reused = Counter({doc: len(roots) for doc, roots in reused_roots.items()})
    out = []
    for (src, dst), shared in edges.items():
        counts = Counter(shared.values())
        out.append(
            {
                "source_doc": src,
                "target_doc": dst,
                "shared_claims": len(shared),
                "relations": {rel: counts.get(rel, 0) for rel in RELATIONS},
            }
        )
    out.sort(key=lambda e: (-e["shared_claims"], e["source_doc"], e["target_doc"]))
    return reused, out


def _relation_rank(relation: str) -> int:
    # Closest copy first: a claim reused both word for word and reworded counts as the former.
    return RELATIONS.index(relation) if relation in RELATIONS else len(RELATIONS)


def _document_credits(d: StoredDocument, data: ReportInput, index: CreditIndex) -> list[dict]:
    """Who the document credits for what: each credited claim with its sources (a credit of the
    document's own outlet left out: "told the Courier" in the Courier names the speaker only).
    A quote unit's credits inherited from its enclosing sentence are that sentence's and are
    listed with it: listed again under the unit, one credit would read as two."""
    out = []
    for claim, credits in data.document_credits.get(d.num, []):
        sources = [
            r for r in credit_records(credits)
            if r.get("scope") != "enclosing" and not index.is_own_outlet(d.num, r["name"], r["url"])
        ]
        if sources:
            out.append({"claim_id": claim.id, "text": claim.text, "start": claim.start, "end": claim.end, "sources": sources})
    return out


def document_name(d: StoredDocument) -> str:
    """A name a person can read: the title (a page's title when it was HTML); else the first
    line of three words or more (a headline, not the outlet's name above it); else the file
    name; else the id."""
    if d.title:
        return d.title
    lines = [line.strip() for line in d.text.splitlines() if line.strip()]
    line = next((x for x in lines[:5] if len(x.split()) >= 3), lines[0] if lines else "")
    if line:
        return line if len(line) <= 100 else line[:99].rsplit(" ", 1)[0] + "…"
    if d.path and d.path not in ("-", "<stdin>"):
        return d.path.replace("\\", "/").rsplit("/", 1)[-1]
    return d.id


def _document_entry(d: StoredDocument, claims: int, reused: int, include_text: bool, credits: list[dict]) -> dict:
    entry = {
        "id": d.id,
        "name": document_name(d),
        "path": d.path,
        "source": d.source,
        "title": d.title,
        "url": d.url,
        "published": d.published,
        "published_precision": d.published_precision,
        "claims": claims,
        "reused_claims": reused,
        "reuse_share": round(reused / claims, 4) if claims else 0.0,
        "credits": credits,
    }
    if d.date_conflict:
        entry["date_conflict"] = d.date_conflict
    if include_text:
        entry["text"] = d.text
    return entry

"""Witness chains, mutations, passages, primary sources and hidden reuse for the report.

``enrich_report`` takes the base report (report.py) and adds, per cluster, ``primary_source``,
``chain`` (members in time order, each link with its time gap, similarity, the words kept, added
and dropped, and whether the later document credits the earlier one, an outside source or
nobody) and each member's ``differences``; at the top, ``passages`` (consecutive reused claims
from one document merged into one reuse). Reuse inside one outlet and boilerplate lines are
kept out of clusters and figures unless ``show_hidden``.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict

import numpy as np

from .credits import CreditIndex
from .match import lexical_similarity
from .mutations import differences
from .records import RELATIONS
from .sources import credit_records, primary_source
from .store import Store

__all__ = ["enrich_report", "chain_links", "passages", "boilerplate", "word_alignment"]

# Earlier witnesses a link's source is chosen from, besides the origin.
_POOL = 30

# Lines that every page of a site carries: sign-ups, bylines, share and read-more links.
_BOILERPLATE = re.compile(
    r"\b(?:sign up|subscribe|newsletter|read more|click here|follow us|share this|all rights reserved"
    r"|copyright|cookie|advertisement|keep checking back|for updates on this|related articles|support our"
    r"|download (?:our|the) app|get the latest|join our|email us)\b|©|^by\s+[A-Z][\w.\-]+(?:\s+[A-Z][\w.\-]+){0,3}$",
    re.IGNORECASE,
)


def boilerplate(text: str, documents: int, total_documents: int) -> bool:
    """A site's furniture rather than a claim: a sign-up, byline or read-more line repeated in
    two documents or more, or any short line repeated in most documents of a large store."""
    if documents >= 2 and _BOILERPLATE.search(text.strip()):
        return True
    return total_documents >= 8 and documents >= max(4, 0.5 * total_documents) and len(text.split()) <= 12


def word_alignment(a: str, b: str) -> dict:
    """Words kept, added and dropped from ``a`` to ``b`` (difflib opcodes over words)."""
    wa, wb = re.findall(r"\S+", a), re.findall(r"\S+", b)
    sm = difflib.SequenceMatcher(a=[w.lower().strip(".,;:!?\"“”'’") for w in wa], b=[w.lower().strip(".,;:!?\"“”'’") for w in wb], autojunk=False)
    kept, added, dropped = 0, [], []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            kept += i2 - i1
        if tag in ("replace", "delete"):
            dropped.append(" ".join(wa[i1:i2]))
        if tag in ("replace", "insert"):
            added.append(" ".join(wb[j1:j2]))
    return {"kept": kept, "added": added, "dropped": dropped}


def _gap_days(a: float | None, b: float | None) -> float | None:
    if a is None or b is None:
        return None
    return round((b - a) / 86400.0, 2)


def chain_links(members: list[dict], ts: dict[int, float | None], vectors: dict[int, np.ndarray],
                doc_num: dict[int, int], attrs: dict[int, list], index: CreditIndex) -> list[dict]:
    """One link per member after the first: from the earlier member it most likely copied (the
    one its document credits, else the closest in wording) to it."""
    links = []
    for i, m in enumerate(members[1:], start=1):
        earlier = members[:i]
        cid = m["claim_id"]
        credits = attrs.get(cid, [])
        credited_docs: dict[int, str] = {}
        outside = []
        for a in credits:
            if index.is_own_outlet(doc_num[cid], a["name"], a["url"]):
                continue
            hits = index.resolve(a["name"], a["url"], a["kind"])
            if a.get("via"):
                # A quote given to an outlet ("told the Harbor Ledger") credits that outlet too.
                hits += index.resolve(a["via"], None, "outlet")
            for n, how in hits:
                credited_docs.setdefault(n, how)
            if not hits:
                outside.append(a["name"])
        src = next((e for e in earlier if doc_num[e["claim_id"]] in credited_docs), None)
        credit = "earlier" if src is not None else ("outside" if outside or credited_docs else "none")
        if src is None:
            # The closest wording among the origin and the latest earlier witnesses (a bound, so
            # a claim with hundreds of copies stays linear).
            pool = [earlier[0]] + earlier[1:][-_POOL:]
            src = max(pool, key=lambda e: (lexical_similarity(e["text"], m["text"]), -pool.index(e)))
        sid = src["claim_id"]
        sim = float(vectors[sid] @ vectors[cid]) if sid in vectors and cid in vectors else None
        link = {
            "from_claim": sid,
            "from_doc": src["doc_id"],
            "to_claim": cid,
            "to_doc": m["doc_id"],
            "gap_days": _gap_days(ts.get(sid), ts.get(cid)),
            "similarity": None if sim is None else round(sim, 4),
            "relation": m["relation"],
            "words": word_alignment(src["text"], m["text"]),
            "credit": credit,
        }
        if credit == "outside":
            names = outside or [index.docs[n].source or index.docs[n].id for n in credited_docs]
            link["credits"] = sorted(set(names))
        elif credit == "earlier":
            link["credits"] = [src.get("source") or src["doc_id"]]
        links.append(link)
    return links


def passages(clusters: list[dict], ordinal: dict[int, int]) -> list[dict]:
    """Runs of consecutive claims of one document reused, in order, by another: one passage."""
    pairs: dict[tuple[str, str], list[tuple[int, int, dict, dict, dict]]] = defaultdict(list)
    for cl in clusters:
        origin = cl["members"][0]
        for m in cl["members"][1:]:
            if m["doc_id"] == origin["doc_id"]:
                continue
            pairs[(origin["doc_id"], m["doc_id"])].append((ordinal[m["claim_id"]], ordinal[origin["claim_id"]], origin, m, cl))
    out = []
    for (src, dst), items in pairs.items():
        items.sort(key=lambda x: x[0])
        run = [items[0]]
        for it in items[1:] + [None]:
            if it is not None and it[0] == run[-1][0] + 1 and it[1] == run[-1][1] + 1:
                run.append(it)
                continue
            if len(run) >= 2:
                rels = Counter(x[3]["relation"] for x in run)
                out.append(
                    {
                        "source_doc": src,
                        "target_doc": dst,
                        "source_start": run[0][2]["start"],
                        "source_end": run[-1][2]["end"],
                        "target_start": run[0][3]["start"],
                        "target_end": run[-1][3]["end"],
                        "claims": len(run),
                        "cluster_ids": [x[4]["id"] for x in run],
                        "relation": next(r for r in ("paraphrase", "near-verbatim", "verbatim") if rels.get(r)),
                        "credited": any(link["credit"] == "earlier" and link["to_claim"] == x[3]["claim_id"]
                                        for x in run for link in x[4].get("chain", [])),
                        "text": " ".join(x[3]["text"] for x in run),
                    }
                )
            if it is not None:
                run = [it]
    out.sort(key=lambda p: (-p["claims"], p["source_doc"], p["target_doc"], p["target_start"]))
    return out


def enrich_report(report: dict, store: Store, show_hidden: bool = False) -> dict:
    """Add primary sources, chains, differences and passages; hide same-outlet reuse and
    boilerplate unless ``show_hidden``; recount the reuse figures from what is left."""
    clusters = report["clusters"]
    ids = [m["claim_id"] for cl in clusters for m in cl["members"]]
    claims = store.claims(ids)
    attrs_rows = store.attributions(ids)
    attrs = {cid: credit_records(rows) for cid, rows in attrs_rows.items()}
    index = CreditIndex.from_store(store)
    doc_num = {cid: c.doc_num for cid, c in claims.items()}
    ts = {cid: index.docs[c.doc_num].published_ts for cid, c in claims.items()}
    vectors = dict(zip(ids, store.claim_vectors(ids))) if ids else {}
    total_docs = len(report["documents"])

    kept_clusters = []
    hidden = Counter()
    for cl in clusters:
        origin = cl["members"][0]
        reason = "boilerplate" if boilerplate(origin["text"], cl.get("documents", len({m["doc_id"] for m in cl["members"]})), total_docs) else None
        members = [origin]
        for m in cl["members"][1:]:
            m["differences"] = differences(origin["text"], m["text"], m["relation"])
            if reason is None and origin.get("source") and m.get("source") == origin.get("source"):
                m["hidden"] = "same-outlet"
                hidden["same-outlet"] += 1
                if not show_hidden:
                    continue
            members.append(m)
        if reason:
            cl["hidden"] = reason
            hidden[reason] += 1
            if not show_hidden:
                continue
        if len({m["doc_id"] for m in members}) < 2:
            hidden["same-outlet-cluster"] += 1
            if not show_hidden:
                continue
            members = cl["members"]
        cl["members"] = members
        cl["size"] = len(members)
        cl["documents"] = len({m["doc_id"] for m in members})
        cl["primary_source"] = primary_source([(doc_num[m["claim_id"]], m["doc_id"], attrs.get(m["claim_id"], [])) for m in members], index)
        time_order = sorted(members, key=lambda m: (ts.get(m["claim_id"]) is None, ts.get(m["claim_id"]) or 0.0, doc_num[m["claim_id"]]))
        if time_order[0] is not origin:
            # The origin stays first even when credited rather than earliest.
            time_order.remove(origin)
            time_order.insert(0, origin)
        cl["chain"] = chain_links(time_order, ts, vectors, doc_num, attrs, index)
        for m in members:
            m["credits"] = attrs.get(m["claim_id"], [])
        kept_clusters.append(cl)
    report["clusters"] = kept_clusters
    report["passages"] = passages(kept_clusters, {cid: c.ordinal for cid, c in claims.items()})
    report["hidden"] = {"shown": show_hidden, **{k: v for k, v in hidden.items()}}
    _recount(report, show_hidden)
    return report


def _recount(report: dict, show_hidden: bool) -> None:
    reused: Counter[str] = Counter()
    edges: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for cl in report["clusters"]:
        if cl.get("hidden") and show_hidden:
            continue
        origin = cl["members"][0]
        visible = [m for m in cl["members"] if not m.get("hidden")]
        if len({m["doc_id"] for m in visible}) < 2:
            continue
        for m in visible:
            reused[m["doc_id"]] += 1
        for m in visible[1:]:
            edges[(origin["doc_id"], m["doc_id"])][m["relation"]] += 1
    for d in report["documents"]:
        d["reused_claims"] = reused[d["id"]]
        d["reuse_share"] = round(reused[d["id"]] / d["claims"], 4) if d["claims"] else 0.0
    report["document_edges"] = sorted(
        (
            {
                "source_doc": src,
                "target_doc": dst,
                "shared_claims": sum(c.values()),
                "relations": {rel: c.get(rel, 0) for rel in RELATIONS},
            }
            for (src, dst), c in edges.items()
        ),
        key=lambda e: (-e["shared_claims"], e["source_doc"], e["target_doc"]),
    )
    summary = report.get("summary", {})
    summary.update(
        {
            "clusters": len(report["clusters"]),
            "reused_claims": sum(reused.values()),
            "document_edges": len(report["document_edges"]),
            "passages": len(report.get("passages", [])),
        }
    )

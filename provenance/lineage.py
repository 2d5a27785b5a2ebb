"""How a claim travelled, for the report: witness chains, passages and boilerplate.

Pure functions over the report's member dicts: :func:`chain_links` (members in time order, each
link with its time gap, similarity, the words kept, added and dropped, and whether the later
document credits the earlier one, an outside source or nobody), :func:`passages` (consecutive
reused claims from one document merged into one reuse) and :func:`boilerplate` (a site's
furniture rather than a claim). ``report.py`` assembles them.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict

import numpy as np

from .credits.resolve import CreditIndex
from .match import lexical_similarity
from .origins import WitnessOrder, dated_before

__all__ = ["chain_links", "passages", "boilerplate", "word_alignment"]

# Earlier witnesses a link's source is chosen from, besides the origin.
_POOL = 30

# A site's furniture, by what it is: navigation and promotion (an imperative at the start:
# "Sign up ...", "Read more ...", "Keep checking back ..."), a copyright line, a byline. Web
# debris glued to sentences is cut off before this, at segmentation (segment/debris.py).
_BOILERPLATE = re.compile(
    r"^(?:sign[ -]?up|subscribe|read more|read the full|click here|follow us|share this|keep checking back"
    r"|related articles|support our|download (?:our|the)\b.{0,20}\bapp|get the latest|join our|email us"
    r"|advertisement|(?:this site|we) uses? cookies|find us on|contact us)\b"
    r"|^(?:you can )?follow\b.{0,60}\bon (?:twitter|facebook|instagram|snapchat)\b"
    r"|^(?:email|send|share|tell us)\b.{0,80}@\w"
    r"|\b(?:daily|weekly) newsletter\b|\bnewsletter\b.{0,80}\b(?:sign up|subscribe|delivers|helps you|in your inbox)"
    r"|\blearn more$|\ball rights reserved\b|©|^copyright\b|^by\s+[A-Z][\w.\-]+(?:\s+[A-Z][\w.\-]+){0,3}$",
    re.IGNORECASE,
)


def boilerplate(text: str, documents: int) -> bool:
    """A site's furniture rather than a claim: navigation, promotion, a copyright line or a
    byline, repeated in two documents or more. Never judged by how many documents repeat a
    line: a claim most outlets carry (an agency's estimate) is the reuse most worth showing."""
    return documents >= 2 and bool(_BOILERPLATE.search(text.strip()))


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


def chain_links(members: list[dict], order: WitnessOrder, ts: dict[int, float | None], vectors: dict[int, np.ndarray],
                doc_num: dict[int, int], attrs: dict[int, list], index: CreditIndex) -> tuple[list[dict], list[dict]]:
    """The links of a witness chain, and the witnesses no link may reach.

    A member is linked from a witness the data puts before it (``order``: its date, or its
    credit; ``order`` in the link says which): the one its document credits, else the closest
    in wording. A member nothing is known to precede (tied with the origin, undated, or dated
    against its own text) gets no link, since copying has a direction that the data does not
    give; it is listed instead, with why."""
    links, unordered = [], []
    for m in members[1:]:
        cid = m["claim_id"]
        known = [e for e in members if e["claim_id"] in order.ancestors(cid)]
        if not known:
            unordered.append({"claim_id": cid, "doc_id": m["doc_id"], "why": _why_unordered(order, cid, ts)})
            continue
        credited_docs, outside = _credited(attrs.get(cid, []), doc_num[cid], index)
        src = next((e for e in known if doc_num[e["claim_id"]] in credited_docs), None)
        credit = "earlier" if src is not None else ("outside" if outside or credited_docs else "none")
        if src is None:
            # The closest wording among the origin and the latest earlier witnesses (a bound, so
            # a claim with hundreds of copies stays linear).
            pool = [known[0]] + known[1:][-_POOL:]
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
            "order": "published" if dated_before(order.nodes[sid], order.nodes[cid]) else "credit",
        }
        if credit == "outside":
            names = outside or [index.docs[n].source or index.docs[n].id for n in credited_docs]
            link["credits"] = sorted(set(names))
        elif credit == "earlier":
            link["credits"] = [src.get("source") or src["doc_id"]]
        links.append(link)
    return links, unordered


def _credited(credits: list, doc: int, index: CreditIndex) -> tuple[dict[int, str], list[str]]:
    """The stored documents a member's credits name (own outlet left out), and the names of the
    outside sources it credits."""
    credited_docs: dict[int, str] = {}
    outside = []
    for a in credits:
        if index.is_own_outlet(doc, a["name"], a["url"]):
            continue
        hits = index.resolve(a["name"], a["url"], a["kind"])
        if a.get("via"):
            # A quote given to an outlet ("told the Harbor Ledger") credits that outlet too.
            hits += index.resolve(a["via"], None, "outlet")
        for n, how in hits:
            credited_docs.setdefault(n, how)
        if not hits:
            outside.append(a["name"])
    return credited_docs, outside


def _why_unordered(order: WitnessOrder, cid: int, ts: dict[int, float | None]) -> str:
    node = order.nodes[cid]
    if node.published_ts is None:
        return "undated" if ts.get(cid) is None else "date-contradicted"
    return "tie"


def passages(clusters: list[dict], ordinal: dict[int, int]) -> list[dict]:
    """Runs of consecutive claims of one document reused, in order, by another: one passage.

    ``ordinal`` places each member in its document; a quote unit takes its enclosing claim's
    place (report.py), so a sentence reused both whole and through its quote counts once."""
    pairs: dict[tuple[str, str], list[tuple[int, int, dict, dict, dict]]] = defaultdict(list)
    for cl in clusters:
        origin = cl["members"][0]
        for m in cl["members"][1:]:
            if m["doc_id"] == origin["doc_id"]:
                continue
            pairs[(origin["doc_id"], m["doc_id"])].append((ordinal[m["claim_id"]], ordinal[origin["claim_id"]], origin, m, cl))
    out = []
    for (src, dst), items in pairs.items():
        items.sort(key=lambda x: (x[0], x[1]))
        items = [it for i, it in enumerate(items) if i == 0 or it[0] != items[i - 1][0]]
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
                        "relation": next(r for r in ("paraphrase", "excerpt", "near-verbatim", "verbatim") if rels.get(r)),
                        "credited": any(link["credit"] == "earlier" and link["to_claim"] == x[3]["claim_id"]
                                        for x in run for link in x[4].get("chain", [])),
                        # False when the data cannot say which of the two came first.
                        "ordered": not any(u["claim_id"] == x[3]["claim_id"] for x in run for u in x[4].get("unordered", [])),
                        "text": " ".join(x[3]["text"] for x in run),
                    }
                )
            if it is not None:
                run = [it]
    out.sort(key=lambda p: (-p["claims"], p["source_doc"], p["target_doc"], p["target_start"]))
    return out

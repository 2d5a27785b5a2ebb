"""Credits into the store, and the cluster corrections they decide (issue 3).

``store_credits`` runs attribution over each new document inside the index batch's
transaction; ``refine_clusters`` drops look-alike members and makes a credited member the origin.
"""

from __future__ import annotations

import logging
import sqlite3

import numpy as np

from .attribution import credits_for_claims
from .cluster import Cluster
from .credits import CreditIndex, credited_member
from .documents import Document
from .figures import figures_conflict
from .match import DEFAULT_SETTINGS, MatchSettings, lexical_similarity
from .store import NewClaim, Store

__all__ = ["store_credits", "refine_clusters"]

log = logging.getLogger(__name__)


def store_credits(store: Store, db: sqlite3.Connection, fresh: list[Document], doc_nums: list[int], new_claims: list[NewClaim], ids: np.ndarray) -> None:
    """Store who each new claim credits (attribution.py), in the batch's transaction."""
    by_doc: dict[int, list[tuple[NewClaim, int]]] = {}
    for c, cid in zip(new_claims, ids.tolist()):
        by_doc.setdefault(c.doc_index, []).append((c, cid))
    rows = []
    for di, doc in enumerate(fresh):
        items = by_doc.get(di, [])
        if not items:
            continue
        try:
            credits = credits_for_claims(doc.text, [(c.start, c.end) for c, _ in items])
        except Exception:  # a pattern bug must never cost the document its claims
            log.exception("attribution failed for %s; indexed without credits", doc.id)
            continue
        for (c, cid), found in zip(items, credits):
            for a in found:
                rows.append((cid, doc_nums[di], a.cue, a.name, a.kind, a.document, a.start, a.end, a.url, a.marker, a.scope))
    store.insert_attributions(db, rows)


def refine_clusters(store: Store, clusters: list[Cluster], claims: dict, settings: MatchSettings = DEFAULT_SETTINGS) -> list[Cluster]:
    """Two corrections the match graph cannot make on its own (issue 3).

    A member worded differently from the origin whose figures conflict with it states another
    fact ("the tank held 60,000 gallons" is not "40,000 gallons leaked"), so it leaves; a near copy
    whose figure changed stays as a mutation. And when members credit another member's document
    (by name or URL), that document is the origin (basis ``attribution`` / ``citation``), even
    when an undated or later copy came first.
    """
    attrs = store.attributions(m for cl in clusters for m in cl.members)
    # The whole-store credit index is needed only when some member credits someone; without
    # this a local recluster would read every document.
    index = CreditIndex.from_store(store) if attrs else None
    out: list[Cluster] = []
    for cl in clusters:
        origin_text = claims[cl.origin].text
        members = [cl.origin]
        for mid in cl.members[1:]:
            text = claims[mid].text
            if figures_conflict(origin_text, text) and lexical_similarity(origin_text, text) < settings.near_verbatim_lexical:
                continue
            members.append(mid)
        if len({claims[m].doc_num for m in members}) < 2:
            continue
        origin, basis = cl.origin, cl.basis
        credited = credited_member(members, {m: claims[m].doc_num for m in members}, attrs, index)
        if credited is not None and credited[0] != origin:
            origin, basis = credited
            members = [origin] + [m for m in members if m != origin]
        out.append(Cluster(origin=origin, basis=basis, members=tuple(members)))
    out.sort(key=lambda c: c.origin)
    return out

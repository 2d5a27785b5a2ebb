"""Group matched claims into clusters: one per claim travelling across documents. Pure
functions over plain records and arrays; which member is the origin is :mod:`.origins`' call.

Connected components of the match graph chain: A~B and B~C put A and C together even when
they say different things. So inside each component, claims are taken in time order and a claim
joins a cluster only when it is close to the cluster as a whole (its centroid) and not far from
any single member, never merely to one neighbour.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from .figures import figures_conflict
from .match import DEFAULT_SETTINGS, MatchSettings, classify, lexical_similarity
from .origins import order_origin, origin_key
from .records import ORIGIN, ClaimNode, Cluster, ClusterRow, MemberRow, StoredClaim


@dataclass(frozen=True)
class ClusterSettings:
    # A joining claim's cosine to the normalised mean of the cluster's members.
    min_centroid_cosine: float = 0.72
    # ... and to every single member, so one near neighbour can't drag in a different claim.
    min_member_cosine: float = 0.60
    # A quote unit (segment.quote_units) joins a cluster only if it is the same quote as every
    # quotation the cluster holds (its units, and the units of its framed sentences): quotations
    # are the same quote only when their words nearly agree (verbatim pairs embed at ~1.0, one
    # word changed at ~0.95); two speakers saying alike things ("We expect every operator on this
    # waterfront to report a leak ..." / "We expect every employee at this terminal to report a
    # leak ...", cosine 0.73) are two statements. Reported speech holds no quotation: a
    # paraphrase of a quote may join, and so may a sentence that quotes.
    min_quote_cosine: float = 0.90

    def __post_init__(self) -> None:
        for name in ("min_centroid_cosine", "min_member_cosine", "min_quote_cosine"):
            value = getattr(self, name)
            if not -1.0 <= value <= 1.0:
                raise ValueError(f"{name} must be in [-1, 1], got {value}")


DEFAULT_CLUSTER_SETTINGS = ClusterSettings()


def components(edges: Iterable[tuple[int, int]]) -> list[list[int]]:
    """Connected components (union-find) of an edge list; each sorted, list sorted by first id."""
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = defaultdict(list)
    for x in parent:
        groups[find(x)].append(x)
    return sorted((sorted(g) for g in groups.values()), key=lambda g: g[0])


def build_clusters(
    nodes: Mapping[int, ClaimNode],
    edges: Iterable[tuple[int, int]],
    vectors: Mapping[int, np.ndarray],
    settings: ClusterSettings = DEFAULT_CLUSTER_SETTINGS,
) -> list[Cluster]:
    """Clusters spanning at least two documents, from same-claim ``edges`` between claims.

    ``vectors`` holds each node's unit vector. A document contributes at most one member to a
    cluster, so a claim repeated inside one document never makes a cluster by itself, and a
    quote unit never shares a cluster with its own enclosing claim. Of the two, the one closer
    to a cluster is the one that may join it (:func:`_overlap_closer`): a framed sentence
    ("...," the auditor's report says) must not take the place its own quotation would fill
    among bare copies of that quotation, and the reverse.
    """
    edge_list = [(a, b) for a, b in edges if a != b]
    overlaps = _overlapping(nodes)

    clusters: list[Cluster] = []
    for comp in components(edge_list):
        ordered = sorted(comp, key=lambda cid: origin_key(nodes[cid]))
        groups = [g for g in _greedy_groups(ordered, nodes, vectors, overlaps, settings) if len({nodes[m].doc_num for m in g}) >= 2]
        for group in _without_framings(groups, nodes, vectors, overlaps, settings):
            members = tuple(sorted(group, key=lambda cid: origin_key(nodes[cid])))
            origin, basis, tied = order_origin({m: nodes[m] for m in members})
            clusters.append(Cluster(origin=origin, basis=basis, members=(origin, *(m for m in members if m != origin)), tied=tied))
    clusters.sort(key=lambda c: c.origin)
    return clusters


def _without_framings(
    groups: list[list[int]], nodes: Mapping[int, ClaimNode], vectors: Mapping[int, np.ndarray],
    overlaps: Mapping[int, list[int]], settings: ClusterSettings,
) -> list[list[int]]:
    """``groups`` less those whose every member is a sentence that is little more than a
    quotation ("...," she said) whose quote unit sits in one other group: the same reuse, shown
    once, as the quotation, where copies of the words are told apart from copies of the frame
    ("she said" / "she told reporters") and each member still shows the sentence quoting it.
    A sentence that says more than its quote (cosine to it below ``min_quote_cosine``) keeps
    its group: what it adds may be reused too."""
    group_of = {m: gi for gi, g in enumerate(groups) for m in g}
    kept = []
    for gi, g in enumerate(groups):
        holders: set[int] = set()
        for m in g:
            units = [u for u in overlaps.get(m, ()) if nodes[u].parent == m and u in group_of
                     and float(vectors[u] @ vectors[m]) >= settings.min_quote_cosine]
            holders.add(group_of[units[0]] if len(units) == 1 else -1)
        if len(holders) == 1 and -1 not in holders and gi not in holders:
            continue
        kept.append(g)
    return kept


def _overlapping(nodes: Mapping[int, ClaimNode]) -> dict[int, list[int]]:
    """For each claim, the claims of its own document it overlaps: its quote units, or its
    enclosing claim and that claim's other units (only those among ``nodes``)."""
    family: dict[int, list[int]] = defaultdict(list)
    for cid, node in nodes.items():
        if node.parent is not None and node.parent in nodes:
            family[node.parent].append(cid)
    out: dict[int, list[int]] = {}
    for parent, units in family.items():
        out[parent] = units
        for u in units:
            out[u] = [parent]
    return out


def _overlap_closer(others: Iterable[int], vectors: Mapping[int, np.ndarray], centroid: np.ndarray, cos: float) -> bool:
    """Is a claim overlapping this one (same words, same document) closer to the centroid?"""
    return any(float(centroid @ vectors[o]) > cos for o in others if o in vectors)


def _other_quote(
    v: np.ndarray, members: Iterable[int], nodes: Mapping[int, ClaimNode], overlaps: Mapping[int, list[int]],
    vectors: Mapping[int, np.ndarray], settings: ClusterSettings,
) -> bool:
    """Does a member quote other words than the quote unit ``v``? A member's quotations are the
    member itself when it is a unit, else its own units (a framed sentence quotes them)."""
    for m in members:
        quotes = [m] if nodes[m].parent is not None else overlaps.get(m, [])
        if quotes and max(float(vectors[q] @ v) for q in quotes) < settings.min_quote_cosine:
            return True
    return False


def _greedy_groups(
    ordered: list[int],
    nodes: Mapping[int, ClaimNode],
    vectors: Mapping[int, np.ndarray],
    overlaps: Mapping[int, list[int]],
    settings: ClusterSettings,
) -> list[list[int]]:
    """One component's claims, in time order, each put in the group it is closest to (by
    centroid) among those it may join (no member from its document, centroid cosine and every
    member's cosine high enough), else in a group of its own.

    Any group of the component may take the claim, not only one holding a direct neighbour:
    claims arrive in time order, so a neighbour may not be placed yet. The cosines to every
    placed claim and every centroid are one matrix product per claim (a component of thousands
    of claims, rebuilt with every batch that touches it, must not cost a Python loop over
    member pairs). A claim overlapping others of its document (a quote unit, a framed sentence)
    is also held to :func:`_overlap_closer` and :func:`_other_quote`, group by group: those
    claims are few."""
    n = len(ordered)
    dim = len(vectors[ordered[0]])
    placed = np.empty((n, dim), dtype=np.float32)  # row k: the k-th claim placed
    group_of = np.empty(n, dtype=np.int64)
    sums = np.zeros((n, dim), dtype=np.float64)  # each group's vector sum
    groups: list[list[int]] = []
    groups_of_doc: dict[int, list[int]] = defaultdict(list)
    for k, cid in enumerate(ordered):
        v = np.asarray(vectors[cid], dtype=np.float32)
        best = -1
        if groups:
            g = len(groups)
            norms = np.maximum(np.linalg.norm(sums[:g], axis=1), 1e-12)
            centroid_cos = (sums[:g] / norms[:, None]) @ v.astype(np.float64)
            member_min = np.full(g, np.inf)
            np.minimum.at(member_min, group_of[:k], placed[:k] @ v)
            ok = (centroid_cos >= settings.min_centroid_cosine) & (member_min >= settings.min_member_cosine)
            ok[groups_of_doc.get(nodes[cid].doc_num, [])] = False
            if ok.any() and (cid in overlaps or nodes[cid].parent is not None):
                for gi in np.flatnonzero(ok):
                    centroid = sums[gi] / norms[gi]
                    if _overlap_closer(overlaps.get(cid, ()), vectors, centroid, float(centroid_cos[gi])) or (
                        nodes[cid].parent is not None and _other_quote(v, groups[gi], nodes, overlaps, vectors, settings)
                    ):
                        ok[gi] = False
            if ok.any():
                best = int(np.argmax(np.where(ok, centroid_cos, -np.inf)))  # the first of equals
        if best < 0:
            best = len(groups)
            groups.append([])
        groups[best].append(cid)
        groups_of_doc[nodes[cid].doc_num].append(best)
        placed[k], group_of[k] = v, best
        sums[best] += v
    return groups


def drop_lookalikes(clusters: Iterable[Cluster], claims: Mapping[int, StoredClaim], settings: MatchSettings = DEFAULT_SETTINGS) -> list[Cluster]:
    """Clusters without the members that state another fact: worded differently from the origin
    and with conflicting figures ("the tank held 60,000 gallons" is not "40,000 gallons leaked");
    a near copy whose figure changed stays, as a mutation. A cluster left in one document goes."""
    out = []
    for cl in clusters:
        origin_text = claims[cl.origin].text
        members = [cl.origin]
        for mid in cl.members[1:]:
            text = claims[mid].text
            if figures_conflict(origin_text, text) and lexical_similarity(origin_text, text) < settings.near_verbatim_lexical:
                continue
            members.append(mid)
        if len({claims[m].doc_num for m in members}) >= 2:
            out.append(Cluster(origin=cl.origin, basis=cl.basis, members=tuple(members), tied=tuple(t for t in cl.tied if t in members)))
    return out


def cluster_rows(
    clusters: Iterable[Cluster],
    claims: Mapping[int, StoredClaim],
    vectors: Mapping[int, np.ndarray],
    settings: MatchSettings = DEFAULT_SETTINGS,
) -> tuple[list[ClusterRow], list[MemberRow]]:
    """The stored form of clusters: one row each, and each member with its relation to the origin."""
    rows, members = [], []
    for cl in clusters:
        rows.append(ClusterRow(cl.origin, cl.origin, cl.basis, len(cl.members)))
        origin = claims[cl.origin]
        members.append(MemberRow(cl.origin, cl.origin, None, None, ORIGIN))
        for mid in cl.members[1:]:
            cos = float(vectors[cl.origin] @ vectors[mid])
            relation, lexical = classify(origin.text, claims[mid].text, cos, settings)
            # A member joined through the cluster as a whole may sit below the pairwise rule
            # against the origin itself; it still says the same thing in other words.
            members.append(MemberRow(cl.origin, mid, cos, lexical, relation or "paraphrase"))
    return rows, members

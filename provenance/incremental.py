"""Keep clusters up to date with every committed batch at the cost of what changed, not of the
store.

Clusters are built per connected component of the match graph (cluster.build_clusters), and a
component that gained no match is exactly what it was. So after new matches only the
components that hold them are rebuilt: walk the match graph outward from the new matches'
claims through the indexed ``matches`` table, rebuild those components with the same code the
full rebuild uses, and replace just their clusters. The result equals a full
:func:`pipeline.recluster` (tests check that on random stores); the cost grows with the touched
components, not with the number of stored claims.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence

from .cluster import DEFAULT_CLUSTER_SETTINGS, ClusterSettings, build_clusters, cluster_rows, drop_lookalikes
from .credits.resolve import CreditIndex
from .match import DEFAULT_SETTINGS, MatchSettings
from .origins import credited_origins
from .records import ClusterRow, Match, MemberRow
from .store import Store, Writer

log = logging.getLogger(__name__)


# Claims committed after the FAISS snapshot are added from SQLite when a store is opened, so
# the snapshot (a full copy of the index: O(store) to write) is rewritten only once this many
# claims have arrived since: its cost is spread over at least that many claims.
SNAPSHOT_EVERY_CLAIMS = 1000


def snapshot_due(store: Store) -> bool:
    """Should this index run write a new FAISS snapshot?"""
    since = store.vectors.claims_since_snapshot()
    return since is None or since >= SNAPSHOT_EVERY_CLAIMS


def touched_components(store: Store, seeds: Iterable[int]) -> list[tuple[int, int]]:
    """(a, b) of every stored match in the connected components of the match graph holding
    ``seeds``, sorted."""
    seen: set[int] = set()
    frontier = set(seeds)
    pairs: set[tuple[int, int]] = set()
    while frontier:
        seen |= frontier
        found = store.match_pairs_touching(frontier)
        pairs |= found
        frontier = {x for pair in found for x in pair} - seen
    return sorted(pairs)


def update_clusters(
    store: Store,
    writer: Writer,
    touched: Iterable[int],
    clustered_before: bool,
    match_settings: MatchSettings = DEFAULT_SETTINGS,
    cluster_settings: ClusterSettings = DEFAULT_CLUSTER_SETTINGS,
) -> None:
    """Bring the clusters up to the claims ``writer``'s transaction adds, in that transaction, so
    every committed state has clusters that match its matches: rebuild the components holding
    ``touched`` claims (the ends of new matches), or every cluster when they were behind
    before the transaction (``clustered_before`` false: a store left so by an older version)."""
    if not clustered_before:
        log.warning("clusters are behind the committed claims (an earlier run was interrupted); reclustering")
        writer.replace_clusters(*cluster_records(store, store.all_matches(), match_settings, cluster_settings))
        return
    seeds = set(touched)
    if not seeds:
        writer.mark_clustered()
        return
    pairs = touched_components(store, seeds)
    claim_ids = {x for pair in pairs for x in pair} | seeds
    rows, members = cluster_records(store, pairs, match_settings, cluster_settings)
    writer.replace_clusters_of(claim_ids, rows, members)
    log.debug("reclustered %d claims in the components of %d new match ends", len(claim_ids), len(seeds))


def cluster_records(
    store: Store,
    matches: Sequence[Match | tuple[int, int]],
    match_settings: MatchSettings = DEFAULT_SETTINGS,
    cluster_settings: ClusterSettings = DEFAULT_CLUSTER_SETTINGS,
) -> tuple[list[ClusterRow], list[MemberRow]]:
    """Cluster and member rows for the claims joined by ``matches`` (whole components; Match
    rows or their (a, b)): the store's records read here, the stages (cluster, drop look-alikes,
    credited origins) pure."""
    edge_ids = sorted({m[0] for m in matches} | {m[1] for m in matches})
    claims = store.claims(edge_ids)
    docs = store.documents_by_num(c.doc_num for c in claims.values())
    nodes = {cid: docs[c.doc_num].node(cid, c.parent) for cid, c in claims.items()}
    vectors = dict(zip(edge_ids, store.claim_vectors(edge_ids))) if edge_ids else {}
    clusters = build_clusters(nodes, ((m[0], m[1]) for m in matches), vectors, cluster_settings)
    # Issue 3's corrections act cluster by cluster, so they apply to a local rebuild just as to
    # a full one.
    clusters = drop_lookalikes(clusters, claims, match_settings)
    credits = store.credits(m for cl in clusters for m in cl.members)
    # The whole-store credit index is needed only when some member credits someone; without
    # this a local recluster would read every document.
    index = CreditIndex(store.document_refs()) if credits else None
    clusters = credited_origins(clusters, nodes, {cid: c.doc_num for cid, c in claims.items()}, credits, index)
    return cluster_rows(clusters, claims, vectors, match_settings)

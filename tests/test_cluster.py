import numpy as np
import pytest

from provenance.cluster import ClusterSettings, build_clusters, components
from provenance.origins import order_origin, origin_key
from provenance.records import ClaimNode


def unit(*xs: float) -> np.ndarray:
    v = np.array(xs, dtype=np.float32)
    return v / np.linalg.norm(v)


def test_components_are_sorted_and_disjoint():
    assert components([(5, 6), (1, 2), (2, 3), (9, 9)]) == [[1, 2, 3], [5, 6], [9]]


def test_origin_prefers_dated_then_earliest_then_ingest_order():
    undated_first = ClaimNode(1, doc_num=1, published_ts=None)
    later = ClaimNode(2, doc_num=2, published_ts=200.0)
    earlier = ClaimNode(3, doc_num=3, published_ts=100.0)
    tie = ClaimNode(4, doc_num=4, published_ts=100.0)
    assert min([undated_first, later, earlier, tie], key=origin_key) == earlier
    assert order_origin({n.id: n for n in (earlier, later)}) == (3, "earliest-published", ())
    # Two undated witnesses cannot be ordered: a tie, never "first indexed".
    assert order_origin({1: undated_first, 5: ClaimNode(5, 5, None)}) == (1, "tie", (1, 5))
    # The same instant is no order either; the tie lists both, the first by ingest standing first.
    assert order_origin({n.id: n for n in (tie, earlier, later)}) == (3, "tie", (3, 4))
    # deterministic tie-break: same date -> earlier ingest wins, whatever the input order
    assert min([tie, earlier], key=origin_key) == earlier


def test_chaining_is_refused():
    # A~B and B~C are close, A and C are not: C must not join A's cluster through B.
    a, b, c = unit(1, 0, 0), unit(1, 1, 0), unit(0, 1, 0)
    nodes = {1: ClaimNode(1, 1, 1.0), 2: ClaimNode(2, 2, 2.0), 3: ClaimNode(3, 3, 3.0)}
    settings = ClusterSettings(min_centroid_cosine=0.6, min_member_cosine=0.5)
    clusters = build_clusters(nodes, [(1, 2), (2, 3)], {1: a, 2: b, 3: c}, settings)
    assert [cl.members for cl in clusters] == [(1, 2)]
    assert clusters[0].origin == 1 and clusters[0].basis == "earliest-published"


def test_close_claims_form_one_cluster_with_earliest_origin():
    v = {i: unit(1, 0.05 * i, 0) for i in range(1, 5)}
    nodes = {1: ClaimNode(1, 1, 300.0), 2: ClaimNode(2, 2, 100.0), 3: ClaimNode(3, 3, None), 4: ClaimNode(4, 4, 200.0)}
    clusters = build_clusters(nodes, [(1, 2), (2, 3), (3, 4)], v)
    assert len(clusters) == 1
    assert clusters[0].members == (2, 4, 1, 3)  # dated by date, undated last
    assert clusters[0].origin == 2


def test_one_document_alone_makes_no_cluster_and_gives_one_member():
    v = {1: unit(1, 0), 2: unit(1, 0.01), 3: unit(1, 0.02)}
    # claims 1 and 2 are in the same document
    nodes = {1: ClaimNode(1, 7, None), 2: ClaimNode(2, 7, None), 3: ClaimNode(3, 8, None)}
    clusters = build_clusters(nodes, [(1, 2)], v)
    assert clusters == []
    clusters = build_clusters(nodes, [(1, 2), (2, 3), (1, 3)], v)
    assert len(clusters) == 1
    docs = [nodes[m].doc_num for m in clusters[0].members]
    assert sorted(docs) == [7, 8]
    assert clusters[0].basis == "tie" and set(clusters[0].tied) == set(clusters[0].members)


def test_settings_are_validated():
    with pytest.raises(ValueError, match="min_member_cosine"):
        ClusterSettings(min_member_cosine=3)


def _reference_groups(nodes, edges, vectors, settings):
    """build_clusters as a plain loop over every (claim, group, member): what the matrix
    products must decide, claim by claim."""


    out = []
    for comp in components([(a, b) for a, b in edges if a != b]):
        groups = []
        for cid in sorted(comp, key=lambda c: origin_key(nodes[c])):
            v, best, best_cos = vectors[cid], None, -2.0
            for gi, g in enumerate(groups):
                if nodes[cid].doc_num in g["docs"]:
                    continue
                c_cos = float(g["sum"] / max(np.linalg.norm(g["sum"]), 1e-12) @ v)
                if c_cos < settings.min_centroid_cosine or min(float(vectors[m] @ v) for m in g["members"]) < settings.min_member_cosine:
                    continue
                if c_cos > best_cos:
                    best, best_cos = gi, c_cos
            if best is None:
                groups.append({"members": [cid], "docs": {nodes[cid].doc_num}, "sum": v.astype(np.float64).copy()})
            else:
                groups[best]["members"].append(cid)
                groups[best]["docs"].add(nodes[cid].doc_num)
                groups[best]["sum"] = groups[best]["sum"] + v
        out += [sorted(g["members"]) for g in groups if len(g["docs"]) >= 2]
    return sorted(out)


@pytest.mark.parametrize("seed", range(40))
def test_matrix_greedy_places_every_claim_as_the_pairwise_loop_does(seed):

    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 40))
    base = rng.normal(size=(3, 8))
    v = base[rng.integers(0, 3, n)] + rng.normal(scale=rng.uniform(0.1, 0.8), size=(n, 8))
    v = (v / np.linalg.norm(v, axis=1, keepdims=True)).astype(np.float32)
    nodes = {i + 1: ClaimNode(i + 1, int(rng.integers(0, n // 2 + 1)), None if rng.random() < 0.3 else float(rng.integers(0, 10))) for i in range(n)}
    edges = [(int(a) + 1, int(b) + 1) for a, b in rng.integers(0, n, (2 * n, 2))]
    vectors = {i + 1: v[i] for i in range(n)}
    settings = ClusterSettings(min_centroid_cosine=float(rng.uniform(0.3, 0.8)), min_member_cosine=float(rng.uniform(0.1, 0.6)))
    got = sorted(sorted(c.members) for c in build_clusters(nodes, edges, vectors, settings))
    assert got == _reference_groups(nodes, edges, vectors, settings)

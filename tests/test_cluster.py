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

"""Memory bounded by the work in flight, not by a document's size: a batch's claims are scored
against each other in blocks, embedded in slices, and neither changes what is found."""

from __future__ import annotations

import json
import tracemalloc

import numpy as np
import pytest

from provenance import pairs, pipeline
from provenance.match import DEFAULT_SETTINGS
from provenance.pairs import NEIGHBOURS, batch_pairs, find_matches
from provenance.store import Store


def _dense_pairs(matrix: np.ndarray, doc_nums: np.ndarray, min_cosine: float) -> list[tuple[int, int, float]]:
    """Every pair (i, j < i) of claims of different documents at ``min_cosine`` or more, from
    one dense product: what the blocks must find without holding it."""
    block = matrix @ matrix.T
    rows_i, cols_j = np.nonzero(np.tril(block >= min_cosine, k=-1))
    return [(i, j, float(block[i, j])) for i, j in zip(rows_i.tolist(), cols_j.tolist()) if doc_nums[i] != doc_nums[j]]


def _flat(found) -> list[tuple[int, int, float]]:
    return [(i, j, float(c)) for i, cols, cos in found for j, c in zip(cols.tolist(), cos.tolist())]


def _unit(rng: np.random.Generator, n: int, dim: int = 16) -> np.ndarray:
    m = rng.normal(size=(n, dim)).astype(np.float32)
    return m / np.linalg.norm(m, axis=1, keepdims=True)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("block_rows", [1, 3, None])
def test_blocks_find_the_pairs_one_dense_product_finds(seed, block_rows):
    rng = np.random.default_rng(seed)
    base = _unit(rng, 12)
    # Near copies of a few base vectors spread over documents, some documents not contiguous.
    matrix = np.concatenate([base, base[rng.integers(0, 12, 30)] + rng.normal(scale=0.05, size=(30, 16)).astype(np.float32)])
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    doc_nums = np.sort(rng.integers(0, 8, len(matrix))) if seed % 2 else rng.integers(0, 8, len(matrix))
    got = _flat(batch_pairs(matrix, doc_nums, 0.5, block_rows))
    want = _dense_pairs(matrix, doc_nums, 0.5)
    assert [(i, j) for i, j, _ in got] == [(i, j) for i, j, _ in want]
    assert np.allclose([c for *_, c in got], [c for *_, c in want], atol=1e-5)


def test_a_claim_keeps_its_nearest_neighbours_inside_a_batch_as_against_the_store():
    v, w = np.eye(16, dtype=np.float32)[:2]
    # Copies further and further from v: the k-th at an angle of k/100 radians; v comes last.
    angles = np.arange(1, NEIGHBOURS + 11) / 100.0
    copies = np.cos(angles)[:, None] * v + np.sin(angles)[:, None] * w
    matrix = np.concatenate([copies, v[None, :]]).astype(np.float32)
    doc_nums = np.arange(len(matrix))
    last = [(j, c) for i, j, c in _flat(batch_pairs(matrix, doc_nums, 0.5)) if i == len(matrix) - 1]
    assert len(last) == NEIGHBOURS
    # The closest copies (the least turned) are the ones kept, in index order.
    assert [j for j, _ in last] == list(range(NEIGHBOURS))


def test_one_huge_document_scores_no_pairs_and_holds_no_square_matrix():
    rng = np.random.default_rng(1)
    n = 6000  # 144 MB as one float32 product
    matrix = np.repeat(_unit(rng, 1), n, axis=0)  # every claim the same sentence
    ids = np.arange(1, n + 1, dtype=np.int64)
    doc_nums = np.ones(n, dtype=np.int64)
    texts = ["the same sentence of the one huge document"] * n
    empty = (np.zeros((n, 0), dtype=np.float32), np.zeros((n, 0), dtype=np.int64))
    tracemalloc.start()
    try:
        found = find_matches(ids, doc_nums, texts, matrix, empty, {}, DEFAULT_SETTINGS)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert found == []  # a document repeating itself is not reuse
    assert peak < 20 * 2**20, f"{peak / 2**20:.0f} MiB"


def test_matches_do_not_depend_on_where_batches_are_cut(tmp_path):
    """A claim copied, a little more changed each time, in more documents than a claim keeps
    neighbours: one batch, one document a batch, or batches of seven (as an interrupt and a
    resumed run, or commits by time, may cut them) find the same matches."""
    line = "The harbour authority confirmed that diesel leaked into the bay on Monday night"
    words = _sentences(NEIGHBOURS + 8, seed=5)
    path = tmp_path / "docs.jsonl"
    path.write_text(
        "".join(
            json.dumps({"id": f"d{k:02d}", "text": f"{line}{' again' * k}. {words[k]}"}) + "\n"
            for k in range(NEIGHBOURS + 8)
        ),
        encoding="utf-8",
    )
    runs = {}
    for name, size in (("one", 1000), ("each", 1), ("sevens", 7)):
        pipeline.index_paths(tmp_path / name, [str(path)], model="hashing", batch_documents=size)
        runs[name] = _stored(tmp_path / name)
    pairs = {name: [(m.a, m.b, m.relation) for m in got[0]] for name, got in runs.items()}
    assert len(pairs["one"]) > 2 * NEIGHBOURS  # later copies do have more candidates than they keep
    assert pairs["each"] == pairs["one"] == pairs["sevens"]
    assert runs["each"][1] == runs["one"][1] == runs["sevens"][1]


class _CountingEmbedder:
    def __init__(self, inner) -> None:
        self.inner, self.name, self.dim, self.encoder, self.calls = inner, inner.name, inner.dim, inner.encoder, []

    def embed(self, texts):
        self.calls.append(len(texts))
        return self.inner.embed(texts)


_WORDS = (
    "harbour council grain tonnes port ferry bridge storm river mayor police budget school tank "
    "diesel spill workers inspection report agency coast shore valley drought harvest farmers "
    "study lake warmer summer record profit energy costs coach league season road repairs"
).split()


def _sentences(n: int, seed: int = 3) -> list[str]:
    """``n`` sentences of twelve words drawn at random: unrelated to each other."""
    import random

    rng = random.Random(seed)
    return [" ".join(rng.choice(_WORDS) for _ in range(12)).capitalize() + "." for _ in range(n)]


def _corpus(tmp_path) -> str:
    """One long document and two shorter ones that copy and reword parts of it: one batch."""
    long_doc = _sentences(60)
    copy = long_doc[5:25] + ["An unrelated closing line about the weather over the weekend."]
    # Verbatim up to case, and a word changed in each: near copies.
    reworded = [s.upper() if k % 2 else s.replace(" ", " new ", 1) for k, s in enumerate(long_doc[20:40])]
    path = tmp_path / "docs.jsonl"
    path.write_text(
        "".join(
            json.dumps({"id": i, "text": " ".join(t), "published": f"2024-05-0{k + 1}"}) + "\n"
            for k, (i, t) in enumerate([("long", long_doc), ("copy", copy), ("reworded", reworded)])
        ),
        encoding="utf-8",
    )
    return str(path)


def _stored(store_path) -> tuple[list, list, list]:
    with Store.open(store_path) as s:
        return s.all_matches(), s.cluster_rows(), s.cluster_member_rows()


def test_slices_and_blocks_forced_small_store_the_same_matches_and_clusters(tmp_path, monkeypatch):
    corpus = _corpus(tmp_path)
    pipeline.index_paths(tmp_path / "whole", [corpus], model="hashing")
    whole = _stored(tmp_path / "whole")
    assert len(whole[0]) >= 30 and whole[1]  # the case has matches and clusters to compare

    from provenance.embed import load_encoder

    counting = _CountingEmbedder(load_encoder("hashing"))
    monkeypatch.setattr(pairs, "BLOCK_ELEMENTS", 7)  # a row or so per block
    monkeypatch.setattr(pipeline, "EMBED_SLICE", 5)
    monkeypatch.setattr(pipeline, "load_encoder", lambda *a, **k: counting)
    pipeline.index_paths(tmp_path / "sliced", [corpus], model="hashing")
    assert counting.calls and max(counting.calls) <= 5
    sliced = _stored(tmp_path / "sliced")
    # The same pairs, relations, clusters and members; cosines equal up to float rounding (a
    # block's product may sum in another order than the whole batch's).
    assert [(m.a, m.b, m.relation) for m in sliced[0]] == [(m.a, m.b, m.relation) for m in whole[0]]
    assert np.allclose([m.cosine for m in sliced[0]], [m.cosine for m in whole[0]], atol=1e-5)
    assert sliced[1] == whole[1]
    assert [(m.cluster_id, m.claim_id, m.relation) for m in sliced[2]] == [(m.cluster_id, m.claim_id, m.relation) for m in whole[2]]

"""Local cluster updates equal a full rebuild; the index type follows the store's size; the
FAISS snapshot is rewritten only every SNAPSHOT_EVERY_CLAIMS claims but nothing is lost."""

from __future__ import annotations

import random

import numpy as np
import orjson
import pytest

from provenance import incremental
from provenance.store import vectorindex
from provenance.incremental import touched_components
from provenance.pipeline import index_paths, recluster
from provenance.store import MANIFEST_NAME, Store

# A pool of claims, each with reworded variants: documents draw from it, so claims recur across
# documents (verbatim, lightly edited, or unrelated) and the match graph has real components.
BASES = [
    "the harbour authority closed the north pier after a crane collapsed on monday",
    "ferric chloride leaked from a corroded storage tank at the plant",
    "the minister said the budget would be balanced within three years",
    "fishermen reported dead fish along two miles of the river bank",
    "the company denied that any warning had been ignored by managers",
    "residents were told to keep windows closed until further notice",
    "inspectors found the tank had not been checked since last spring",
    "the council will vote on the new zoning rules next week",
]
FILLER = "weather sports music garden travel recipe market school train museum".split()


def variant(rng: random.Random, base: str) -> str:
    words = base.split()
    roll = rng.random()
    if roll < 0.4:
        return base
    if roll < 0.8:
        i = rng.randrange(len(words))
        words[i] = rng.choice(FILLER)
        return " ".join(words)
    # A different claim sharing the start: chaining bait.
    return " ".join(words[: len(words) // 2] + rng.sample(FILLER, 4))


def random_docs(seed: int, n_docs: int) -> list[dict]:
    rng = random.Random(seed)
    docs = []
    for d in range(n_docs):
        sentences = [variant(rng, rng.choice(BASES)).capitalize() + "." for _ in range(rng.randint(2, 5))]
        day = rng.choice([None, *range(1, 28)])
        doc = {"id": f"d{seed}-{d}", "source": f"outlet {rng.randrange(4)}", "text": "\n".join(sentences)}
        if day is not None:
            doc["published"] = f"2025-03-{day:02d}"
        docs.append(doc)
    return docs


def cluster_tables(store: Store) -> tuple[list, list]:
    return [tuple(r) for r in store.cluster_rows()], [tuple(r) for r in store.cluster_member_rows()]


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_local_recluster_equals_full_rebuild(tmp_path, seed):
    docs = random_docs(seed, 24)
    store_path = tmp_path / "s"
    rng = random.Random(seed)
    # Index in several runs of random sizes: each run updates clusters locally.
    i = 0
    while i < len(docs):
        n = rng.randint(1, 6)
        f = tmp_path / f"run{i}.jsonl"
        f.write_bytes(b"\n".join(orjson.dumps(d) for d in docs[i : i + n]) + b"\n")
        index_paths(store_path, [str(f)], model="hashing")
        i += n
    with Store.open_for_writing(store_path) as store:
        local = cluster_tables(store)
        assert local[0], "the random corpus should form clusters"
        recluster(store)
        full = cluster_tables(store)
    assert local[0] == full[0]
    assert [r[:2] + r[4:] for r in local[1]] == [r[:2] + r[4:] for r in full[1]]
    np.testing.assert_allclose(
        [r[2] if r[2] is not None else -9 for r in local[1]], [r[2] if r[2] is not None else -9 for r in full[1]], atol=1e-6
    )


def test_touched_components_walks_the_whole_component_only(tmp_path):
    docs = random_docs(7, 16)
    f = tmp_path / "all.jsonl"
    f.write_bytes(b"\n".join(orjson.dumps(d) for d in docs) + b"\n")
    index_paths(tmp_path / "s", [str(f)], model="hashing")
    with Store.open(tmp_path / "s") as store:
        everything = store.all_matches()
        assert everything
        seed_claim = everything[0][0]
        comp = touched_components(store, [seed_claim])
    nodes = {x for a, b in comp for x in (a, b)}
    assert seed_claim in nodes
    # Closed: no stored match leaves the component, and every match inside it is included.
    inside = [m for m in everything if m[0] in nodes or m[1] in nodes]
    assert sorted((m.a, m.b) for m in inside) == comp
    assert all(m[0] in nodes and m[1] in nodes for m in inside)


def test_index_type_follows_size():
    assert vectorindex.choose_index_type(0) == "flat"
    assert vectorindex.choose_index_type(vectorindex.HNSW_FROM_CLAIMS - 1) == "flat"
    assert vectorindex.choose_index_type(vectorindex.HNSW_FROM_CLAIMS) == "hnsw"
    assert vectorindex.choose_index_type(10**9, "flat") == "flat"
    assert vectorindex.choose_index_type(5, "hnsw") == "hnsw"


def test_snapshot_switches_to_hnsw_past_threshold_and_search_still_finds_claims(tmp_path, monkeypatch):
    monkeypatch.setattr("provenance.store.vectors.choose_index_type", lambda n, req: vectorindex.choose_index_type(n, req) if n < 50 else "hnsw")
    rng = np.random.default_rng(0)
    from tests.test_store import add_claims

    with Store.open_for_writing(tmp_path / "s", model="m", dimension=8, encoder="hashing") as s:
        ids, vecs = add_claims(s, 30, doc_id="a")
        s.vectors.save_snapshot()
        assert vectorindex.index_kind(s.vectors.index()) == "flat"
        ids2, vecs2 = add_claims(s, 40, doc_id="b", seed=1)
        s.vectors.save_snapshot()
        assert vectorindex.index_kind(s.vectors.index()) == "hnsw"
        assert s.manifest()["vectors"]["kind"] == "hnsw"
    with Store.open(tmp_path / "s") as s:
        probe = np.concatenate([vecs, vecs2])[rng.choice(70, 10, replace=False)]
        sims, found = s.vectors.search(probe, 1)
        assert np.all(sims[:, 0] > 0.999)
        assert s.vectors.index().ntotal == 70


def test_snapshot_is_deferred_but_claims_are_caught_up(tmp_path, monkeypatch):
    monkeypatch.setattr(incremental, "SNAPSHOT_EVERY_CLAIMS", 10**6)
    docs = random_docs(5, 10)
    f1, f2 = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    f1.write_bytes(b"\n".join(orjson.dumps(d) for d in docs[:5]) + b"\n")
    f2.write_bytes(b"\n".join(orjson.dumps(d) for d in docs[5:]) + b"\n")
    index_paths(tmp_path / "s", [str(f1)], model="hashing")
    first = orjson.loads((tmp_path / "s" / MANIFEST_NAME).read_bytes())["vectors"]
    index_paths(tmp_path / "s", [str(f2)], model="hashing")
    second = orjson.loads((tmp_path / "s" / MANIFEST_NAME).read_bytes())["vectors"]
    assert first == second  # no new snapshot for a small run
    with Store.open(tmp_path / "s") as s:
        assert s.vectors.index().ntotal == s.counts()["claims"] > first["count"]

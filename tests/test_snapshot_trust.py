"""Readers map a big snapshot without rehashing it only while it is the very file the writer
hashed; any edit sends them back to the full SHA-256 check (provenance/snapshot.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import orjson
import pytest

from provenance.store import snapshot
from provenance.check import check_store, invariant_violations
from provenance.pipeline import index_paths
from provenance.store import Store
from provenance.store.vectorindex import ef_search_for


def _docs(path: Path, start: int, n: int) -> Path:
    lines = [
        orjson.dumps({"id": f"d{i}", "text": f"Claim number {i} says the river rose {i} metres. Officials confirmed figure {i}."})
        for i in range(start, start + n)
    ]
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


@pytest.fixture
def trusting(monkeypatch: pytest.MonkeyPatch) -> None:
    # Every snapshot counts as big, so the tests' small stores take the mapped path.
    monkeypatch.setattr(snapshot, "TRUST_IDENTITY_FROM_BYTES", 0)


def _searched(store: Store, q: np.ndarray) -> np.ndarray:
    return store.vectors.search(q, 5)[1]


def test_reader_maps_the_writers_file_and_finds_what_a_full_load_finds(tmp_path: Path, trusting: None) -> None:
    s = tmp_path / "s"
    index_paths(s, [str(_docs(tmp_path / "a.jsonl", 0, 30))], model="hashing-384")
    manifest = Store.open(s).manifest()
    assert manifest["vectors"]["identity"]["size"] == (s / manifest["vectors"]["file"]).stat().st_size
    with Store.open(s) as reader:
        q = reader.claim_vectors([1, 7, 20])
        mapped = _searched(reader, q)
        assert reader.vectors.mapped and not reader.vectors.rebuilt
    with Store.open_for_writing(s, model="hashing-384") as writer:
        writer.vectors.rebuild()  # the same claims, built from SQLite alone
        full = _searched(writer, q)
        assert not writer.vectors.mapped
    assert np.array_equal(mapped, full)
    assert invariant_violations(s) == []


def test_claims_after_the_mapped_snapshot_are_searched_beside_it(tmp_path: Path, trusting: None, monkeypatch: pytest.MonkeyPatch) -> None:
    import provenance.incremental as inc

    s = tmp_path / "s"
    index_paths(s, [str(_docs(tmp_path / "a.jsonl", 0, 30))], model="hashing-384")
    monkeypatch.setattr(inc, "SNAPSHOT_EVERY_CLAIMS", 10**9)  # leave the next claims out of the snapshot
    index_paths(s, [str(_docs(tmp_path / "b.jsonl", 30, 5))], model="hashing-384")
    with Store.open(s) as reader:
        last = reader.max_claim_id()
        assert last > reader.manifest()["vectors"]["last_claim_id"]
        ids = _searched(reader, reader.claim_vectors([last]))
        assert reader.vectors.mapped
        assert ids[0][0] == last
        assert reader.vectors.index().ntotal == reader.counts()["claims"]
    assert invariant_violations(s) == []


@pytest.mark.parametrize("where", ["start", "middle", "end"])
def test_an_edited_snapshot_is_rehashed_and_rebuilt(tmp_path: Path, trusting: None, where: str) -> None:
    s = tmp_path / "s"
    index_paths(s, [str(_docs(tmp_path / "a.jsonl", 0, 30))], model="hashing-384")
    f = s / Store.open(s).manifest()["vectors"]["file"]
    size = f.stat().st_size
    at = {"start": 40, "middle": size // 2, "end": size - 3}[where]
    with open(f, "r+b") as fh:  # same size, one byte flipped in place
        fh.seek(at)
        b = fh.read(1)
        fh.seek(at)
        fh.write(bytes([b[0] ^ 0xFF]))
    with Store.open(s) as reader:
        reader.vectors.index()
        assert reader.vectors.rebuilt and not reader.vectors.mapped
    assert check_store(s).problems  # check, which always hashes every byte, reports it too


def test_a_copied_store_is_checked_in_full(tmp_path: Path, trusting: None) -> None:
    import shutil

    s = tmp_path / "s"
    index_paths(s, [str(_docs(tmp_path / "a.jsonl", 0, 30))], model="hashing-384")
    copy = tmp_path / "copy"
    shutil.copytree(s, copy)  # new inode and ctime: the identity no longer vouches for the bytes
    with Store.open(copy) as reader:
        reader.vectors.index()
        assert not reader.vectors.mapped and not reader.vectors.rebuilt


def test_small_snapshots_record_no_identity(tmp_path: Path) -> None:
    s = tmp_path / "s"
    index_paths(s, [str(_docs(tmp_path / "a.jsonl", 0, 5))], model="hashing-384")
    assert "identity" not in Store.open(s).manifest()["vectors"]
    with Store.open(s) as reader:
        reader.vectors.index()
        assert not reader.vectors.mapped


def test_hnsw_snapshot_records_its_search_parameters(tmp_path: Path) -> None:
    s = tmp_path / "s"
    Store.open_for_writing(s, model="hashing-384", dimension=384, encoder="hashing", index_type="hnsw").release()
    index_paths(s, [str(_docs(tmp_path / "a.jsonl", 0, 10))], model="hashing-384")
    vectors = Store.open(s).manifest()["vectors"]
    assert vectors["kind"] == "hnsw"
    assert vectors["params"]["efSearch"] == ef_search_for(vectors["count"])
    assert vectors["params"]["M"] > 0 and vectors["params"]["efConstruction"] > 0
    flat = tmp_path / "f"
    index_paths(flat, [str(_docs(tmp_path / "a.jsonl", 0, 10))], model="hashing-384")
    assert "params" not in Store.open(flat).manifest()["vectors"]


def test_ef_search_grows_with_size(monkeypatch: pytest.MonkeyPatch) -> None:
    import provenance.store.vectorindex as vi

    monkeypatch.setattr(vi, "HNSW_EF_SEARCH_BY_SIZE", ((0, 64), (1000, 256)))
    assert vi.ef_search_for(10) == 64 and vi.ef_search_for(999) == 64 and vi.ef_search_for(1000) == 256


def test_a_writer_maps_too_and_hashes_everything_before_the_next_snapshot(tmp_path: Path, trusting: None, monkeypatch: pytest.MonkeyPatch) -> None:
    import provenance.incremental as inc

    s = tmp_path / "s"
    index_paths(s, [str(_docs(tmp_path / "a.jsonl", 0, 30))], model="hashing-384")
    monkeypatch.setattr(inc, "SNAPSHOT_EVERY_CLAIMS", 10**9)
    index_paths(s, [str(_docs(tmp_path / "b.jsonl", 30, 5))], model="hashing-384")  # mapped, no snapshot
    with Store.open_for_writing(s, model="hashing-384") as w:
        w.vectors.index()
        assert w.vectors.mapped
        f = s / w.manifest()["vectors"]["file"]
        with open(f, "r+b") as fh:  # damage the mapped file behind the writer's back
            fh.seek(f.stat().st_size // 2)
            fh.write(b"\x00" * 64)
        w.vectors.save_snapshot()  # loads whole: the checksum fails, so it rebuilds from SQLite
        assert w.vectors.rebuilt and not w.vectors.mapped
        assert w.vectors.index().ntotal == w.counts()["claims"]
    assert invariant_violations(s) == []
    assert check_store(s).ok

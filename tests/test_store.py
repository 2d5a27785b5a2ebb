import os
import subprocess
import sys

import numpy as np
import pytest

from provenance.errors import ModelMismatch, StoreLocked, StoreNotFound
from provenance.store import MANIFEST_NAME, SCHEMA_VERSION, NewClaim, Store


class Doc:
    def __init__(self, id, text="some text"):
        self.id = id
        self.text = text
        self.content_hash = "h-" + id
        self.source = self.title = self.url = self.published = None
        self.authors = ()
        self.metadata = {}
        self.origin = "test"


def add_claims(store, n, doc_id="d1", dim=8, seed=0):
    rng = np.random.default_rng(seed)
    vecs = rng.normal(size=(n, dim)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    with store.write() as w:
        num = w.insert_document(Doc(doc_id), None)
        w.insert_embeddings([(f"{doc_id}-{i}", v) for i, v in enumerate(vecs)])
        ids = [
            w.insert_claim(num, NewClaim(0, i, 0, 4, f"c{i}", f"c{i}", f"{doc_id}-{i}", "sentence"))
            for i in range(n)
        ]
    ids = np.array(ids)
    store.vectors.add(ids, vecs)
    return ids, vecs


def test_create_records_model_dimension_and_schema(tmp_path):
    with Store.open_for_writing(tmp_path / "s", model="m1", dimension=8, encoder="hashing") as s:
        assert s.model == "m1" and s.dim == 8
    manifest = Store.open(tmp_path / "s").manifest()
    assert manifest["model"] == "m1"
    assert manifest["dimension"] == 8
    assert manifest["normalized"] is True
    assert manifest["schema_version"] == SCHEMA_VERSION


def test_missing_store_is_reported(tmp_path):
    with pytest.raises(StoreNotFound, match="no store at"):
        Store.open(tmp_path / "nothing")


def test_other_model_is_refused_with_advice(tmp_path):
    Store.open_for_writing(tmp_path / "s", model="m1", dimension=8).release()
    with pytest.raises(ModelMismatch, match="rebuild it with --model m1"):
        Store.open_for_writing(tmp_path / "s", model="m2", dimension=8)


def test_second_writer_is_refused_naming_the_first(tmp_path):
    first = Store.open_for_writing(tmp_path / "s", model="m1", dimension=8)
    try:
        # flock is per open file description: a second process must see the lock.
        code = (
            "from provenance.store import Store\n"
            "from provenance.errors import StoreLocked\n"
            "try:\n"
            f"    Store.open_for_writing({str(tmp_path / 's')!r})\n"
            "except StoreLocked as e:\n"
            "    print(e)\n"
        )
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60).stdout
        assert f"pid {os.getpid()}" in out
    finally:
        first.release()
    Store.open_for_writing(tmp_path / "s").release()


def test_snapshot_round_trip_and_catch_up(tmp_path):
    with Store.open_for_writing(tmp_path / "s", model="m1", dimension=8) as s:
        ids, vecs = add_claims(s, 5)
        s.vectors.save_snapshot()
        # committed after the snapshot: must be caught up from SQLite on the next open
        ids2, vecs2 = add_claims(s, 3, doc_id="d2", seed=1)
    r = Store.open(tmp_path / "s")
    sims, got = r.vectors.search(vecs2[:1], 1)
    assert got[0, 0] == ids2[0] and sims[0, 0] == pytest.approx(1.0, abs=1e-5)
    assert r.vectors.index().ntotal == 8
    r.release()


@pytest.mark.parametrize("damage", ["truncate", "flip", "delete", "manifest"])
def test_damaged_snapshot_is_rebuilt_from_sqlite(tmp_path, damage, caplog):
    with Store.open_for_writing(tmp_path / "s", model="m1", dimension=8) as s:
        ids, vecs = add_claims(s, 6)
        s.vectors.save_snapshot()
        name = s.manifest()["vectors"]["file"]
    path = tmp_path / "s" / name
    if damage == "truncate":
        path.write_bytes(path.read_bytes()[:50])
    elif damage == "flip":
        data = bytearray(path.read_bytes())
        data[-5] ^= 0xFF
        path.write_bytes(bytes(data))
    elif damage == "delete":
        path.unlink()
    else:
        (tmp_path / "s" / MANIFEST_NAME).write_text("{not json")
    with Store.open(tmp_path / "s") as r:
        sims, got = r.vectors.search(vecs, 1)
        assert list(got[:, 0]) == list(ids)
        assert r.vectors.index().ntotal == 6


def test_orphan_temporary_files_are_removed_by_the_next_writer(tmp_path):
    Store.open_for_writing(tmp_path / "s", model="m1", dimension=8).release()
    orphan = tmp_path / "s" / ".vectors-000009.faiss.tmp-abc"
    orphan.write_bytes(b"junk")
    stale = tmp_path / "s" / "vectors-000123.faiss"
    stale.write_bytes(b"junk")
    Store.open_for_writing(tmp_path / "s").release()
    assert not orphan.exists() and not stale.exists()


def test_failed_transaction_leaves_nothing(tmp_path):
    with Store.open_for_writing(tmp_path / "s", model="m1", dimension=8) as s:
        with pytest.raises(RuntimeError):
            with s.write() as w:
                w.insert_document(Doc("x"), None)
                raise RuntimeError("boom")
        assert s.counts()["documents"] == 0


def test_bulk_claim_insert_takes_the_ids_sqlite_would_and_fills_the_search_table(tmp_path):
    with Store.open_for_writing(tmp_path / "s", model="m1", dimension=8, encoder="hashing") as s:
        one, _ = add_claims(s, 3, doc_id="d1")
        with s.write() as w:
            num = w.insert_document(Doc("d2"), None)
            w.insert_embeddings([("bulk", np.ones(8, dtype=np.float32) / np.sqrt(8))])
            rows = [(num, NewClaim(0, i, 0, 4, f"w{i}", f"walrus number {i}", "bulk", "sentence")) for i in range(4)]
            ids = w.insert_claims(rows)
            after = w.insert_claim(num, NewClaim(0, 9, 0, 4, "x", "x", "bulk", "sentence"))
        assert ids.tolist() == list(range(int(one[-1]) + 1, int(one[-1]) + 5))
        assert after == int(ids[-1]) + 1
        stored = s.claims(ids.tolist())
        assert [stored[int(i)].text for i in ids] == ["w0", "w1", "w2", "w3"]
        assert {cid for cid, _ in s.lexical_search("walrus", 10)} == set(ids.tolist())

"""The pieces of the Ray engine and the dataset store that need no Ray: input chunks, numbering,
the vector index, keyed Parquet reads, run folders."""

from __future__ import annotations

import dataclasses

import numpy as np
import orjson
import pytest

pa = pytest.importorskip("pyarrow")

from provenance.batching import MAX_BATCH_CHARS  # noqa: E402
from provenance.documents import Rejection, Skipped, read_inputs  # noqa: E402
from provenance.pipeline import IndexSummary  # noqa: E402
from provenance.scale import numbering  # noqa: E402
from provenance.scale.inputs import chunk_from_spec, plan_chunks, read_chunk  # noqa: E402
from provenance.store.dataset import ann  # noqa: E402
from provenance.store.dataset.layout import RunFolder, read_manifest  # noqa: E402
from provenance.store.dataset.tables import ParquetTable, write_table  # noqa: E402
from provenance.store.kinds import DATASET, SQLITE, store_kind  # noqa: E402

from .conftest import write_md  # noqa: E402


def _jsonl(path, n: int):
    lines = []
    for i in range(n):
        if i % 17 == 5:
            lines.append(b"{not json")
        elif i % 13 == 7:
            lines.append(b"")
        else:
            lines.append(orjson.dumps({"id": f"d{i}", "text": f"Document {i} says the harbour closed on day {i}."}))
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def _items(items):
    return [dataclasses.astuple(x) if isinstance(x, Rejection) else (x.id, x.origin, x.line, x.content_hash) for x in items]


def test_chunks_read_what_the_one_machine_reader_reads(tmp_path):
    """A JSON Lines file cut into byte ranges, small files in groups and a rejected path give
    the same documents and rejections, with the same file lines, in the same order."""
    (tmp_path / "in").mkdir()
    big = _jsonl(tmp_path / "in" / "big.jsonl", 200)
    write_md(tmp_path / "in", "a.md", "One small file about the harbour.", id="a")
    (tmp_path / "in" / "notes.json").write_text("[]")
    paths = [str(tmp_path / "in"), str(tmp_path / "in" / "notes.json"), str(big)]
    chunks, skipped = plan_chunks(paths, chunk_bytes=700)
    assert sum(c.path is not None for c in chunks) > 3, "the big file is read in several ranges"
    ours = [x for c in chunks for x in read_chunk(chunk_from_spec(c.to_item()["spec"]))]
    theirs = list(read_inputs(paths))
    assert _items(ours) == _items([x for x in theirs if not isinstance(x, Skipped)])
    assert skipped == [x for x in theirs if isinstance(x, Skipped)] and skipped, "notes.json in the folder is skipped"
    assert any(isinstance(x, Rejection) and x.line for x in ours)


def test_numbering_follows_the_one_machine_loop():
    """Batches of valid documents; a document the store holds is skipped, the same id with
    other text is rejected, and new documents are numbered on from the store's last."""
    rows = []
    for seq, (doc_id, h) in enumerate([("a", "1"), ("b", "2"), ("x", "9"), ("a", "1"), ("c", "3"), ("b", "7"), ("d", "4")]):
        rows.append({"chunk": 0, "seq": seq, "is_doc": True, "origin": "f", "line": seq + 1, "reason": None, "id": doc_id,
                     "content_hash": h, "chars": 100})  # fmt: skip
    rows.insert(2, {"chunk": 0, "seq": 99, "is_doc": False, "origin": "f", "line": 50, "reason": "bad", "id": None,
                    "content_hash": None, "chars": None})  # fmt: skip
    summary = IndexSummary()
    plan = numbering.assign_documents(pa.Table.from_pylist(rows), lambda ids: {"x": "9"}, 10, 2, summary)
    assert plan.to_pylist() == [
        {"chunk": 0, "seq": 0, "num": 11, "batch": 0}, {"chunk": 0, "seq": 1, "num": 12, "batch": 0},
        {"chunk": 0, "seq": 4, "num": 13, "batch": 2}, {"chunk": 0, "seq": 6, "num": 14, "batch": 3},
    ]  # fmt: skip
    assert summary.documents_skipped == 2 and summary.documents_added == 4
    assert [r.reason for r in summary.rejected][0] == "bad" and "already indexed" in summary.rejected[1].reason


def test_numbering_closes_a_batch_on_size_as_one_machine_does():
    """By count, and earlier when the batch's text reaches MAX_BATCH_CHARS (batching.batches, as
    ``index --commit-every 0`` cuts them)."""
    sizes = [10, MAX_BATCH_CHARS, 10, 10, 10]
    rows = [{"chunk": 0, "seq": i, "is_doc": True, "origin": "f", "line": i + 1, "reason": None, "id": f"d{i}",
             "content_hash": str(i), "chars": n} for i, n in enumerate(sizes)]  # fmt: skip
    plan = numbering.assign_documents(pa.Table.from_pylist(rows), lambda ids: {}, 0, 3, IndexSummary())
    assert plan["batch"].to_pylist() == [0, 0, 1, 1, 1]


def test_claim_numbers_and_vector_numbers():
    counts = pa.table({"num": [3, 4], "n_claims": [2, 3], "hashes": [["h1", "h2"], ["h2", "h3", "h1"]]})
    stored = pa.table({"vid": [0, 1], "hash": ["h0", "h2"]})
    got = numbering.number_claims(counts, 100, stored, 2)
    assert got.first_ids.tolist() == [101, 103]
    assert got.claim_vids.tolist() == [2, 1, 1, 3, 2]  # h1 new (2), h2 stored (1), h3 new (3)
    assert got.new_vectors == 2
    ids = np.arange(101, 106)
    assert numbering.first_claims_of_new_texts(ids, got.claim_vids, 2).tolist() == [101, 104]


def test_exact_earlier_is_bit_for_bit_the_flat_index():
    import faiss

    rng = np.random.default_rng(1)
    x = rng.standard_normal((500, 32)).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    index = faiss.IndexIDMap2(faiss.IndexFlatIP(32))
    bounds = [0, 7, 90, 91, 300, 500]
    for lo, hi in zip(bounds, bounds[1:]):
        if lo:
            expected = index.search(x[lo:hi], min(32, lo))
            got = ann.exact_earlier(x[lo:hi], x[:lo], np.arange(1, lo + 1), 32)
            assert np.array_equal(expected[0], got[0]) and np.array_equal(expected[1], got[1])
        index.add_with_ids(x[lo:hi], np.arange(lo + 1, hi + 1))


def test_ivfpq_shards_merge_and_earlier_search_stays_earlier():
    rng = np.random.default_rng(2)
    x = rng.standard_normal((2000, 64)).astype(np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    index, params = ann.train_ivfpq(x[ann.training_sample(len(x))], len(x))
    trained = ann.serialize(index)
    shards = [ann.add_shard(trained, np.arange(lo + 1, hi + 1), x[lo:hi]) for lo, hi in ((0, 700), (700, 2000))]
    merged = ann.merge_shards(ann.deserialize(trained), shards)
    assert merged.ntotal == 2000 and ann.kind_of(merged) == ann.IVFPQ
    sims, found = ann.approximate_earlier(merged, x[1500:1510], 1000, 8, lambda ids: x[ids - 1])
    assert (found < 1000).all() and (found >= 1).all()
    exact = np.einsum("ij,ij->i", np.repeat(x[1500:1510], 8, axis=0), x[found.ravel() - 1]).reshape(10, 8)
    assert np.allclose(sims, exact, atol=1e-6), "cosines are re-scored from the vectors"
    assert (np.diff(sims, axis=1) <= 1e-7).all()


def test_keyed_lookup_reads_only_the_row_groups_it_needs(tmp_path, monkeypatch):
    from provenance.store.dataset import tables

    monkeypatch.setattr(tables, "ROW_GROUP_ROWS", 100)
    schema = pa.schema([("id", pa.int64()), ("text", pa.string())])
    files = []
    for part in range(3):
        ids = np.arange(part * 1000 + 1, part * 1000 + 1001)
        write_table(tmp_path / f"p{part}.parquet", pa.table({"id": ids, "text": [f"t{i}" for i in ids]}, schema=schema), "id")
        files.append(f"p{part}.parquet")
    table = ParquetTable(tmp_path, files, "id", schema)
    got = table.lookup([5, 1999, 2500, 7777])
    assert sorted(got["id"].to_pylist()) == [5, 1999, 2500]
    assert len(table._cache) == 3, "one row group per key found, none for the missing one"
    assert table.read().num_rows == 3000 and table.num_rows() == 3000


def test_a_run_folder_resumes_only_what_was_asked(tmp_path):
    run = RunFolder(tmp_path, 1)
    assert run.prepare({"inputs": ["a"]}) is False
    run.mark_done("segment", {"documents_added": 3})
    (run.table_dir("claims")).mkdir()
    assert RunFolder(tmp_path, 1).prepare({"inputs": ["a"]}) is True
    assert run.done("segment") == {"documents_added": 3}
    assert RunFolder(tmp_path, 1).prepare({"inputs": ["b"]}) is False
    assert run.done("segment") is None and not run.table_dir("claims").exists()


def test_store_kind(tmp_path):
    from provenance.pipeline import index_paths

    assert store_kind(tmp_path / "none") is None
    write_md(tmp_path / "in", "a.md", "The harbour closed on Monday after the storm.", id="a")
    index_paths(tmp_path / "sqlite", [str(tmp_path / "in")], model="hashing")
    assert store_kind(tmp_path / "sqlite") == SQLITE and read_manifest(tmp_path / "sqlite") is None
    (tmp_path / "ds").mkdir()
    (tmp_path / "ds" / "manifest.json").write_bytes(orjson.dumps({"format": "provenance-dataset"}))
    assert store_kind(tmp_path / "ds") == DATASET

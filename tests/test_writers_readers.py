"""One writer, many readers: a second indexer is refused at once naming the first (or waits),
and readers see one committed state for their whole command."""

from __future__ import annotations

import os
import threading

import numpy as np
import orjson
from click.testing import CliRunner

from provenance.cli import cli
from provenance.store import NewClaim, Store, Writer
from tests.test_bad_inputs import GOOD, good_file, index


class Doc:
    def __init__(self, id):
        self.id = id
        self.text = "text"
        self.content_hash = "h-" + id
        self.source = self.title = self.url = self.published = None
        self.authors = ()
        self.metadata = {}
        self.origin = "test"


def test_second_index_fails_at_once_naming_the_running_one(tmp_path):
    store = tmp_path / "store"
    assert index(store, good_file(tmp_path / "in")).exit_code == 0
    holder = Store.open_for_writing(store)
    try:
        result = index(store, good_file(tmp_path / "in2"))
        assert result.exit_code == 75
        assert f"pid {os.getpid()}: provenance" in result.stderr
        assert "--wait" in result.stderr
        # Readers are not blocked by the writer.
        assert CliRunner().invoke(cli, ["--store", str(store), "report", "--format", "json"]).exit_code == 0
        assert CliRunner().invoke(cli, ["--store", str(store), "trace", GOOD]).exit_code == 0
    finally:
        holder.release()


def test_wait_waits_for_the_running_indexer(tmp_path):
    store = tmp_path / "store"
    assert index(store, good_file(tmp_path / "in")).exit_code == 0
    holder = Store.open_for_writing(store)
    released = threading.Event()

    def release_soon():
        released.wait(0.3)
        holder.release()
        released.set()

    more = tmp_path / "more.txt"
    more.write_text("Residents of the eastern shore were told to keep their windows closed until further notice.\n")
    t = threading.Thread(target=release_soon)
    t.start()
    result = CliRunner().invoke(cli, ["--store", str(store), "index", "--model", "hashing", "--json", "--wait", str(more)])
    t.join()
    assert released.is_set()  # it got in only after the holder let go
    assert result.exit_code == 0, result.output
    assert orjson.loads(result.stdout)["documents_added"] == 1


def _add(w: Writer, doc_id: str, hashes: list[str], dim: int) -> None:
    rng = np.random.default_rng(len(hashes))
    vecs = rng.normal(size=(len(hashes), dim)).astype(np.float32)
    w.insert_embeddings(zip(hashes, vecs))
    num = w.insert_document(Doc(doc_id), None)
    for i, h in enumerate(hashes):
        w.insert_claim(num, NewClaim(0, i, 0, 4, f"c{i}", f"c{i}", h, "sentence"))


def test_readers_see_only_committed_data_and_one_snapshot(tmp_path):
    path = tmp_path / "s"
    writer = Store.open_for_writing(path, model="m", dimension=8)
    with writer.write() as w:
        _add(w, "first", ["h1", "h2"], 8)
    early = Store.open(path)  # opened before the second batch
    try:
        with writer.write() as w:
            _add(w, "second", ["h3"], 8)
            mid = Store.open(path)  # while the batch is uncommitted
            assert mid.counts()["documents"] == 1
            mid.release()
        late = Store.open(path)
        assert late.counts() == {**late.counts(), "documents": 2, "claims": 3}
        late.release()
        # The early reader keeps its snapshot for the whole command: documents, claims and the
        # vectors it catches up all agree with each other.
        assert early.counts()["documents"] == 1 and early.counts()["claims"] == 2
        assert early.vectors.index().ntotal == 2
    finally:
        early.release()
        writer.release()


def test_reader_never_writes(tmp_path):
    path = tmp_path / "s"
    Store.open_for_writing(path, model="m", dimension=8).release()
    with Store.open(path) as r:
        assert not r.writable
        try:
            r.vectors.save_snapshot()
        except Exception as exc:  # noqa: BLE001
            assert "read-only" in str(exc)
        else:
            raise AssertionError("a reader saved a snapshot")

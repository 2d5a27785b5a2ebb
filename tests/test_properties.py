"""Property tests (hypothesis): the parsers never fail in any other way than a clear rejection,
and a store survives any sequence of adds, re-adds, crashes and damage with its invariants."""

from __future__ import annotations

import io
import json
import shutil
import tempfile
from pathlib import Path

import faiss
import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from provenance.check import check_store
from provenance.documents import Document, Rejection, document_from_record
from provenance.documents.jsonl import _read_jsonl
from provenance.documents.read import _document_from_bytes
from provenance.errors import InputRejected
from provenance.match import DEFAULT_SETTINGS
from provenance.pipeline import IndexSummary, _index_batch, finish_pending, index_paths, open_writer
from provenance.store import MANIFEST_NAME, Store

_BYTES_SEEDS = [
    b"---\ntitle: x\npublished: 2024-01-01\n---\nThe mayor said the bridge will reopen in May.",
    b"<html><body><article><p>The council approved the budget on Monday night.</p></article></body></html>",
    b"\xef\xbb\xbfThe harbour was closed.", b"\xff\xfeT\x00h\x00e\x00", b"\x00\x01\x02", b"   \n",
]


def _check_document(d: Document) -> None:
    assert isinstance(d.text, str) and d.text.strip()
    assert "\x00" not in d.text
    d.text.encode("utf-8")  # no lone surrogates: SQLite would refuse them


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.one_of(st.binary(max_size=400), st.sampled_from(_BYTES_SEEDS).flatmap(
        lambda seed: st.binary(max_size=40).map(lambda junk: seed[: len(seed) // 2] + junk + seed[len(seed) // 2 :]))),
    kind=st.sampled_from(["txt", "md", "html"]),
)
def test_file_parser_only_ever_rejects(data, kind):
    try:
        d = _document_from_bytes(data, kind, "fuzz")
    except InputRejected as rej:
        assert rej.reason and rej.path == "fuzz"
        return
    _check_document(d)


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(
    record=st.one_of(
        _json,
        st.fixed_dictionaries(
            {"text": st.one_of(st.text(max_size=200), _json)},
            optional={"id": _json, "published": st.one_of(st.text(max_size=30), _json), "authors": _json,
                      "title": _json, "source": _json, "url": _json},
        ),
    )
)
def test_record_parser_only_ever_rejects(record):
    try:
        d = document_from_record(record, "fuzz", 3)
    except InputRejected as rej:
        assert rej.line == 3 and rej.reason
        return
    _check_document(d)


@settings(max_examples=200, deadline=None)
@given(lines=st.lists(st.one_of(st.binary(max_size=80), _json.map(lambda v: json.dumps(v).encode())), max_size=8))
def test_jsonl_reader_yields_one_answer_per_nonblank_line(lines):
    data = b"\n".join(lines)
    out = list(_read_jsonl(io.BytesIO(data), "fuzz.jsonl"))
    assert all(isinstance(x, (Document, Rejection)) for x in out)
    for x in out:
        if isinstance(x, Document):
            _check_document(x)
        else:
            assert x.reason


# --- the store as a state machine --------------------------------------------------------------

SENTENCES = [
    "The harbour authority confirmed that diesel leaked into the bay on Monday night.",
    "Residents of the eastern shore were told to keep their windows closed.",
    "The football club announced a new coach after a disappointing season.",
    "Officials said the bridge over the river will reopen in May after repairs.",
    "The council said the budget for road maintenance would rise by ten percent.",
]


class StoreMachine(RuleBasedStateMachine):
    """Add, re-add, crash (commit without clustering or snapshot), reopen, damage, reopen."""

    @initialize()
    def setup(self):
        self.dir = Path(tempfile.mkdtemp(prefix="prov-state-"))
        self.store = self.dir / "store"
        self.expected: dict[str, str] = {}
        self.n = 0
        self.add(2, 0)  # start from a store with a snapshot, so damage has something to hit

    def teardown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def _docs(self, k: int, pick: int) -> list[dict]:
        out = []
        for _ in range(k):
            self.n += 1
            text = f"{SENTENCES[(pick + self.n) % 5]} {SENTENCES[(pick + 2 * self.n) % 5]} Item {self.n} closes the note here."
            out.append({"id": f"d{self.n}", "text": text})
        return out

    def _write(self, docs: list[dict]) -> Path:
        f = self.dir / f"in-{self.n}.jsonl"
        f.write_text("".join(json.dumps(d) + "\n" for d in docs))
        return f

    @rule(k=st.integers(1, 4), pick=st.integers(0, 4))
    def add(self, k, pick):
        docs = self._docs(k, pick)
        summary = index_paths(self.store, [str(self._write(docs))], model="hashing", batch_documents=2)
        assert summary.documents_added == k
        self.expected.update({d["id"]: d["text"] for d in docs})

    @rule()
    def re_add(self):
        if not self.expected:
            return
        docs = [{"id": i, "text": t} for i, t in self.expected.items()]
        summary = index_paths(self.store, [str(self._write(docs))], model="hashing")
        assert summary.documents_added == 0 and summary.documents_skipped == len(docs)

    @rule(k=st.integers(1, 3), pick=st.integers(0, 4))
    def crash_after_commit(self, k, pick):
        # What a kill after a batch's COMMIT leaves: rows committed, clusters and snapshot behind.
        docs = self._docs(k, pick)
        store, embedder = open_writer(self.store, "hashing")
        try:
            from provenance.documents import read_inputs

            batch = [d for d in read_inputs([str(self._write(docs))]) if isinstance(d, Document)]
            _index_batch(store, embedder, batch, IndexSummary(), DEFAULT_SETTINGS)
        finally:
            store.release()
        self.expected.update({d["id"]: d["text"] for d in docs})

    @rule(how=st.sampled_from(["manifest-junk", "manifest-delete"]))
    def damage_manifest(self, how):
        manifest = self.store / MANIFEST_NAME
        if how == "manifest-junk":
            manifest.write_text("{broken")
        else:
            manifest.unlink(missing_ok=True)

    @rule(how=st.sampled_from(["truncate", "flip", "flip", "delete"]))
    def damage_snapshot(self, how):
        try:
            name = (json.loads((self.store / MANIFEST_NAME).read_text()).get("vectors") or {}).get("file")
        except (OSError, ValueError):
            return
        snap = self.store / name if name else None
        if snap is not None and snap.exists():
            if how == "truncate":
                snap.write_bytes(snap.read_bytes()[:100])
            elif how == "flip":
                data = bytearray(snap.read_bytes())
                data[len(data) // 2] ^= 0x40
                snap.write_bytes(bytes(data))
            else:
                snap.unlink()

    @rule()
    def finish(self):
        # The next writer (any index) finishes what a crash left and repairs what damage broke.
        if not Store.exists(self.store):
            return
        store, _ = open_writer(self.store, "hashing")
        try:
            finish_pending(store)
        finally:
            store.release()
        assert check_store(self.store).ok

    @invariant()
    def whole(self):
        if not Store.exists(self.store):
            assert not self.expected
            return
        # Damage to derived files may be reported by check, but a reader must still see everything.
        with Store.open(self.store) as s:
            got = {d.id: d.text for d in s.documents()}
            assert got == self.expected
            index = s.vectors.index()
            ids = sorted(int(i) for i in faiss.vector_to_array(index.id_map))
            assert ids == [r[0] for r in s.db.execute("SELECT id FROM claims ORDER BY id")]
            if ids:
                # The vectors FAISS searches are the ones SQLite holds (a bit flip would differ).
                got_vecs = index.reconstruct_batch(np.array(ids, dtype=np.int64))
                assert np.array_equal(got_vecs, s.claim_vectors(ids))
        assert check_store(self.store).sqlite_ok


TestStoreMachine = StoreMachine.TestCase
TestStoreMachine.settings = settings(max_examples=15, stateful_step_count=8, deadline=None,
                                     suppress_health_check=[HealthCheck.too_slow])

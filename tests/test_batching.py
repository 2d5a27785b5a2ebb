"""Commits by time as well as by count, clusters current at every commit, and a progress line
that says what the run is doing."""

from __future__ import annotations

import time

import orjson
import pytest
from click.testing import CliRunner

from provenance import pipeline
from provenance.batching import FIRST_BATCH_DOCUMENTS, MAX_BATCH_CHARS, MAX_BATCH_DOCUMENTS, CommitPacer, batches
from provenance.cli import cli
from provenance.documents import Document, Rejection, Skipped
from provenance.embed import HashingEmbedder
from provenance.errors import EXIT_INTERRUPTED
from provenance.incremental import cluster_records
from provenance.store import Store
from tests.crashkit import interrupt_on_call, write_corpus


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _doc(i: int, chars: int = 100) -> Document:
    from provenance.documents import document_from_record

    return document_from_record({"id": f"d{i}", "text": "a" * (chars - 1) + "."}, "x", i)


def test_the_first_batch_is_small_then_batches_follow_the_measured_pace():
    pacer = CommitPacer(seconds=5.0)
    docs = [_doc(i, 1000) for i in range(200)]
    it = batches(iter(docs), pacer, [], [])
    assert len(next(it)) == FIRST_BATCH_DOCUMENTS  # its pace is unknown, the model may be loading
    pacer.record(chars=8 * 1000, seconds=4.0)  # 0.5 ms a character: 5 s is 10,000 characters
    assert len(next(it)) == 10
    pacer.record(chars=10 * 1000, seconds=0.1)  # the machine got faster: the average follows
    assert len(next(it)) == 20
    pacer.record(chars=1000, seconds=0.0)
    assert len(next(it)) == 40
    pacer.record(chars=10**6, seconds=0.0)
    assert len(next(it)) == MAX_BATCH_DOCUMENTS  # never more than the count allows


def test_commit_every_zero_commits_by_count_only_and_huge_text_closes_a_batch():
    pacer = CommitPacer(seconds=0)
    pacer.record(chars=10, seconds=100.0)
    assert len(next(batches(iter([_doc(i) for i in range(100)]), pacer, [], []))) == MAX_BATCH_DOCUMENTS
    small = CommitPacer(max_chars=2500)
    assert [len(b) for b in batches(iter([_doc(i, 1000) for i in range(6)]), small, [], [])] == [3, 3]


def test_rejections_and_skipped_files_are_collected_not_batched():
    rejected, skipped = [], []
    items = [Rejection("bad.jsonl", 3, "broken"), _doc(1), Skipped("a.pdf", "unsupported"), _doc(2)]
    assert [len(b) for b in batches(iter(items), CommitPacer(), rejected, skipped)] == [2]
    assert [r.path for r in rejected] == ["bad.jsonl"] and [s.path for s in skipped] == ["a.pdf"]


@pytest.fixture
def corpus(tmp_path):
    return write_corpus(tmp_path / "docs.jsonl", 150)


def test_a_slow_index_commits_every_few_seconds_so_an_interrupt_keeps_them(tmp_path, corpus, monkeypatch):
    def slow(real, self, texts):
        time.sleep(0.01 * len(texts))  # a slow model: about 0.1 s a document here
        return real(self, texts)

    interrupt_on_call(monkeypatch, HashingEmbedder, "embed", 6, slow)
    store = tmp_path / "store"
    res = run("--store", str(store), "index", "--model", "hashing", "--commit-every", "0.3", corpus.as_posix())
    assert res.exit_code == EXIT_INTERRUPTED
    with Store.open(store) as s:
        committed = s.counts()["documents"]
    # Five batches committed before the interrupt, none of them the 64 documents a batch by
    # count would hold: the pace (0.3 s of work) cut them short.
    assert FIRST_BATCH_DOCUMENTS <= committed < FIRST_BATCH_DOCUMENTS + 4 * 20


def test_after_an_interrupted_index_report_shows_the_committed_clusters(tmp_path, corpus, monkeypatch):
    from provenance.store import Writer

    interrupt_on_call(monkeypatch, Writer, "insert_matches", 3)
    store = tmp_path / "store"
    res = run("--store", str(store), "index", "--model", "hashing", "--commit-every", "0", corpus.as_posix())
    assert res.exit_code == EXIT_INTERRUPTED
    monkeypatch.undo()
    with Store.open(store) as s:
        assert s.counts()["matches"] > 0
        rows, members = cluster_records(s, s.all_matches())
        assert rows and sorted(rows) == s.cluster_rows() and sorted(members) == s.cluster_member_rows()
    report = run("--store", str(store), "report")
    assert "No document shares a claim with another" not in report.stdout
    assert orjson.loads(run("--store", str(store), "report", "--format", "json").stdout)["summary"]["clusters"] > 0


@pytest.mark.parametrize("existing", [False, True], ids=["new-store", "existing-store"])
def test_stages_say_the_model_is_loading_before_the_first_document_counts(tmp_path, corpus, existing):
    store = tmp_path / "store"
    if existing:
        pipeline.index_paths(store, [str(write_corpus(tmp_path / "first.jsonl", 3, seed=1))], model="hashing")
    events: list[str] = []
    pipeline.index_paths(
        store, [str(corpus)], model="hashing", progress=lambda n: events.append(f"+{n}"), stage=events.append
    )
    loading = next(i for i, e in enumerate(events) if e.startswith("loading the embedding model"))
    first_count = next(i for i, e in enumerate(events) if e.startswith("+"))
    assert events[0] == "reading documents"
    assert loading < first_count and "indexing" in events[loading:first_count]


def test_the_progress_bar_shows_the_stage(monkeypatch):
    import io

    from rich.console import Console

    from provenance import cli as cli_module

    bar = cli_module._Progress(enabled=True, total=5)
    import rich.console

    monkeypatch.setattr(rich.console, "Console", lambda **k: Console(file=io.StringIO(), force_terminal=True, width=100))
    with bar as progress:
        progress.stage("loading the embedding model (all-MiniLM-L6-v2)")
        assert progress._progress.tasks[0].description == "loading the embedding model (all-MiniLM-L6-v2)"
        progress.advance(2)
        assert progress._progress.tasks[0].completed == 2


def test_a_fixed_cost_per_batch_makes_batches_bigger_not_smaller():
    # Clusters of big components cost the same whatever the batch holds: shrinking batches
    # because of it would repeat it for every document.
    pacer = CommitPacer(seconds=5.0)
    pacer.record(chars=10_000, seconds=7.0, overhead=6.0)  # 1 s of text work, 6 s fixed
    it = batches(iter([_doc(i, 1000) for i in range(100)]), pacer, [], [])
    assert len(next(it)) == 60  # 6 s of text work: at most half of a batch is its fixed cost
    cheap = CommitPacer(seconds=5.0)
    cheap.record(chars=10_000, seconds=2.0, overhead=0.5)
    assert len(next(batches(iter([_doc(i, 1000) for i in range(100)]), cheap, [], []))) == 30  # 4.5 s of text work


def test_when_fixed_work_dominates_a_batch_may_pass_the_document_count():
    pacer = CommitPacer(seconds=5.0)
    pacer.record(chars=10_000, seconds=10.0, overhead=9.5)  # clusters spanning the store
    sizes = [len(b) for b in batches(iter([_doc(i, 1000) for i in range(300)]), pacer, [], [])]
    assert sizes[0] == 190  # 9.5 s of text work at 0.05 ms a character, past 64 documents
    assert all(s * 1000 <= MAX_BATCH_CHARS for s in sizes)

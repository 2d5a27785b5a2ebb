"""Crash safety, short version (the long one is scripts/crash_test.py): the indexer SIGKILLs
itself at named points; afterwards the store opens, check finds nothing wrong, nothing committed
is lost, FAISS ids equal SQLite ids, the clusters are those of the committed matches, report and
trace work, and the same index again finishes the job with no duplicates, ending exactly where an
uninterrupted run ends.

The runs here commit by count (``--commit-every 0``: 64 documents a batch), so each named point
falls at a known number of committed documents."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from provenance.check import invariant_violations
from provenance.cli import cli
from provenance.errors import EXIT_INTERRUPTED
from provenance.faults import ENV
from provenance.incremental import cluster_records
from provenance.pipeline import BATCH_DOCUMENTS
from provenance.store import Store, Writer
from tests.crashkit import write_corpus

REPO = Path(__file__).resolve().parents[1]
N_DOCS = 150  # three batches of 64, 64 and 22
# Batches by count, so the points below fall at known commits. A claim copied in more documents
# than it keeps neighbours (this corpus has them) may keep other near-tied ones when batches are
# cut elsewhere, and the comparison with the reference is exact.
BY_COUNT = ("--commit-every", "0")


def run_cli(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def index_in_child(store: Path, corpus: Path, crash_at: str) -> subprocess.CompletedProcess:
    env = {**os.environ, ENV: crash_at, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "provenance", "--store", str(store), "index", "--model", "hashing", "--json", *BY_COUNT, str(corpus)],
        env=env, capture_output=True, timeout=300,
    )


def clusters_match_matches(store: Path) -> bool:
    """Are the stored clusters exactly what the committed matches give (a full rebuild)?"""
    with Store.open(store) as s:
        rows, members = cluster_records(s, s.all_matches())
        return sorted(rows) == s.cluster_rows() and sorted(members) == s.cluster_member_rows()


def state(store: Path) -> dict:
    with Store.open(store) as s:
        counts = s.counts()
        counts["clustered_through"] = s.clustered_through()
        counts["doc_ids"] = [r[0] for r in s.db.execute("SELECT id FROM documents ORDER BY id")]
    return counts


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("corpus") / "docs.jsonl", N_DOCS)


@pytest.fixture(scope="module")
def reference(tmp_path_factory, corpus) -> dict:
    store = tmp_path_factory.mktemp("ref") / "store"
    assert run_cli("--store", str(store), "index", "--model", "hashing", *BY_COUNT, corpus.as_posix()).exit_code == 0
    return state(store)


# (point, expected documents committed when it fires); None where the count is not fixed.
CASES = [
    ("create-before-rename", 0),
    ("embedded:1", 0),
    ("embedded:2", BATCH_DOCUMENTS),
    ("before-commit:1", 0),  # the transaction that creates the database
    ("before-commit:3", BATCH_DOCUMENTS),
    ("after-commit:1", BATCH_DOCUMENTS),
    ("after-commit:2", 2 * BATCH_DOCUMENTS),
    ("after-commit:3", N_DOCS),
    ("before-commit:4", 2 * BATCH_DOCUMENTS),  # the last batch, its clusters in its transaction
    ("mid-file-write:1", 0),  # the new store's first manifest
    ("mid-file-write:2", N_DOCS),  # half of the first vector snapshot
    ("before-rename:3", N_DOCS),  # the manifest that commits the snapshot
    ("before-manifest:1", N_DOCS),
]


@pytest.mark.parametrize("point,committed", CASES, ids=[c[0] for c in CASES])
def test_kill_then_reopen_then_finish(tmp_path, corpus, reference, point, committed):
    store = tmp_path / "store"
    killed = index_in_child(store, corpus, point)
    assert killed.returncode == -signal.SIGKILL, killed.stderr.decode()[-2000:]

    if not Store.exists(store):
        # Killed while creating: no half-made store is left to trip over.
        assert committed == 0
    else:
        assert invariant_violations(store, every_document_has_claims=True) == []
        assert state(store)["documents"] == committed
        # Clusters are committed with each batch: a report after any kill shows the committed matches.
        assert clusters_match_matches(store)
        with Store.open(store) as s:
            assert s.clustered_through() == s.max_claim_id()
        report = run_cli("--store", str(store), "report", "--format", "json")
        assert report.exit_code == 0
        assert len(orjson.loads(report.output)["documents"]) == committed
        assert run_cli("--store", str(store), "trace", "diesel leaked into the bay", "--json").exit_code == 0

    again = run_cli("--store", str(store), "index", "--model", "hashing", "--json", *BY_COUNT, corpus.as_posix())
    assert again.exit_code == 0, again.output
    summary = orjson.loads(again.output)
    assert summary["documents_added"] == N_DOCS - committed
    assert summary["documents_skipped"] == committed
    assert invariant_violations(store, every_document_has_claims=True) == []
    assert state(store) == reference  # same documents, claims, matches, clusters: no duplicates
    assert not [f for f in os.listdir(store) if ".tmp-" in f]


def test_check_reports_clusters_behind_and_index_catches_up(tmp_path, corpus, reference):
    # No interruption leaves clusters behind any more; a store an older version left so must
    # still be noticed by check and caught up by the next index.
    store = tmp_path / "store"
    assert index_in_child(store, corpus, "after-commit:2").returncode == -signal.SIGKILL
    with Store.open_for_writing(store) as s, s.write() as w:
        w.replace_clusters([], [])
        s.db.execute("UPDATE meta SET value = '0' WHERE key = 'clustered_through'")
    check = run_cli("--store", str(store), "check", "--json")
    result = orjson.loads(check.output)
    assert check.exit_code == 0 and result["ok"]
    assert any("clusters cover claims" in n for n in result["notes"])
    info = run_cli("--store", str(store), "info")
    assert "clusters are behind" in info.output
    again = run_cli("--store", str(store), "index", "--model", "hashing", "--json", *BY_COUNT, corpus.as_posix())
    assert again.exit_code == 0, again.output
    assert orjson.loads(run_cli("--store", str(store), "check", "--json").output)["notes"] == []
    assert state(store) == reference


@pytest.mark.parametrize("where", ["embedding", "transaction"])
def test_ctrl_c_mid_batch_keeps_earlier_batches_and_says_so(tmp_path, corpus, reference, monkeypatch, where):
    from provenance.embed import HashingEmbedder

    calls = {"n": 0}
    target, name = (HashingEmbedder, "embed") if where == "embedding" else (Writer, "insert_matches")
    real = getattr(target, name)

    def interrupted(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt
        return real(self, *args, **kwargs)

    monkeypatch.setattr(target, name, interrupted)
    store = tmp_path / "store"
    result = run_cli("--store", str(store), "index", "--model", "hashing", *BY_COUNT, corpus.as_posix())
    assert result.exit_code == EXIT_INTERRUPTED  # 130, as a shell expects of Ctrl-C
    assert "Aborted" in result.stderr and "run the same command again" in result.stderr
    monkeypatch.undo()
    assert state(store)["documents"] == BATCH_DOCUMENTS  # the first batch, whole; the second rolled back
    assert invariant_violations(store, every_document_has_claims=True) == []
    assert run_cli("--store", str(store), "index", "--model", "hashing", *BY_COUNT, corpus.as_posix()).exit_code == 0
    assert state(store) == reference

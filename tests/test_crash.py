"""Crash safety, short version (the long one is scripts/crash_test.py): the indexer SIGKILLs
itself at named points; afterwards the store opens, check finds nothing wrong, nothing committed
is lost, FAISS ids equal SQLite ids, report and trace work, and the same index again finishes the
job with no duplicates, ending exactly where an uninterrupted run ends."""

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
from provenance.faults import ENV
from provenance.pipeline import BATCH_DOCUMENTS
from provenance.store import Store, Writer
from tests.crashkit import write_corpus

REPO = Path(__file__).resolve().parents[1]
N_DOCS = 150  # three batches of 64, 64 and 22


def run_cli(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def index_in_child(store: Path, corpus: Path, crash_at: str) -> subprocess.CompletedProcess:
    env = {**os.environ, ENV: crash_at, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "provenance", "--store", str(store), "index", "--model", "hashing", "--json", str(corpus)],
        env=env, capture_output=True, timeout=300,
    )


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
    assert run_cli("--store", str(store), "index", "--model", "hashing", corpus.as_posix()).exit_code == 0
    return state(store)


# (point, expected documents committed when it fires); None where the count is not fixed.
CASES = [
    ("create-before-rename", 0),
    ("embedded:1", 0),
    ("embedded:2", BATCH_DOCUMENTS),
    ("before-commit:1", 0),  # the transaction that creates the database
    ("before-commit:3", BATCH_DOCUMENTS),
    ("after-commit:1", BATCH_DOCUMENTS),
    ("after-commit:3", N_DOCS),
    ("before-commit:5", N_DOCS),  # the recluster transaction
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
        report = run_cli("--store", str(store), "report", "--format", "json")
        assert report.exit_code == 0
        assert len(orjson.loads(report.output)["documents"]) == committed
        assert run_cli("--store", str(store), "trace", "diesel leaked into the bay", "--json").exit_code == 0

    again = run_cli("--store", str(store), "index", "--model", "hashing", "--json", corpus.as_posix())
    assert again.exit_code == 0, again.output
    summary = orjson.loads(again.output)
    assert summary["documents_added"] == N_DOCS - committed
    assert summary["documents_skipped"] == committed
    assert invariant_violations(store, every_document_has_claims=True) == []
    assert state(store) == reference  # same documents, claims, matches, clusters: no duplicates
    assert not [f for f in os.listdir(store) if ".tmp-" in f]


def test_check_reports_clusters_behind_and_index_catches_up(tmp_path, corpus, reference):
    store = tmp_path / "store"
    assert index_in_child(store, corpus, "before-commit:5").returncode == -signal.SIGKILL
    check = run_cli("--store", str(store), "check", "--json")
    result = orjson.loads(check.output)
    assert check.exit_code == 0 and result["ok"]
    assert any("clusters cover claims" in n for n in result["notes"])
    repaired = run_cli("--store", str(store), "check", "--repair", "--json")
    assert repaired.exit_code == 0
    assert orjson.loads(repaired.output)["notes"] == []
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
    result = run_cli("--store", str(store), "index", "--model", "hashing", corpus.as_posix())
    assert result.exit_code == 1
    assert "Aborted" in result.stderr and "run the same command again" in result.stderr
    monkeypatch.undo()
    assert state(store)["documents"] == BATCH_DOCUMENTS  # the first batch, whole; the second rolled back
    assert invariant_violations(store, every_document_has_claims=True) == []
    assert run_cli("--store", str(store), "index", "--model", "hashing", corpus.as_posix()).exit_code == 0
    assert state(store) == reference

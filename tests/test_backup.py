"""backup while an indexer writes, restore into an empty folder, and store folders others may
write refused (shared/design/reliability.md)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from provenance.check import invariant_violations
from provenance.cli import cli
from provenance.errors import EXIT_READ_ONLY, EXIT_USAGE
from provenance.incremental import cluster_records
from provenance.store import Store
from tests.crashkit import write_corpus, write_varied_corpus

REPO = Path(__file__).resolve().parents[1]


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def doc_ids(store: Path) -> list[str]:
    with Store.open(store) as s:
        return [r[0] for r in s.db.execute("SELECT id FROM documents ORDER BY num")]


def whole(store: Path) -> None:
    """What any copy must be: a store that opens and checks clean, every document with its
    claims, FAISS ids equal to SQLite's, clusters equal to those of its matches."""
    assert invariant_violations(store, every_document_has_claims=True) == []
    with Store.open(store) as s:
        rows, members = cluster_records(s, s.all_matches())
        assert sorted(rows) == s.cluster_rows() and sorted(members) == s.cluster_member_rows()


def test_backup_under_a_concurrent_writer_then_restore_into_an_empty_folder(tmp_path):
    store = tmp_path / "store"
    first = write_varied_corpus(tmp_path / "first.jsonl", 300, seed=1)
    assert run("--store", str(store), "index", "--model", "hashing", str(first)).exit_code == 0
    assert (orjson.loads((store / "manifest.json").read_bytes()).get("vectors") or {}).get("file")  # a snapshot to copy

    more = write_varied_corpus(tmp_path / "more.jsonl", 1500, seed=2, prefix="more")
    writer = subprocess.Popen(
        [sys.executable, "-m", "provenance", "--store", str(store), "index", "--model", "hashing", "--json",
         "--commit-every", "0.2", str(more)],
        env={**os.environ, "PYTHONPATH": str(REPO)}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    copies = []
    try:
        while writer.poll() is None and len(copies) < 4:
            dest = tmp_path / f"backup-{len(copies)}"
            res = run("--store", str(store), "backup", str(dest), "--json")
            assert res.exit_code == 0, res.output
            copies.append((dest, orjson.loads(res.stdout), writer.poll() is None))
            time.sleep(0.3)
    finally:
        out, err = writer.communicate(timeout=600)
    assert writer.returncode == 0, err.decode()[-2000:]
    final = doc_ids(store)
    during = [c for c in copies if c[2]]
    assert during, "every backup ran after the writer had finished; the corpus is too small for this machine"
    for dest, result, _ in copies:
        whole(dest)
        ids = doc_ids(dest)
        assert ids == final[: len(ids)]  # a committed state of the writer: a prefix of its documents
        assert result["documents"] == len(ids) >= 300
    assert any(len(doc_ids(d)) < len(final) for d, _, still in during)

    # Restore the first copy taken during the run into an empty folder, and finish the job there.
    backup = during[0][0]
    target = tmp_path / "restored"
    target.mkdir()
    res = run("--store", str(target), "restore", str(backup))
    assert res.exit_code == 0, res.output
    assert "check: ok" in res.stdout
    whole(target)
    assert doc_ids(target) == doc_ids(backup)
    assert run("--store", str(target), "index", "--model", "hashing", str(more)).exit_code == 0
    assert sorted(doc_ids(target)) == sorted(final)
    whole(target)


def test_restore_refuses_a_folder_that_is_not_empty_and_overwrites_nothing(tmp_path):
    store = tmp_path / "store"
    assert run("--store", str(store), "index", "--model", "hashing", str(write_corpus(tmp_path / "d.jsonl", 20))).exit_code == 0
    assert run("--store", str(store), "backup", str(tmp_path / "copy")).exit_code == 0
    res = run("--store", str(store), "restore", str(tmp_path / "copy"))  # the live store is not empty
    assert res.exit_code == EXIT_USAGE and "not empty" in res.stderr
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "keep.txt").write_text("mine")
    assert run("--store", str(store), "backup", str(busy)).exit_code == EXIT_USAGE
    assert [p.name for p in busy.iterdir()] == ["keep.txt"]


def test_restore_refuses_a_damaged_backup(tmp_path):
    store = tmp_path / "store"
    assert run("--store", str(store), "index", "--model", "hashing", str(write_corpus(tmp_path / "d.jsonl", 20))).exit_code == 0
    copy = tmp_path / "copy"
    assert run("--store", str(store), "backup", str(copy)).exit_code == 0
    data = bytearray((copy / "store.sqlite").read_bytes())
    data[len(data) // 2 : len(data) // 2 + 4096] = b"\xff" * 4096
    (copy / "store.sqlite").write_bytes(bytes(data))
    res = run("--store", str(tmp_path / "new"), "restore", str(copy))
    assert res.exit_code != 0 and "damaged" in res.stderr
    assert not Store.exists(tmp_path / "new")


@pytest.mark.skipif(not hasattr(os, "chmod"), reason="needs POSIX permissions")
def test_a_store_folder_every_user_may_write_is_refused_with_the_fix(tmp_path):
    store = tmp_path / "store"
    corpus = write_corpus(tmp_path / "d.jsonl", 5)
    assert run("--store", str(store), "index", "--model", "hashing", str(corpus)).exit_code == 0
    os.chmod(store, 0o777)
    for args in (["index", "--model", "hashing", str(corpus)], ["trace", "diesel leaked into the bay"], ["report"]):
        res = run("--store", str(store), *args)
        assert res.exit_code == EXIT_READ_ONLY, (args, res.output)
        assert "writable by every user" in res.stderr and f"chmod o-w {store}" in res.stderr
    assert run("--store", str(store), "backup", str(tmp_path / "copy")).exit_code == EXIT_READ_ONLY
    os.chmod(store, 0o755)
    assert run("--store", str(store), "trace", "diesel leaked into the bay").exit_code == 0
    open_to_all = tmp_path / "open"
    open_to_all.mkdir()
    os.chmod(open_to_all, 0o777)
    res = run("--store", str(store), "backup", str(open_to_all))
    assert res.exit_code == EXIT_READ_ONLY and "chmod o-w" in res.stderr


def test_a_snapshot_replaced_while_it_is_copied_is_read_again(tmp_path, monkeypatch):
    from provenance.store import backup as backup_module

    store = tmp_path / "store"
    assert run("--store", str(store), "index", "--model", "hashing", str(write_varied_corpus(tmp_path / "d.jsonl", 30))).exit_code == 0
    real, calls = backup_module._copy_file, {"n": 0}

    def racing(path, dest):
        calls["n"] += 1
        if calls["n"] == 1:  # as if the writer had just committed a newer snapshot and removed this one
            raise FileNotFoundError(path)
        return real(path, dest)

    monkeypatch.setattr(backup_module, "_copy_file", racing)
    res = run("--store", str(store), "backup", str(tmp_path / "copy"), "--json")
    assert res.exit_code == 0, res.output
    assert calls["n"] == 2 and orjson.loads(res.stdout)["snapshot_vectors"] > 0
    whole(tmp_path / "copy")

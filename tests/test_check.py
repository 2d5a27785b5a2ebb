"""provenance check [--repair [--rebuild]]: what it finds, what it repairs, its exit codes."""

from __future__ import annotations

import json
import sqlite3

import orjson
from click.testing import CliRunner

from provenance.cli import cli
from provenance.store import MANIFEST_NAME, Store
from tests.test_bad_inputs import GOOD, good_file, index

OTHER = "Residents of the eastern shore were told to keep their windows closed until further notice."


def check(store, *extra):
    result = CliRunner().invoke(cli, ["--store", str(store), "check", "--json", *extra])
    return result.exit_code, (orjson.loads(result.stdout) if result.stdout.strip() else None), result


def make(tmp_path):
    store = tmp_path / "store"
    folder = good_file(tmp_path / "in").parent
    (folder / "other.txt").write_text(f"{OTHER} {GOOD}\n")
    assert index(store, folder).exit_code == 0
    return store


def snapshot(store):
    return store / json.loads((store / MANIFEST_NAME).read_text())["vectors"]["file"]


def test_whole_store_is_ok(tmp_path):
    code, out, res = check(make(tmp_path))
    assert code == 0 and out["ok"] and out["problems"] == [] and out["counts"]["documents"] == 2
    plain = CliRunner().invoke(cli, ["--store", str(tmp_path / "store"), "check"])
    assert plain.exit_code == 0 and ": ok (2 documents" in plain.stdout


def test_damaged_snapshot_is_found_then_repaired(tmp_path):
    store = make(tmp_path)
    snap = snapshot(store)
    snap.write_bytes(snap.read_bytes()[:-10] + b"0123456789")
    code, out, res = check(store)
    assert code == 74 and any("fails its checksum" in p for p in out["problems"])
    assert "check --repair" in res.stderr
    code, out, _ = check(store, "--repair")
    assert code == 0 and out["ok"] and len(out["repaired"]) == 2
    assert check(store)[0] == 0


def test_faiss_and_sqlite_ids_disagree(tmp_path):
    store = make(tmp_path)
    db = sqlite3.connect(store / "store.sqlite")
    db.execute("PRAGMA foreign_keys=OFF")
    last = db.execute("SELECT max(id) FROM claims").fetchone()[0]
    db.execute("DELETE FROM cluster_members WHERE claim_id = ?", (last,))
    db.execute("DELETE FROM matches WHERE a = ? OR b = ?", (last, last))
    db.execute("DELETE FROM claims WHERE id = ?", (last,))
    db.commit()
    db.close()
    code, out, _ = check(store)
    assert code == 74 and any("disagree (1 ids only in FAISS" in p for p in out["problems"])
    code, out, _ = check(store, "--repair")
    assert code == 0 and out["ok"]


def test_missing_manifest_is_a_note_and_repair_writes_it(tmp_path):
    store = make(tmp_path)
    (store / MANIFEST_NAME).unlink()
    code, out, _ = check(store)
    assert code == 0 and any("manifest.json is missing" in n for n in out["notes"])
    code, out, _ = check(store, "--repair")
    assert code == 0 and out["notes"] == [] and (store / MANIFEST_NAME).exists()


def test_rebuild_needs_repair_and_rebuilds_a_sound_store(tmp_path):
    store = make(tmp_path)
    assert CliRunner().invoke(cli, ["--store", str(store), "check", "--rebuild"]).exit_code == 2
    before = snapshot(store).name
    code, out, _ = check(store, "--repair", "--rebuild")
    assert code == 0 and out["repaired"] and snapshot(store).name != before


def test_repair_while_an_indexer_runs_is_refused(tmp_path):
    store = make(tmp_path)
    (store / MANIFEST_NAME).write_text("{junk")
    with Store.open_for_writing(store):
        code, _, res = check(store, "--repair")
    assert code == 75 and "another indexer" in res.stderr


def test_damaged_database_cannot_be_repaired(tmp_path):
    store = make(tmp_path)
    db = store / "store.sqlite"
    data = bytearray(db.read_bytes())
    data[4096 * 2 : 4096 * 4] = b"\x5a" * (4096 * 2)
    db.write_bytes(bytes(data))
    code, out, _ = check(store, "--repair")
    assert code == 74 and not out["sqlite_ok"] and out["repaired"] == []
    assert any("backup" in p for p in out["problems"])


def test_missing_store(tmp_path):
    result = CliRunner().invoke(cli, ["--store", str(tmp_path / "nope"), "check"])
    assert result.exit_code == 1 and "no store at" in result.stderr

"""Nothing in a store can run code; a store from elsewhere is verified before use; SQL is bound;
HTML output escapes what documents contain."""

from __future__ import annotations

import ast
import json
import pickle
from pathlib import Path

import orjson
from click.testing import CliRunner

from provenance.cli import cli
from provenance.store import MANIFEST_NAME, Store
from tests.test_bad_inputs import GOOD, good_file, index

PACKAGE = Path(__file__).resolve().parents[1] / "provenance"


def test_no_pickle_or_eval_anywhere_in_the_package():
    banned_modules = {"pickle", "cPickle", "dill", "shelve", "marshal", "joblib"}
    for f in PACKAGE.rglob("*.py"):
        tree = ast.parse(f.read_text(), str(f))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                assert not {a.name.split(".")[0] for a in node.names} & banned_modules, f
            elif isinstance(node, ast.ImportFrom):
                assert (node.module or "").split(".")[0] not in banned_modules, f
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in {"eval", "exec"}, f
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                assert node.func.attr not in {"allow_pickle", "load_local"}, f


class _Marker:
    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (Path.write_text, (Path(self.path), "pwned"))


def test_a_planted_pickle_is_never_loaded(tmp_path):
    store = tmp_path / "store"
    assert index(store, good_file(tmp_path / "in")).exit_code == 0
    marker = tmp_path / "marker"
    for name in ("index.pkl", "vectors.pkl", "docstore.pkl"):
        (store / name).write_bytes(pickle.dumps(_Marker(marker)))
    for args in (["report", "--format", "json"], ["trace", GOOD], ["check"], ["info"]):
        assert CliRunner().invoke(cli, ["--store", str(store), *args]).exit_code == 0
    assert index(store, good_file(tmp_path / "in2")).exit_code == 0
    assert not marker.exists()


def test_manifest_cannot_point_outside_the_store(tmp_path, caplog):
    store = tmp_path / "store"
    assert index(store, good_file(tmp_path / "in")).exit_code == 0
    outside = tmp_path / "vectors-evil.faiss"
    outside.write_bytes(b"x" * 100)
    m = json.loads((store / MANIFEST_NAME).read_text())
    m["vectors"]["file"] = "../vectors-evil.faiss"
    (store / MANIFEST_NAME).write_text(json.dumps(m))
    with Store.open(store) as s:
        assert s.vectors.index().ntotal == 1  # rebuilt from SQLite, the named file never read
    assert "unexpected vector file" in caplog.text
    check = CliRunner().invoke(cli, ["--store", str(store), "check", "--json"])
    assert check.exit_code == 74 and "unexpected vector file" in check.output


def test_store_connections_distrust_the_schema(tmp_path):
    store = tmp_path / "store"
    assert index(store, good_file(tmp_path / "in")).exit_code == 0
    with Store.open(store) as s:
        assert s.db.execute("PRAGMA trusted_schema").fetchone()[0] == 0
        assert s.db.execute("PRAGMA cell_size_check").fetchone()[0] == 1


def test_newer_schema_is_refused(tmp_path):
    import sqlite3

    store = tmp_path / "store"
    assert index(store, good_file(tmp_path / "in")).exit_code == 0
    db = sqlite3.connect(store / "store.sqlite")
    db.execute("PRAGMA user_version = 999")
    db.commit()
    db.close()
    result = CliRunner().invoke(cli, ["--store", str(store), "report"])
    assert result.exit_code == 74 and "upgrade provenance" in result.stderr


def test_sql_injection_strings_are_just_data(tmp_path):
    evil = "x'); DROP TABLE documents; --"
    f = tmp_path / "e.jsonl"
    f.write_text(json.dumps({"id": evil, "source": "' OR 1=1 --", "title": '"; DELETE FROM claims; --', "text": GOOD}) + "\n")
    assert index(tmp_path / "store", f).exit_code == 0
    with Store.open(tmp_path / "store") as s:
        [doc] = s.documents()
        assert doc.id == evil and s.counts()["claims"] == 1
    result = CliRunner().invoke(cli, ["--store", str(tmp_path / "store"), "trace", evil, "--json"])
    assert result.exit_code == 0


def test_html_report_escapes_document_content(tmp_path):
    f = tmp_path / "x.jsonl"
    title = "<script>alert(1)</script>"
    f.write_text(json.dumps({"id": "a", "title": title, "source": '"><img src=x onerror=alert(2)>',
                             "url": "javascript:alert(3)", "text": GOOD + " <script>alert(4)</script>"}) + "\n"
                 + json.dumps({"id": "b", "text": GOOD}) + "\n")
    assert index(tmp_path / "store", f).exit_code == 0
    out = tmp_path / "r.html"
    assert CliRunner().invoke(cli, ["--store", str(tmp_path / "store"), "report", "--output", str(out)]).exit_code == 0
    html = out.read_text()
    for raw in ("<script>alert", "<img src=x", 'href="javascript:'):
        assert raw not in html

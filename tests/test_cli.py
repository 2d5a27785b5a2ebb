"""The command-line contract, driven through click's CliRunner with the hashing embedder."""

import json
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from provenance.cli import cli
from tests.conftest import write_md

ORIGIN = "The harbour authority confirmed that forty thousand litres of diesel leaked into the bay on Monday night."
OTHER = "Residents of the eastern shore were told to keep their windows closed until further notice."
UNRELATED = "The football club announced a new coach after a disappointing season in the regional league."


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    write_md(folder, "a.md", f"{ORIGIN} {OTHER}", id="a", source="Ledger", published="2024-03-01")
    write_md(folder, "b.md", f"{UNRELATED} {ORIGIN.upper()}", id="b", source="Courier", published="2024-03-04")
    write_md(folder, "c.md", f"Breaking news today. {ORIGIN}", id="c", source="Blog")
    return folder


def run(*args: str, input: bytes | None = None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def index(store: Path, *paths: str, extra=()):
    return run("--store", str(store), "index", "--model", "hashing", "--json", *extra, *paths)


def test_index_report_trace_round_trip(tmp_path, corpus, spec):
    import jsonschema

    store = tmp_path / "store"
    res = index(store, str(corpus))
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout)
    assert summary["documents_added"] == 3 and summary["documents_skipped"] == 0
    assert summary["claims_added"] >= 5 and summary["rejected"] == []

    res = run("--store", str(store), "report", "--format", "json")
    assert res.exit_code == 0
    report = json.loads(res.stdout)
    jsonschema.validate(report, json.loads((spec / "report.schema.json").read_text()))
    [cluster] = [c for c in report["clusters"] if "forty thousand" in c["members"][0]["text"]]
    assert cluster["origin"]["doc_id"] == "a"
    assert cluster["origin"]["basis"] == "earliest-published"
    relations = {m["doc_id"]: m["relation"] for m in cluster["members"]}
    assert relations == {"a": "origin", "b": "verbatim", "c": "verbatim"}
    # undated c comes after dated b
    assert [m["doc_id"] for m in cluster["members"]] == ["a", "b", "c"]
    edges = {(e["source_doc"], e["target_doc"]) for e in report["document_edges"]}
    # No edge says the undated c came after a: the data does not say so.
    assert edges == {("a", "b")}
    assert cluster["unordered"] == [{"claim_id": cluster["members"][2]["claim_id"], "doc_id": "c", "why": "undated"}]

    res = run("--store", str(store), "trace", ORIGIN.lower(), "--json")
    assert res.exit_code == 0
    result = json.loads(res.stdout)
    jsonschema.validate(result, json.loads((spec / "trace.schema.json").read_text()))
    assert result["matches"][0]["relation"] == "verbatim"
    assert result["origin"]["doc_id"] == "a"
    assert result["origin"]["basis"] == "earliest-published"


def test_reindexing_changes_nothing(tmp_path, corpus):
    store = tmp_path / "store"
    first = json.loads(index(store, str(corpus)).stdout)
    report1 = json.loads(run("--store", str(store), "report", "--format", "json").stdout)
    again = json.loads(index(store, str(corpus)).stdout)
    assert again["documents_added"] == 0 and again["claims_added"] == 0
    assert again["documents_skipped"] == first["documents_added"]
    report2 = json.loads(run("--store", str(store), "report", "--format", "json").stdout)
    report1.pop("generated_at"), report2.pop("generated_at")
    assert report1 == report2


def test_bad_lines_are_named_and_the_rest_indexed(tmp_path):
    data = tmp_path / "in.jsonl"
    data.write_text(
        json.dumps({"id": "ok1", "text": ORIGIN}) + "\n"
        + "{not json\n"
        + json.dumps({"id": "nt"}) + "\n"
        + json.dumps({"id": "ok2", "text": OTHER, "published": "2024-01-02"}) + "\n",
        encoding="utf-8",
    )
    res = index(tmp_path / "store", str(data))
    assert res.exit_code == 1
    summary = json.loads(res.stdout)
    assert summary["documents_added"] == 2
    lines = sorted(r["line"] for r in summary["rejected"])
    assert lines == [2, 3]
    assert f"{data}:2:" in res.stderr and f"{data}:3:" in res.stderr
    assert "Traceback" not in res.stderr


def test_stdin_jsonl(tmp_path):
    payload = (json.dumps({"text": ORIGIN, "source": "X"}) + "\n").encode()
    res = run("--store", str(tmp_path / "store"), "index", "--model", "hashing", "--json", "-", input=payload)
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["documents_added"] == 1


def test_same_id_with_other_text_is_rejected(tmp_path):
    folder = tmp_path / "d"
    write_md(folder, "one.md", ORIGIN, id="same")
    index(tmp_path / "store", str(folder))
    write_md(folder, "one.md", OTHER, id="same")
    res = index(tmp_path / "store", str(folder))
    assert res.exit_code == 1
    assert "already indexed with different text" in res.stderr


def test_missing_store_and_usage_errors(tmp_path):
    res = run("--store", str(tmp_path / "none"), "trace", "anything")
    assert res.exit_code != 0 and "no store at" in res.stderr
    res = run("--store", str(tmp_path / "none"), "report")
    assert res.exit_code != 0 and "no store at" in res.stderr
    assert run("--store", str(tmp_path / "none"), "trace").exit_code == 2
    assert run("report", "--format", "pdf").exit_code == 2
    assert run("index").exit_code == 2
    assert run("trace", "x", "--top", "0").exit_code == 2


def test_missing_path_is_a_rejection(tmp_path, corpus):
    res = index(tmp_path / "store", str(corpus), str(tmp_path / "nope.md"))
    assert res.exit_code == 1
    summary = json.loads(res.stdout)
    assert summary["documents_added"] == 3
    assert any("nope.md" in r["path"] for r in summary["rejected"])


def test_model_mismatch_exit_code(tmp_path, corpus):
    store = tmp_path / "store"
    index(store, str(corpus))
    res = run("--store", str(store), "index", "--model", "hashing-64", str(corpus))
    assert res.exit_code == 78
    assert "rebuild it with --model hashing-256" in res.stderr


def test_trace_batch_keeps_order_and_ids(tmp_path, corpus):
    store = tmp_path / "store"
    index(store, str(corpus))
    batch = tmp_path / "q.jsonl"
    batch.write_text(
        json.dumps({"id": "q1", "text": OTHER}) + "\n" + json.dumps({"id": 7, "text": ORIGIN}) + "\n", encoding="utf-8"
    )
    res = run("--store", str(store), "trace", "--batch", str(batch), "--json", "--top", "3")
    assert res.exit_code == 0, res.output
    results = [json.loads(line) for line in res.stdout.splitlines()]
    assert [r["id"] for r in results] == ["q1", 7]
    assert all(len(r["matches"]) <= 3 for r in results)
    assert results[1]["origin"]["doc_id"] == "a"
    plain = tmp_path / "q.txt"
    plain.write_text(f"{ORIGIN}\n\n{UNRELATED}\n", encoding="utf-8")
    res = run("--store", str(store), "trace", "--batch", str(plain), "--json")
    assert len(res.stdout.splitlines()) == 2


def test_every_report_format_renders(tmp_path, corpus):
    store = tmp_path / "store"
    index(store, str(corpus))
    for fmt in ("json", "md", "html", "csv", "text"):
        res = run("--store", str(store), "report", "--format", fmt)
        assert res.exit_code == 0, (fmt, res.output)
        assert "forty thousand" in res.stdout.lower() or fmt == "text"
    out = tmp_path / "r.html"
    assert run("--store", str(store), "report", "--output", str(out)).exit_code == 0
    assert out.read_text().lstrip().lower().startswith("<!doctype html")
    text = run("--store", str(store), "report").stdout
    assert "cluster" in text.lower()


def test_info_reports_model_and_counts(tmp_path, corpus):
    store = tmp_path / "store"
    index(store, str(corpus))
    data = json.loads(run("--store", str(store), "info", "--json").stdout)
    assert data["model"] == "hashing-256" and data["counts"]["documents"] == 3


def test_help_imports_nothing_heavy():
    code = "import sys, provenance.cli; sys.exit(any(m in sys.modules for m in ('torch', 'faiss', 'numpy', 'sentence_transformers')))"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
    # How fast --help answers is measured in the README, not asserted here.
    out = subprocess.run([sys.executable, "-m", "provenance", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "trace" in out.stdout

"""What a newcomer meets in the first hour (issue 15): each rough edge they hit, as a test."""

from __future__ import annotations

import json
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from provenance.cli import cli
from provenance.output.text import render_text
from provenance.output.trace_text import render_trace_text
from provenance.store import Store
from tests.conftest import write_md

SHARED = "The harbour authority confirmed that forty thousand litres of diesel leaked into the bay on Monday night."
OWN_A = "Residents of the eastern shore were told to keep their windows closed until further notice."
OWN_B = "The football club announced a new coach after a disappointing season in the regional league."


def run(*args: str, input: bytes | None = None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


@pytest.fixture
def two_docs(tmp_path: Path) -> Path:
    """Two documents from two outlets sharing one sentence: one match, one cluster."""
    folder = tmp_path / "docs"
    write_md(folder, "a.md", f"{SHARED} {OWN_A}", id="a", source="Ledger", published="2024-03-01", title="Diesel in the bay")
    write_md(folder, "b.md", f"{OWN_B} {SHARED}", id="b", source="Courier", published="2024-03-04")
    return folder


def index(store: Path, *paths, extra=()):
    return run("--store", str(store), "index", "--model", "hashing", *extra, *map(str, paths))


# --- --store after the command ------------------------------------------------------------------


def test_store_is_accepted_after_the_command_too(tmp_path, two_docs):
    store = tmp_path / "store"
    res = run("index", "--store", str(store), "--model", "hashing", "--json", str(two_docs))
    assert res.exit_code == 0, res.output
    assert Store.exists(store)
    res = run("trace", "--store", str(store), SHARED, "--json")
    assert res.exit_code == 0, res.output
    assert orjson.loads(res.stdout)["matches"][0]["doc_id"] in {"a", "b"}
    assert run("report", "--store", str(store), "--format", "json").exit_code == 0
    assert run("info", "--store", str(store)).exit_code == 0
    # The contract's place still works, and both places naming one store are fine.
    assert run("--store", str(store), "trace", "--store", str(store), SHARED).exit_code == 0


def test_store_given_twice_differently_is_a_usage_error(tmp_path, two_docs):
    res = run("--store", str(tmp_path / "one"), "trace", "--store", str(tmp_path / "two"), SHARED)
    assert res.exit_code == 2
    assert "--store given twice" in res.stderr


# --- trace usage errors ---------------------------------------------------------------------


@pytest.mark.parametrize("args", [[], [""], ["   "], ["?!…"]], ids=["nothing", "empty", "blank", "no-words"])
def test_trace_without_words_is_a_usage_error(tmp_path, two_docs, args):
    store = tmp_path / "store"
    index(store, two_docs)
    res = run("--store", str(store), "trace", *args)
    assert res.exit_code == 2
    assert "No match" not in res.output
    assert ("nothing to trace" in res.stderr) if not args else ("has no words" in res.stderr)
    assert "not both" not in res.stderr  # the old message blamed two arguments nobody gave


def test_trace_with_text_and_batch_says_not_both(tmp_path):
    batch = tmp_path / "q.txt"
    batch.write_text("one claim here\n")
    res = run("--store", str(tmp_path), "trace", "a claim", "--batch", str(batch))
    assert res.exit_code == 2 and "not both" in res.stderr


# --- report --output extensions ------------------------------------------------------------------


def test_report_to_an_unknown_extension_is_a_usage_error_naming_the_formats(tmp_path, two_docs):
    store = tmp_path / "store"
    index(store, two_docs)
    out = tmp_path / "report.pdf"
    res = run("--store", str(store), "report", "--output", str(out))
    assert res.exit_code == 2
    assert not out.exists()
    for hint in (".pdf", ".html (html)", ".json (json)", ".md (md)", "--format"):
        assert hint in res.stderr
    # An explicit --format still writes any file name, and no extension means text.
    assert run("--store", str(store), "report", "--format", "json", "--output", str(out)).exit_code == 0
    assert json.loads(out.read_text())["summary"]["documents"] == 2
    plain = tmp_path / "report"
    res = run("--store", str(store), "report", "--output", str(plain))
    assert res.exit_code == 0 and res.stdout == ""
    assert plain.read_text().startswith("Provenance report")
    assert f"wrote {plain} (text: 2 documents, 1 cluster across documents)" in res.stderr


# --- what index skips and what it creates --------------------------------------------------------


def test_a_folder_of_unsupported_files_names_each_and_creates_no_store(tmp_path, monkeypatch):
    import provenance.pipeline as pipeline

    def no_model(*a, **k):
        raise AssertionError("the model must not load when nothing can be indexed")

    monkeypatch.setattr(pipeline, "load_encoder", no_model)
    folder = tmp_path / "pdfs"
    folder.mkdir()
    (folder / "a.pdf").write_bytes(b"%PDF-1.4")
    store = tmp_path / "store"
    res = run("--store", str(store), "index", str(folder))
    assert res.exit_code == 1
    assert "skipped:" in res.stderr and "a.pdf" in res.stderr and "unsupported file type '.pdf'" in res.stderr
    assert "found no document to index" in res.stderr and "no store was created" in res.stderr
    assert not store.exists()
    res = run("--store", str(store), "index", "--json", str(folder))
    summary = orjson.loads(res.stdout)
    assert [Path(f["path"]).name for f in summary["files_skipped"]] == ["a.pdf"]
    assert res.exit_code == 1 and not store.exists()


def test_skipped_files_beside_documents_are_named_and_counted(tmp_path, two_docs):
    (two_docs / "notes.pdf").write_bytes(b"%PDF-1.4")
    (two_docs / ".cache").mkdir()
    res = index(tmp_path / "store", two_docs)
    assert res.exit_code == 0  # everything indexable was indexed
    assert "2 files skipped" in res.stdout
    assert "notes.pdf: unsupported file type" in res.stderr and ".cache: hidden" in res.stderr


def test_a_missing_input_loads_no_model_and_leaves_no_store(tmp_path, monkeypatch):
    import provenance.pipeline as pipeline

    monkeypatch.setattr(pipeline, "load_encoder", lambda *a, **k: pytest.fail("model loaded for a missing file"))
    store = tmp_path / "store"
    res = run("--store", str(store), "index", str(tmp_path / "nope.txt"))
    assert res.exit_code == 1
    assert "nope.txt: no such file or folder" in res.stderr
    assert not store.exists()


# --- one cluster count, plurals --------------------------------------------------------------------


def test_counts_are_one_and_plural_right(tmp_path, two_docs):
    store = tmp_path / "store"
    res = index(store, two_docs)
    assert res.exit_code == 0
    assert "1 new match;" in res.stdout and "1 cluster across documents" in res.stdout
    assert "matches," not in res.stdout and "1 clusters" not in res.stdout
    text = run("--store", str(store), "report").stdout
    assert "· 1 cluster ·" in text and "origin + 1 copy across 2 documents" in text
    info = run("--store", str(store), "info").stdout
    assert "1 match, 1 cluster across documents" in info


def test_index_says_what_reports_hide(tmp_path):
    folder = tmp_path / "docs"
    write_md(folder, "a.md", f"{SHARED} {OWN_A}", id="a", source="Ledger", published="2024-03-01")
    write_md(folder, "b.md", f"{OWN_B} {SHARED}", id="b", source="Ledger", published="2024-03-02")
    res = index(tmp_path / "store", folder, extra=("--json",))
    summary = orjson.loads(res.stdout)
    report = orjson.loads(run("--store", str(tmp_path / "store"), "report", "--format", "json").stdout)
    assert summary["clusters"] == report["summary"]["clusters"] == 0
    assert summary["clusters_hidden"]["same-outlet-cluster"] == 1
    text = index(tmp_path / "store", folder).stdout
    assert "0 clusters across documents (1 cluster hidden: 1 within one outlet; report --show-hidden shows them)" in text


# --- documents and info ------------------------------------------------------------------------------


def test_documents_lists_each_with_name_outlet_date_counts_and_location(tmp_path, two_docs):
    store = tmp_path / "store"
    index(store, two_docs)
    res = run("--store", str(store), "documents", "--json")
    assert res.exit_code == 0
    rows = {r["id"]: r for r in map(orjson.loads, res.stdout.splitlines())}
    assert rows["a"]["name"] == "Diesel in the bay" and rows["b"]["name"] == "b.md"  # no title: its file
    assert rows["a"]["outlet"] == "Ledger" and rows["a"]["published"] == "2024-03-01"
    assert rows["a"]["claims"] == 2 and rows["a"]["reused_claims"] == 1
    assert rows["b"]["location"].endswith("b.md")
    table = run("--store", str(store), "documents").stdout
    assert "Diesel in the bay" in table and "Courier" in table and "2 documents" in table


def test_documents_counts_claims_as_index_and_reports_do_not_the_quotes_inside_them(tmp_path):
    folder = tmp_path / "docs"
    write_md(folder, "q.md", f'The mayor said: "{OWN_A}" {OWN_B}', id="q", source="Ledger", published="2024-03-01")
    store = tmp_path / "store"
    summary = orjson.loads(index(store, folder, extra=("--json",)).stdout.splitlines()[-1])
    assert summary["quote_units_added"] == 1
    row = orjson.loads(run("--store", str(store), "documents", "--json").stdout.splitlines()[0])
    assert row["claims"] == summary["claims_added"] == 2


def test_info_names_what_the_documents_lack(tmp_path):
    folder = tmp_path / "docs"
    write_md(folder, "a.md", f"{SHARED} {OWN_A}", id="a", source="Ledger", published="2024-03-01", title="A")
    write_md(folder, "b.md", f"{OWN_B} {SHARED}", id="b")
    store = tmp_path / "store"
    index(store, folder)
    missing = orjson.loads(run("--store", str(store), "info", "--json").stdout)["missing"]
    assert missing[0].startswith("1 of 2 documents has no date (published): origins among them are ties")
    assert missing[1].startswith("1 of 2 documents has no outlet (source)") and "add 'source: NAME'" in missing[1]
    text = " ".join(run("--store", str(store), "info").stdout.split())  # wrapped at 100 columns
    assert f"missing: {missing[0]}" in text and missing[1] in text


# --- the text renderers ------------------------------------------------------------------------------


def test_related_claims_are_listed_in_the_order_of_the_similarity_shown():
    def match(claim_id, sim, score):
        return {"claim_id": claim_id, "doc_id": f"d{claim_id}", "source": "S", "published": None,
                "text": f"claim {claim_id}", "similarity": sim, "score": score, "relation": "related"}

    # Picked by fused score (lexical hits lift a claim), shown with its cosine similarity.
    result = {"query": "q", "matches": [match(1, 0.41, 0.60), match(2, 0.58, 0.55), match(3, 0.47, 0.50)], "origin": None}
    lines = [line.split() for line in render_trace_text(result).splitlines()]
    shown = [float(words[2]) for words in lines if len(words) > 2 and words[0].endswith(".") and words[1] == "related"]
    assert shown == [0.58, 0.47, 0.41]


def test_wrapped_report_lines_keep_their_indentation():
    origin = {"claim_id": 1, "doc_id": "a", "source": "A very long outlet name for wrapping purposes", "published": "2024-01-01",
              "text": "word " * 40, "relation": "origin"}
    copy = {**origin, "claim_id": 2, "doc_id": "b", "relation": "near-verbatim", "differences": [{"kind": "figure", "origin": "1", "member": "2"}]}
    report = {"summary": {}, "documents": [], "clusters": [{"id": 1, "documents": 2, "size": 2, "members": [origin, copy],
                                                            "chain": [{"credit": "none"}] * 3}]}
    lines = render_text(report, width=60).splitlines()
    start = lines.index("Top clusters") + 1
    block = lines[start:]
    assert block[0].startswith("#1  ")
    # Every line after a cluster's head belongs to it, so it is indented: nothing wraps to column 0.
    assert all(line.startswith("    ") for line in block[1:] if line), block
    assert any(len(line) > 50 for line in block) and all(len(line) <= 60 for line in block)

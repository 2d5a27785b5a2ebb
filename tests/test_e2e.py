"""End to end with the real model: the seeds and the bundled sample corpus, through the
installed entry point in a subprocess and through the library."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from provenance.records import RELATIONS
from provenance.store import Store
from tests.conftest import SAMPLES

pytestmark = pytest.mark.model

EXPECTED = json.loads((SAMPLES / "expected.json").read_text(encoding="utf-8"))
CLI = [str(Path(sys.executable).with_name("provenance"))]


def cli(*args: str, store: Path, input: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    return subprocess.run(
        CLI + ["--store", str(store), *args], capture_output=True, text=True, input=input, env=env, timeout=600
    )


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory) -> Path:
    store = tmp_path_factory.mktemp("samples") / "store"
    res = cli("index", str(SAMPLES / "corpus"), "--json", store=store)
    assert res.returncode == 0, res.stderr
    assert "Traceback" not in res.stderr
    return store


@pytest.fixture(scope="module")
def sample_report(sample_store) -> dict:
    res = cli("report", "--format", "json", store=sample_store)
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout)


def _cluster_of(report: dict, ref: dict) -> int | None:
    for cluster in report["clusters"]:
        for m in cluster["members"]:
            if m["doc_id"] == ref["doc"] and ref["contains"] in m["text"]:
                return cluster["id"]
    return None


def test_sample_report_validates(sample_report, spec):
    import jsonschema

    jsonschema.validate(sample_report, json.loads((spec / "report.schema.json").read_text()))
    assert sample_report["summary"]["documents"] == len(list((SAMPLES / "corpus").glob("*.md")))


@pytest.mark.parametrize("pair", EXPECTED["same_claim"], ids=lambda p: f"{p['b']['doc']}:{p['relation']}")
def test_reused_claims_share_a_cluster(sample_report, pair):
    a, b = _cluster_of(sample_report, pair["a"]), _cluster_of(sample_report, pair["b"])
    assert a is not None and a == b, pair["note"]


@pytest.mark.parametrize("pair", EXPECTED["different_claim"], ids=lambda p: p["b"]["contains"][:30])
def test_look_alikes_stay_apart(sample_report, pair):
    a, b = _cluster_of(sample_report, pair["a"]), _cluster_of(sample_report, pair["b"])
    assert a is None or b is None or a != b, pair["note"]


def test_verbatim_copies_are_labelled_verbatim(sample_report):
    for pair in EXPECTED["same_claim"]:
        if pair["relation"] != "verbatim":
            continue
        cid = _cluster_of(sample_report, pair["a"])
        cluster = next(c for c in sample_report["clusters"] if c["id"] == cid)
        origin_doc = cluster["origin"]["doc_id"]
        for ref in (pair["a"], pair["b"]):
            if ref["doc"] == origin_doc:
                continue
            member = next(m for m in cluster["members"] if m["doc_id"] == ref["doc"])
            assert member["relation"] == "verbatim", (ref, member)


def test_origins_are_the_earliest_dated_witness(sample_report):
    for item in EXPECTED["origins"]:
        cid = _cluster_of(sample_report, item["claim"])
        cluster = next(c for c in sample_report["clusters"] if c["id"] == cid)
        assert cluster["origin"]["doc_id"] == item["origin_doc"], item["note"]
        assert cluster["origin"]["basis"] == "earliest-published"
    undated = EXPECTED["undated_doc"]
    for cluster in sample_report["clusters"]:
        if any(m["published"] for m in cluster["members"]):
            assert cluster["origin"]["doc_id"] != undated


def test_repeats_inside_one_document_make_no_cluster(sample_report):
    for item in EXPECTED["within_doc_repeats"]:
        for cluster in sample_report["clusters"]:
            docs = [m["doc_id"] for m in cluster["members"]]
            assert len(docs) == len(set(docs))
            texts = [m for m in cluster["members"] if item["contains"] in m["text"]]
            assert len({m["doc_id"] for m in cluster["members"]}) >= 2
            assert len(texts) <= 1 or len({m["doc_id"] for m in texts}) == len(texts)


def test_offsets_point_into_the_stored_text(sample_store, sample_report):
    with Store.open(sample_store) as store:
        texts = {d.id: d.text for d in store.documents()}
    for cluster in sample_report["clusters"]:
        for m in cluster["members"]:
            assert texts[m["doc_id"]][m["start"] : m["end"]] == m["text"]


def test_trace_finds_a_verbatim_copy_and_its_origin(sample_store, spec):
    import jsonschema

    pair = next(p for p in EXPECTED["same_claim"] if p["relation"] == "verbatim")
    res = cli("trace", pair["b"]["sentence"], "--json", store=sample_store)
    assert res.returncode == 0, res.stderr
    result = json.loads(res.stdout)
    jsonschema.validate(result, json.loads((spec / "trace.schema.json").read_text()))
    assert result["matches"][0]["relation"] == "verbatim"
    assert result["origin"]["doc_id"] == EXPECTED["earliest_doc"]
    # the readable form says the same
    text = cli("trace", pair["b"]["sentence"], store=sample_store).stdout
    assert EXPECTED["earliest_doc"] in text


@pytest.mark.parametrize("query, primary", [
    # scripts/demo's reworded claim: no sentence of the corpus says it in these words.
    ("Tests of the soil by the company next to the tank found iron almost 30 times above the state limit on February 21.", None),
    ("In 2022 workers asked their managers to have the tank relined, according to a former shift supervisor.", "former shift supervisor"),
])
def test_a_reworded_claim_is_a_paraphrase_traced_to_its_origin_and_primary_source(sample_store, spec, query, primary):
    import jsonschema

    res = cli("trace", query, "--json", store=sample_store)
    assert res.returncode == 0, res.stderr
    result = json.loads(res.stdout)
    jsonschema.validate(result, json.loads((spec / "trace.schema.json").read_text()))
    assert result["matches"][0]["relation"] == "paraphrase"
    assert result["origin"]["doc_id"] == "ledger-tank12"
    if primary:
        assert result["primary_source"]["name"] == primary


def test_trace_of_unrelated_text_has_no_origin(sample_store):
    res = cli("trace", "The orchestra will perform three symphonies by Sibelius next winter.", "--json", store=sample_store)
    result = json.loads(res.stdout)
    assert result["origin"] is None
    assert all(m["relation"] == "related" for m in result["matches"])


def test_seeds_end_to_end(tmp_path, seeds, spec):
    import jsonschema

    store = tmp_path / "seeds"
    res = cli("index", str(seeds), "--json", store=store)
    assert res.returncode == 0, res.stderr
    summary = json.loads(res.stdout)
    assert summary["documents_added"] == 5 and summary["rejected"] == []
    # re-indexing changes nothing and embeds nothing
    again = json.loads(cli("index", str(seeds), "--json", store=store).stdout)
    assert again["documents_added"] == 0 and again["texts_embedded"] == 0 and again["documents_skipped"] == 5
    report = json.loads(cli("report", "--format", "json", store=store).stdout)
    jsonschema.validate(report, json.loads((spec / "report.schema.json").read_text()))
    with Store.open(store) as s:
        texts = {d.id: d.text for d in s.documents()}
        claims = s.db.execute("SELECT c.start, c.end, c.text, d.id FROM claims c JOIN documents d ON d.num=c.doc_num").fetchall()
    for start, end, text, doc_id in claims:
        assert texts[doc_id][start:end] == text
    # a sentence of the Tipsheet article (seed 000) traced back to it, verbatim
    query = "Mexican cartels have partnered with the Iranian Revolutionary Guard Corps to exploit the U.S. southern border."
    result = json.loads(cli("trace", query, "--json", store=store).stdout)
    # The query is cut from a longer sentence that names Waltz: an excerpt of it, or the same claim.
    assert result["matches"][0]["relation"] in RELATIONS
    assert "Waltz" in result["matches"][0]["text"] or "cartels" in result["matches"][0]["text"]
    assert result["origin"] is not None


def test_demo_script_runs(tmp_path):
    """scripts/demo from a copy of the repository (its .venv reused), as a user runs it."""
    repo = Path(__file__).resolve().parents[1]
    stamp = repo / ".venv" / ".provenance-setup"
    want = hashlib.sha256((repo / "pyproject.toml").read_bytes() + (repo / "scripts" / "setup").read_bytes()).hexdigest()
    if not stamp.exists() or stamp.read_text().strip() != want:
        # A stale .venv would make the copy's scripts/setup reinstall the package, editable,
        # from the temporary copy: the shared .venv would then point at a folder that vanishes.
        pytest.skip("needs the current .venv that scripts/setup creates (run scripts/setup first)")
    copy = tmp_path / "repo"
    shutil.copytree(repo, copy, ignore=shutil.ignore_patterns(".venv", "indexes", ".git", "__pycache__", ".pytest_cache"))
    (copy / "indexes").mkdir()
    os.symlink(repo / ".venv", copy / ".venv")
    res = subprocess.run(["bash", "scripts/demo"], cwd=copy, capture_output=True, text=True, timeout=900)
    assert res.returncode == 0, res.stderr[-2000:]
    for fmt in ("json", "md", "html", "csv"):
        assert (copy / "indexes" / "demo" / f"report.{fmt}").stat().st_size > 0
    assert "Origin" in res.stdout or "origin" in res.stdout

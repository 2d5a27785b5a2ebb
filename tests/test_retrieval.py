"""Lexical retrieval (FTS5), its fusion with dense search in trace, and a smoke run of
scripts/evaluate.py on tiny subsets of the public benchmarks."""

from __future__ import annotations

import importlib.util
import json
import sqlite3
import sys

import pytest

from provenance.embed import load_embedder
from provenance.lexical import MAX_QUERY_TERMS, fts_query, fused_score
from provenance.pipeline import index_paths
from provenance.store import schema as store_schema
from provenance.store import SCHEMA_VERSION, Store
from provenance.trace import Query, trace

from .conftest import REPO, SHARED, need_shared


def _index(tmp_path, docs, model="hashing"):
    path = tmp_path / "docs.jsonl"
    path.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    store_path = tmp_path / "store"
    index_paths(store_path, [str(path)], model=model)
    return store_path


DOCS = [
    {"id": "fries", "title": "McDonald's fries offer", "text": "McDonald's restaurants are offering one dollar fries of any size this month."},
    {"id": "snake", "title": "Giant anaconda video", "text": "A viral video shows a ten meter long anaconda in a river in Brazil."},
    {"id": "vaccine", "title": "Vaccine microchips", "text": "The vaccines contain microchips that track people who get them."},
    {"id": "moon", "title": "Moon landing", "text": "The 1969 moon landing was staged in a film studio."},
]


# ------------------------------------------------------------------ fts_query


def test_fts_query_quotes_every_word():
    assert fts_query("Vaccines contain microchips") == '"vaccines" OR "contain" OR "microchips"'


@pytest.mark.parametrize(
    "text",
    [
        'title:moon AND NOT "landing" OR NEAR(a b, 3) *star ^first (x) {norm title}: -y +z',
        '"unbalanced quote',
        "col:umn' ; DROP TABLE claims; --",
        "emoji 🚀 and ünïcödé",
        "under_score_words",
    ],
)
def test_fts_query_is_never_fts_syntax(text):
    expr = fts_query(text)
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(norm, title, tokenize = 'porter unicode61 remove_diacritics 2')")
    db.execute("INSERT INTO t (norm, title) VALUES ('moon landing staged', 'and not near title')")
    # Any syntax error or column filter would raise here; quoted words never do.
    db.execute("SELECT rowid FROM t WHERE t MATCH ?", (expr,)).fetchall()
    for term in expr.split(" OR "):
        assert term.startswith('"') and term.endswith('"')


def test_fts_query_leaves_links_out():
    q = fts_query("Starlink is active in Ukraine https://t.co/AbC123 pic.twitter.com/lnKicfpXQD www.example.org/x")
    assert q == '"starlink" OR "active" OR "ukraine"'


def test_fts_query_drops_stopwords_and_caps_length():
    assert fts_query("the and of") == ""
    assert fts_query("") == ""
    many = " ".join(f"word{i}" for i in range(500))
    assert len(fts_query(many).split(" OR ")) == MAX_QUERY_TERMS


def test_fused_score():
    assert fused_score(0.5, 0.0, 10.0, 0.3) == 0.5
    assert fused_score(0.5, 10.0, 10.0, 0.3) == pytest.approx(0.8)
    assert fused_score(0.5, 5.0, 10.0, 0.3) == pytest.approx(0.65)
    assert fused_score(0.5, 5.0, 0.0, 0.3) == 0.5
    # More lexical evidence never lowers the score.
    assert fused_score(0.4, 9.0, 10.0) > fused_score(0.4, 3.0, 10.0)


# ------------------------------------------------------------------ store


def test_lexical_search_finds_words_and_titles(tmp_path):
    store_path = _index(tmp_path, DOCS)
    with Store.open(store_path) as store:
        hits = store.lexical_search("is that anaconda real?", 5)
        assert hits and store.claims([hits[0][0]])[hits[0][0]].doc_id == "snake"
        assert all(score > 0 for _, score in hits)
        # The title is searched too: "staged" is in the text, "landing" in both.
        title_only = store.lexical_search("microchips", 5)
        assert [store.claims([c])[c].doc_id for c, _ in title_only] == ["vaccine"]
        assert store.lexical_search('NEAR("moon" landing) title:x', 5)
        assert store.lexical_search("", 5) == []


def test_stores_from_before_fts_get_their_claims_indexed(tmp_path):
    store_path = _index(tmp_path, DOCS)
    db = sqlite3.connect(store_path / "store.sqlite")
    db.execute("DROP TABLE claims_fts")
    # The schema version just before the FTS migration.
    db.execute(f"PRAGMA user_version = {store_schema.MIGRATIONS.index(store_schema.m003_fts):d}")
    db.commit()
    db.close()
    with Store.open(store_path) as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        hits = store.lexical_search("anaconda", 3)
        assert [store.claims([c])[c].doc_id for c, _ in hits] == ["snake"]


# ------------------------------------------------------------------ trace fusion


def test_trace_reports_fused_score_and_lexical_only_candidates(tmp_path):
    store_path = _index(tmp_path, DOCS)
    embedder = load_embedder("hashing")
    with Store.open(store_path) as store:
        (res,) = trace(store, embedder, [Query("Was the 1969 moon landing staged?")], top=4)
        assert res["matches"][0]["doc_id"] == "moon"
        top = res["matches"][0]
        assert top["score"] >= top["similarity"]
        (dense,) = trace(store, embedder, [Query("Was the 1969 moon landing staged?")], top=4, lexical_weight=0.0)
        assert all(m["score"] == m["similarity"] for m in dense["matches"])


def test_trace_lexical_evidence_reorders_candidates(tmp_path):
    # Two claims equally far from the query in meaning for the hashing model; only one shares
    # the query's rare word, and fusion must rank it first.
    docs = [
        {"id": "a", "text": "Officials said the bridge in Quarlton was closed for repairs."},
        {"id": "b", "text": "Officials said the bridge in the city was closed for repairs."},
    ]
    store_path = _index(tmp_path, docs)
    embedder = load_embedder("hashing")
    with Store.open(store_path) as store:
        (res,) = trace(store, embedder, [Query("Quarlton bridge shut")], top=2)
        assert res["matches"][0]["doc_id"] == "a"
        scores = [m["score"] for m in res["matches"]]
        assert scores == sorted(scores, reverse=True)


# ------------------------------------------------------------------ evaluate.py smoke run


def _load_evaluate():
    name = "provenance_scripts_evaluate"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / "evaluate.py")
    module = importlib.util.module_from_spec(spec)
    # dataclasses look their module up in sys.modules.
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_average_precision_at_5():
    ev = _load_evaluate()
    assert ev.average_precision_at(["x", "a"], {"a"}) == 0.5
    assert ev.average_precision_at(["a", "b"], {"a", "b"}) == 1.0
    assert ev.average_precision_at(["x", "y", "z", "w", "v", "a"], {"a"}) == 0.0
    assert ev.average_precision_at([], {"a"}) == 0.0
    assert ev.ranked_documents({"matches": [{"doc_id": "a"}, {"doc_id": "a"}, {"doc_id": "b"}]}) == ["a", "b"]


def test_evaluate_smoke_on_tiny_subsets(tmp_path):
    bench = need_shared(SHARED / "benchmarks")
    ev = _load_evaluate()
    results = ev.run(bench, ev.BENCHMARKS, model="hashing", out=tmp_path / "eval", limit=12)
    mrpc = results["mrpc"]
    assert mrpc["test"]["n"] == 12 and 0.0 <= mrpc["test"]["accuracy"] <= 1.0
    ct = results["checkthat"]
    assert ct["test"]["queries"] == 12
    # Even the hashing toy finds most tweets' claims among ~130 when words are shared.
    assert ct["test"]["map@5"] > 0.3
    levels = results["clough"]["levels"]
    assert sum(v["answers"] for v in levels.values()) == 12
    for v in levels.values():
        assert v["own_source_only"] + v["wrong_source"] + v["unlinked"] == v["answers"]
    assert "MAP@5" in ev.format_table(results)


@pytest.mark.model
def test_evaluate_smoke_real_model(tmp_path):
    bench = need_shared(SHARED / "benchmarks")
    ev = _load_evaluate()
    results = ev.run(bench, ("checkthat", "clough"), model=None, out=tmp_path / "eval", limit=20)
    assert results["checkthat"]["test"]["map@5"] > 0.6
    cut = results["clough"]["levels"].get("cut")
    if cut:
        assert cut["wrong_source"] == 0

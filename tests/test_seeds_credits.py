"""Issue 14 on the seeds with the real model: the five articles share no sentence, yet every
report shows who each one credits, and each credited source is named when any wording of its
claim that matches is traced (the sentence, an excerpt, a light rewording)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from provenance.embed import load_embedder
from provenance.output import render_report
from provenance.pipeline import index_paths
from provenance.report import build_report
from provenance.store import Store
from provenance.trace import Query, trace
from tests.conftest import SEEDS, need_shared

pytestmark = pytest.mark.model

SOURCES = ["POLITICO", "Michael Waltz", "US State Department", "Clarion Project", "Justice Department", "Iran International",
           "The Jerusalem Post", "Christopher Wray"]


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory) -> Path:
    need_shared(SEEDS)
    path = tmp_path_factory.mktemp("seeds14") / "store"
    assert not index_paths(path, [str(SEEDS)]).rejected
    return path


@pytest.fixture(scope="module")
def seed_report(seed_store) -> dict:
    with Store.open(seed_store) as store:
        return build_report(store)


def _credited(doc: dict) -> set[str]:
    return {x for c in doc["credits"] for s in c["sources"] for x in (s["name"], s.get("via")) if x}


def test_the_seeds_report_shows_every_documents_credits(seed_report):
    docs = seed_report["documents"]
    assert len(docs) == 5 and seed_report["clusters"] == []
    assert all(d["name"] and not d["name"].startswith("doc-") and d["path"].endswith(".txt") for d in docs)
    assert {d["name"] for d in docs} >= {"Iranian Backed Terror Groups Work With Mexican Cartels"}
    credited = set().union(*(_credited(d) for d in docs))
    assert set(SOURCES) <= credited, set(SOURCES) - credited
    text = render_report(seed_report, "text")
    md = render_report(seed_report, "md")
    page = render_report({**seed_report, "documents": [{**d, "text": ""} for d in docs]}, "html")
    rows = list(csv.DictReader(io.StringIO(render_report(seed_report, "csv"))))
    for name in ("POLITICO", "Michael Waltz", "Clarion Project", "Iran International"):
        assert name in text and name in md and name in page, name
    assert set(SOURCES) - {"Iran International"} <= {r["credited_source"] for r in rows if r["row"] == "credit"}
    assert '"credited":[["' in page and "(no outlet)" not in text


def _seed_sentence(prefix: str, contains: str) -> str:
    text = next(SEEDS.glob(prefix + "_*.txt")).read_text(encoding="utf-8")
    return next(ln for ln in text.splitlines() if contains in ln).strip()


@pytest.mark.parametrize(
    "query, name",
    [
        # excerpts: the sentence cut, nothing added
        ("Mexican cartels have partnered with the Iranian Revolutionary Guard Corps to exploit the U.S. southern border.", "Michael Waltz"),
        ("The campaign, dubbed Project Cassandra, was launched in 2008 after the Drug Enforcement Administration amassed evidence "
         "that Hezbollah had transformed itself from a Middle East-focused military and political organization into an "
         "international crime syndicate.", "POLITICO"),
        ("Both ISIS and Hezbollah have been working on formulating operative cells in many countries such as Mexico and "
         "Trinidad and Tobago.", "US State Department"),
        ("Iran funds the communities in the Diaspora to work with Mexican drug cartels to move recruits into America.", "Clarion Project"),
        ("Taijideen's case falls under DEA's Project Cassandra, which targets Hezbollah's global criminal support network.", "Justice Department"),
        # light rewordings
        ("According to a US State Department report from July, ISIS and Hezbollah have been working on forming operative "
         "cells in many countries such as Mexico and Trinidad and Tobago.", "US State Department"),
        ("There are longstanding money-laundering and trafficking ecosystems that link Latin American cartels, Iranian "
         "state-aligned networks and global criminal finance.", "Sam Cooper"),
    ],
)
def test_each_source_is_named_when_its_claim_is_traced(seed_store, query, name):
    with Store.open(seed_store) as store:
        result = trace(store, load_embedder(None), [Query(query)])[0]
    assert result["matches"] and result["matches"][0]["relation"] != "related", result["matches"][:1]
    ps = result["primary_source"]
    assert ps is not None and ps["name"] == name, ps
    if name == "Sam Cooper":
        assert ps["via"] == "Iran International"

"""Primary sources, witness chains, mutations and passages with the real model, on the seeds
and on the bundled sample corpus (expected.json)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from provenance.embed import load_embedder
from provenance.pipeline import index_paths
from provenance.output import render_report
from provenance.output.trace_text import render_trace_text
from provenance.report import build_report
from provenance.store import Store
from provenance.trace import Query, trace
from tests.conftest import SAMPLES, SEEDS, need_shared

pytestmark = pytest.mark.model

EXPECTED = json.loads((SAMPLES / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def embedder():
    return load_embedder(None)


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory) -> Path:
    need_shared(SEEDS)
    path = tmp_path_factory.mktemp("seeds") / "store"
    summary = index_paths(path, [str(SEEDS)])
    assert not summary.rejected
    return path


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("samples") / "store"
    summary = index_paths(path, [str(SAMPLES / "corpus")])
    assert not summary.rejected
    return path


@pytest.fixture(scope="module")
def sample_report(sample_store) -> dict:
    with Store.open(sample_store) as store:
        return build_report(store)


def _trace(path: Path, embedder, text: str) -> dict:
    with Store.open(path) as store:
        return trace(store, embedder, [Query(text)])[0]


def _seed_sentence(prefix: str, contains: str) -> str:
    text = next(SEEDS.glob(prefix + "_*.txt")).read_text(encoding="utf-8")
    line = next(ln for ln in text.splitlines() if contains in ln)
    return line.strip()


# ----------------------------------------------------------------------------- seeds

@pytest.mark.parametrize(
    "prefix, contains, name, extra",
    [
        ("000", "The campaign, dubbed Project Cassandra", "POLITICO", {"kind": "outlet", "document": "investigation"}),
        ("000", "Mexican cartels have partnered with the Iranian", "Michael Waltz", {"kind": "person"}),
        ("001", "According to a US State Department report from July", "US State Department", {"document": "report"}),
        ("002", "Ayman Juma, a Lebanese citizen", "Clarion Project", {"document": "report"}),
        ("002", "Taijideen’s case falls under", "Justice Department", {"document": "news release"}),
        ("003", "There are longstanding money-laundering", "Sam Cooper", {"kind": "person", "via": "Iran International"}),
        ("003", "Hezbollah had developed relationships", "Walid Phares", {"kind": "person", "via": "Iran International"}),
    ],
)
def test_seed_primary_sources(seed_store, embedder, prefix, contains, name, extra):
    result = _trace(seed_store, embedder, _seed_sentence(prefix, contains))
    assert result["matches"][0]["relation"] == "verbatim"
    ps = result["primary_source"]
    assert ps is not None and ps["name"] == name
    for key, value in extra.items():
        assert ps[key] == value


def test_a_shortened_excerpt_still_finds_its_sentence_and_source(seed_store, embedder):
    # The query drops half of the seed's sentence and changes a word or two: the same-claim
    # model (fit on MRPC, where "adds information" means "not a paraphrase") says no, the
    # excerpt rule (its words in order, one in ten may differ) says `excerpt`, and the answer
    # carries the sentence's credit.
    query = (
        "The campaign, dubbed Project Cassandra, was launched in 2008 after the Drug Enforcement "
        "Administration amassed evidence that Hezbollah had become an international crime syndicate."
    )
    result = _trace(seed_store, embedder, query)
    top = result["matches"][0]
    assert top["relation"] == "excerpt" and "Middle East-focused" in top["text"]
    assert result["primary_source"]["name"] == "POLITICO"


def test_seed_004_footnoted_sources_with_urls(seed_store, embedder):
    result = _trace(seed_store, embedder, "In July 2024, three Palestinians and a Turk, all with possible connections to terrorist organizations, were detained by U.S. Customs and Border Protection (CBP) agents while attempting to illegally cross the Southwest border from Mexico into the San Diego area.")
    ps = result["primary_source"]
    assert ps["name"] == "The Jerusalem Post" and ps["url"] == "https://www.jpost.com/international/article-812321"
    assert ps["marker"] == "1"
    wray = _trace(seed_store, embedder, _seed_sentence("004", "In December 2023, FBI Director Christopher Wray"))
    assert wray["primary_source"]["name"] == "Christopher Wray"
    text = render_trace_text(result)
    assert "Primary source: The Jerusalem Post <https://www.jpost.com/international/article-812321>" in text


def test_seed_report_validates_with_lineage(seed_store, spec):
    import jsonschema

    with Store.open(seed_store) as store:
        rep = build_report(store)
    jsonschema.validate(rep, json.loads((spec / "report.schema.json").read_text()))
    for cl in rep["clusters"]:
        # Every member but the origin is either linked or listed as not ordered.
        assert len(cl["chain"]) + len(cl.get("unordered", [])) == len(cl["members"]) - 1


# ----------------------------------------------------------------------------- samples

def _cluster_of(report: dict, ref: dict) -> dict | None:
    for cl in report["clusters"]:
        if any(m["doc_id"] == ref["doc"] and ref["contains"] in m["text"] for m in cl["members"]):
            return cl
    return None


def test_chain_links_say_who_credits_whom(sample_report):
    checked = 0
    for pair in EXPECTED["same_claim"]:
        cl = _cluster_of(sample_report, pair["a"])
        assert cl is not None
        a_member = next(m for m in cl["members"] if m["doc_id"] == pair["a"]["doc"])
        link = next((x for x in cl["chain"] if x["to_doc"] == pair["b"]["doc"]), None)
        if link is None:
            # The undated repost: the same words, but no date or credit says it came later, so
            # no copying is drawn to it (and it is never called uncredited copying).
            assert pair["b"]["doc"] == EXPECTED["undated_doc"] and not pair["credited"]
            assert {"doc_id": pair["b"]["doc"], "why": "undated"}.items() <= next(
                u for u in cl["unordered"] if u["doc_id"] == pair["b"]["doc"]).items()
            checked += 1
            continue
        if link["from_doc"] != pair["a"]["doc"]:
            continue
        assert (link["credit"] == "earlier") == pair["credited"], (pair, link)
        assert link["from_claim"] == a_member["claim_id"]
        assert link["words"]["kept"] > 0
        checked += 1
    assert checked >= len(EXPECTED["same_claim"]) - 2


def test_changed_figures_are_differences(sample_report):
    for change in EXPECTED["figure_changes"]:
        cl = _cluster_of(sample_report, change["a"])
        member = next(m for m in cl["members"] if m["doc_id"] == change["b"]["doc"])
        figure = next(d for d in member["differences"] if d["kind"] == "figure")
        assert change["from"] in figure["origin"] and change["to"].split()[0] in figure["member"]
    # Faithful copies carry none.
    s1 = _cluster_of(sample_report, EXPECTED["figure_changes"][0]["a"])
    assert next(m for m in s1["members"] if m["doc_id"] == "tidewater-fines")["differences"] == []


def test_look_alikes_are_not_members(sample_report):
    for pair in EXPECTED["different_claim"]:
        for cl in sample_report["clusters"]:
            docs = {(m["doc_id"], pair["a"]["contains"] in m["text"] or pair["b"]["contains"] in m["text"]) for m in cl["members"]}
            assert not ((pair["a"]["doc"], True) in docs and (pair["b"]["doc"], True) in docs)


def test_primary_sources_of_sample_clusters(sample_report):
    s1 = _cluster_of(sample_report, EXPECTED["figure_changes"][0]["a"])
    assert s1["primary_source"]["doc_id"] == "ledger-tank12"
    assert s1["primary_source"]["url"] == "https://harborledger.test/news/2025/03/03/venholt-tank-12-leak"
    assert set(s1["primary_source"]["credited_by"]) == {"tidewater-fines", "buzz-huge-spill"}
    quote = _cluster_of(sample_report, {"doc": "cwa-order", "contains": "We expect every operator"})
    assert quote["primary_source"]["name"] == "Marisol Quenby" and quote["primary_source"]["kind"] == "person"
    records = _cluster_of(sample_report, {"doc": "neighbours-repost", "contains": "outlet valve was not closed"})
    assert records["primary_source"]["name"] == "shift records" and records["primary_source"]["kind"] == "document"
    # Nobody credits anyone for the notification delay.
    assert _cluster_of(sample_report, {"doc": "neighbours-repost", "contains": "did not notify"})["primary_source"] is None


def test_reposted_paragraph_is_one_passage(sample_store, sample_report):
    want = EXPECTED["passage_reuse"][0]
    found = [p for p in sample_report["passages"] if p["source_doc"] == want["from_doc"] and p["target_doc"] == want["to_doc"]]
    assert len(found) == 1
    p = found[0]
    assert p["claims"] == len(want["sentences"]) and p["relation"] == want["relation"] and p["credited"] == want["credited"]
    with Store.open(sample_store) as store:
        texts = {d.id: d.text for d in store.documents()}
    src = texts[want["from_doc"]][p["source_start"]:p["source_end"]]
    dst = texts[want["to_doc"]][p["target_start"]:p["target_end"]]
    assert src == dst and all(s in dst for s in want["sentences"])


def test_markdown_and_text_carry_lineage(sample_report):
    md = render_report(sample_report, "md")
    assert "**Primary source:** The Harbor Ledger" in md
    assert "**Witness chain**" in md and "## Passages" in md
    assert "figure: About 40,000 gallons → More than 400,000 gallons" in md
    assert "credits The Harbor Ledger" in md and "uncredited" in md
    text = render_report(sample_report, "text")
    assert "source: The Harbor Ledger" in text and "chain: 4 links" in text and "Passages" in text


def test_trace_of_a_mutated_claim(sample_store, embedder):
    result = _trace(sample_store, embedder, "More than 400,000 gallons of ferric chloride leaked from a corroded storage tank at the Venholt Chemical terminal in Kestlow Harbor over a nine-day period in February.")
    assert result["origin"]["doc_id"] == "ledger-tank12"
    assert result["origin"]["differences"][0]["kind"] == "figure"
    assert result["matches"][0]["doc_id"] == "buzz-huge-spill" and result["matches"][0]["differences"]
    assert result["primary_source"]["name"] == "The Harbor Ledger"

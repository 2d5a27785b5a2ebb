"""Issue 13, text side: quotes as claims of their own, web debris cut at segmentation, reuse
never hidden for being common, overlapping claims counted once, the embedding form recorded
(hashing embedder; the real-model checks are in tests/test_quote_units_model.py)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from provenance.cli import cli
from provenance.documents import read_inputs
from provenance.errors import EXIT_MODEL_MISMATCH
from provenance.segment import quote_units, split_claims
from provenance.store import Store
from provenance.textnorm import embedding_text, verbatim_key
from tests.conftest import write_md
from tests.test_lineage import index, report, run

PROVENANCE_SET = Path(__file__).resolve().parent / "data" / "provenance-set"

QUOTE = "The opinion of this so-called judge, which takes law enforcement away from our country, is ridiculous and will be overturned!"
FRAMED = f'"{QUOTE}" Trump tweeted on Saturday morning, hours after the federal judge in Seattle halted the travel ban nationwide.'
FILLER = "The weather in the capital stayed mild for most of the week, with light rain on Thursday evening."


def stored_claims(store: Path) -> dict:
    with Store.open(store) as st:
        return st.claims(range(1, st.max_claim_id() + 1))


# ------------------------------------------------------------------------------------ embedding


def test_embedding_form_drops_typography_only():
    said = "It is a failure of basic controls, and it cost the city real money."
    for variant in (f'"{said}"', f"\u201c{said}\u201d", f"{said[:-1]},", said[:-1], f'"{said[:-1]}!"'):
        assert embedding_text(variant) == embedding_text(said), variant
    # Apostrophes, inner punctuation and questions are kept; form 1 is the old normalised text.
    assert embedding_text("Don't say 'never' to the Jones' dog?") == "Don't say never to the Jones' dog?"
    assert embedding_text(f'"{said}"', 1) == f'"{said}"'


def test_new_store_records_its_embedding_form(tmp_path):
    write_md(tmp_path / "docs", "a.md", FILLER, id="a")
    index(tmp_path / "s", tmp_path / "docs")
    manifest = json.loads((tmp_path / "s" / "manifest.json").read_text())
    assert manifest["embedding_form"] == 2
    with Store.open(tmp_path / "s") as st:
        assert st.embedding_form == 2 and st.meta["embedding_form"] == "2"


def test_old_form_store_is_refused_for_indexing_and_still_traced(tmp_path):
    docs = tmp_path / "docs"
    write_md(docs, "a.md", f'"{QUOTE}" he said. {FILLER}', id="a")
    store = tmp_path / "s"
    index(store, docs)
    # A store built before embedding form 2 has no 'embedding_form' meta key.
    db = sqlite3.connect(store / "store.sqlite")
    db.execute("DELETE FROM meta WHERE key = 'embedding_form'")
    db.commit()
    db.close()
    write_md(docs, "b.md", FILLER.replace("mild", "cold"), id="b")
    res = CliRunner().invoke(cli, ["--store", str(store), "index", "--model", "hashing", str(docs)])
    assert res.exit_code == EXIT_MODEL_MISMATCH
    assert "embedding form 1" in res.output and "Index your documents again into a new store" in res.output
    with Store.open(store) as st:
        assert st.counts()["documents"] == 1 and st.embedding_form == 1
    # trace reads it in its own form: the stored sentence is found word for word.
    out = json.loads(run("--store", str(store), "trace", FILLER, "--json").stdout)
    assert out["matches"][0]["relation"] == "verbatim" and out["matches"][0]["similarity"] >= 0.999


# ---------------------------------------------------------------------------------- quote units


def test_quote_in_a_frame_is_a_claim_of_its_own():
    text = f"{FILLER}\n\n{FRAMED}"
    claims = split_claims(text)
    units = quote_units(text, claims)
    assert len(units) == 1
    u = units[0]
    assert text[u.start : u.end] == u.text == QUOTE
    assert u.kind == "quote-unit" and claims[u.parent].text == FRAMED
    assert u.ordinal == len(claims)  # the claims' own numbering is untouched


def test_quote_inside_a_multi_sentence_quotation_has_its_speakers_credit(tmp_path):
    second = "We will not release another dollar to Kestrane until every bus on our streets runs the way it was promised."
    third = "Riders in this city deserve buses that show up on time."
    text = f'Mayor Odile Brannigan spoke at City Hall on Tuesday. "Enough. {second} {third[:-1]}," Brannigan said.'
    write_md(tmp_path / "docs", "m.md", text, id="m")
    store = tmp_path / "s"
    index(store, tmp_path / "docs")
    with Store.open(store) as st:
        claims = st.claims(range(1, st.max_claim_id() + 1))
        body = st.documents()[0].text
        credits = st.credits(claims)
    for sentence in (second, third):
        found = [c for c in claims.values() if verbatim_key(c.text) == verbatim_key(sentence)]
        assert found, f"no claim of its own for {sentence!r}"
        c = found[0]
        assert body[c.start : c.end] == c.text
        assert c.parent is not None and claims[c.parent].start <= c.start < c.end <= claims[c.parent].end
        # The most specific name the text gives (issue 14): "Odile Brannigan", named before the quote.
        assert any(a.name == "Odile Brannigan" for a in credits.get(c.id, [])), credits.get(c.id)


def test_scare_quotes_and_whole_quotations_make_no_unit():
    text = 'The so-called "reform" passed. "We will not stop until every bus runs on time," she said. "Every bus must run on time, and every rider must know it."'
    claims = split_claims(text)
    assert [u.text for u in quote_units(text, claims)] == ["We will not stop until every bus runs on time"]


EMBEDDED = f'In a post on Saturday morning the president wrote that "{QUOTE[:-1]}," and his lawyers promised to appeal the ruling within days.'


@pytest.mark.parametrize("framed", [FRAMED, EMBEDDED], ids=["after-quote", "inside-sentence"])
def test_quote_in_a_frame_clusters_with_the_bare_quote(tmp_path, framed):
    docs = tmp_path / "docs"
    write_md(docs, "1.md", f"{FILLER}\n\n{framed}", id="framed", source="Wire", published="2017-02-04")
    write_md(docs, "2.md", f"The president wrote on Twitter:\n\n{QUOTE}\n\nThe ruling applies nationwide.", id="bare", source="Blog", published="2017-02-05")
    store = tmp_path / "s"
    index(store, docs)
    rep = report(store)
    cl = next(c for c in rep["clusters"] if {m["doc_id"] for m in c["members"]} == {"framed", "bare"})
    by_doc = {m["doc_id"]: m for m in cl["members"]}
    assert by_doc["bare"]["relation"] == "verbatim"
    assert verbatim_key(by_doc["framed"]["text"]) == verbatim_key(QUOTE) and by_doc["framed"]["enclosing"]["text"] == framed
    with Store.open(store) as st:
        body = next(d.text for d in st.documents() if d.id == "framed")
    assert body[by_doc["framed"]["start"] : by_doc["framed"]["end"]] == by_doc["framed"]["text"]


def test_trace_finds_a_bare_quote_inside_a_longer_stored_sentence(tmp_path):
    write_md(tmp_path / "docs", "1.md", f"{FILLER}\n\n{FRAMED}", id="framed", source="Wire")
    store = tmp_path / "s"
    index(store, tmp_path / "docs")
    out = json.loads(run("--store", str(store), "trace", QUOTE, "--json").stdout)
    best = out["matches"][0]
    assert best["relation"] == "verbatim" and best["similarity"] >= 0.99
    assert best["text"] == QUOTE and best["enclosing"]["text"] == FRAMED
    assert best["enclosing"]["start"] < best["start"] < best["end"] < best["enclosing"]["end"]
    text = run("--store", str(store), "trace", QUOTE).stdout
    assert "quoted in:" in text


def test_report_counts_overlapping_claims_once(tmp_path):
    docs = tmp_path / "docs"
    framed = f'"{QUOTE}" the president wrote on Saturday.'
    write_md(docs, "1.md", f"{framed} {FILLER}", id="first", source="Wire", published="2017-02-04")
    write_md(docs, "2.md", f"{framed} Snow closed two mountain passes in the north for the third day running.", id="copy", source="Daily", published="2017-02-05")
    write_md(docs, "3.md", f"Read the post in full.\n\n{QUOTE}", id="bare", source="Blog", published="2017-02-06")
    store = tmp_path / "s"
    index(store, docs)
    rep = report(store)
    claims = stored_claims(store)
    # Both the framed sentence and its quote are reused (two clusters), never in one cluster.
    for cl in rep["clusters"]:
        ids = {m["claim_id"] for m in cl["members"]}
        assert not any(claims[i].parent in ids for i in ids), cl
    framed_cluster = [c for c in rep["clusters"] if any(m["text"] == framed for m in c["members"])]
    quote_cluster = [c for c in rep["clusters"] if any(m["text"] == QUOTE and m["doc_id"] == "first" for m in c["members"])]
    assert framed_cluster and quote_cluster and framed_cluster != quote_cluster
    docs_by_id = {d["id"]: d for d in rep["documents"]}
    # first: its framed sentence (with the quote inside) is one reused claim, not two.
    assert docs_by_id["first"]["claims"] == 2 and docs_by_id["first"]["reused_claims"] == 1
    assert docs_by_id["copy"]["reused_claims"] == 1 and docs_by_id["bare"]["reused_claims"] == 1
    assert rep["summary"]["claims"] == sum(d["claims"] for d in rep["documents"])
    assert rep["summary"]["reused_claims"] == 3 and rep["summary"]["quote_units"] == 2
    edges = {(e["source_doc"], e["target_doc"]): e for e in rep["document_edges"]}
    assert edges[("first", "copy")]["shared_claims"] == 1
    assert edges[("first", "copy")]["relations"]["verbatim"] == 1
    assert edges[("first", "bare")]["shared_claims"] == 1
    for d in rep["documents"]:
        assert d["reused_claims"] <= d["claims"] and d["reuse_share"] <= 1.0


def test_a_quote_reused_only_inside_its_sentence_is_one_cluster(tmp_path):
    docs = tmp_path / "docs"
    framed = f'"{QUOTE}" President Donald Trump wrote.'
    write_md(docs, "1.md", f"{framed} {FILLER}", id="first", source="Wire", published="2017-02-04")
    write_md(docs, "2.md", f"{framed} Snow closed two mountain passes in the north for the third day running.", id="copy", source="Daily", published="2017-02-05")
    store = tmp_path / "s"
    summary = index(store, docs)
    rep = report(store)
    # The quote's units and the sentences that are little more than them are one reuse: shown
    # once, as the quotation, each member with the sentence that quotes it.
    assert len(rep["clusters"]) == 1 and summary["clusters"] == 1
    members = rep["clusters"][0]["members"]
    assert {m["text"] for m in members} == {QUOTE} and {m["enclosing"]["text"] for m in members} == {framed}
    # A trace of the bare quote, or of the whole sentence, answers with that cluster.
    for query in (QUOTE, framed):
        out = json.loads(run("--store", str(store), "trace", query, "--json").stdout)
        assert out["cluster_id"] == rep["clusters"][0]["id"], query
        assert out["origin"]["doc_id"] == "first" and out["origin"]["basis"] == "earliest-published"
    # Each document credits its speaker once (the unit's credit is its sentence's).
    for d in rep["documents"]:
        assert len(d["credits"]) == 1, d["credits"]


def test_a_sentence_that_says_more_than_its_quote_keeps_its_cluster(tmp_path):
    docs = tmp_path / "docs"
    framed = (f'"{QUOTE}" the president wrote, as the state department suspended its visa cancellations '
              "and airlines began boarding travellers from the seven countries again.")
    write_md(docs, "1.md", f"{framed} {FILLER}", id="first", source="Wire", published="2017-02-04")
    write_md(docs, "2.md", f"{framed} Snow closed two mountain passes.", id="copy", source="Daily", published="2017-02-05")
    store = tmp_path / "s"
    index(store, docs)
    rep = report(store)
    texts = [{m["text"] for m in c["members"]} for c in rep["clusters"]]
    assert {framed} in texts and {QUOTE} in texts


# ------------------------------------------------------------------------------ debris and boilerplate


def _set_documents() -> dict:
    return {d.id: d for d in read_inputs([str(PROVENANCE_SET / "corpus")])}


def test_web_debris_of_the_labelled_set_is_in_no_claim():
    gold = json.loads((PROVENANCE_SET / "gold.json").read_text(encoding="utf-8"))
    docs = _set_documents()
    for entry in gold["debris"]:
        text = docs[entry["doc"]].text
        claims = split_claims(text)
        at = text.find(entry["text"])
        assert at >= 0
        while at >= 0:
            span = (at, at + len(entry["text"]))
            assert not [c.text for c in claims if c.start < span[1] and span[0] < c.end], entry
            at = text.find(entry["text"], at + 1)


def test_sentences_glued_to_debris_stay_whole_claims():
    gold = json.loads((PROVENANCE_SET / "gold.json").read_text(encoding="utf-8"))
    docs = _set_documents()
    glued = {"viralburg-buses": "g01", "pulsewise-digest": "g05"}
    for doc_id, group in glued.items():
        member = next(m for g in gold["groups"] if g["id"] == group for m in g["members"] if m["doc"] == doc_id)
        text = docs[doc_id].text
        claims = split_claims(text)
        assert member["text"] in [c.text for c in claims], (doc_id, [c.text for c in claims])
        c = next(c for c in claims if c.text == member["text"])
        assert text[c.start : c.end] == member["text"]


def test_inline_share_widgets_and_read_more_captions_are_cut():
    text = (
        "Share this with Media playback is not supported on this device Joe Root has been named as England's new Test captain. "
        "The Yorkshire batsman, 26, succeeds Alastair Cook, who resigned last week. "
        "READ MORE: Nicola Sturgeon plans new independence vote Indeed, after the leader made known her wish, the talks stalled. "
        "Send Facebook Twitter Google+ Whatsapp Tumblr linkedin Permalink http://dw.com/p/2XgaU "
        "The merger is expected to be finalized within two years. "
        "Want more updates from Amanda Terkel? Sign up for her newsletter, Piping Hot Truth, here."
    )
    got = [c.text for c in split_claims(text)]
    assert got == [
        "Joe Root has been named as England's new Test captain.",
        "The Yorkshire batsman, 26, succeeds Alastair Cook, who resigned last week.",
        "Indeed, after the leader made known her wish, the talks stalled.",
        "The merger is expected to be finalized within two years.",
    ]
    for c in split_claims(text):
        assert text[c.start : c.end] == c.text


def test_title_case_caption_ends_where_the_documents_names_begin():
    text = (
        "READ MORE: 10 Things Nobody Tells You About Electric Cars Vellmore Regional Transit paid "
        "Kestrane Motor Coach more than $12 million for 14 electric buses.\n\nRiders in Vellmore are angry."
    )
    assert split_claims(text)[0].text.startswith("Vellmore Regional Transit paid Kestrane")


def test_a_claim_many_outlets_repeat_is_not_hidden_as_boilerplate(tmp_path):
    docs = tmp_path / "docs"
    estimate = "The budget office estimates the plan will cost $4.8 million."
    own_lines = [
        "Council members argued for an hour before the vote.", "Protesters gathered outside City Hall at noon.",
        "The mayor left the chamber before the debate ended.", "A second hearing is planned for the autumn session.",
        "Bus drivers wore yellow ribbons to the public meeting.", "Two schools closed early because of the storm.",
        "Local farmers welcomed the rain after a dry spring.", "The library extended its opening hours in June.",
        "Fishing boats stayed in port while the wind blew hard.", "A new bakery opened on Harbour Street last week.",
    ]
    for i, own in enumerate(own_lines):
        write_md(docs, f"{i}.md", f"{own} {estimate}", id=f"d{i}", source=f"Outlet {i}", published=f"2024-05-{i + 1:02d}")
    store = tmp_path / "s"
    index(store, docs)
    rep = report(store)
    cl = next(c for c in rep["clusters"] if estimate in c["members"][0]["text"])
    assert cl["documents"] == 10 and "hidden" not in cl
    assert not rep["hidden"].get("boilerplate")
    assert all(d["reused_claims"] == 1 for d in rep["documents"])

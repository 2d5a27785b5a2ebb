"""Credits, origins by credit, mutations, chains, passages and hidden reuse (hashing embedder)."""

from __future__ import annotations

import json
from pathlib import Path

import orjson
from click.testing import CliRunner

from provenance.cli import cli
from provenance.cluster import drop_lookalikes
from provenance.credits.resolve import CreditIndex, norm_name, norm_url
from provenance.lineage import boilerplate, passages, word_alignment
from provenance.mutations import differences
from provenance.origins import credit_edges, order_origin
from provenance.records import ClaimNode, Cluster, Credit, DocRef
from provenance.store import Store
from tests.conftest import write_md

S = "The regional water board found that 1,200 fish died in the Elm River after the dam released sludge in April."
T = "Volunteers counted the dead fish along both banks of the Elm River for three weekends in a row."
U = "The board has asked the dam operator to pay for a full survey of the river bed by the end of the year."


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def index(store: Path, folder: Path):
    res = run("--store", str(store), "index", "--model", "hashing", "--json", str(folder))
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def report(store: Path, *extra: str) -> dict:
    res = run("--store", str(store), "report", "--format", "json", *extra)
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def cluster_with(rep: dict, words: str) -> dict:
    return next(c for c in rep["clusters"] if any(words in m["text"] for m in c["members"]))


# ----------------------------------------------------------------------------- mutations

def test_differences_figures_dates_negation_hedges_entities():
    o = "About 40,000 gallons of acid leaked from Tank 12 in February, the Harbor Ledger found."
    assert differences(o, o) == []
    inflated = differences(o, o.replace("About 40,000", "More than 400,000"))
    assert inflated == [{"kind": "figure", "origin": "About 40,000 gallons", "member": "More than 400,000 gallons"}]
    vague = differences(o, o.replace("About 40,000", "Thousands of"))
    assert vague[0] == {"kind": "figure", "origin": "About 40,000 gallons", "member": "Thousands of gallons"}
    assert {d["kind"] for d in differences("The valve was closed on February 20.", "The valve was not closed on February 21.")} == {"date", "negation"}
    # A figure merely left out of a shorter text is not a mutation.
    assert differences("Hezbollah collected $1 billion a year from drug trafficking.", "Hezbollah collected money from drug trafficking.") == []
    hedged = differences("The company dumped the acid.", "The company allegedly dumped the acid.")
    assert hedged == [{"kind": "hedge", "origin": None, "member": "allegedly"}]
    swapped = differences("Venholt Chemical told the Coastal Waters Agency.", "Venholt Chemical told the Harbor Police.")
    assert swapped == [{"kind": "entity", "origin": "Coastal Waters Agency", "member": "Harbor Police"}]
    # A paraphrase's rewording of a negation is not reported; its figures still are.
    assert differences("Venholt did not notify the agency until February 17.", "Venholt waited before telling the agency on February 17.", "paraphrase") == []


# ----------------------------------------------------------------------------- credits

def test_credit_index_resolves_names_urls_and_sites():
    idx = CreditIndex([DocRef(1, "a", "The Harbor Ledger", "https://harborledger.test/news/1"), DocRef(2, "b", "Tidewater Wire", None)])
    assert idx.resolve("Harbor Ledger", None, "outlet") == [(1, "attribution")]
    assert idx.resolve(None, "http://www.harborledger.test/news/1/", "document") == [(1, "citation")]
    assert idx.resolve("harborledger.test", "https://harborledger.test/other", "document") == [(1, "citation")]
    assert idx.resolve("Harbor Ledger", None, "person") == []
    assert idx.resolve("Someone Else", None, "outlet") == []
    assert idx.is_own_outlet(1, "the Harbor Ledger's", None)
    assert norm_name("The Harbor Ledger’s") == "harbor ledger" and norm_url("HTTPS://www.X.test/a/?q=1#f") == "x.test/a"


def test_credited_member_follows_the_chain():
    idx = CreditIndex([DocRef(1, "a", "Alpha", None), DocRef(2, "b", "Beta", None), DocRef(3, "c", "Gamma", None)])
    attrs = {
        30: [Credit("according to", "Beta", "outlet", 0, 4)],
        20: [Credit("according to", "Alpha", "outlet", 0, 5)],
    }
    doc_of = {10: 1, 20: 2, 30: 3}
    edges = credit_edges([30, 20, 10], doc_of, attrs, idx)
    assert sorted(edges) == [(10, 20, "attribution"), (20, 30, "attribution")]
    undated = {c: ClaimNode(c, doc_of[c], None) for c in doc_of}
    assert order_origin(undated, edges) == (10, "attribution", ())
    assert credit_edges([30, 20], {20: 2, 30: 3}, {}, idx) == []


# ----------------------------------------------------------------------------- end to end

def test_credited_document_becomes_origin_even_when_undated(tmp_path):
    docs = tmp_path / "docs"
    write_md(docs, "1-times.md", f"{S} {T}", id="times", source="The Valley Times")  # undated
    write_md(docs, "2-copy.md", f"{S} That figure was first reported by The Valley Times.", id="copy", source="Copy Daily", published="2024-05-02")
    write_md(docs, "3-other.md", f"{S} {U}", id="other", source="River Blog", published="2024-05-03")
    store = tmp_path / "store"
    index(store, docs)
    rep = report(store)
    cl = cluster_with(rep, "1,200 fish died")
    assert cl["origin"]["doc_id"] == "times" and cl["origin"]["basis"] == "attribution"
    assert cl["members"][0]["doc_id"] == "times"
    assert cl["primary_source"]["name"] == "The Valley Times" and cl["primary_source"]["doc_id"] == "times"
    links = {link["to_doc"]: link for link in cl["chain"]}
    assert links["copy"]["credit"] == "earlier" and links["copy"]["from_doc"] == "times"
    assert links["other"]["credit"] == "none"
    assert links["copy"]["gap_days"] is None  # the origin is undated
    assert links["copy"]["words"] == {"kept": len(S.split()), "added": [], "dropped": []}
    # The same credit given by URL is a citation.
    docs2 = tmp_path / "docs2"
    write_md(docs2, "1-times.md", f"{S} {T}", id="times", source="The Valley Times", url="https://valleytimes.test/fish")
    write_md(docs2, "2-copy.md", f"{S} Read the full story at https://valleytimes.test/fish today.", id="copy", source="Copy Daily", published="2024-05-02")
    store2 = tmp_path / "store2"
    index(store2, docs2)
    cl2 = cluster_with(report(store2), "1,200 fish died")
    assert cl2["origin"]["doc_id"] == "times" and cl2["origin"]["basis"] == "citation"
    assert cl2["primary_source"]["url"] == "https://valleytimes.test/fish"


def test_uncredited_copies_keep_the_earliest_origin(tmp_path):
    docs = tmp_path / "docs"
    write_md(docs, "1.md", f"{S} {T}", id="first", source="The Valley Times", published="2024-05-01")
    write_md(docs, "2.md", f"{S} {U}", id="second", source="Copy Daily", published="2024-05-02")
    store = tmp_path / "store"
    index(store, docs)
    cl = cluster_with(report(store), "1,200 fish died")
    assert cl["origin"]["doc_id"] == "first" and cl["origin"]["basis"] == "earliest-published"
    assert cl["primary_source"] is None
    assert cl["chain"][0]["credit"] == "none" and cl["chain"][0]["gap_days"] == 1.0


def test_changed_figure_stays_a_member_with_differences(tmp_path):
    docs = tmp_path / "docs"
    write_md(docs, "1.md", f"{S} {T}", id="first", source="The Valley Times", published="2024-05-01")
    write_md(docs, "2.md", f"{S.replace('1,200', '12,000')} {U}", id="second", source="Copy Daily", published="2024-05-02")
    store = tmp_path / "store"
    index(store, docs)
    cl = cluster_with(report(store), "fish died")
    member = next(m for m in cl["members"] if m["doc_id"] == "second")
    assert member["differences"] == [{"kind": "figure", "origin": "1,200 fish", "member": "12,000 fish"}]


def test_look_alike_with_other_figures_leaves_the_cluster(tmp_path):
    docs = tmp_path / "docs"
    write_md(docs, "1.md", "The tank held 60,000 gallons of ferric chloride when it was last inspected in 2019.", id="a", source="A", published="2024-01-01")
    write_md(docs, "2.md", "About 40,000 gallons of ferric chloride leaked from the tank over nine days in February.", id="b", source="B", published="2024-01-02")
    write_md(docs, "3.md", "The tank held 60,000 gallons of ferric chloride when it was last inspected in 2019!", id="c", source="C", published="2024-01-03")
    store = tmp_path / "store"
    index(store, docs)
    with Store.open(store) as st:
        claims = st.claims(range(1, 10))
        by_doc = {c.doc_id: c.id for c in claims.values()}
        forced = Cluster(origin=by_doc["a"], basis="earliest-published", members=(by_doc["a"], by_doc["b"], by_doc["c"]))
        out = drop_lookalikes([forced], claims)
    assert [c.members for c in out] == [(by_doc["a"], by_doc["c"])]


def test_same_outlet_and_boilerplate_are_hidden_unless_asked(tmp_path):
    docs = tmp_path / "docs"
    # The sign-up line is web debris, cut off at segmentation; the "keep checking back" line is
    # a claim, and site furniture by what it says.
    signup = "Sign up for our newsletter to get the latest river news every morning."
    furniture = "Keep checking back for updates on this developing river story."
    write_md(docs, "1.md", f"{S} {signup} {furniture}", id="first", source="The Valley Times", published="2024-05-01")
    write_md(docs, "2.md", f"{S} {T} {signup} {furniture}", id="second", source="The Valley Times", published="2024-05-02")
    write_md(docs, "3.md", f"{S} {U} {signup} {furniture}", id="third", source="River Blog", published="2024-05-03")
    store = tmp_path / "store"
    index(store, docs)
    rep = report(store)
    assert not any("newsletter" in m["text"] or "checking back" in m["text"] for c in rep["clusters"] for m in c["members"])
    cl = cluster_with(rep, "1,200 fish died")
    assert [m["doc_id"] for m in cl["members"]] == ["first", "third"]
    assert rep["hidden"]["boilerplate"] == 1 and rep["hidden"]["same-outlet"] == 1
    docs_by_id = {d["id"]: d for d in rep["documents"]}
    assert docs_by_id["second"]["reused_claims"] == 0 and docs_by_id["first"]["reused_claims"] == 1
    full = report(store, "--show-hidden")
    shown = cluster_with(full, "checking back")
    assert shown["hidden"] == "boilerplate"
    assert not any("newsletter" in m["text"] for c in full["clusters"] for m in c["members"])
    same = next(m for m in cluster_with(full, "1,200 fish died")["members"] if m["doc_id"] == "second")
    assert same["hidden"] == "same-outlet"
    md = run("--store", str(store), "report", "--format", "md").stdout
    assert "Hidden from reuse figures" in md and "--show-hidden" in md
    text = run("--store", str(store), "report").stdout
    assert "Hidden from reuse figures: 1 boilerplate cluster, 1 copy from the origin's own outlet" in text
    # index, info and report count clusters by one rule: the same number, the hidden said apart.
    info = orjson.loads(run("--store", str(store), "info", "--json").stdout)
    assert info["clusters_shown"] == rep["summary"]["clusters"]
    assert info["clusters_hidden"]["boilerplate"] == 1 and info["clusters_hidden"]["same-outlet"] == 1
    documents = [orjson.loads(line) for line in run("--store", str(store), "documents", "--json").stdout.splitlines()]
    assert {d["id"]: d["reused_claims"] for d in documents} == {d["id"]: d["reused_claims"] for d in rep["documents"]}


def test_passages_merge_consecutive_reused_claims(tmp_path):
    docs = tmp_path / "docs"
    write_md(docs, "1.md", f"Intro line that nobody copies at all here.\n\n{S} {T} {U}", id="first", source="The Valley Times", published="2024-05-01")
    write_md(docs, "2.md", f"A blog post opens with its own words today.\n\n{S} {T} {U}\n\nAnd closes with its own words as well.", id="second", source="Blog", published="2024-05-02")
    store = tmp_path / "store"
    index(store, docs)
    rep = report(store)
    assert len(rep["passages"]) == 1
    p = rep["passages"][0]
    assert (p["source_doc"], p["target_doc"], p["claims"], p["relation"], p["credited"]) == ("first", "second", 3, "verbatim", False)
    with Store.open(store) as st:
        texts = {d.id: d.text for d in st.documents()}
    assert texts["first"][p["source_start"]:p["source_end"]] == f"{S} {T} {U}"
    assert texts["second"][p["target_start"]:p["target_end"]] == f"{S} {T} {U}"
    text_out = run("--store", str(store), "report").stdout
    assert "Passages" in text_out and "3 claims" in text_out


def test_passages_need_consecutive_claims_in_both_documents():
    def member(cid, doc, start):
        return {"claim_id": cid, "doc_id": doc, "start": start, "end": start + 5, "text": "x", "relation": "verbatim"}

    clusters = [
        {"id": 1, "members": [member(1, "a", 0), member(11, "b", 0)], "chain": []},
        {"id": 2, "members": [member(2, "a", 10), member(12, "b", 10)], "chain": []},
        {"id": 3, "members": [member(4, "a", 30), member(13, "b", 20)], "chain": []},
    ]
    ordinal = {1: 0, 2: 1, 4: 3, 11: 0, 12: 1, 13: 2}
    out = passages(clusters, ordinal)
    assert len(out) == 1 and out[0]["claims"] == 2 and out[0]["cluster_ids"] == [1, 2]


def test_word_alignment_and_boilerplate():
    assert word_alignment("a b c d", "a x c d e") == {"kept": 3, "added": ["x", "e"], "dropped": ["b"]}
    assert boilerplate("Read more: the best of the week", 3)
    assert not boilerplate("Read more: the best of the week", 1)
    assert boilerplate("By Jane Doe", 2)
    assert not boilerplate(S, 5)
    # Recognised by what it says, not where the words occur: a claim about a newsletter or a
    # copyright case is a claim.
    assert not boilerplate("The court ruled that the copyright claim over the newsletter failed.", 9)
    assert not boilerplate("He later announced on Twitter that the border was closed.", 9)
    for furniture in ("You can follow Quora on Twitter, Facebook, and Google+.", "Email haveyoursay@bbc.co.uk with your stories.",
                      "HuffPost Lifestyle is a daily newsletter that will make you happier.", "Step into the world of weird news. Learn more"):
        assert boilerplate(furniture, 2), furniture


def test_trace_has_primary_source_and_differences(tmp_path):
    docs = tmp_path / "docs"
    write_md(docs, "1.md", f"{S} {T}", id="first", source="The Valley Times", published="2024-05-01")
    write_md(docs, "2.md", f"{S[:-1]}, according to The Valley Times. {U}", id="second", source="Copy Daily", published="2024-05-02")
    store = tmp_path / "store"
    index(store, docs)
    res = run("--store", str(store), "trace", S.replace("1,200", "12,000"), "--json")
    out = json.loads(res.stdout)
    assert out["origin"]["doc_id"] == "first"
    assert out["origin"]["differences"] == [{"kind": "figure", "origin": "1,200 fish", "member": "12,000 fish"}]
    assert out["primary_source"]["name"] == "The Valley Times" and out["primary_source"]["doc_id"] == "first"
    text = run("--store", str(store), "trace", S.replace("1,200", "12,000")).stdout
    assert "Primary source: The Valley Times" in text and "figure: 1,200 fish → 12,000 fish" in text


def test_trace_of_several_sentences_compares_the_closest_one(tmp_path):
    docs = tmp_path / "docs"
    write_md(docs, "1.md", f"{T}", id="times", source="The Valley Times")  # undated, no shared claim
    write_md(docs, "2.md", f"{S} {U}", id="copy", source="Copy Daily", published="2024-05-02")
    store = tmp_path / "store"
    index(store, docs)
    # One document only holds S: no cluster; the trace's origin is that match.
    out = json.loads(run("--store", str(store), "trace", f"{S} And then some other sentence entirely about rain.", "--json").stdout)
    assert out["origin"]["doc_id"] == "copy" and out["origin"]["basis"] == "earliest-published"
    # Compared by the query sentence closest to the origin: no difference.
    assert out["origin"]["differences"] == []


def test_migration_fills_credits_of_a_store_built_before_them(tmp_path):
    import sqlite3

    docs = tmp_path / "docs"
    write_md(docs, "1.md", f"{S[:-1]}, according to The Valley Times. {U}", id="first", source="Copy Daily", published="2024-05-01")
    store = tmp_path / "store"
    index(store, docs)
    db = sqlite3.connect(store / "store.sqlite")
    before = db.execute("SELECT claim_id, cue, name FROM attributions ORDER BY id").fetchall()
    assert ("according to", "Valley Times") in [(c, n) for _, c, n in before]
    # Make it look like a version-1 store, then open it: the migration re-reads stored texts.
    db.execute("DROP TABLE attributions")
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    with Store.open(store) as st:
        after = st.db.execute("SELECT claim_id, cue, name FROM attributions ORDER BY id").fetchall()
    assert [tuple(r) for r in after] == before

"""Issue 14: primary sources right on real news (made-up passages in the real articles' ways),
and credits in every report, each document by a readable name."""

from __future__ import annotations

import csv
import io
import json

from click.testing import CliRunner

from provenance.cli import cli
from provenance.credits.claims import credits_for_claims
from provenance.credits.extract import find_attributions
from provenance.credits.resolve import CreditIndex
from provenance.output import render_report
from provenance.records import DocRef
from provenance.segment import split_claims
from tests.conftest import write_md


def names(text: str, contains: str) -> list[str]:
    claims = split_claims(text)
    credits = credits_for_claims(text, [(c.start, c.end) for c in claims])
    return sorted({a.name for c, cs in zip(claims, credits) if contains in c.text for a in cs})


def test_short_links_are_not_sources_full_urls_are():
    text = "Spokeswoman Sherry Knight told The Morning Sun ( http://bit.ly/2kw1Ji0 ) that the school is reviewing it."
    assert not any(a.cue == "url" for a in find_attributions(text))
    assert "Sherry Knight" in names(text, "reviewing")
    full = "The figures come from the ministry's site, https://www.example.test/reports/2017/jobs.html, published Monday."
    assert [a.url for a in find_attributions(full) if a.cue == "url"] == ["https://www.example.test/reports/2017/jobs.html"]


def test_a_bare_noun_names_what_it_refers_to_or_no_one():
    assert names("The report said taxes would rise by 2020 in every region.", "taxes") == []
    text = ("Taxes will rise to their highest level since 1986, according to the Institute for Fiscal Studies. "
            "The report said the gap could reach 17 billion pounds by 2022.")
    assert names(text, "The report said") == ["Institute for Fiscal Studies"]
    court = "Michael Lane, 27, of Portslade, denies murder at Lewes Crown Court. Jurors heard Shana Grice contacted police five times."
    assert names(court, "Jurors heard") == ["Lewes Crown Court"]


def test_speakers_are_people_or_organisations_the_text_makes_speak():
    text = ("\"We will respond with force,\" the president said, according to a statement from Central Command. "
            "The Senate confirmed Betsy DeVos on Tuesday. Democrats condemned the remarks as a gaffe.")
    found = {a.name: a.kind for a in find_attributions(text)}
    assert found.get("Central Command") == "organisation"
    assert names(text, "Senate confirmed") == [] and names(text, "Democrats condemned") == []


def test_the_most_specific_name_and_a_pronoun_of_the_right_person():
    text = ("Attorney General Jeff Sessions spoke on Thursday. Mr Lane was not there. "
            "Miss Grice said she had called police. \"I was scared,\" she said. "
            "Sessions said he would step aside. He said the decision was his own.")
    assert names(text, "I was scared") == ["Grice"]
    assert names(text, "Sessions said he would") == ["Jeff Sessions"]
    assert names(text, "the decision was his own") == ["Jeff Sessions"]  # not Miss Grice: "he"
    quote = 'Sen. Susan Collins said she wanted answers. "I\'d like to first get to the bottom of this,"?Collins said.'
    assert names(quote, "bottom of this") == ["Susan Collins"]  # "Collins said." is no claim of its own


def test_own_outlet_is_not_credited():
    idx = CreditIndex([DocRef(1, "a", "cnn.com", "http://edition.cnn.com/x"), DocRef(2, "b", "huffingtonpost.com", None)])
    assert idx.is_own_outlet(1, "CNN", None) and not idx.is_own_outlet(2, "ABC News", None)


def test_every_report_shows_each_documents_credits_and_readable_name(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    # No front matter, no shared sentence: the seeds' situation.
    (docs / "waltz.txt").write_text(
        "Tipsheet\n\nIranian Backed Groups Work With Cartels\n\n"
        "According to Republican Congressman Michael Waltz Mexican cartels have partnered with the IRGC to exploit the border.\n",
        encoding="utf-8")
    write_md(docs, "clarion.md", "The Clarion Project published a report Tuesday that alleges Iran pays cartels to smuggle people.",
             source="Daily Example")
    store = tmp_path / "store"
    assert CliRunner().invoke(cli, ["--store", str(store), "index", "--model", "hashing", str(docs)]).exit_code == 0

    def rep(fmt: str) -> str:
        res = CliRunner().invoke(cli, ["--store", str(store), "report", "--format", fmt])
        assert res.exit_code == 0, res.output
        return res.stdout

    data = json.loads(rep("json"))
    by_name = {d["name"]: d for d in data["documents"]}
    waltz = by_name["Iranian Backed Groups Work With Cartels"]  # the first line of three words or more
    assert waltz["path"].endswith("waltz.txt") and waltz["published_precision"] is None
    [credit] = waltz["credits"]
    assert credit["sources"][0]["name"] == "Michael Waltz" and credit["sources"][0]["cue"] == "according to"
    assert credit["text"].startswith("According to Republican Congressman")
    assert data["summary"]["credited_claims"] == 2
    text = rep("text")
    assert "Credits by document" in text and "Michael Waltz (according to)" in text and "waltz.txt" in text
    assert "doc-" not in text.split("Credits by document")[1].splitlines()[1]  # named, not by hash
    md = rep("md")
    assert "### Iranian Backed Groups Work With Cartels" in md and "| Michael Waltz (according to) |" in md
    assert "Clarion Project (report, published)" in md
    rows = list(csv.DictReader(io.StringIO(rep("csv"))))
    credit_rows = [r for r in rows if r["row"] == "credit"]
    assert {r["credited_source"] for r in credit_rows} == {"Michael Waltz", "Clarion Project"}
    assert all(r["member_name"] and r["member_path"] for r in credit_rows)
    page = render_report({**data, "documents": [{**d, "text": "x" * 400} for d in data["documents"]]}, "html")
    assert '"name":"Iranian Backed Groups Work With Cartels"' in page and "Michael Waltz (according to)" in page


def test_a_named_source_and_its_link_in_one_sentence_are_one_credit(tmp_path):
    docs = tmp_path / "docs"
    url = "https://harborledger.test/news/2025/03/03/venholt-tank-12-leak"
    write_md(docs, "buzz.md", f"The Harbor Ledger broke this story, and you can read the full investigation at {url}.",
             source="Quayside Buzz", id="buzz")
    store = tmp_path / "store"
    assert CliRunner().invoke(cli, ["--store", str(store), "index", "--model", "hashing", str(docs)]).exit_code == 0
    res = CliRunner().invoke(cli, ["--store", str(store), "report", "--format", "json"])
    [doc] = json.loads(res.stdout)["documents"]
    [credit] = doc["credits"]
    # Not the Ledger and then its web address as a second source.
    assert [(s["name"], s["url"]) for s in credit["sources"]] == [("Harbor Ledger", url)]

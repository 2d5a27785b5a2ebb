"""Attribution and citation patterns on the seeds and on small made-up texts (no model)."""

from __future__ import annotations

from pathlib import Path

import pytest

from provenance.credits.claims import credits_for_claims
from provenance.credits.extract import find_attributions, reference_entries, source_kind
from provenance.segment import split_claims


def _credits(text: str) -> list[tuple[str, list]]:
    claims = split_claims(text)
    return [(c.text, cr) for c, cr in zip(claims, credits_for_claims(text, [(c.start, c.end) for c in claims]))]


def _credits_of(text: str, contains: str) -> list:
    hits = [cr for t, cr in _credits(text) if contains in t]
    assert hits, f"no claim contains {contains!r}"
    return hits[0]


def _seed(seeds: Path, prefix: str) -> str:
    return next(seeds.glob(prefix + "_*.txt")).read_text(encoding="utf-8")


def test_seed_000_waltz_and_politico_passage(seeds):
    text = _seed(seeds, "000")
    waltz = _credits_of(text, "Mexican cartels have partnered")
    assert [(a.cue, a.name, a.kind) for a in waltz] == [("according to", "Michael Waltz", "person")]
    politico = _credits_of(text, "derailed an ambitious law enforcement campaign")
    assert politico[0].name == "POLITICO" and politico[0].kind == "outlet" and politico[0].document == "investigation"
    # The next paragraph continues the same story ("The campaign, dubbed Project Cassandra").
    cassandra = _credits_of(text, "dubbed Project Cassandra")
    assert [a.name for a in cassandra] == ["POLITICO"] and cassandra[0].scope == "previous"
    # An unattributed sentence credits nobody.
    assert _credits_of(text, "the IRGC makes money from the drug trade") == []


def test_seed_001_state_department_report(seeds):
    text = _seed(seeds, "001")
    first = _credits_of(text, "both ISIS and Hezbollah have been working")
    assert first[0].name == "US State Department" and first[0].document == "report"
    # "According to the report" resolves to the report named before.
    again = _credits_of(text, "taken advantage of the")
    assert again[0].name == "US State Department" and again[0].document == "report"
    kelly = _credits_of(text, "told students at George Washington University")
    assert any(a.name == "John Kelly" and a.kind == "person" for a in kelly)


def test_seed_002_clarion_report_and_justice_release(seeds):
    text = _seed(seeds, "002")
    assert _credits_of(text, "published a report Tuesday")[0].name == "Clarion Project"
    # A quotation's earlier sentences are credited by its closing "according to the nonprofit".
    chiapas = _credits_of(text, "In southern Chiapas")
    assert chiapas[0].name == "Clarion Project" and chiapas[0].scope == "next"
    juma = _credits_of(text, "He is also associated with al-Qaeda")
    assert juma[0].name == "Clarion Project" and juma[0].document == "report"
    doj = _credits_of(text, "Taijideen’s case falls under")
    assert doj[0].name == "Justice Department" and doj[0].document == "news release"
    assert _credits_of(text, "has one of the most powerful intelligence")[0].name == "Clarion Project"


def test_seed_003_interview_quotes_to_speakers_via_iran_international(seeds):
    text = _seed(seeds, "003")
    cooper = _credits_of(text, "There are longstanding money-laundering")
    assert {(a.cue, a.name, a.kind) for a in cooper} == {("told", "Sam Cooper", "person"), ("interview", "Iran International", "outlet")}
    # '"...," he said.' resolves to the speaker named before, by the fullest name the text gives.
    he = _credits_of(text, "I don’t have direct evidence")
    assert [a.name for a in he] == ["Sam Cooper"]
    # A bare quotation after it continues the same speaker.
    assert [a.name for a in _credits_of(text, "But I do believe the Iranian regime")] == ["Sam Cooper"]
    sayeh = _credits_of(text, "They (Iran's regime) do try to put a distance")
    assert [a.name for a in sayeh] == ["Janatan Sayeh"]
    phares = _credits_of(text, "Hezbollah had developed relationships")
    assert {a.name for a in phares} == {"Walid Phares", "Iran International"}
    assert [a.name for a in _credits_of(text, "According to prosecutors")] == ["prosecutors"]


def test_seed_004_footnotes_link_to_reference_urls(seeds):
    text = _seed(seeds, "004")
    refs = reference_entries(text)
    assert len(refs) >= 27
    assert refs["1"]["name"] == "The Jerusalem Post"
    assert refs["1"]["url"] == "https://www.jpost.com/international/article-812321"
    assert refs["24"]["name"] == "RAND"
    first = _credits_of(text, "three Palestinians and a Turk")
    assert [(a.cue, a.marker, a.name, a.url) for a in first] == [
        ("footnote", "1", "The Jerusalem Post", "https://www.jpost.com/international/article-812321")
    ]
    footnotes = [a for a in find_attributions(text) if a.cue == "footnote"]
    markers = {a.marker for a in footnotes}
    body = text[: text.index("[1] Mathilda Heller")]
    import re

    assert markers == set(re.findall(r"\[(\d+)\]", body))
    # Every footnoted source comes with its URL, and markers sharing a reference share it.
    assert all(a.url and a.url.startswith("https://") for a in footnotes)
    by_marker = {a.marker: a for a in footnotes}
    assert by_marker["3"].url == by_marker["7"].url and by_marker["3"].name == "CBS News"
    # The reference list itself credits nothing.
    assert not any(a.cue != "url" and a.start > text.index("[1] Mathilda Heller") for a in find_attributions(text) if a.cue != "footnote")


@pytest.mark.parametrize(
    "sentence, name, kind",
    [
        ("The harbour was closed for a week, as first reported by The Coastal Times.", "Coastal Times", "outlet"),
        ("A report by the Institute for Water Studies found the bay had warmed.", "Institute for Water Studies", "organisation"),
        ("Reuters's investigation found the bay had warmed.", "Reuters", "outlet"),
        ("The mayor, Ana Ruiz, said the bay had warmed.", None, None),
        ("Ana Ruiz, the mayor of the town, estimated the damage at $3 million.", "Ana Ruiz", "person"),
    ],
)
def test_cue_patterns(sentence, name, kind):
    found = [a for a in find_attributions(sentence) if a.cue != "url"]
    if name is None:
        # "The mayor, Ana Ruiz, said": the appositive's name is not the head; only the head counts.
        assert found and found[0].kind in {"person", "organisation"}
        return
    assert (found[0].name, found[0].kind) == (name, kind)


def test_inline_url_lends_its_address_and_backward_credit():
    text = ("About 400 cows escaped from the farm on Friday. "
            "The Valley Star broke this story, and you can read it at https://valleystar.test/cows if you like.")
    (first_text, first), (_, second) = _credits(text)
    assert "cows escaped" in first_text
    assert {a.cue for a in first} == {"broke the story", "url"}
    named = next(a for a in first if a.cue == "broke the story")
    assert named.name == "Valley Star" and named.url == "https://valleystar.test/cows" and named.scope == "next"


def test_unrelated_sentences_inherit_nothing():
    # (a named mayor: an office whose holder the text never names credits no one, see
    # test_credits_general_rules.test_an_office_the_text_never_names_the_holder_of_is_no_one)
    text = "The council met on Monday, the mayor, Ana Ruiz, said. Tickets for the fair go on sale in May."
    (_, a), (_, b) = _credits(text)
    assert a and not b


def test_source_kind():
    assert source_kind("The Harbor Ledger") == "outlet"
    assert source_kind("Justice Department") == "organisation"
    assert source_kind("Congressman Michael Waltz") == "person"
    assert source_kind("Iran International") == "outlet"


def test_labelled_set_precision_and_recall(seeds, capsys):
    """The labelled set still lines up with segmentation, and the dev split stays accurate."""
    import importlib.util

    from tests.conftest import REPO

    spec = importlib.util.spec_from_file_location("attribution_eval", REPO / "scripts" / "attribution_eval.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert mod.main([]) == 0
    rows = {line.split()[0]: line.split() for line in capsys.readouterr().out.splitlines()[1:]}
    precision, recall = float(rows["dev"][3]), float(rows["dev"][4])
    assert precision >= 0.9 and recall >= 0.9
    assert float(rows["heldout"][3]) >= 0.8
    assert mod.same("Waltz", "Michael Waltz") and not mod.same("Ledger", "Harbor Times")


def test_pronoun_speaker_does_not_depend_on_the_hash_seed():
    # Two credited names share the surname the pronoun's search finds last; which one wins used
    # to follow set iteration order, i.e. PYTHONHASHSEED, so runs disagreed.
    import os
    import subprocess
    import sys

    code = (
        "from provenance.credits.extract import find_attributions\n"
        "t = ('Isabel Ettedgui said the shop would close in March. '\n"
        "     'Mrs Ettedgui told the BBC that rents had doubled since 2015. '\n"
        "     'The landlord declined to comment on the figures. '\n"
        "     '\"We simply cannot carry on like this,\" she said.')\n"
        "print(find_attributions(t)[-1].name)\n"
    )
    names = {
        subprocess.run(
            [sys.executable, "-c", code], env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True, text=True, check=True,
        ).stdout.strip()
        for seed in range(8)
    }
    assert names == {"Isabel Ettedgui"}  # the one credited last, by the full name the text gives

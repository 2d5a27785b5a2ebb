"""Issue 14, ninth round (documents, findings and cues): mechanisms that recur on unseen articles,
each justified by tests/data/news-credits/GUIDELINES.md. Each test is a small made-up passage
that fails without its rule."""

from __future__ import annotations

from tests.test_credits_news_rules import names


# ------------------------------------------------------------------ a demand is a stated position (GUIDELINES 1)


def test_the_subject_who_calls_on_or_for_something_is_credited():
    text = ("The harbour closed on Monday after the storm. "
            "Mayor Ingrid Solberg has called on the ferry company to restore the night service. "
            "Ms Solberg, the city's longest-serving mayor, called for a review of the contract by June. "
            "Northland Regional Council leader Lars Dahl called for a public inquiry into the closure. "
            "On Tuesday, the Fishermen's Union called on ministers to compensate the crews.")
    assert names(text, "restore the night service") == ["Ingrid Solberg"]
    assert names(text, "review of the contract") == ["Ingrid Solberg"]
    assert names(text, "public inquiry") == ["Lars Dahl"]
    assert names(text, "compensate the crews") == ["Fishermen's Union"]


def test_a_call_in_a_reported_or_conditional_clause_or_with_no_subject_is_not_credited():
    text = ("The ferry service was cut in half in March. "
            "Calls for a public inquiry grew louder after the second closure. "
            "If the service is not restored, the opposition would call for the minister to resign. "
            "A rumour alleging that the mayor had called on crews to strike spread online.")
    assert names(text, "public inquiry grew") == []
    assert names(text, "minister to resign") == []
    assert names(text, "crews to strike") == []


# ------------------------------------------------------------------ whom a report cites (GUIDELINES 1, chains)


def test_the_sources_a_report_cites_are_credited_with_the_reporter():
    text = ("The border crossing was closed overnight. "
            "Citing Treasury officials, the Northland Gazette said the closure would last a week. "
            "Two trucks were turned back, the Harbour Post reported, citing police sources.")
    assert names(text, "closure would last a week") == ["Northland Gazette", "Treasury officials"]
    assert names(text, "trucks were turned back") == ["Harbour Post", "police sources"]


def test_citing_a_reason_or_in_a_sentence_that_reports_no_words_credits_no_one():
    text = ("The border crossing was closed overnight. "
            "Two senators opposed the plan, citing its cost to local farmers. "
            "The ministry delayed the vote, citing Customs officials' workload.")
    assert names(text, "cost to local farmers") == []
    assert names(text, "delayed the vote") == []


# ------------------------------------------------------------------ a document named by its author after a date (GUIDELINES 2)


def test_a_dated_or_new_document_is_credited_to_its_author_and_so_is_the_same_document_after():
    text = ("The harbour town has lost a third of its jobs. "
            "Few residents expect a recovery, according to a 2016 Northland Institute survey. "
            "The same survey also found that most young people plan to leave. "
            "Rents have doubled since 2010, according to a new Harbour Trust report.")
    assert names(text, "expect a recovery") == ["Northland Institute"]
    assert names(text, "plan to leave") == ["Northland Institute"]
    assert names(text, "Rents have doubled") == ["Harbour Trust"]


# ------------------------------------------------------------------ a document's maker named by a participle (GUIDELINES 2)


def test_a_document_published_or_provided_by_its_author_credits_the_author():
    text = ("The harbour town has lost a third of its jobs. "
            "The survey, conducted by the Northland Institute, found that most young people plan to leave. "
            "Rents have doubled, according to a report released on Monday by the Harbour Trust. "
            "Ms Berg says the review carried out by Lars Dahl did not go far enough.")
    assert names(text, "Rents have doubled") == ["Harbour Trust"]
    assert names(text, "plan to leave") == ["Northland Institute"]
    # (a document that is someone's topic is theirs)
    assert names(text, "did not go far enough") == ["Berg"]

"""Issue 14, seventh round: rules chosen for carrying to unseen articles (a format or a path's
general failure, measured over all six news dev splits pooled), each justified by
tests/data/news-credits/GUIDELINES.md. Each test is a small made-up passage that fails without
its rule."""

from __future__ import annotations

from tests.test_credits_news_rules import names


# ------------------------------------------------------------------ credit lines (GUIDELINES 10)


def test_an_agency_credit_line_glued_to_the_editors_initials_by_a_dash_or_split_by_slashes():
    # "rs/rt-(AFP, dpa)": the same credit line as "jbh/gsw (dpa, AP)", the space lost.
    text = "The ferry service will resume on Monday, the operator said. kw/rt-(AFP/dpa, KNA)"
    assert {"AFP", "dpa", "KNA"} <= set(names(text, "ferry service"))


def test_an_agency_that_contributed_to_the_report_is_credited_but_a_staff_reporter_is_not():
    text = ('"We will rebuild," the mayor said. The Associated Press contributed to this report. '
            "Hana Lindqvist contributed to this report.")
    assert names(text, "Associated Press contributed") == ["Associated Press"]
    assert names(text, "Lindqvist contributed") == []


def test_a_wire_dateline_credits_its_agency_to_the_sentence_it_opens():
    text = ("OSLO, Norway, April 2 (Reuters) - Fishing quotas in the Barents Sea will be cut by a fifth. "
            "The cut follows two poor seasons.")
    assert names(text, "Fishing quotas") == ["Reuters"]
    assert names(text, "two poor seasons") == []


# ------------------------------------------------------------------ whom a spokesperson speaks for


def test_a_spokesperson_for_a_body_named_with_of_is_credited_with_whom_they_speak_for():
    # GUIDELINES: "a spokesman for May" -> "spokesman for Theresa May": a bare "spokesperson"
    # names no one; the body's name may hold "of" ("Department of Justice").
    text = ('A spokesperson for the Department of Transport later said: "The fares will be frozen. '
            'Nobody will pay more this year."')
    assert names(text, "fares will be frozen") == ["spokesperson for the Department of Transport"]
    assert names(text, "Nobody will pay more") == ["spokesperson for the Department of Transport"]


def test_an_inverted_speaker_keeps_the_unnamed_public_body_they_speak_for():
    text = '"We are studying the files closely," said a spokesman for the regional prosecutor\'s office.'
    assert names(text, "studying the files") == ["spokesman for the regional prosecutor's office"]
    # (a "for" phrase that is no body's name is left off: "a spokesman for years")
    text2 = '"We never comment on rumours," said a spokesman for a while afterwards.'
    assert names(text2, "never comment") == ["spokesman"]


# ------------------------------------------------------------------ an unnamed office holder speaks


def test_the_body_an_unnamed_office_holder_heads_is_not_credited_with_their_words():
    # GUIDELINES rule 1: the credit is who speaks. "The chairman of the committee has said" is
    # a person the sentence does not name; the committee is not the speaker (nor is the office).
    text = ("The chairman of the Harbour Works Committee has said the quay will reopen in May. "
            "The Chairperson of the Transit Authority has confirmed that fares will rise. "
            "The CEO of a Leeds-based bakery chain said it would hire 200 staff. "
            "The Harbour Works Committee said the repairs cost more than planned.")
    assert names(text, "quay will reopen") == []
    assert names(text, "fares will rise") == []
    assert names(text, "hire 200 staff") == []
    # (the body speaking in its own name still does)
    assert names(text, "repairs cost more") == ["Harbour Works Committee"]


# ------------------------------------------------------------------ what a bare noun may stand for


def test_a_statement_is_not_the_outlet_that_reported_it():
    # GUIDELINES rule 1: "the statement" is its issuer's; an outlet that reported on the case
    # issued no statement (unnamed issuer: no credit rather than the wrong one).
    text = ("The search for the missing hiker ended on Sunday, according to the Valley Courier.\n"
            '"We thank the volunteers who searched through the night," the statement said.')
    assert names(text, "thank the volunteers") == []


def test_the_company_is_not_a_group_of_officials_credited_before():
    # "Officials said" credits a role (GUIDELINES: unnamed people keep a role credit); "the
    # company said" later is a business the role does not name.
    text = ("Harlow officials said the plant would stay open until June. "
            "But the company, a maker of steel pipes, said in March that orders had fallen.")
    assert names(text, "orders had fallen") == []
    text2 = ("Ardent Steel Inc. said in January that it would cut 40 jobs. Harlow officials said the plant "
             "would stay open. The company said orders had fallen.")
    assert names(text2, "orders had fallen") == ["Ardent Steel Inc."]


# ------------------------------------------------------------------ "X quoted Y as saying"


def test_who_was_quoted_as_saying_and_who_quoted_them_are_both_credited():
    # GUIDELINES rule 1: the speaker, and the outlet the words were given to.
    text = ('"The roads are impassable," the Harbour Gazette newspaper quoted Mayor Ruth Okafor as saying. '
            "Nordic Wire, reporting from the port, quoted coastguard officials as saying that two ships ran aground. "
            'Staff left the building as a "precaution," said a fire service source quoted by Nordic Wire.')
    assert names(text, "roads are impassable") == ["Harbour Gazette", "Ruth Okafor"]
    assert names(text, "two ships ran aground") == ["Nordic Wire", "coastguard officials"]
    assert "Nordic Wire" in names(text, "Staff left the building")


def test_quoted_without_as_saying_or_a_name_that_ends_its_phrase_is_no_credit():
    text = ("The price quoted by dealers rose again. "
            "He was quoted in a Vantor post as the source of the rumour. "
            'Regional state TV quoted Ilse Marr as saying the dam would hold.')
    assert names(text, "price quoted") == []
    assert names(text, "source of the rumour") == []
    assert names(text, "dam would hold") == ["Ilse Marr"]


# ------------------------------------------------------------------ "Japan's top diplomat said"


def test_a_countrys_office_holder_is_the_person_the_text_titles_so():
    # GUIDELINES rule 2 (the most specific name of that source): "Japan's top diplomat" is the
    # Japanese foreign minister named before; another country's minister is no one here.
    text = ("Japanese Foreign Minister Kenji Arata met his Norwegian counterpart in Oslo. "
            '"We have spoken 13 times," Japan\'s top diplomat said. '
            "Norway's foreign minister said trade was the priority.")
    assert names(text, "spoken 13 times") == ["Kenji Arata"]
    assert names(text, "trade was the priority") == []

"""Issue 14, ninth round (who a reference is): the named person a relative clause, a pronoun, a
role or a description refers to, by mechanisms that recur on unseen articles, each justified by
tests/data/news-credits/GUIDELINES.md. Each test is a small made-up passage that fails without
its rule."""

from __future__ import annotations

from tests.test_credits_news_rules import names


# ------------------------------------------------------------------ a speaker in a relative clause (GUIDELINES 1)


def test_a_name_before_who_said_is_credited_and_is_whom_the_next_he_said_refers_to():
    text = ("The harbour reopened on Monday after a month of repairs. "
            "The mayor was joined at the quay by Mr Lund and Deputy Commissioner Pavel Novak, who said the new wall "
            "would hold back a ten-metre swell. "
            "He said the work had cost less than planned. "
            "He said the ferries would return in May.")
    assert names(text, "ten-metre swell") == ["Pavel Novak"]
    assert names(text, "cost less than planned") == ["Pavel Novak"]
    assert names(text, "ferries would return") == ["Pavel Novak"]


def test_who_said_credits_a_surname_the_text_gave_before_but_not_a_possessive_or_a_lone_noun():
    text = ("Senator Ruth Ames opposed the bill. The vote put the party at odds with Ames, who said on Tuesday "
            "that the levy would hurt farmers. "
            "The governor's aide, who said little, left early. "
            "Parliament, who said nothing, adjourned.")
    assert names(text, "hurt farmers") == ["Ruth Ames"]
    assert names(text, "left early") == []
    assert names(text, "adjourned") == []


def test_who_said_after_a_title_of_a_place_credits_the_person_not_the_place():
    text = ("The plan was welcomed in town. Those sentiments were echoed by former Mayor of Castlebar "
            "Brendan Heneghan, who said the fight was not over. It was a long day.")
    assert names(text, "fight was not over") == ["Brendan Heneghan"]


# ------------------------------------------------------------------ a politician by party or seat (GUIDELINES 2)


def test_a_party_or_seat_description_is_the_lawmaker_just_named():
    text = ("Senator Dana Whitfield questioned the nominee on Tuesday. "
            "Whitfield said the answers were evasive. "
            "The Oregon Democrat said she would vote against him. "
            '"We deserve better," the Oregon Democrat told reporters.')
    assert names(text, "vote against him") == ["Dana Whitfield"]
    assert names(text, "We deserve better") == ["Dana Whitfield"]


def test_a_description_after_someone_newly_brought_in_is_not_guessed():
    # The sentence before brings in a second lawmaker: which of the two the description
    # re-identifies is not known, and a guess is an accusation.
    text = ("Governor Paul Reyes signed the bill on Monday. "
            "Reyes said the state could not wait. "
            "Republican Sen. Martin Hale, a sponsor of the old law, denounced the deal on the floor. "
            '"This bill is a punt," the Charlotte-area legislator said.')
    assert names(text, "state could not wait") == ["Paul Reyes"]
    assert names(text, "bill is a punt") == []

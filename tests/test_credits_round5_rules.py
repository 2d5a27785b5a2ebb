"""Issue 14, fifth round: general rules found on the four news dev splits (news-dev, -b, -c,
-d), each justified by tests/data/news-credits/GUIDELINES.md. Each test is a small made-up
passage that fails without its rule."""

from __future__ import annotations

from tests.test_credits_news_rules import names


def test_a_person_named_with_where_they_are_from_speaks():
    text = ("Hundreds marched through the city on Thursday. "
            '"We are here because the summit does not speak for us," Lena Marsh from the Leeds Youth Forum told the Gazette. '
            '"They represent the banks.')
    assert "Lena Marsh" in names(text, "summit does not speak")
    # A bare quotation that follows goes on quoting her (GUIDELINES rule 1).
    assert "Lena Marsh" in names(text, "represent the banks")
    # Not a body or a bare plural: the rule wants a first and a last name.
    assert "Leeds Youth Forum" not in names(text, "summit does not speak")


def test_a_speaker_quoted_as_saying_is_credited():
    text = ('The charity interviewed pupils across the region. '
            '"We used to walk here every day," 9-year-old Omar is quoted as saying.')
    assert names(text, "walk here every day") == ["Omar"]


def test_a_title_that_ends_a_name_is_a_role_not_a_name():
    # Who "the Tory MP" is, the reader works out; crediting the words "Tory MP" as if they were
    # a name, or resolving "he" to "Mr. President" inside a quotation, names no one right.
    # (Round 9: the reader's answer, the lawmaker just named, is what GUIDELINES rule 2 asks for,
    # "the most specific name the text gives"; it was [] while descriptions were not resolved.)
    text = ("Former Chancellor Gordon Ash is to become editor of the paper. "
            'The Tory MP said he was "thrilled" to take the job.')
    assert names(text, "thrilled") == ["Gordon Ash"]
    text = ('Lena Dahl, a former ambassador, was blunt. "Sorry, Mr. President, that is not how the alliance works," she tweeted.')
    assert names(text, "not how the alliance works") == ["Lena Dahl"]


def test_a_titled_surname_shared_by_two_people_named_in_full_is_left_as_written():
    text = ("Maria Hollis, 51, was awarded a monthly sum from 50-year-old Graham Hollis after their divorce. "
            'Mr Hollis had argued he should not have to "pick up the tab" years after the couple split.')
    assert names(text, "pick up the tab") == ["Hollis"]
    # With one person of that name, the surname is the full name.
    text = ('Graham Hollis appealed the award. Mr Hollis had argued he should not have to "pick up the tab".')
    assert names(text, "pick up the tab") == ["Graham Hollis"]


def test_a_name_after_its_title_and_where_it_is_held_is_the_subject_a_pronoun_refers_to():
    text = ('The deal is working, Commission spokesman Piet Vandel said. '
            "Former EU Ambassador to Norway Marc Perrin, while critical of the government, is a believer in the agreement. "
            "He says he does not believe Oslo will back out. "
            '"The deal works," Perrin told the radio.')
    assert names(text, "will back out") == ["Marc Perrin"]


def test_the_minister_is_the_one_the_text_titled_with_the_portfolio():
    text = ("Minister for Transport Sean Rourke has rejected calls to intervene in the rail dispute. "
            "He called on both sides to talk. "
            "The minister also said he sees no reason why talks cannot resume.")
    assert names(text, "no reason why talks") == ["Sean Rourke"]

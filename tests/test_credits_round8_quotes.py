"""Issue 14, eighth round (carrying): which sentences a credit belongs to, by mechanisms that
recur on unseen articles, each justified by tests/data/news-credits/GUIDELINES.md. Each test is a
small made-up passage that fails without its rule."""

from __future__ import annotations

from tests.test_credits_news_rules import names


# ------------------------------------------------------------------ speech that goes on (GUIDELINES 1)


def test_went_on_to_say_credits_the_speaker_named_or_referred_to_before_it():
    text = ("Finance Minister Ingrid Solberg said on Monday that the budget was balanced. "
            "Solberg went on to say that taxes would not rise. "
            "She went on to argue that the pension fund was safe. "
            "Harbour master Lars Dahl spoke at the quay on Tuesday. "
            "The minister went on to tell reporters that the quay would reopen in May.")
    assert names(text, "taxes would not rise") == ["Ingrid Solberg"]
    assert names(text, "pension fund was safe") == ["Ingrid Solberg"]
    assert names(text, "quay would reopen") == ["Ingrid Solberg"]


def test_a_quotations_tag_continued_credits_its_speaker_but_continued_alone_does_not():
    text = ('Talks resumed on Friday. "We are not there yet," said Omar Haddad, the union\'s negotiator. '
            'Prices at the pumps rose sharply on the news of the walkout. "It will take weeks, not days," he continued. '
            'The strike continued into a third week.')
    assert names(text, "weeks, not days") == ["Omar Haddad"]
    assert names(text, "third week") == []


# ------------------------------------------------------------------ whom a tag's pronoun refers to (GUIDELINES 2)


def test_a_tags_pronoun_is_not_someone_the_quotation_it_tags_names():
    # The speaker of '"...," he said' is named before the quotation, never inside it.
    text = ("The mayor's rival, Tomas Berg, spoke outside the town hall on Monday. "
            '"President Carla Mendes has failed this town," he said. '
            '"Local Fishermen have waited ten years for the new quay," he added.')
    assert names(text, "failed this town") == ["Tomas Berg"]
    assert names(text, "waited ten years") == ["Tomas Berg"]


# ------------------------------------------------------------------ the state of a quotation (GUIDELINES 1)


def test_a_quotation_opened_by_a_mis_decoded_mark_still_carries_its_speaker():
    # One feed writes an opening mark as '"\ufffd' ('[I say] "\ufffdYou are bold.'); read as '" ',
    # it looked like a closing mark, and the quotation's later sentences lost their speaker.
    text = ('Rescue teams reached the flooded village on Sunday morning. "We could not wait any longer,"?said '
            'Mia Torres, who leads the team. "\ufffdThe river rose all night. Nobody slept in the camp. '
            'We moved the children first."?The water fell on Monday.')
    assert names(text, "Nobody slept") == ["Mia Torres"]
    assert names(text, "moved the children") == ["Mia Torres"]
    # (after a space but before a lowercase word it was a dash, not an opening mark)
    text2 = ('The league fined six clubs "\ufffdfour of them from the north "?for late wages. '
             'The clubs have a month to appeal, said Jon Berg, the league\'s secretary. '
             'Fans held a protest outside the ground.')
    assert names(text2, "protest outside") == []


# ------------------------------------------------------------------ the outlet a speaker told (GUIDELINES 1-2)


def test_told_the_newspaper_credits_the_outlet_named_before_and_its_quotation_carries_it():
    text = ('Mayor Lena Hart told the New York Times on Monday that money was short. "We will not close the library," '
            'Hart told the newspaper. "It stays open. The budget allows it."')
    assert names(text, "close the library") == ["Lena Hart", "New York Times"]
    assert names(text, "budget allows") == ["Lena Hart", "New York Times"]
    # (no outlet named before: no one is guessed; an outlet named there is not doubled)
    assert names('"We will rebuild," the mayor told the paper.', "rebuild") == []
    text2 = "Officials met on Monday. A port official told the Reuters news agency that ships were delayed."
    assert names(text2, "ships were delayed") == ["Reuters", "port official"]

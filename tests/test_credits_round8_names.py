"""Issue 14, eighth round, names: what a credit's name is. Mechanisms that build a name from a
capitalised run (an opening function word, where a title is held, page furniture), each shown by
a small made-up passage that fails without its rule (GUIDELINES: a credit names the source by the
name the text gives it, and nothing else)."""

from __future__ import annotations

from tests.test_credits_news_rules import names


# ------------------------------------------------------------------ an opening function word


def test_a_subordinating_conjunction_that_opens_the_sentence_is_no_part_of_the_speakers_name():
    text = ("Senator Ilona Varga chairs the panel. Although Varga maintained that the hearing was lawful, "
            "it drew protests. Though Varga said she had doubts, she voted for it.")
    assert names(text, "Although Varga maintained") == ["Ilona Varga"]
    assert names(text, "Though Varga said") == ["Ilona Varga"]


def test_a_quantifier_that_opens_a_quotation_is_not_the_speaker_a_pronoun_refers_to():
    # "More Cypriots have been visiting ..., he added": "he" is the ambassador named before, not
    # a person called "More Cypriots".
    text = ("Ambassador Pavel Orlov spoke to reporters on Friday. Orlov pointed out that Cypriots had been "
            'taking more interest in ties between the two peoples. "More Cypriots have been visiting our '
            'country as tourists," he added. "Even the visa figures prove it."')
    assert names(text, "More Cypriots have") == ["Pavel Orlov"]
    assert names(text, "Even the visa") == ["Pavel Orlov"]


# ------------------------------------------------------------------ where a title is held


def test_the_place_where_a_title_is_held_is_no_part_of_its_holders_name():
    text = ("Russian Ambassador to the Republic of Moldova Igor Petrenko said in an interview that trade grew. "
            '"Last year was a year of records," he said. Petrenko added that visas were issued faster.')
    assert names(text, "Last year was") == ["Igor Petrenko"]
    assert names(text, "Petrenko added") == ["Igor Petrenko"]


def test_a_title_held_for_a_place_names_the_holder_by_the_last_two_words():
    text = ("Mayor of Lisbon Fernando Medina said the tram line will reopen. "
            "Medina said the work was nearly done.")
    assert names(text, "Medina said the work") == ["Fernando Medina"]


def test_a_portfolio_of_two_words_joined_by_and_is_not_a_second_speaker():
    # "Minister on Integration and Macroeconomy Tatiana Valovaya told": one speaker, not
    # "Integration" and "Macroeconomy Tatiana Valovaya".
    text = ("The commission expects the code to be signed soon, EEC Board Member (Minister) on Trade and "
            "Customs Lena Markova told reporters on Monday.")
    assert names(text, "The commission expects") == ["Lena Markova"]


# ------------------------------------------------------------------ page furniture


def test_a_photo_credit_run_into_the_text_by_a_gap_of_two_spaces_is_no_part_of_the_name():
    # A caption's "Photographer / Agency" joined to the next paragraph by two spaces.
    text = ("Online retailer boss Lin Hao met the minister on Monday. Rui Zhang / Getty Images  Lin, who "
            "runs the largest shopping site, says he was encouraged. Lin says exports will grow.")
    assert names(text, "runs the largest") == ["Lin Hao"]
    assert names(text, "Lin says exports") == ["Lin Hao"]


# ------------------------------------------------------------------ a descriptor used as a title


def test_a_noun_of_occupation_put_before_a_name_as_a_title_is_no_part_of_the_name():
    text = ("Filmmaker Jonas Brekke said the footage was never shown. The filmmaker spent two years on it. "
            "Brekke argues that the second video is the earlier one.")
    assert names(text, "Filmmaker Jonas Brekke said") == ["Jonas Brekke"]
    assert names(text, "Brekke argues") == ["Jonas Brekke"]


def test_a_first_name_with_the_same_ending_stays_when_the_text_never_writes_it_in_lowercase():
    text = "Peter Jonas Brekke said the footage was never shown."
    assert names(text, "footage was never") == ["Peter Jonas Brekke"]


# ------------------------------------------------------------------ an acronym the text defines


def test_an_acronym_is_credited_by_the_name_the_text_defines_it_by_in_brackets():
    # (initials alone would not find it: R-A-D-A is not RUSADA)
    text = ("The Russian Anti-Doping Agency (RUSADA) was suspended in 2015. "
            "RUSADA said it had met every condition for reinstatement.")
    assert names(text, "RUSADA said") == ["Russian Anti-Doping Agency"]


def test_a_bracket_after_a_possessive_defines_no_acronym():
    text = ("The Foreign Affairs Committee's (FCO) report was published on Monday. "
            "The FCO said the embassy would stay open.")
    assert names(text, "The FCO said") == ["FCO"]

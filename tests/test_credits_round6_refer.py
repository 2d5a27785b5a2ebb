"""Issue 14, sixth round: who a reference points to (a pronoun after "according to", an office,
a report, a quotation's continuation), found on the five news dev splits. Each test is a small
made-up passage that fails without its rule (tests/data/news-credits/GUIDELINES.md, rule 2:
pronouns and roles take the most specific name the text gives)."""

from __future__ import annotations

from tests.test_credits_news_rules import names


def test_according_to_him_is_the_person_speaking():
    text = ("Norway will defend its fishing rights, Deputy Fisheries Minister Ola Brekke told reporters on Monday. "
            "According to him, Oslo wants a deal before the summer.")
    assert names(text, "Oslo wants a deal") == ["Ola Brekke"]


def test_according_to_an_office_is_the_holder_the_text_titled():
    text = ("Lisbon is ready to talk, Portuguese First Deputy Foreign Minister Rui Costa Mendes said on Monday. "
            "According to the Portuguese first deputy foreign minister, the talks will start in May.")
    assert names(text, "talks will start in May") == ["Rui Costa Mendes"]


def test_an_office_is_the_one_person_just_credited():
    text = ("Speaking on the radio, Lena Marsh said the trade deal would be ambitious. "
            "The ambassador said the relationship would not be affected.")
    assert names(text, "not be affected") == ["Lena Marsh"]
    text = ("Speaking on the radio, Lena Marsh said the trade deal would be ambitious. "
            "According to the diplomat, the relationship would not be affected.")
    assert names(text, "not be affected") == ["Lena Marsh"]


def test_an_office_with_two_people_in_reach_is_no_one():
    # Two people credited in the sentence before: which of them is the ambassador, the text does
    # not say, and a guess is a false accusation half the time.
    text = ("Lena Marsh said the deal would be ambitious, and Tom Hale said it would be hard. "
            "The ambassador said the relationship would not be affected.")
    assert names(text, "not be affected") == []


def test_an_office_with_no_one_credited_is_the_one_person_named_as_subject():
    text = ("Anna Berg has revealed deep concerns about the tide turning against trade. "
            "In an interview with the Gazette, the Lumo founder said that fake news was damaging trust. "
            "Ms Berg started Lumo in 2004.")
    assert "Anna Berg" in names(text, "fake news was damaging")


def test_an_office_the_cues_did_not_read_is_its_titled_holder():
    text = ("Chancellor Paul Hume has defended the U-turn on taxes. "
            "Mr Hume's budget would have raised the rate. "
            'In a Commons statement, the chancellor told MPs: "There will be no increases."')
    assert names(text, "no increases") == ["Paul Hume"]


def test_a_one_word_title_is_the_person_just_credited():
    # (a title the text never puts before a name: credited as the bare word "Taoiseach" before)
    text = ("Liam Daly met the unions on Monday. "
            "Mr Daly said the talks went well. "
            "Asked about the border, the Taoiseach said the solution would be political.")
    assert names(text, "solution would be political") == ["Liam Daly"]


def test_a_report_cited_by_a_findings_verb_is_its_authors():
    text = ("About 9,000 farm workers fall ill every year, the World Health Organization says. "
            "The WHO report - published on Monday - said the harm had been underestimated. "
            "It lists an array of illnesses with suspected links to the sprays. "
            "The report blamed the industry for the damage. "
            "The WHO report also highlighted effects on rivers.")
    for words in ("harm had been underestimated", "array of illnesses", "blamed the industry", "effects on rivers"):
        assert names(text, words) == ["World Health Organization"], words


def test_a_report_no_author_is_named_for_is_no_ones():
    # (GUIDELINES rule 2: unnamed documents get no credit)
    text = "Farm workers fall ill every year. The report blamed the industry for the damage."
    assert names(text, "blamed the industry") == []


def test_a_report_named_by_its_author_is_not_another_bodys():
    text = ("About 9,000 farm workers fall ill every year, the World Health Organization says. "
            "The CDC report blamed the industry for the damage.")
    assert names(text, "blamed the industry") == []


def test_it_after_a_sentence_not_about_a_report_is_left_alone():
    # ("It" is the report only where the sentence before is about the report)
    text = ("About 9,000 farm workers fall ill every year, the World Health Organization says. "
            "Israel was critical of the report. It accused the authors of bias.")
    assert names(text, "accused the authors") == []


def test_a_quotation_after_a_glued_dash_goes_on_quoting_the_speaker_before():
    text = ('"I think the idea carries a kind of class bias," said Boyle.- '
            '"It is a lot easier for professionals to take an hour off than for working people. '
            "That is a tough thing to say to millions of people. "
            'That is not going to go down well at the local store."')
    assert names(text, "tough thing to say") == ["Boyle"]
    assert names(text, "local store") == ["Boyle"]


def test_he_said_is_the_speaker_named_after_the_words_before():
    text = ('"General strikes do not happen here," Kevin Boyle, a historian, told the radio. '
            "What do happen are local strikes, but even those are rare, explained Anne Cohen, a history professor. "
            '"The last one was in Oakland in 1946," he said. '
            '"It is very uncommon," Cohen said.')
    assert names(text, "last one was in Oakland") == ["Anne Cohen"]


def test_he_is_not_the_speaker_of_a_clause_about_what_happened():
    text = ("Former minister Alan Shaw said he had no choice but to resign. "
            "Mr Shaw agreed that he was sacked by Mr Kerr when Prime Minister Enda Kerr told parliament that he had lost confidence in him. "
            'He said the "clear message" he took was to resign.')
    assert names(text, "clear message") == ["Alan Shaw"]


def test_a_surname_is_the_speaker_credited_last_by_it_not_a_namesake_named_before():
    text = ("Natalie Parr, 16, and her boyfriend were found dead on Sunday, the sheriff's office said. "
            'Natalie\'s grandmother, Margaret Parr, told "GMA" that Natalie meant the world to them. '
            '"It ended so quickly," Parr said.')
    assert names(text, "ended so quickly") == ["Margaret Parr"]


def test_a_sentence_that_only_names_the_speaker_credits_the_quotation_before_it():
    # (the closing mark followed by a stray "?", as the real articles have it, ends the sentence)
    text = ('Ann Reed, the mother of the fallen soldier, has called the raid a "stupid mission". '
            '"Why at this time did there have to be this stupid mission when it was barely a week into his term?"?'
            "Reed said in an interview with the Miami Herald.")
    assert names(text, "barely a week into") == ["Ann Reed", "Miami Herald"]
    # Only a quotation's: a sentence of the writer's that holds someone else's words is not.
    text = ('Ann Reed, the mother of the fallen soldier, spoke on Friday. '
            'Police closed the road at noon, and the mayor called the closure "a necessary step."?'
            "Reed said in an interview with the Miami Herald.")
    assert "Ann Reed" not in names(text, "closed the road")


def test_a_pronoun_after_an_unnamed_person_is_that_person_by_what_they_are():
    text = ('"There is already going to be fear," Sheriff Ed Ruiz said. '
            "One woman described suffering precisely that experience. "
            "She told the committee that it took three years to call the police. "
            '"I was worried I would be deported," she said.')
    assert names(text, "told the committee") == ["woman"]
    assert names(text, "worried I would be deported") == ["woman"]
    # ("One man" is no "she": the person named before is left to the other rules)
    text = ('"There is already going to be fear," Lena Ruiz said. '
            "One man described suffering that experience. "
            "She told the committee that it took three years to call the police.")
    assert names(text, "told the committee") != ["man"]


def test_a_capitalised_office_is_its_titled_holder():
    text = ('Prime Minister Omar Rana called the attack "brutal." '
            '"I have directed all the state institutions to mobilize all resources," the Prime Minister said in a statement.')
    assert names(text, "directed all the state institutions") == ["Omar Rana"]


def test_it_with_a_findings_verb_after_it_said_is_the_same_source():
    text = ("Foreign aid is not wasted, the International Development Committee said in a report. "
            'It also said there had been a "shift in strategy" under the new minister. '
            'It highlighted how she had spoken of aid money being "stolen".')
    assert names(text, "aid money being") == ["International Development Committee"]


def test_an_office_is_not_a_person_the_text_says_is_something_else():
    # (a place or nation qualifying the office must be said of the person: the Berlin mayor is
    # not the Moscow mayor just credited)
    text = ('"Sanctions harm both cities," Moscow Mayor Sergey Sobin said on Monday. '
            "The Berlin mayor said his talks would focus on trade.")
    assert names(text, "focus on trade") == []
    # (nor someone the text calls a lawyer)
    text = ("Charles Swift, Ms Salman's lawyer, said the hearing went well. "
            "The judge said the order would stand.")
    assert names(text, "order would stand") == []


def test_an_office_after_a_preposition_is_no_speaker():
    text = ("Reince Priebus said the staff would stay. "
            "The three top advisers to the President said they jointly agreed on the move.")
    assert "Reince Priebus" not in names(text, "jointly agreed")


def test_he_after_an_unnamed_spokesman_is_that_spokesman():
    text = ("Alan Shaw said the report cleared him. "
            "A spokesman for the Taoiseach said he rejected the charge. "
            "He also said the minister had acted properly.")
    assert names(text, "acted properly") == ["spokesman for the Taoiseach"]


def test_a_surname_stays_with_the_namesake_named_in_full_since():
    text = ('"It was a shock," Nicole Olsen told the court. '
            "Reeves asked Chad Olsen to put away his phone. "
            'Reeves said Chad Olsen ignored him, and Olsen said "no".')
    assert "Nicole Olsen" not in names(text, "ignored him")


def test_he_after_an_official_credited_in_passing_is_not_the_official():
    text = ("Donald Trump spoke to reporters on Friday. "
            "The plan was drafted with help from a senior administration official, the official said. "
            '"This is your chance for a great plan!" he tweeted later.')
    assert not any("official" in n for n in names(text, "great plan"))


def test_a_bare_surname_left_as_written_is_the_full_name_credited_before():
    text = ("Russia will defend its interests in the Arctic, Russian First Deputy Foreign Minister Ivan Tarov told TASS on Monday. "
            + "The region is one of partnership. " * 30
            + '"We are confident," Tarov emphasized.')
    assert names(text, "We are confident") == ["Ivan Tarov"]


def test_the_role_said_again_is_the_unnamed_person_described_before():
    # "the supervisor said" after "A former shift supervisor ... said": one unnamed source, named
    # by the fuller description the text gave (GUIDELINES: an unnamed person's role is the credit).
    text = ("A former shift supervisor, who asked not to be named, said crews had asked managers to reline the tank. "
            "The request was turned down because of its cost, the supervisor said.")
    assert names(text, "turned down") == ["former shift supervisor"]

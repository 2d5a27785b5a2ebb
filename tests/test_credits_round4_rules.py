"""Issue 14, fourth round: precision first. Each rule makes a path that guessed on the three
news dev splits abstain, or credit only where the language says who speaks
(tests/data/news-credits/GUIDELINES.md). Each test is a small made-up passage that fails
without its rule."""

from __future__ import annotations

from tests.test_credits_news_rules import names


def test_a_verb_spelled_like_a_plural_noun_credits_only_what_follows_as_said():
    # "states", "claims": the countries of a group, the claims of a story, not a speaker.
    text = ("Marchers blamed the wars fought by several G20 states, mostly in the Middle East. "
            "Wiretap claims are 'nonsense' and should be ignored, the agency said. "
            "The Bureau of Statistics states that exports rose by 4 percent.")
    assert names(text, "Marchers blamed") == []
    assert "Wiretap" not in names(text, "should be ignored")
    assert names(text, "exports rose") == ["Bureau of Statistics"]


def test_a_participle_or_an_imperative_does_not_begin_a_name():
    text = ("The First Minister Nora Kelso spoke at length on Tuesday. "
            "Speaking on Channel Five's Breakfast programme, she said her timescale could change and said a vote was likely. "
            "Watch the Finance Committee session He said the budget was tight and said cuts would follow.")
    assert names(text, "timescale") == ["Nora Kelso"]
    assert not any(n.startswith("Watch") for n in names(text, "budget was tight"))


def test_a_pronoun_with_no_one_named_as_a_subject_before_credits_no_one():
    # "Western Asia" in "the Commission for Western Asia" is mentioned in passing: no antecedent.
    text = ("The report was published by the Commission for Western Asia on Wednesday. "
            "He said the report had been withdrawn.")
    assert names(text, "had been withdrawn") == []
    # A name followed by its verb is a subject, whatever title stands before it.
    text = ("Transport Minister Shane Rourke has rejected calls to intervene in the dispute. "
            "He said to do so would be unhelpful.")
    assert names(text, "would be unhelpful") == ["Shane Rourke"]


def test_a_short_word_and_a_full_stop_end_a_sentence_unless_they_are_an_abbreviation():
    text = ("Trade deals face many hurdles, according to Lu. Wang Pengfei, a fund manager, says demand is strong. "
            "Gen. Tom Harlan said the drill went well.")
    assert "Lu. Wang Pengfei" not in names(text, "many hurdles")
    assert names(text, "drill went well") == ["Tom Harlan"]


def test_a_family_name_written_first_is_the_full_name():
    text = ("China Fund Corp President Lu Pengfei says overseas investment will grow. "
            '"We are a patient investor," Lu says. '
            "Taoiseach Enda Kenny spoke later. The Taoiseach said the talks were hard.")
    assert names(text, "patient investor") == ["Lu Pengfei"]
    assert names(text, "talks were hard") == ["Enda Kenny"]


def test_a_sentence_opening_conjunction_leaves_its_subject_the_antecedent():
    text = ("Ruth Dawson told the Courier that the vote was premature. "
            "First Minister Nora Kelso said voters had the right to choose. "
            "But Ms Dawson cited recent polls. "
            'She said: "People do not want this."')
    assert names(text, "People do not want this") == ["Ruth Dawson"]


def test_a_quotation_closed_by_a_full_stop_does_not_take_the_next_sentences_speaker():
    text = ('"We have not seen bills like these before," Sara Stone said. '
            '"It is not only an unconstitutional ban. It goes further than most."Lena Pirie, a doctor, said she believes the bill is harmful.')
    assert "Lena Pirie" not in names(text, "unconstitutional ban")
    text = ('Problems with sugar are common, according to Schmidt. "Most of us are overweight," she told the Post. '
            '"Sugar is a leading cause. Drinks are the main way people overdo it."If you want to cut down, Professor Schmidt offers tips. '
            "Dr. Maya Klein, a neurologist, told the Table she recommends bitter foods.")
    assert "Maya Klein" not in names(text, "leading cause")


def test_the_object_of_a_preposition_and_the_does_not_speak():
    text = '"We are here because the summit does not represent us," Nils Jansen from the Bonn Youth Movement told the Courier.'
    assert "Bonn Youth Movement" not in names(text, "does not represent us")


def test_the_government_is_only_a_government_the_text_names():
    # A committee credited before is no government; "It" after it is that government too.
    text = ("The Foreign Aid Committee said money should follow evidence, the committee said. "
            'The government said aid spending had to be "accountable". '
            'It said it would not "shy away" from reform.')
    assert names(text, "had to be") == []
    assert names(text, "shy away") == []
    text = "The Irish Government has been criticised. The government said the plan stands."
    assert names(text, "plan stands") == ["Irish Government"]


def test_a_time_adverb_and_the_before_a_speaker_are_no_part_of_the_name():
    text = ("Apple boss Tim Cook opened the site on Monday. "
            "Earlier the US Chamber of Trade's Mr Brillo told BBC Radio: \"Firms are worried.\" "
            'He added: "Some are holding back." Myron Brillo leads the chamber.')
    assert names(text, "Firms are worried") == ["BBC Radio", "Myron Brillo"]
    assert "Tim Cook" not in names(text, "holding back")


def test_a_pronoun_inside_a_subordinate_clause_credits_no_one():
    text = ("Representative Tom Cole said the claims were unfounded. "
            "Republicans have struggled to defend the president after he insisted that his phones were tapped.")
    assert names(text, "struggled to defend") == []
    # At the start of a sentence the clause's pronoun is its subject, as before.
    text = "Kellyanne Conway spoke on Sunday. Although she later said she misspoke, the claim stood."
    assert names(text, "misspoke") == ["Kellyanne Conway"]


def test_a_document_from_someone_credits_them_only_where_it_speaks():
    # The object of someone's act or a topic ("following media reports based on testimony
    # from Rodchenkov", "after the publication of the report from the Hale Commission").
    text = ("The Ethics Board opened its inquiry after media reports based on testimony from Grigor Rodkin. "
            "He said it was regrettable that after the publication of the report from the Hale Commission nothing changed. "
            "Immigrants add 15 percent of output, according to a 2014 report from the Economic Policy Institute. "
            "A report from the Audit Office found the scheme wasteful.")
    assert names(text, "opened its inquiry") == []
    assert "Hale Commission" not in names(text, "regrettable")
    assert names(text, "add 15 percent") == ["Economic Policy Institute"]
    assert names(text, "scheme wasteful") == ["Audit Office"]


def test_a_chamber_is_an_organisation_and_no_company():
    text = ("Apple announced a new London headquarters. "
            "His comments came as the US Chamber of Trade said firms had delayed investment. "
            "Earlier the US Chamber of Trade's Mr Brillo told BBC Radio that firms were worried. "
            "Last year the company said it would move 1,600 staff there.")
    assert names(text, "delayed investment") == ["US Chamber of Trade"]
    assert "Brillo" in names(text, "were worried")
    assert names(text, "move 1,600 staff") == []


def test_an_appositive_does_not_open_with_a_conjunction():
    text = ("Europe needs better ties with China and must work more on the Silk Road Initiative, "
            "and create value for both sides, says Plamen Rusev, an investor.")
    assert names(text, "create value") == ["Plamen Rusev"]


def test_a_sentence_whose_own_subject_speaks_does_not_inherit_the_previous_credit():
    text = ("Officers seized the dog after a complaint from a neighbour, spokesman Mike Bryce told the Post. "
            'The complaint said the dog was "acting aggressively," though no details were given.')
    assert names(text, "acting aggressively") == []


def test_a_speaker_called_by_family_name_is_the_antecedent_of_her_pronoun():
    text = ('Fan Lin Shengjie runs a fan club. "Watching him is a pleasure," Lin says. '
            'Zhang Bendou, a tennis writer, sees it otherwise. "He is popular," says Zhang. '
            'Lin, who ran a fan club for years, agrees. "Federer was always at the top. Good timing," she says.')
    assert names(text, "Good timing") == ["Lin Shengjie"]


def test_a_word_that_opens_a_clause_is_no_part_of_a_name():
    text = ("Lan Thi and her friend were taken to China. "
            'Both Lan and her friend escaped. "I wanted to leave," says Lan. '
            'Unlike Ye, most artists draw by hand. Ye Hongxing paints. "I mix styles," Ye says.')
    assert names(text, "wanted to leave") == ["Lan Thi"]
    assert names(text, "mix styles") == ["Ye Hongxing"]


def test_a_match_that_begins_inside_a_longer_name_after_of_is_no_speaker():
    text = ("Skiers will file appeals with the Court of Arbitration for Sports (CAS), "
            "Elena Vyalbe, the head of the federation, told the agency on Tuesday.")
    assert not any("Arbitration" in n for n in names(text, "file appeals"))

"""Issue 14, third round: attribution rules found on the news-dev-b labels and written to hold
on any article (tests/data/news-credits/GUIDELINES.md). Each test is a small made-up passage,
one rule each, and fails without its rule."""

from __future__ import annotations

from provenance.credits.extract import find_attributions
from provenance.credits.resolve import CreditIndex
from provenance.records import DocRef
from tests.test_credits_news_rules import names


# ------------------------------------------------------------------ who a name is


def test_a_surname_is_the_full_name_with_its_generational_suffix():
    text = ("Former Judge Walter Greene Jr. told The Courier that the ruling was sound. "
            '"It was the only fair outcome," said Greene, who now teaches law. '
            "Greene said he had no regrets.")
    assert names(text, "only fair outcome") == ["Walter Greene Jr"]
    assert names(text, "no regrets") == ["Walter Greene Jr"]


def test_a_pronoun_with_no_one_credited_before_is_a_person_not_a_place():
    # "Bowling Green" reads like a person's name; the text calls Conway, not "Green", alone.
    text = ("The adviser Kellyanne Conway came under fire for citing a Bowling Green massacre. "
            "Although she later said she misspoke, it was not the first time. "
            "Conway repeated the claim on Sunday.")
    assert names(text, "she misspoke") == ["Kellyanne Conway"]


def test_a_time_before_an_appositive_is_not_the_spokesman():
    text = ("Earlier Friday, a spokesman for the mayor said the bridge would reopen. "
            '"The delay was unavoidable," the spokesman said.')
    assert "Earlier Friday" not in names(text, "delay was unavoidable")


def test_a_spokesman_is_named_with_whom_he_speaks_for():
    text = ("Theresa May arrived in Brussels on Monday. "
            "Earlier, a spokesman for May said officials had protested. "
            '"These claims are ridiculous," May\'s spokesman said. '
            "A spokeswoman for the Taoiseach said he rejected the charge. "
            "The spokeswoman also said the report had been withdrawn.")
    assert names(text, "officials had protested") == ["spokesman for Theresa May"]
    assert names(text, "claims are ridiculous") == ["spokesman for Theresa May"]
    # the principal of "for" is not a speaker of its own
    assert names(text, "rejected the charge") == ["spokeswoman for the Taoiseach"]
    assert names(text, "had been withdrawn") == ["spokeswoman for the Taoiseach"]


def test_lawyers_for_an_acronym_are_named_with_it_spelled_out():
    text = ("The Northern Bottling Company (NBC) was sued in 2012. "
            "Lawyers for the NBC argued that the products were not for export.")
    assert names(text, "not for export") == ["lawyers for the Northern Bottling Company"]


def test_a_one_word_title_is_its_holder():
    text = ("Taoiseach Enda Kenny met the ambassador on Monday. "
            "The Taoiseach said the challenge was unprecedented.")
    assert names(text, "challenge was unprecedented") == ["Enda Kenny"]


def test_the_judge_is_the_justice_the_text_named():
    text = ("Justice Adedayo Oyebanji ordered the company to print warnings. "
            '"The regulator has been irresponsible," the judge said.')
    assert names(text, "irresponsible") == ["Adedayo Oyebanji"]


def test_an_acronym_is_not_expanded_by_a_longer_name_it_begins():
    text = ("The UK Liberal Democrat leader spoke on Friday. "
            "It followed a rare statement from the UK intelligence agency.")
    assert "UK Liberal Democrat" not in names(text, "rare statement")


# ------------------------------------------------------------------ what is a cue


def test_a_name_followed_by_a_verb_after_said_is_what_was_said():
    text = "The scientists, mostly from the institute, said Zealandia was once part of Gondwana."
    assert "Zealandia" not in names(text, "part of Gondwana")
    assert names("The plan is sound, said Maria Lopez, the council leader.", "plan is sound") == ["Maria Lopez"]


def test_a_document_that_is_the_object_of_an_act_is_a_topic_not_a_source():
    text = ("Moscow believes Amnesty International's report on the prison to be a provocation, "
            "spokeswoman Maria Zakharova said on Thursday.")
    assert names(text, "provocation") == ["Maria Zakharova"]
    held = 'At a press conference, Donald Tusk held up Mrs May\'s letter and smiled.'
    assert names(held, "held up") == []
    # the document as its clause's subject, or its frame, still speaks
    assert names("Amnesty International's report found that 13,000 were killed.", "13,000") == ["Amnesty International"]
    assert names("The point of The Clarion Project's report is that the border is open.", "border is open") == ["Clarion Project"]


def test_maintained_is_a_credit_only_when_what_follows_is_said():
    assert names('Rodrigo Rato maintained the "corrupt system" his predecessor built.', "corrupt system") == []
    assert names("Rodrigo Rato maintained that the cards were part of his pay.", "part of his pay") == ["Rodrigo Rato"]


def test_a_hyphen_that_lost_a_space_before_the_cue_still_reads_as_one():
    text = "David Davis spoke in London. Mr Davis-earlier said that Britain hopes to act early. Mr Davis also-said he expects no bill."
    assert names(text, "act early") == ["David Davis"]
    assert names(text, "expects no bill") == ["David Davis"]


def test_agency_credit_lines_credit_each_agency():
    text = "The UN estimates that 400,000 people remain trapped in the city. jbh/gsw (dpa, AP)"
    assert names(text, "remain trapped") == ["AP", "UN", "dpa"]
    line = "Information from: Morning Sun, http://www.themorningsun.com/"
    assert "Morning Sun" in {a.name for a in find_attributions(line)}
    # initials without the brackets are no credit line
    assert names("Prices rose 3 percent in May, and/or more.", "Prices rose") == []


def test_a_channel_of_the_articles_own_outlet_is_its_own():
    idx = CreditIndex([DocRef(1, "a", "bbc.co.uk", "http://www.bbc.co.uk/news/x"), DocRef(2, "b", "cnn.com", None)])
    assert idx.is_own_outlet(1, "BBC One", None)
    assert not idx.is_own_outlet(2, "BBC One", None)


def test_a_negated_publication_credits_no_outlet():
    text = 'Conway said it on Sunday. "It\'s a fact," Conway said in remarks not initially published by The Daily Ledger.'
    assert "Daily Ledger" not in names(text, "a fact")
    assert names("The figures were first published by The Daily Ledger.", "figures") == ["Daily Ledger"]


def test_a_possessive_inside_a_name_credits_its_owner():
    text = ("The vaccine was 48 percent effective, according to a preliminary report in the "
            "U.S. Centers for Disease Control and Prevention's Morbidity and Mortality Weekly Report.")
    assert names(text, "48 percent") == ["U.S. Centers for Disease Control and Prevention"]


def test_a_sentence_borrows_an_according_to_only_when_the_next_refers_back_to_it():
    text = ("Dr. Ana Ruiz pointed out that the elderly need the vaccine most. "
            "The current vaccine protects 43 percent of the time, according to the CDC report.")
    assert names(text, "elderly need") == ["Ana Ruiz"]
    back = ("Officials put the cost of the repairs at $40 million. "
            "That estimate is drawn from bids, according to the Transit Authority.")
    assert names(back, "cost of the repairs") == ["Transit Authority"]


def test_the_researchers_are_the_one_institution_their_team_is_named_by():
    text = ("The print was found on a beach, researchers at the University of Queensland said in a study. "
            "The researchers noted that the tracks are exposed only at low tide. "
            "Some researchers say the site is older.")
    assert names(text, "low tide") == ["University of Queensland"]
    assert names(text, "site is older") == ["researchers"]
    two = ("Researchers at the University of Queensland and researchers at Monash University took part. "
           "The researchers noted that the tracks are exposed only at low tide.")
    assert names(two, "low tide") == ["researchers"]


def test_a_report_is_not_the_statement_someone_issued_about_it():
    text = ("The report was published by the UN Economic Commission for Western Asia. "
            "Israel's envoy Danny Danon issued a statement condemning the report. "
            'Israel is "guilty of apartheid", the report argues.')
    assert names(text, "guilty of apartheid") == ["UN Economic Commission for Western Asia"]


def test_a_possessive_document_in_a_quotation_s_context_is_a_topic():
    text = ('John Reynolds, a lecturer, told reporters the report "breaks new ground in the context of '
            "the UN's analysis of the situation\".")
    assert names(text, "breaks new ground") == ["John Reynolds"]


def test_what_follows_an_inverted_said_with_a_verb_is_what_was_said():
    text = ("The report was published by the Economic Commission for Western Asia. "
            "David Keane, associate professor in law at Middlesex University, said the new report "
            "differs from previous ones on the subject.")
    assert names(text, "differs from previous") == ["David Keane"]
    assert names("The harvest failed, said Maria Lopez on Monday.", "harvest failed") == ["Maria Lopez"]


def test_the_outlet_an_interview_was_given_to_by_its_kind_or_by_telling():
    text = ('"We will meet our obligations," Mr Davis told broadcaster ITV this morning. '
            "Army Gen. Joseph Votel defended the raid, telling CBS News that it was a success.")
    assert "ITV" in names(text, "meet our obligations")
    assert "CBS News" in names(text, "was a success")


def test_a_speaker_after_but_and_an_appositive_name_after_a_role():
    text = ("But Guy Verhofstadt, the Parliament's chief negotiator, said he would not bargain. "
            'Asked to respond, one of her attorneys, Cheney Mason, said: "She was acquitted."')
    assert names(text, "would not bargain") == ["Guy Verhofstadt"]
    assert names(text, "She was acquitted") == ["Cheney Mason"]


def test_an_it_in_a_second_clause_is_the_sentences_subject():
    text = ("Prosecutors said the defendant used chloroform. "
            "Florida's Code of Judicial Conduct bars comment on pending cases, but it says nothing about former judges.")
    assert names(text, "former judges") == ["Code of Judicial Conduct"]


def test_a_spokesman_with_a_modifier_is_not_the_one_for_someone_else():
    text = ("A spokesman for May said the claims were ridiculous. "
            '"This shows they give the claims no credence," the Downing Street spokesman said.')
    assert names(text, "no credence") == ["Downing Street spokesman"]
    official = "British Prime Minister Theresa May's official spokesman said the talks went well."
    assert names(official, "talks went well") == ["spokesman for Theresa May"]


def test_a_possessive_document_frames_only_at_a_sentences_start():
    text = ("The suspension followed findings delivered in a WADA Independent Commission's report led by McLaren. "
            "In its report, the Independent Commission found widespread doping.")
    assert names(text, "suspension followed") == []


def test_one_of_several_officials_and_officials_who_later_told():
    text = ('"Mr. Smith was simply pointing to public reports," one official said. '
            "White House officials later told reporters that the call was cordial.")
    assert names(text, "pointing to public reports") == ["official"]
    assert names(text, "call was cordial") == ["White House officials"]


def test_a_name_the_text_uses_mid_sentence_with_an_inner_capital_is_a_name_at_a_sentence_start():
    text = ("The official said it was a mistake where McMaster described it as unintentional. "
            'McMaster also told his counterpart that "their concerns were understood".')
    assert names(text, "concerns were understood") == ["McMaster"]


def test_the_outlet_after_a_place_and_its_kind_of_medium():
    text = ("Spokeswoman Sherry Knight told Mount Pleasant's local paper, The Morning Sun, that the school is disappointed. "
            '"Probably the next biggest footprints are just over a meter," Steve Salisbury told Australia\'s ABC News.')
    assert names(text, "school is disappointed") == ["Morning Sun", "Sherry Knight"]
    assert names(text, "biggest footprints") == ["ABC News", "Steve Salisbury"]


def test_the_group_is_no_newspaper_named_after_it():
    text = ('The card was signed "XOXO, Courtney." The group apologized on Facebook, saying it does not condone hatred. '
            "Spokeswoman Sherry Knight told The Daily Courier that the school is disappointed. "
            "The College Republicans group met on Monday.")
    assert "Daily Courier" not in names(text, "condone hatred")


def test_an_auxiliary_and_an_adverb_before_the_cue():
    text = ('The Pentagon has also said the raid produced "actionable intelligence." '
            "Rodrigo Rato, 67, had always denied any wrongdoing.")
    assert names(text, "actionable intelligence") == ["Pentagon"]
    assert names(text, "any wrongdoing") == ["Rodrigo Rato"]


def test_the_lender_is_the_bank_credited_before():
    text = ("Royal Bank of Scotland said it lost 7 billion pounds in 2016. "
            "The Edinburgh-based lender said it had been hit by litigation costs.")
    assert names(text, "litigation costs") == ["Royal Bank of Scotland"]


def test_an_interview_with_a_dated_or_described_interview():
    text = "And in a Jan. 29 interview with Fox News, Conway said two men were the masterminds."
    assert names(text, "masterminds") == ["Conway", "Fox News"]


def test_the_named_report_found_credits_who_wrote_it():
    text = ("Richard McLaren led the inquiry for two years. "
            "The McLaren report said that some of the bottles had scratches.")
    assert names(text, "bottles had scratches") == ["Richard McLaren"]


def test_a_match_that_begins_inside_a_longer_name_is_no_speaker():
    text = '"A car bomb struck near Bayaa," a spokesperson for the Baghdad Operations Command said in a statement.'
    assert names(text, "car bomb") == ["spokesperson for the Baghdad Operations Command"]


def test_a_name_ending_in_a_person_is_that_person_not_the_owner_before_the_possessive():
    text = "Director of Russia's State Historical Museum Alexei Levykin has told TASS he opposes the handover."
    assert "Russia" not in names(text, "opposes the handover")


def test_credit_lines_stay_in_their_sentence_and_are_not_spelled_out():
    text = ('"Are they doing it?" the senator asked. Anonymous PSD sources told Reuters the minister would quit. '
            "Protests went on. im/sms (AFP, AP, Reuters)")
    assert names(text, "Protests went on") == ["AFP", "AP", "Reuters"]
    assert "Anonymous PSD" not in names(text, "Protests went on")


def test_a_nationality_used_as_a_name_is_no_one():
    text = ("Jane Goodall spoke in London. Human intelligence can blunt devastation, the Briton believes. "
            '"It is humility," she says.')
    assert names(text, "It is humility") == ["Jane Goodall"]
    assert names(text, "blunt devastation") == []


def test_the_articles_own_outlet_by_its_short_name():
    idx = CreditIndex([DocRef(1, "a", "abcnews.go.com", "http://abcnews.go.com/US/x")])
    assert idx.is_own_outlet(1, "ABC", None) and idx.is_own_outlet(1, "ABC News", None)
    assert not idx.is_own_outlet(1, "NBC", None)


def test_an_inverted_said_reads_the_whole_capitalised_run():
    text = "Crispin Blunt, the MP who chairs the committee, said Mr Bercow was going to have to deal with it."
    assert names(text, "deal with it") == ["Crispin Blunt"]
    assert names("The variety is healthy, said Ecker. Among the participants, most were men.", "variety is healthy") == ["Ecker"]


def test_a_full_stop_ends_a_name_a_pronoun_may_refer_to():
    text = ("Kimberley Gardner runs the ward. Staff worked over Christmas. Cubicles were full. "
            '"Obviously it is very difficult," she says.')
    assert names(text, "very difficult") == ["Kimberley Gardner"]


def test_an_office_the_text_never_names_the_holder_of_is_no_one():
    text = ("Britain's ambassador to Ireland spoke on the radio on Monday. "
            "The ambassador said the relationship would not be affected.")
    assert names(text, "not be affected") == []
    anonymous = "A White House official spoke to CNN. The official said the call was cordial."
    assert names(anonymous, "call was cordial") == ["official"]


def test_a_team_from_a_body_the_text_describes_as_one_is_that_body():
    text = ("New Zealand sits atop a hidden continent, scientists have claimed. "
            "The scientists, mostly from the official research body GNS Science, said it broke away long ago. "
            '"It is more than a name on a list," they wrote.')
    assert names(text, "hidden continent") == ["GNS Science"]
    assert names(text, "broke away") == ["GNS Science"]
    assert names(text, "name on a list") == ["GNS Science"]


def test_an_indictment_is_the_prosecutions():
    text = ("Spain's National Court sentenced him on Thursday. Prosecutors had asked for four years. "
            'According to the indictment, Rato maintained the "corrupt system" of his predecessor.')
    assert names(text, "corrupt system") == ["prosecutors"]
    assert names("According to the indictment, the firm hid its losses.", "hid its losses") == []


def test_officials_with_an_appositive_before_the_verb():
    text = "Officials, speaking on condition of anonymity, said the talks had stalled."
    assert names(text, "talks had stalled") == ["Officials"]

# ------------------------------------------------------------------ the evaluation


def test_every_heldout_split_is_scored_but_never_shown_and_left_out_by_dev_only(tmp_path):
    import json
    import subprocess
    import sys
    from pathlib import Path

    repo = Path(__file__).resolve().parents[1]
    text = "Officials said the bridge would close. The mayor opened a park on Monday."
    (tmp_path / "news.jsonl").write_text(json.dumps({"id": "n1", "text": text, "source": "example.test"}) + "\n"
                                         + json.dumps({"id": "n2", "text": text, "source": "example.test"}) + "\n")
    wrong = {"sentence": "Officials said the bridge would close.", "credits": ["Harbor Authority"], "cues": ["said"]}
    labels = [{"split": "news-dev-b", "doc": "n1", **wrong}, {"split": "news-heldout-2", "doc": "n2", **wrong}]
    (tmp_path / "labels.jsonl").write_text("".join(json.dumps(r) + "\n" for r in labels))
    cmd = [sys.executable, str(repo / "scripts" / "attribution_eval.py"), "--news", str(tmp_path / "news.jsonl"),
           "--news-labels", str(tmp_path / "labels.jsonl"), "--show-errors", "--misses-by-cue"]
    run = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=repo)
    assert "[news-dev-b]" in run.stderr and "news-dev-b misses" in run.stderr
    assert "heldout" not in run.stderr
    assert "news-heldout-2" in run.stdout
    dev_only = subprocess.run([*cmd, "--dev-only"], capture_output=True, text=True, check=True, cwd=repo)
    assert "heldout" not in dev_only.stdout + dev_only.stderr and "news-dev-b" in dev_only.stdout

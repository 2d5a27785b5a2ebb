"""Issue 14, second round: attribution rules that carry from the labelled real news to news in
general. Each test is a small made-up passage written in the real articles' ways (their
mis-decoded quote marks included), one rule each."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from provenance.credits.claims import credits_for_claims
from provenance.credits.extract import find_attributions
from provenance.textnorm import readable_quotes
from provenance.segment import split_claims

REPO = Path(__file__).resolve().parents[1]


def names(text: str, contains: str) -> list[str]:
    """The names credited by the claims that hold ``contains``."""
    claims = split_claims(text)
    credits = credits_for_claims(text, [(c.start, c.end) for c in claims])
    hits = [cs for c, cs in zip(claims, credits) if contains in c.text]
    assert hits, f"no claim holds {contains!r}"
    return sorted({a.name for cs in hits for a in cs if a.cue != "url"})


def kinds(text: str) -> dict[str, str]:
    return {a.name: a.kind for a in find_attributions(text)}


# ------------------------------------------------------------------ quotation marks


def test_mis_decoded_marks_read_as_what_they_were_at_the_same_offsets():
    raw = 'Trump "?a man loath to apologize "?should say sorry, we can"t deny,"?Hurd said. "the end."?'
    view = readable_quotes(raw)
    assert len(view) == len(raw)
    assert view == "Trump --a man loath to apologize --should say sorry, we can't deny,\" Hurd said. \"the end.\" "


def test_a_dash_written_as_a_quote_mark_opens_no_quotation():
    text = ('Officials said the plan "?first floated in May would cost $2 billion. '
            "The council meets again on Friday. "
            "Mayor Ana Ruiz said the work would go on.")
    assert names(text, "council meets again") == []


def test_one_stray_quote_mark_does_not_turn_every_later_sentence_into_a_quotation():
    text = ('Police said the suspect, a man of 6ft 2" with a beard, had used several names. '
            "Officers searched a hotel in Brighton on Thursday. "
            "Vigils are planned in Birmingham and London. "
            'Scotland Yard said he was born in Kent in 1964.')
    assert names(text, "Officers searched") == []
    assert names(text, "Vigils are planned") == []


def test_a_closing_mark_left_at_a_sentence_start_opens_nothing():
    text = ("Lenny Henry hosted the show. "'"Tonight is a chance to save lives," he said. "The money you give will make things better. '
            '"Every donation is a good deed." Comic Relief has raised more than 1bn since 1985. The first Red Nose Day took place in 1988. '
            "Its organisers said it would return next year.")
    assert names(text, "Comic Relief has raised") == []
    assert names(text, "first Red Nose Day") == []


def test_a_quotation_with_no_cue_of_its_own_goes_on_quoting_the_one_just_credited():
    text = ('"I\'d like to first get to the bottom of this," Collins said. "I don\'t know the basis for '
            "the assertion. I do believe he owes us that explanation.\" Trump has not apologized.")
    assert names(text, "I don't know the basis") == ["Collins"]
    assert names(text, "I do believe he owes") == ["Collins"]
    assert names(text, "Trump has not apologized") == []


def test_a_quotation_cut_after_its_comma_takes_the_speaker_after_it():
    text = ("Dozens were killed, eyewitnesses said. "
            '"They were attending a lecture, not fighting,"?Rami Abdulrahman, director of the Observatory, told ABC News.')
    assert names(text, "attending a lecture") == ["ABC News", "Rami Abdulrahman"]


# ------------------------------------------------------------------ who speaks


def test_a_pronoun_is_the_person_last_named_as_a_subject_credited_or_not():
    text = ("Amnesty International says 13,000 people were executed. "
            '"This reveals a hidden campaign," Lynn Maalouf, the deputy director, said in a statement. '
            "Nicolette Waldman, an Amnesty International researcher, elaborated on the conditions. "
            '"They have been dying in massive numbers," she told CNN.')
    assert names(text, "dying in massive numbers") == ["CNN", "Nicolette Waldman"]
    assert kinds(text).get("Amnesty International") == "organisation"


def test_a_pronoun_keeps_its_gender_through_the_document():
    text = ('"Going to Lebanon showed strength," says Philippe Moreau, a fellow at the institute. '
            '"It allows her to look presidential," he added. '
            "Marine Le Pen spoke in Paris on Thursday. "
            "But she also described a new relationship with Africa, as she put it.")
    assert names(text, "new relationship with Africa") == ["Marine Le Pen"]


def test_they_is_a_group_or_an_organisation_never_one_person():
    text = ("Sarah Jones, a teacher, said the school was closed. "
            "They said the roads were blocked.")
    assert names(text, "roads were blocked") == []
    groups = "Local officials warned of flooding. They said the roads were blocked."
    assert names(groups, "roads were blocked") == ["officials"]


def test_the_subject_of_saying_and_of_but_said_speaks():
    text = ("Attorney General Jeff Sessions recused himself on Thursday. "
            "Sessions held a press conference Thursday afternoon to announce the decision, saying that his reply was honest. "
            "U.S. military officials confirmed the airstrike but said the target was a militant meeting. "
            "The group apologized on Facebook, saying it does not condone hatred.")
    assert names(text, "reply was honest") == ["Jeff Sessions"]
    assert names(text, "target was a militant") == ["U.S. military officials"]
    acts = "Conway already has stood before the Supreme Court, arguing a case before it in 2010."
    assert names(acts, "arguing a case") == []


def test_roles_with_their_modifiers_and_two_speakers_of_one_verb():
    text = ("A Department of Justice official said Wednesday that the meetings took place. "
            "U.S. warplanes struck a mosque, killing dozens, observer groups and eyewitnesses said today.")
    assert names(text, "meetings took place") == ["Department of Justice official"]
    assert names(text, "struck a mosque") == ["eyewitnesses", "groups"]


def test_in_a_statement_the_named_one_speaks_not_the_statement():
    text = ("The Washington Post reported the meetings on Wednesday. "
            'Jeff Sessions in a statement denied ever meeting "with any Russian officials". '
            '"I have no idea what this allegation is about," the statement read.')
    assert names(text, "denied ever meeting") == ["Jeff Sessions"]
    assert names(text, "no idea what this allegation") == ["Jeff Sessions"]


def test_a_possessive_before_an_adjective_is_no_speaker():
    assert names("Congress may appoint a counsel to investigate Russia's alleged role in the election.", "counsel") == []


def test_a_prepositions_object_does_not_speak():
    text = 'A news report in France described the lobbyist as "a friend of oligarchs".'
    assert names(text, "lobbyist") == []
    assert names("A news report in France said the lobbyist had left.", "lobbyist") == []


def test_this_report_is_the_article_itself():
    text = "Paul Blake and Cho Park contributed to this report from New York City."
    assert names(text, "contributed") == []


# ------------------------------------------------------------------ what a bare noun refers to


def test_a_source_named_just_after_its_description():
    text = ("Tax is set to rise to its highest level since 1986, according to a think tank. "
            "Low growth will combine with higher taxes, according to the Institute for Fiscal Studies.")
    assert names(text, "highest level since 1986") == ["Institute for Fiscal Studies"]
    rights = ("The human rights group says as many as 13,000 people have been executed at the prison. "
              "Amnesty's report, Human Slaughterhouse, says prisoners are moved at night. Amnesty International published it on Tuesday.")
    assert names(rights, "13,000 people") == ["Amnesty International"]


def test_the_court_is_a_court_not_the_organisation_quoted_last():
    text = ("The High Court of London ruled on Wednesday. "
            '"The court pronounced its final verdict," the Finance Ministry said. '
            'As the court said in its ruling, "Summary judgment decides a claim without a trial."')
    assert names(text, "Summary judgment") == ["High Court of London"]


def test_the_judge_said_is_the_judge_the_text_named():
    text = ("The case will be heard quickly, Judge William Blair said on Wednesday. "
            "Judge Blair presided over a three-day session in January. "
            '"The Trustee is entitled to summary judgment," the judge said.')
    assert names(text, "entitled to summary judgment") == ["William Blair"]
    coach = ('Barca coach Luis Enrique was confident. "We have nothing to lose," added the strangely prophetic Barca coach.')
    assert names(coach, "nothing to lose") == ["Luis Enrique"]


def test_the_report_is_the_main_sources_not_the_one_quoted_last():
    text = ("Taxes will rise, according to the Institute for Fiscal Studies. "
            "Austerity will continue into the 2020s, the Institute for Fiscal Studies said. "
            "Growth will slow to 1.3%, the Bank of England said. "
            "Spending dropped by 10% since 2010, the report said.")
    assert names(text, "dropped by 10%") == ["Institute for Fiscal Studies"]


def test_said_the_report_and_it_argues():
    text = ("Taxes will rise, according to the Institute for Fiscal Studies. "
            "Higher costs will erase this gain, said the report. "
            "And it argues that health budgets will fall short.")
    assert names(text, "erase this gain") == ["Institute for Fiscal Studies"]
    assert names(text, "health budgets") == ["Institute for Fiscal Studies"]


def test_a_sentence_about_the_source_itself_does_not_inherit_its_credit():
    text = ("The College Republicans group handed out cards on Wednesday. "
            "The group apologized on Facebook, saying it does not condone hatred. "
            "The group didn't identify the member who made the card.")
    assert names(text, "does not condone") == ["College Republicans"]
    assert names(text, "didn't identify") == []


# ------------------------------------------------------------------ names


def test_the_most_specific_name_in_another_word_order_or_spelled_out():
    text = ("Many things remain unclear, the Office of the Dutch Attorney General said in a report on Thursday. "
            '"The format is accepted worldwide," the Attorney\'s Office said. '
            "Immigrants earned $1.3 trillion, according to the Partnership for a New American Economy. "
            "The economy could be 3% smaller, according to forecasts in the IFS's annual Green Budget. "
            "The Institute for Fiscal Studies is based in London.")
    assert names(text, "accepted worldwide") == ["Office of the Dutch Attorney General"]
    assert names(text, "Many things remain") == ["Office of the Dutch Attorney General"]
    assert kinds(text)["Office of the Dutch Attorney General"] == "organisation"
    assert names(text, "$1.3 trillion") == ["Partnership for a New American Economy"]
    assert names(text, "3% smaller") == ["Institute for Fiscal Studies"]


def test_a_surname_never_grows_into_an_organisation_that_begins_with_it():
    text = ("Donald Trump met the ambassador in January. The Trump Organization declined to comment. "
            "A Trump Organization lawyer was not available. "
            "Trump denied that anyone in his campaign had contact with Russia.")
    assert names(text, "anyone in his campaign") == ["Donald Trump"]


def test_a_persons_name_without_their_party_or_workplace():
    text = ('Labour\'s Chuka Umunna said the choice was unacceptable. '
            '"It will be a cold relationship," Moreau Defarges of IFRI says.')
    assert names(text, "choice was unacceptable") == ["Chuka Umunna"]
    assert names(text, "cold relationship") == ["Moreau Defarges"]
    assert kinds(text)["Moreau Defarges"] == "person"


def test_a_title_after_a_quote_stays_with_the_sentence_that_names_its_bearer():
    text = ('"It doesn"t hurt."?Sen. Susan Collins (R-Maine) said Sunday on NBC\'s "Meet the Press"?that she wants answers.')
    assert names(text, "she wants answers") == ["NBC", "Susan Collins"]
    assert names(text, "It doesn") == []


def test_the_outlet_of_an_interview_not_its_host():
    text = ('During an interview with Fox News\' Tucker Carlson Thursday night, Sessions emphasized, '
            '"Recusal is not an admission of any wrongdoing."')
    assert names(text, "Recusal") == ["Fox News", "Sessions"]


# ------------------------------------------------------------------ the evaluation


def test_attribution_eval_dev_only_never_prints_a_held_out_split():
    out = subprocess.run([sys.executable, str(REPO / "scripts" / "attribution_eval.py"), "--dev-only", "--news", "/nonexistent.jsonl"],
                         capture_output=True, text=True, check=True, cwd=REPO).stdout
    assert "heldout" not in out and "dev " in out


def test_a_subject_after_a_lowercase_title_is_who_he_is():
    text = ("Winston Churchill said Europe should unite. "
            "Meanwhile, former Prime Minister Sir John Major has criticised the ultras within his party. "
            "Writing in a newspaper on Sunday, he says such figures need to stop shouting.")
    assert names(text, "stop shouting") == ["John Major"]
    assert kinds("The US Federal Reserve said it would raise rates. CEO Nick Davis said the deal was done.") == {
        "US Federal Reserve": "organisation", "Nick Davis": "person"}


def test_acts_places_and_questions_are_not_sources():
    text = ("It was from there that leader Abu Bakr al-Baghdadi declared a caliphate in July 2014. "
            "Al Jazeera's Rosalind Jordan, reporting from the UN headquarters, said the talks had stalled. "
            '"Was Putin happy about everything? Sure, not," he said.')
    assert names(text, "declared a caliphate") == []
    assert names(text, "talks had stalled") == ["Rosalind Jordan"]
    assert "Was Putin" not in names(text, "Was Putin happy")
    assert names("New York-based HRW said it had documented abuses.", "documented") == ["HRW"]


def test_a_role_with_modifiers_is_as_unnamed_as_the_role_for_the_primary_source():
    from provenance.credits.primary import primary_source
    from provenance.records import Credit

    roles = [Credit("said", "U.S. military officials", "organisation", 0, 23)]
    named = [Credit("said", "Eric Pahon", "person", 0, 10)]
    assert primary_source([(1, "doc-a", roles), (2, "doc-b", named)])["name"] == "Eric Pahon"


def test_names_inside_longer_names_are_not_two_speakers():
    text = ("The talks proved successful, Deputy Chairman of the Justice and Development Party Mehmet Mehdi Eker said. "
            "Chinese technology is near parity, a new report from the London-based think tank IISS has found.")
    assert names(text, "talks proved successful") == ["Mehmet Mehdi Eker"]
    assert "London-based" not in names(text, "near parity")
    assert readable_quotes('Temple Beth Zion"\ufffdBeth Israel and "\ufffdexternal" help') == 'Temple Beth Zion--Beth Israel and " external" help'


def test_a_persons_name_without_nationality_job_or_determiner():
    text = ('"At first, I wasn\'t thinking about leaving," says Author Samah Sadek. "My Egyptian passport reduces my value." '
            '"I lost a lot of money," he says. '
            "Poroshenko has more than once cited the UPA as heroes, Ukrainian Pyotr Poroshenko said.")
    found = names(text, "I lost a lot of money")
    assert "My Egyptian" not in found
    assert names(text, "At first") == ["Samah Sadek"]
    assert names(text, "cited the UPA") == ["Pyotr Poroshenko"]
    assert kinds("About 35,000 people evacuated, according to California Fire.") == {"California Fire": "organisation"}


def test_an_acronym_is_the_name_it_spells_hyphens_included():
    text = ("Paris Saint-Germain lost 6-1 in Barcelona on Wednesday. "
            '"I haven\'t spoken to the players yet," PSG chairman Nasser Al-Khelaifi told reporters. '
            "PSG said the club would appeal.")
    assert names(text, "club would appeal") == ["Paris Saint-Germain"]

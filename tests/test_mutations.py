"""Issue 14, differences that are real: what changed between a claim and its origin, and what did not."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from provenance.mutations import differences

REPO = Path(__file__).resolve().parents[1]


def kinds(origin: str, member: str, relation: str | None = None, *dates: str | None) -> set[str]:
    return {d["kind"] for d in differences(origin, member, relation, *dates)}


def test_a_changed_year_is_a_date_change_even_in_a_paraphrase():
    o = "The program began in 2018 with 40 agents."
    assert differences(o, o.replace("2018", "2019")) == [{"kind": "date", "origin": "2018", "member": "2019"}]
    assert kinds(o, "Launched in 2019, the program started out with 40 agents.", "paraphrase") == {"date"}
    assert kinds("The contract was signed in June 2023.", "It was in June of 2023 that the deal was signed.", "paraphrase") == set()


def test_a_weekday_is_read_against_the_documents_date():
    o = "Oduya resigned on Monday."
    # A story of Wednesday 21 May 2025: "Monday" is 19 May.
    assert kinds(o, "Oduya resigned on May 19.", "paraphrase", "2025-05-20", "2025-05-21") == set()
    assert kinds(o, "Oduya resigned on May 18.", "paraphrase", "2025-05-20", "2025-05-22") == {"date"}
    assert kinds(o, "Oduya resigned on May 18.", "paraphrase") == set()  # no dates: cannot tell


def test_negation_added_or_removed_in_place_even_in_a_paraphrase():
    assert kinds("The audit found no evidence of fraud.", "The audit found evidence of fraud.", "paraphrase") == {"negation"}
    assert kinds("Kestrane delivered every bus on time.", "Kestrane did not deliver every bus on time.", "paraphrase") == {"negation"}
    # Rewording a negation is not a change.
    assert differences("Venholt did not notify the agency until February 17.", "Venholt waited before telling the agency on February 17.", "paraphrase") == []


def test_hedges_and_quantifiers():
    assert differences("The company dumped the acid.", "The company reportedly dumped the acid.", "paraphrase") == [
        {"kind": "hedge", "origin": None, "member": "reportedly"}]
    assert kinds("All 19 buses were pulled from service.", "Some of the 19 buses were pulled from service.", "paraphrase") == {"quantifier"}
    assert kinds("The board reviewed all payments.", "The board reviewed some payments.") == {"quantifier"}
    assert kinds("Some 40,000 gallons leaked.", "About 40,000 gallons leaked.") == set()  # "some" approximates


def test_amounts_units_and_numbers_in_words():
    o = "About 40,000 gallons of acid leaked."
    assert kinds(o, "About forty thousand gallons of acid leaked.") == set()
    assert kinds(o, "About 40,000 liters of acid leaked.") == {"figure"}
    assert kinds(o, "About 400,000 gallons of acid leaked.") == {"figure"}
    assert kinds("The agency signed a $96 million contract for 120 buses.", "The agency signed a contract: 96 million dollars for one hundred and twenty buses.", "paraphrase") == set()
    assert kinds("Nine buses were delivered late.", "9 buses were delivered late.") == set()


def test_typography_and_footnote_markers_are_never_differences():
    assert differences("The DEA’s agents seized it.", "The DEA's agents seized it.") == []
    assert differences("Hezbollah collected $1 billion a year.[20]", "Hezbollah collected $1 billion a year.") == []
    assert differences("“We will act,” she said — today.", '"We will act," she said - today.') == []
    assert differences("The U.S.-based company said so.", "The US-based company said so.") == []


def test_names_are_taken_whole():
    d = differences(
        "According to Republican Congressman Michael Waltz Mexican cartels have partnered with the IRGC.",
        "According to Michael Waltz, Mexican cartels have partnered with Hezbollah.")
    assert d == [{"kind": "entity", "origin": "IRGC", "member": "Hezbollah"}]
    assert kinds("Ostrel Cells blamed a faulty coolant pump.", "Kestrane blamed a faulty coolant pump.", "paraphrase") == {"entity"}
    assert kinds("Agency engineers logged the fault.", "Engineers at the agency logged the fault.", "paraphrase") == set()


def test_mutation_eval_runs_on_the_labelled_sets():
    out = subprocess.run([sys.executable, str(REPO / "scripts" / "mutation_eval.py"), "--split", "train"],
                         capture_output=True, text=True, check=True).stdout
    assert "story-train" in out and "samples" in out
    # The train half is what the checks were developed on; the test half is measured in the README.
    train = next(line for line in out.splitlines() if line.startswith("story-train")).split()
    assert float(train[3]) >= 0.9 and float(train[6]) <= 0.05


# Issue 14, point 3: each rule below was written against tests/data/mutation-pairs.jsonl.

def test_units_are_compared_by_what_they_measure():
    assert kinds("The fire closed 12 km of road.", "The fire closed 12 kilometres of road.") == set()
    assert kinds("The storm dropped 30 centimetres of snow.", "The storm dropped 30 inches of snow.") == {"figure"}


def test_a_share_said_as_a_fraction_is_a_percentage():
    assert kinds("Two-thirds of voters backed the plan.", "67 percent of voters backed the plan.") == set()
    assert kinds("Half of the nurses quit.", "50 percent of the nurses quit.") == set()
    assert kinds("A third of the budget went to roads.", "Two-thirds of the budget went to roads.") == {"figure"}
    assert kinds("Two-thirds of voters backed the plan.", "60 percent of voters backed the plan.") == {"figure"}


def test_amounts_written_other_ways():
    assert kinds("One and a half million doses were delivered.", "1.5 million doses were delivered.") == set()
    assert kinds("The bank set aside €5bn for losses.", "The bank set aside 5 billion euros for losses.") == set()
    assert kinds("The census counted 40\u00a0000 people.", "The census counted 40,000 people.") == set()
    # A plain space between numbers is no separator.
    assert kinds("In 2019 400 people moved away.", "In 2019 400,000 people moved away.") == {"figure"}


def test_negation_by_meaning():
    assert kinds("The company failed to report the leak.", "The company reported the leak.", "paraphrase") == {"negation"}
    assert kinds("The minister denied taking the payment.", "The minister took the payment.", "paraphrase") == {"negation"}
    assert kinds("The union did not rule out a strike.", "The union ruled out a strike.", "paraphrase") == {"negation"}
    # Double negation, and verbs that only negate before "to".
    assert kinds("It is not uncommon for the river to flood.", "It is common for the river to flood.") == set()
    assert kinds("A visit is not unusual.", "A visit is usual.") == set()
    assert kinds("The firm did not unveil the plan.", "The firm unveiled the plan.") == {"negation"}
    assert kinds("The result was not unique.", "The result was unique.") == {"negation"}
    assert kinds("The court did not deny the request.", "The court granted the request.") == set()
    assert kinds("The bank refused to comment.", "The bank declined to comment.") == set()
    assert kinds("The bank failed in 2008.", "The bank collapsed in 2008.") == set()


def test_hedges_by_strength():
    assert kinds("The strike could last a week.", "The strike will last a week.", "paraphrase") == {"hedge"}
    assert kinds("Prices may rise next year.", "Prices might rise next year.") == set()
    assert kinds("The minister allegedly lied to parliament.", "The minister is accused of lying to parliament.") == set()
    assert kinds("The minister lied to parliament.", "The minister is accused of lying to parliament.", "paraphrase") == {"hedge"}


def test_quantifiers_none_nearly_all_and_taken_away():
    assert "quantifier" in kinds("None of the witnesses saw the car.", "Some of the witnesses saw the car.")
    assert kinds("Nearly all the votes have been counted.", "All the votes have been counted.") == {"quantifier"}
    assert kinds("Some experts doubt the figures.", "Experts doubt the figures.", "paraphrase") == {"quantifier"}
    # "All 19 buses" are the 19 buses.
    assert kinds("All 19 buses were pulled from service.", "19 buses were pulled from service.") == set()


def test_names_with_possessives_swapped_or_with_another_party():
    assert kinds("Karimov's company won the contract.", "Petrenko's company won the contract.", "paraphrase") == {"entity"}
    assert differences("Police in Marlow said the suspect was from Dunmore.",
                       "Police in Dunmore said the suspect was from Marlow.", "paraphrase") == [
        {"kind": "entity", "origin": "Marlow, Dunmore", "member": "Dunmore, Marlow"}]
    assert kinds("Republican Representative Tom Ashby backed the bill.", "Democratic Representative Tom Ashby backed the bill.") == {"entity"}
    # A title dropped, a clause moved: the same names.
    assert kinds("Senator Dana Whitlock said the plan was dead.", "Dana Whitlock said the plan was dead.") == set()
    assert kinds("The study was led by researchers at Halden University.", "Researchers at Halden University led the study.", "paraphrase") == set()


def test_mutation_eval_scores_the_pairs_set():
    out = subprocess.run([sys.executable, str(REPO / "scripts" / "mutation_eval.py"), "--set", "pairs"],
                         capture_output=True, text=True, check=True).stdout
    assert "story" not in out  # the story set's halves are not read
    row = next(line for line in out.splitlines() if line.startswith("pairs ")).split()
    assert int(row[1]) >= 60 and float(row[3]) >= 0.9 and float(row[6]) <= 0.05
    assert "pairs:negation" in out and "pairs:faithful" in out


def test_a_fraction_is_shown_as_written_and_is_no_name():
    assert differences("Three-quarters of the wells were dry.", "Half of the wells were dry.") == [
        {"kind": "figure", "origin": "Three-quarters", "member": "Half"}]


def test_orders_of_magnitude_in_words():
    assert differences("Dozens of people were hurt.", "Hundreds of people were hurt.") == [
        {"kind": "figure", "origin": "Dozens", "member": "Hundreds"}]
    assert kinds("Tens of thousands of people marched.", "Thousands of people marched.") == {"figure"}
    assert kinds("Thousands of people marched on Sunday.", "On Sunday, thousands of people marched.") == set()


def test_a_number_word_opening_a_sentence_is_no_name():
    # Made up after the story set's test half showed "Nineteen" read as a name replacing a company.
    assert kinds("Of the 46 buses Rallor has delivered, 19 have been pulled from service.",
                 "Nineteen of the 46 buses delivered so far have been withdrawn from service.", "paraphrase") == set()
    assert kinds("Twenty-one of the miners were rescued by Halvik crews.", "21 of the miners were rescued by Halvik crews.") == set()


def test_a_negation_inside_a_reporting_frame_in_a_paraphrase():
    assert kinds("Marrow Foods has paid every supplier on time.",
                 "Marrow Foods said it did not pay every supplier on time.", "paraphrase") == {"negation"}
    # The frame alone changes nothing.
    assert kinds("Marrow Foods has paid every supplier on time.",
                 "Marrow Foods said it has paid every supplier on time.", "paraphrase") == set()


def test_a_plain_space_between_groups_of_three_digits_is_a_thousands_separator():
    assert differences("Attendance reached 12 500 people.", "Attendance reached 12,500 people.") == []
    assert differences("The fund holds 1 200 000 euros.", "The fund holds 1.2 million euros.") == []
    assert kinds("Attendance reached 12 500 people.", "Attendance reached 21,500 people.") == {"figure"}
    # A year or a day before a count is no thousands group.
    assert kinds("In 2019 400 people applied.", "In 2019 500 people applied.") == {"figure"}
    assert kinds("On March 12 500 people marched.", "On March 12 600 people marched.") == {"figure"}


def test_a_dozen_and_small_counts_before_a_unit_are_amounts():
    assert differences("Half a dozen officers were injured.", "Six officers were injured.") == []
    assert kinds("A dozen homes were flooded.", "Hundreds of homes were flooded.") == {"figure"}
    assert kinds("The truck carried two litres of fuel.", "The truck carried two gallons of fuel.") == {"figure"}
    assert differences("The road is two kilometres long.", "The road is 2 km long.") == []
    # Not before a unit of time: "two days" is as often a way of speaking as a count.
    assert differences("Talks resumed two days later.", "Talks resumed 48 hours later.") == []


def test_the_majority_of_is_most():
    assert kinds("The majority of the voters backed the plan.", "A few of the voters backed the plan.") == {"quantifier"}
    assert kinds("The majority of the voters backed the plan.", "Most of the voters backed the plan.") == set()


def test_a_negation_taken_away_with_a_hedge_or_an_article():
    assert kinds("The mayor did not approve the permit, the inquiry said.",
                 "The mayor reportedly approved the permit, the inquiry said.", "paraphrase") == {"negation", "hedge"}
    assert differences("The inquiry found a link between the two fires.", "The inquiry found no link between the two fires.",
                       "paraphrase") == [{"kind": "negation", "origin": "a", "member": "no"}]


def test_names_replaced_whole_in_a_paraphrase():
    # A long name is one thing in the changed chunk.
    assert kinds("The report, released by the Institute of Fiscal Studies, found wages fell.",
                 "The report, released by Resolution Foundation, found wages fell.", "paraphrase") == {"entity"}
    # Two names of one kind: one took the other's place however the sentence was reworded.
    assert kinds("The grant was given to Northfield Academy, the council announced.",
                 "The council announced that the grant had been won by Eastgate Academy.", "paraphrase") == {"entity"}
    # A name and its title replaced together, with the words around them kept.
    assert kinds("The deal, signed by finance director Omar Haddad in March 2024, raised fees.",
                 "The deal, signed by the deputy mayor Lena Brooks in March 2024, raised the fees.", "paraphrase") == {"entity"}
    # ...but not a one-word name (it may be another's short form), nor a list of names.
    assert differences("Last month the UK's highest court ruled that the talks need a vote.",
                       "Last month Britain's top court ruled that the talks need a vote.", "paraphrase") == []
    assert differences("On Sunday the court rejected the DOJ's request for a stay on the order.",
                       "On Sunday the court rejected the Justice Department's request for a stay on the order.", "paraphrase") == []
    assert kinds("On Friday, a week after his inauguration, President Trump issued an executive order suspending all refugee "
                 "admissions for 120 days, banning Syrian refugees indefinitely and suspending arrivals from seven "
                 "Muslim-majority countries for 90 days.",
                 "His executive order to halt all refugee entries for 120 days, suspend admission of Syrian refugees "
                 "indefinitely and block for three months most travellers from the Muslim-majority nations of Libya, Iran, "
                 "Iraq, Somalia, Sudan, Syria and Yemen sparked a legal battle and nationwide demonstrations.",
                 "paraphrase") == {"figure"}


def test_an_acronym_names_the_same_in_another_order():
    assert differences("The DHS said on Monday that the checks would resume.",
                       "The Homeland Security Department said on Monday that the checks would resume.") == []


def test_a_name_in_two_spellings_is_not_replaced():
    assert differences("A check of Russia's Aerospace Force began on Tuesday.",
                       "A check of the Russian Aerospace Forces began on Tuesday.", "paraphrase") == []


def test_names_that_trade_places_around_a_verb_but_not_in_a_list():
    assert differences("Maria Lopez defeated Anna Weber in the runoff.", "Anna Weber defeated Maria Lopez in the runoff.") == [
        {"kind": "entity", "origin": "Maria Lopez defeated Anna Weber", "member": "Anna Weber defeated Maria Lopez"}]
    assert differences("Maria Lopez and Anna Weber met on Friday.", "Anna Weber and Maria Lopez met on Friday.") == []


def test_a_hedge_taken_away_where_the_verb_is_stated_plainly():
    assert kinds("The bridge is likely to be closed by the city council.",
                 "The city council will close the bridge.", "paraphrase") == {"hedge"}
    assert kinds("The plant may soon close, the union said.", "The union said the plant will close.", "paraphrase") == {"hedge"}
    # The verb is found past an adverb: "also" is no verb the other text states.
    assert differences("It is also expanding to Beijing.", "This might also create openings in Beijing.", "paraphrase") == []
    # The hedged text states the verb plainly too: the other may repeat that one.
    assert differences("Protests might get covered while attacks do not get the same coverage.",
                       "Attacks do not get the same coverage, he said.", "paraphrase") == []


def test_could_not_is_a_failure_stated_not_a_hedge():
    # "could not confirm", "did not confirm" and "was unable to confirm" say the same thing.
    assert differences("Police could not confirm the number of victims.", "Police did not confirm the number of victims.") == []
    assert differences("The ministry could not confirm the report.", "The ministry was unable to confirm the report.") == []
    assert differences("Police couldn't confirm the number of victims.", "Police did not confirm the number of victims.") == []
    # Taken away, each is still a negation; "could" alone is still a hedge.
    assert kinds("The ministry was unable to confirm the report.", "The ministry confirmed the report.") == {"negation"}
    assert kinds("The ministry could confirm the report.", "The ministry confirmed the report.") == {"hedge"}

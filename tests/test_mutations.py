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

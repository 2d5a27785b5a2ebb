"""Tests of provenance.match and the MRPC part of scripts/evaluate.py (offline, no real model)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from provenance.embed import load_embedder
from provenance.match import (
    DEFAULT_SETTINGS,
    FEATURE_NAMES,
    RELATIONS,
    SAME_CLAIM_WEIGHTS,
    classify,
    is_same_claim,
    lexical_similarity,
    same_claim_features,
    same_claim_probability,
)

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "evaluate.py"
MRPC_DIR = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "mrpc"

BASE = (
    "The central bank raised its main interest rate by a quarter of a percentage point on "
    "Thursday to curb rising inflation in the country."
)
ONE_WORD_EDIT = BASE.replace("Thursday", "Friday")
TWO_WORD_EDIT = BASE.replace("raised", "lifted").replace("curb", "tame")
REWORDED = (
    "To rein in inflation, the country's central bank on Thursday lifted its benchmark rate "
    "by 25 basis points."
)
UNRELATED = "Heavy rain caused flooding in several northern villages."


def _load_script():
    name = "provenance_scripts_evaluate"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def ev():
    return _load_script()


# ------------------------------------------------------------------ lexical_similarity


def test_relations_tuple():
    assert RELATIONS == ("verbatim", "near-verbatim", "excerpt", "paraphrase")


def test_relations_are_the_contracts(spec):
    """Every relation the matcher can give is one the schemas accept (report members, trace matches)."""
    spec = {name: json.loads((spec / f"{name}.schema.json").read_text()) for name in ("report", "trace")}
    report_enum = set(spec["report"]["properties"]["clusters"]["items"]["properties"]["members"]["items"]["properties"]["relation"]["enum"])
    trace_enum = set(spec["trace"]["properties"]["matches"]["items"]["properties"]["relation"]["enum"])
    assert set(RELATIONS) | {"origin"} <= report_enum
    assert set(RELATIONS) | {"related"} <= trace_enum


def test_lexical_identical_is_one():
    assert lexical_similarity(BASE, BASE) == 1.0


@pytest.mark.parametrize(
    "a,b",
    [(BASE, ONE_WORD_EDIT), (BASE, REWORDED), (BASE, UNRELATED), ("abc", "abd def"), ("", "x")],
)
def test_lexical_symmetric_and_bounded(a, b):
    x, y = lexical_similarity(a, b), lexical_similarity(b, a)
    assert x == y
    assert 0.0 <= x <= 1.0


def test_lexical_ignores_case_punctuation_and_space():
    assert lexical_similarity("Hello, World!", "hello   world") == 1.0
    assert lexical_similarity("\u201cIt\u2019s over,\u201d he said.", '"it\'s OVER" -- he said') == 1.0
    assert lexical_similarity(BASE, BASE.upper().replace(",", "").replace(".", " !")) == 1.0


def test_lexical_orders_edits_sensibly():
    one = lexical_similarity(BASE, ONE_WORD_EDIT)
    two = lexical_similarity(BASE, TWO_WORD_EDIT)
    reworded = lexical_similarity(BASE, REWORDED)
    assert 1.0 > one > two > reworded
    assert two >= DEFAULT_SETTINGS.near_verbatim_lexical > reworded


# ------------------------------------------------------------------ classify


def test_classify_verbatim_up_to_case_and_punctuation():
    rel, lex = classify("The minister resigned on Monday.", "the minister resigned, on MONDAY!", 0.99)
    assert (rel, lex) == ("verbatim", 1.0)
    # Verbatim is decided by the words, whatever the cosine says.
    assert classify(BASE, BASE.lower(), 0.1)[0] == "verbatim"


def test_classify_near_verbatim_for_one_word_edit():
    rel, lex = classify(BASE, ONE_WORD_EDIT, 0.95)
    assert rel == "near-verbatim"
    assert lex == lexical_similarity(BASE, ONE_WORD_EDIT)
    assert classify(BASE, TWO_WORD_EDIT, 0.93)[0] == "near-verbatim"


def test_classify_paraphrase_for_reworded_sentence_at_high_cosine():
    rel, lex = classify(BASE, REWORDED, 0.9)
    assert rel == "paraphrase"
    assert lex < DEFAULT_SETTINGS.near_verbatim_lexical


def test_classify_none_at_low_cosine():
    assert classify(BASE, UNRELATED, 0.05)[0] is None
    assert classify(BASE, REWORDED, 0.3)[0] is None
    # Shared wording alone is not enough when the meaning is far apart.
    assert classify(BASE, ONE_WORD_EDIT, DEFAULT_SETTINGS.same_min_cosine - 0.01)[0] is None


def test_classify_is_symmetric():
    for other, cos in ((ONE_WORD_EDIT, 0.95), (REWORDED, 0.9), (UNRELATED, 0.1)):
        assert classify(BASE, other, cos) == classify(other, BASE, cos)


def test_classify_agrees_with_is_same_claim():
    for other in (ONE_WORD_EDIT, REWORDED, UNRELATED, BASE.lower()):
        for cos in np.linspace(0, 1, 41):
            rel, _ = classify(BASE, other, float(cos))
            assert (rel is not None) == is_same_claim(BASE, other, float(cos))


# ------------------------------------------------------------------ the same-claim model


def test_features_match_their_names_and_are_symmetric():
    f = same_claim_features(BASE, REWORDED, 0.8)
    assert len(f) == len(FEATURE_NAMES) == len(SAME_CLAIM_WEIGHTS) - 1
    assert all(np.isfinite(f))
    assert same_claim_features(REWORDED, BASE, 0.8) == pytest.approx(f)


def test_mutation_checks_are_features():
    names = dict(zip(FEATURE_NAMES, same_claim_features(BASE, BASE.replace("quarter", "half"), 0.9)))
    assert names["figures_conflict"] == 0.0
    fig = dict(zip(FEATURE_NAMES, same_claim_features("Prices rose 5% in May.", "Prices rose 9% in May.", 0.95)))
    assert fig["figures_conflict"] == 1.0
    neg = dict(zip(FEATURE_NAMES, same_claim_features("He did sign the bill.", "He did not sign the bill.", 0.95)))
    assert neg["negation_differs"] == 1.0
    who = dict(zip(FEATURE_NAMES, same_claim_features("Police said Smith fled.", "Police said Jones fled.", 0.9)))
    assert who["names_mismatch"] == 2.0


def test_probability_rises_with_cosine_and_shared_wording():
    low = same_claim_probability(BASE, REWORDED, 0.55)
    high = same_claim_probability(BASE, REWORDED, 0.95)
    assert 0.0 <= low < high <= 1.0
    assert same_claim_probability(BASE, ONE_WORD_EDIT, 0.9) > same_claim_probability(BASE, REWORDED, 0.9)
    assert same_claim_probability(BASE, UNRELATED, 0.2) < 0.1


def test_look_alike_with_other_figures_is_less_likely_the_same():
    a = "The company said it would cut 300 jobs at its plant in Ohio by the end of the year."
    b = a.replace("300", "3,000")
    assert same_claim_probability(a, b, 0.97) < same_claim_probability(a, a.replace("company", "firm"), 0.97)


def test_is_same_claim_extremes():
    assert is_same_claim(BASE, ONE_WORD_EDIT, 0.99)
    assert is_same_claim(BASE, BASE.upper(), 0.0)  # verbatim, whatever the cosine
    assert not is_same_claim(BASE, UNRELATED, 0.0)
    assert not is_same_claim(BASE, UNRELATED, -1.0)


def test_candidate_cosine_is_below_every_decision_threshold():
    s = DEFAULT_SETTINGS
    assert s.candidate_cosine <= s.same_min_cosine == s.lowest_same_cosine
    assert s.candidate_cosine <= s.related_cosine
    # Nothing below the pre-filter is the same claim, except a verbatim copy.
    for cos in np.linspace(-1.0, s.candidate_cosine, 50, endpoint=False):
        assert not is_same_claim(BASE, ONE_WORD_EDIT, float(cos))


def test_default_settings_are_plausible():
    s = DEFAULT_SETTINGS
    assert 0.0 < s.candidate_cosine <= s.same_min_cosine < 1.0
    assert 0.0 < s.same_probability < 1.0
    assert 0.8 <= s.near_verbatim_lexical < 1.0
    assert 0.3 <= s.related_cosine <= 0.7


def test_settings_reject_a_lossy_prefilter():
    with pytest.raises(ValueError):
        replace(DEFAULT_SETTINGS, candidate_cosine=DEFAULT_SETTINGS.same_min_cosine + 0.05)
    with pytest.raises(ValueError):
        replace(DEFAULT_SETTINGS, candidate_cosine=DEFAULT_SETTINGS.related_cosine + 0.01,
                related_cosine=DEFAULT_SETTINGS.related_cosine)
    with pytest.raises(ValueError):
        replace(DEFAULT_SETTINGS, same_probability=1.5)
    with pytest.raises(ValueError):
        replace(DEFAULT_SETTINGS, near_verbatim_lexical=float("nan"))


def test_settings_are_frozen():
    with pytest.raises(Exception):
        DEFAULT_SETTINGS.candidate_cosine = 0.0  # type: ignore[misc]


# ------------------------------------------------------------------ fitting (scripts/evaluate.py)


def test_fit_logistic_recovers_a_separating_rule(ev):
    rng = np.random.default_rng(1)
    X = rng.uniform(0, 1, (2000, 2))
    y = (X[:, 0] + 2 * X[:, 1] >= 1.5).astype(int)
    w = ev.fit_logistic(X, y, l2=1e-6)
    p = ev.logistic_probability(w, X)
    assert np.mean((p >= 0.5) == y) > 0.98
    assert w[2] / w[1] == pytest.approx(2.0, rel=0.15)
    assert np.array_equal(ev.fit_logistic(X, y), ev.fit_logistic(X, y))  # deterministic


def test_shipped_weights_reproduce_the_library(ev):
    pairs = [(BASE, ONE_WORD_EDIT, 0.95), (BASE, REWORDED, 0.8), (BASE, UNRELATED, 0.2)]
    X = np.array([same_claim_features(a, b, c) for a, b, c in pairs])
    p = ev.logistic_probability(np.array(SAME_CLAIM_WEIGHTS), X)
    assert p == pytest.approx([same_claim_probability(a, b, c) for a, b, c in pairs])


def test_metrics(ev):
    y = np.array([1, 1, 1, 0, 0])
    p = np.array([True, True, False, True, False])
    m = ev.classification_metrics(y, p)
    assert m["accuracy"] == pytest.approx(3 / 5)
    assert m["precision"] == pytest.approx(2 / 3)
    assert m["recall"] == pytest.approx(2 / 3)
    assert m["f1"] == pytest.approx(2 / 3)
    assert ev.classification_metrics(y, np.zeros(5, bool))["precision"] == 0.0


def test_read_mrpc_handles_bom_and_raw_quotes(ev, tmp_path):
    f = tmp_path / "m.txt"
    f.write_text(
        "\ufeffQuality\t#1 ID\t#2 ID\t#1 String\t#2 String\n"
        '1\t1\t2\tHe said " no " .\tHe said " no . \n'
        "0\t3\t4\tA b .\tC d .\n",
        encoding="utf-8",
    )
    pairs = ev.read_mrpc(f)
    assert [p.label for p in pairs] == [1, 0]
    assert pairs[0].a == 'He said " no " .'
    assert ev.read_mrpc(f, limit=1) == pairs[:1]


needs_mrpc = pytest.mark.skipif(
    not (MRPC_DIR / "msr_paraphrase_train.txt").is_file(), reason="MRPC benchmark files not present"
)


@needs_mrpc
def test_mrpc_tuning_end_to_end_with_hashing(ev, tmp_path):
    res = ev.evaluate_mrpc(MRPC_DIR.parent, load_embedder("hashing"), tmp_path, 200, tune=True)
    assert res["train_pairs"] == 200 and res["test_pairs"] == 200
    for split in ("train", "test"):
        m = res[split]
        assert 0.0 <= m["accuracy"] <= 1.0 and 0.0 <= m["f1"] <= 1.0
    assert res["train_always_same"]["recall"] == 1.0
    tuned = res["tuned"]
    assert len(tuned["weights"]) == len(FEATURE_NAMES) + 1
    assert tuned["best"]["cv_accuracy"] == max(g["cv_accuracy"] for g in tuned["grid"])
    recalls = [t["recall"] for t in res["test_thresholds"]]
    assert recalls == sorted(recalls, reverse=True)  # a higher threshold never finds more


def test_excerpt_relation_accepts_cut_and_lightly_reworded_excerpts() -> None:
    from provenance.match import excerpt_relation

    long = ("Venholt did not notify the Coastal Waters Agency until February 17, six days after "
            "the pool was found, according to records.")
    assert excerpt_relation("Venholt did not notify the Coastal Waters Agency until February 17", long, 0.9) == "excerpt"
    assert excerpt_relation(long, "Venholt did not notify the Coastal Waters Agency until February 17", 0.9) == "excerpt"
    # A light rewording (one word in ten) is still cut from it; words moved around are a paraphrase.
    assert excerpt_relation("Venholt did not tell the Coastal Waters Agency until February 17, six days after the pool was found", long, 0.9) == "excerpt"
    assert excerpt_relation("Six days after the pool was found, Venholt did not notify the Coastal Waters Agency until February 17", long, 0.9) == "paraphrase"


def test_excerpt_relation_refuses_changed_facts_and_distant_meaning() -> None:
    from provenance.match import excerpt_relation

    long = ("Venholt did not notify the Coastal Waters Agency until February 17, six days after "
            "the pool was found, according to records.")
    assert excerpt_relation("Venholt did not notify the Coastal Waters Agency until February 19", long, 0.95) is None
    assert excerpt_relation("Venholt did notify the Coastal Waters Agency until February 17", long, 0.95) is None
    assert excerpt_relation("Venholt did not notify the Coastal Waters Agency until February 17", long, 0.79) is None
    assert excerpt_relation("The regulator fined the terminal owner on Tuesday afternoon", long, 0.95) is None


def test_shortcut_decision_equals_the_full_model_everywhere():
    # is_same_claim leaves the costly last feature out when the others already decide; the
    # answer must be the full model's for every pair and cosine, borderline ones included.
    texts = [
        BASE,
        REWORDED,
        BASE.replace("quarter", "half"),
        "Prices rose 5% in May, the statistics office said on Tuesday.",
        "Prices rose 9% in May, the statistics office said.",
        "The statistics office said on Tuesday that prices had risen in May.",
        "He did not sign the bill before the deadline.",
        "He signed the bill just before the deadline on Friday night, aides said.",
        "Police said Smith fled the scene in a stolen car.",
        "Police said Jones fled.",
    ]
    checked = 0
    for a in texts:
        for b in texts:
            if a == b:
                continue
            for cos in np.linspace(0.6, 1.0, 41):
                full = float(cos) >= DEFAULT_SETTINGS.same_min_cosine and same_claim_probability(a, b, float(cos)) >= DEFAULT_SETTINGS.same_probability
                assert is_same_claim(a, b, float(cos)) == full, (a, b, cos)
                checked += 1
    assert checked == 90 * 41


# ------------------------------------------------------------------ excerpts (issue 13)

PAID = ("Vellmore Regional Transit paid Kestrane Motor Coach $1.2 million for 14 electric buses "
        "that have not been delivered")
PAID_FRAMED = PAID + ", according to a draft of the city auditor's report obtained by the Courier."


@pytest.mark.parametrize("short", [
    PAID + ".",                                   # the sentence cut before its frame
    PAID + ", the audit found.",                  # the same words in another attribution frame
    "Vellmore Regional Transit paid Kestrane $1.2 million for 14 buses that have not been delivered.",  # words cut out
])
def test_a_shortened_sentence_is_an_excerpt(short):
    assert classify(short, PAID_FRAMED, 0.90)[0] == "excerpt"
    assert classify(PAID_FRAMED, short, 0.90)[0] == "excerpt"  # either order


@pytest.mark.parametrize("lookalike", [
    PAID.replace("$1.2 million", "$2.1 million") + ".",    # another figure
    PAID.replace("14 electric", "41 electric") + ".",
    PAID.replace("have not been", "have been") + ".",        # the negation dropped
])
def test_a_look_alike_with_another_figure_is_no_excerpt_and_no_member(lookalike):
    from provenance.match import is_excerpt

    assert not is_excerpt(lookalike, PAID_FRAMED, 0.95)
    assert classify(lookalike, PAID_FRAMED, 0.93)[0] is None


def test_an_excerpt_needs_its_words_in_order_and_a_close_meaning():
    from provenance.match import is_excerpt

    assert not is_excerpt(PAID + ".", PAID_FRAMED, 0.79)   # below EXCERPT_MIN_COSINE
    shuffled = "For 14 electric buses that have not been delivered Vellmore Regional Transit paid Kestrane Motor Coach $1.2 million."
    assert not is_excerpt(shuffled, PAID_FRAMED, 0.95)
    assert not is_excerpt("Electric buses were not delivered.", PAID_FRAMED, 0.95)  # too short
    # The same words are verbatim, never an excerpt of themselves.
    assert classify(PAID_FRAMED, PAID_FRAMED.upper(), 0.99)[0] == "verbatim"

"""Tests of provenance.match and scripts/calibrate_mrpc.py (offline, no real model)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from provenance.match import (
    DEFAULT_SETTINGS,
    RELATIONS,
    MatchSettings,
    classify,
    is_same_claim,
    lexical_similarity,
)

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "calibrate_mrpc.py"
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
    spec = importlib.util.spec_from_file_location("calibrate_mrpc", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["calibrate_mrpc"] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def cal():
    return _load_script()


# ------------------------------------------------------------------ lexical_similarity


def test_relations_tuple():
    assert RELATIONS == ("verbatim", "near-verbatim", "paraphrase")


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
    for cos in np.linspace(0, 1, 41):
        rel, lex = classify(BASE, REWORDED, float(cos))
        assert (rel is not None) == is_same_claim(float(cos), lex)


# ------------------------------------------------------------------ is_same_claim


def test_is_same_claim_monotonic_in_cosine_and_lexical():
    grid = np.linspace(-0.2, 1.0, 121)
    for lex in np.linspace(0, 1, 21):
        same = [is_same_claim(float(c), float(lex)) for c in grid]
        first = same.index(True) if True in same else len(same)
        assert all(same[first:]) and not any(same[:first])
    for cos in grid:
        same = [is_same_claim(float(cos), float(x)) for x in np.linspace(0, 1, 101)]
        first = same.index(True) if True in same else len(same)
        assert all(same[first:]) and not any(same[:first])


def test_is_same_claim_extremes():
    assert is_same_claim(1.0, 1.0)
    assert is_same_claim(0.99, 0.3)
    assert not is_same_claim(0.0, 1.0)
    assert not is_same_claim(-1.0, 0.0)


def test_candidate_cosine_is_below_every_decision_threshold():
    s = DEFAULT_SETTINGS
    assert s.candidate_cosine <= s.same_min_cosine
    assert s.candidate_cosine <= s.lowest_same_cosine + 1e-9
    assert s.candidate_cosine <= s.related_cosine
    assert s.related_cosine < s.lowest_same_cosine + 0.3  # related sits near the same-claim zone
    # Nothing below the pre-filter can ever be called the same claim, even with identical words.
    for cos in np.linspace(-1.0, s.candidate_cosine, 200, endpoint=False):
        assert not is_same_claim(float(cos), 1.0)
    # ...and the bound is tight: just above lowest_same_cosine, perfect wording suffices.
    assert is_same_claim(s.lowest_same_cosine + 1e-6, 1.0)


def test_default_settings_are_plausible():
    s = DEFAULT_SETTINGS
    assert 0.0 < s.same_cosine_weight < 1.0  # both signals are used
    assert 0.0 < s.candidate_cosine < s.same_score_threshold < 1.0
    assert 0.8 <= s.near_verbatim_lexical < 1.0
    assert 0.3 <= s.related_cosine <= 0.7


def test_settings_reject_a_lossy_prefilter():
    with pytest.raises(ValueError):
        replace(DEFAULT_SETTINGS, candidate_cosine=DEFAULT_SETTINGS.lowest_same_cosine + 0.05)
    with pytest.raises(ValueError):
        replace(DEFAULT_SETTINGS, candidate_cosine=DEFAULT_SETTINGS.related_cosine + 0.01,
                related_cosine=DEFAULT_SETTINGS.related_cosine)
    with pytest.raises(ValueError):
        replace(DEFAULT_SETTINGS, same_cosine_weight=1.5)
    with pytest.raises(ValueError):
        replace(DEFAULT_SETTINGS, near_verbatim_lexical=float("nan"))


def test_settings_are_frozen():
    with pytest.raises(Exception):
        DEFAULT_SETTINGS.candidate_cosine = 0.0  # type: ignore[misc]


# ------------------------------------------------------------------ calibration core


def test_best_cosine_threshold_finds_the_gap(cal):
    rng = np.random.default_rng(0)
    neg = rng.uniform(0.2, 0.6, 300)
    pos = rng.uniform(0.75, 1.0, 300)
    cos = np.concatenate([neg, pos])
    y = np.concatenate([np.zeros(300, int), np.ones(300, int)])
    t = cal.best_cosine_threshold(y, cos)
    assert neg.max() < t <= pos.min()
    assert cal.metrics(y, cos >= t)["accuracy"] == 1.0


def test_grid_search_finds_the_separating_rule(cal):
    rng = np.random.default_rng(1)
    cos = rng.uniform(0.4, 1.0, 4000)
    lex = rng.uniform(0.0, 1.0, 4000)
    score = 0.5 * cos + 0.5 * lex
    keep = np.abs(score - 0.6) > 0.02  # a margin, so the true rule is recoverable on the grid
    cos, lex, y = cos[keep], lex[keep], (score[keep] >= 0.6).astype(int)
    rule = cal.grid_search(y, cos, lex, min_cosines=np.array([0.0]))
    assert rule.train_correct == y.size
    assert 0.4 <= rule.same_cosine_weight <= 0.6
    assert 0.57 <= rule.same_score_threshold <= 0.63
    # The library's is_same_claim reproduces the grid's predictions exactly.
    settings, _ = cal.calibrated_settings(rule, cos, 0.9)
    assert np.array_equal(cal.predict(cos, lex, settings), y.astype(bool))


def test_grid_search_is_deterministic_and_prefers_high_floor(cal):
    # Labels separable by the cosine alone: a floor at the gap with any score rule separates
    # them too, and ties go to the highest floor (the cheapest pre-filter).
    cos = np.array([0.1, 0.2, 0.3, 0.45, 0.72, 0.8, 0.9, 0.95])
    lex = np.array([0.9, 0.1, 0.5, 0.3, 0.2, 0.6, 0.4, 0.8])
    y = (cos >= 0.7).astype(int)
    a = cal.grid_search(y, cos, lex)
    b = cal.grid_search(y, cos, lex)
    assert a == b
    assert a.train_correct == y.size
    assert a.same_min_cosine == 0.7


def test_calibrated_settings_keep_the_prefilter_lossless(cal):
    rule = cal.RuleParams(same_cosine_weight=0.55, same_score_threshold=0.665, same_min_cosine=0.3,
                          train_correct=0)
    cos = np.linspace(0.3, 1.0, 100)
    s, pct = cal.calibrated_settings(rule, cos, 0.9)
    assert s.candidate_cosine <= s.lowest_same_cosine
    assert s.candidate_cosine <= s.related_cosine <= pct
    assert s.lowest_same_cosine - s.candidate_cosine < 0.011 or s.candidate_cosine == s.related_cosine


def test_metrics(cal):
    y = np.array([1, 1, 1, 0, 0])
    p = np.array([True, True, False, True, False])
    m = cal.metrics(y, p)
    assert m["accuracy"] == pytest.approx(3 / 5)
    assert m["precision"] == pytest.approx(2 / 3)
    assert m["recall"] == pytest.approx(2 / 3)
    assert m["f1"] == pytest.approx(2 / 3)
    assert cal.metrics(y, np.zeros(5, bool))["precision"] == 0.0


def test_settings_differences(cal):
    assert cal.settings_differences(DEFAULT_SETTINGS, DEFAULT_SETTINGS) == []
    other = replace(DEFAULT_SETTINGS, same_score_threshold=DEFAULT_SETTINGS.same_score_threshold + 0.01)
    diffs = cal.settings_differences(other, DEFAULT_SETTINGS)
    assert len(diffs) == 1 and "same_score_threshold" in diffs[0]
    # near_verbatim_lexical is chosen by hand, not calibrated: not checked.
    assert cal.settings_differences(replace(DEFAULT_SETTINGS, near_verbatim_lexical=0.95), DEFAULT_SETTINGS) == []


def test_read_mrpc_handles_bom_and_raw_quotes(cal, tmp_path):
    f = tmp_path / "m.txt"
    f.write_text(
        "\ufeffQuality\t#1 ID\t#2 ID\t#1 String\t#2 String\n"
        '1\t1\t2\tHe said " no " .\tHe said " no . \n'
        "0\t3\t4\tA b .\tC d .\n",
        encoding="utf-8",
    )
    pairs = cal.read_mrpc(f)
    assert [p.label for p in pairs] == [1, 0]
    assert pairs[0].a == 'He said " no " .'
    assert cal.read_mrpc(f, limit=1) == pairs[:1]


# ------------------------------------------------------------------ end to end (hashing model)

needs_mrpc = pytest.mark.skipif(
    not (MRPC_DIR / "msr_paraphrase_train.txt").is_file(), reason="MRPC benchmark files not present"
)


@needs_mrpc
def test_calibration_script_end_to_end_with_hashing(cal, tmp_path, capsys):
    out = tmp_path / "cal.json"
    rc = cal.main(["--mrpc-dir", str(MRPC_DIR), "--model", "hashing", "--limit", "200", "--json", str(out)])
    assert rc == 0
    printed = capsys.readouterr().out
    assert "combined" in printed and "cosine-only" in printed and "always-same" in printed
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["train_pairs"] == 200 and report["test_pairs"] == 200
    assert report["model"] == "hashing-256"
    settings = MatchSettings(**report["settings"])  # validates itself
    assert settings.candidate_cosine <= settings.lowest_same_cosine
    res = report["results"]
    for rule in ("cosine-only", "combined", "always-same"):
        for split in ("train", "test"):
            m = res[rule][split]
            assert 0.0 <= m["accuracy"] <= 1.0 and 0.0 <= m["f1"] <= 1.0
    assert res["always-same"]["train"]["recall"] == 1.0
    # The combined rule's search space contains the cosine-only rule: never worse on train.
    assert res["combined"]["train"]["accuracy"] >= res["cosine-only"]["train"]["accuracy"]
    assert res["combined"]["train"]["accuracy"] >= res["always-same"]["train"]["accuracy"]


@needs_mrpc
def test_calibration_script_runs_as_a_program(tmp_path):
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--mrpc-dir", str(MRPC_DIR), "--model", "hashing", "--limit", "50"],
        capture_output=True, text=True, timeout=120, cwd=REPO,
    )
    assert proc.returncode == 0, proc.stderr
    assert "DEFAULT_SETTINGS = MatchSettings(" in proc.stdout


def test_calibration_script_reports_missing_data(cal, tmp_path):
    assert cal.main(["--mrpc-dir", str(tmp_path), "--model", "hashing"]) == 2

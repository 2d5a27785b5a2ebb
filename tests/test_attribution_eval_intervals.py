"""scripts/attribution_eval.py --intervals: how far a split's figures move with its articles."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "attribution_eval.py"


@pytest.fixture(scope="module")
def ae():
    spec = importlib.util.spec_from_file_location("attribution_eval_for_tests", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _rec(doc: str, credits: list[str], split: str = "news-dev-x") -> dict:
    return {"split": split, "doc": doc, "sentence": "s", "credits": credits, "cues": ["said"] * len(credits)}


def test_intervals_span_what_the_articles_disagree_on(ae):
    # One article right on all of its ten credits, one wrong on all ten: recall 0.5 overall, and a
    # redrawn split of two articles can hold either one twice.
    records = [(_rec("a", [f"Person {i}"]), [f"Person {i}"]) for i in range(10)]
    records += [(_rec("b", [f"Other {i}"]), [f"Wrong {i}"]) for i in range(10)]
    (p_lo, p_hi, r_lo, r_hi), = ae.intervals(records, draws=400).values()
    assert (r_lo, r_hi) == (0.0, 1.0) and (p_lo, p_hi) == (0.0, 1.0)


def test_intervals_are_a_point_when_every_article_scores_alike(ae):
    records = [(_rec(d, ["Jeff Sessions"]), ["Sessions"]) for d in "abcdef"]
    records.append(({"split": "dev", "path": "seeds/x.txt", "credits": ["X"], "cues": ["said"]}, ["X"]))
    out = ae.intervals(records, draws=200)
    assert set(out) == {"news-dev-x"}  # (records of a passage or a seed, not an article, are left out)
    assert out["news-dev-x"] == (1.0, 1.0, 1.0, 1.0)


def test_intervals_are_the_same_on_every_run(ae):
    records = [(_rec(d, ["A", "B"]), ["A"] if d in "ab" else ["A", "B", "C"]) for d in "abcdefgh"]
    assert ae.intervals(records, draws=300) == ae.intervals(records, draws=300)

"""The second, independent labelling of news-dev-h and the agreement figures computed from it."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent / "data" / "news-credits"


def _agreement():
    spec = importlib.util.spec_from_file_location("agreement", HERE / "agreement.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _rec(credits: list[str], cues: list[str] | None = None) -> dict:
    return {"credits": credits, "cues": cues or ["said"] * len(credits)}


def test_agreement_counts_names_as_the_scorer_matches_them():
    mod = _agreement()
    first = {("d", "s1"): _rec(["Michael Waltz"]), ("d", "s2"): _rec(["POLITICO", "Adam Schiff"]), ("d", "s3"): _rec([])}
    second = {("d", "s1"): _rec(["Waltz"]), ("d", "s2"): _rec(["Politico", "https://x.io"], ["according to", "url"]),
              ("d", "s3"): _rec(["Reuters"])}
    a = mod.agreement(first, second)
    # Found: Waltz, POLITICO (the URL is not a name); second names 3, first 3.
    assert a["precision"] == pytest.approx(2 / 3) and a["recall"] == pytest.approx(2 / 3)
    assert a["credited_or_not"] == pytest.approx(2 / 3)


def test_agreement_refuses_files_that_label_different_sentences():
    mod = _agreement()
    with pytest.raises(SystemExit, match="different sentences"):
        mod.agreement({("d", "s1"): _rec([])}, {("d", "s2"): _rec([])})


def test_the_second_labelling_covers_exactly_the_passages_of_news_dev_h():
    first = {(r["doc"], r["sentence"]) for r in map(json.loads, (HERE / "labels.jsonl").open(encoding="utf-8")) if r["split"] == "news-dev-h"}
    second = [json.loads(line) for line in (HERE / "second.jsonl").open(encoding="utf-8")]
    assert len(first) == 421 and {(r["doc"], r["sentence"]) for r in second} == first
    assert all(r["split"] == "news-second" and len(r["credits"]) == len(r["cues"]) for r in second)

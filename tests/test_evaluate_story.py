"""scripts/evaluate_story.py's scoring: pair precision and recall, recall with the origin by
relation, look-alikes grouped, on a hand-made grouping whose answers are known."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "evaluate_story.py"


def _module():
    spec = importlib.util.spec_from_file_location("provenance_scripts_evaluate_story", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


GOLD = {"groups": [
    {"id": "g1", "split": "test", "members": [
        {"relation": "origin", "doc": "a", "text": "A1"},
        {"relation": "excerpt", "doc": "b", "text": "B1"},
        {"relation": "paraphrase", "strength": "heavy", "doc": "c", "text": "C1"}],
     "lookalikes": [{"doc": "d", "text": "D1"}]},
    {"id": "g2", "split": "train", "members": [
        {"relation": "origin", "doc": "a", "text": "A2"},
        {"relation": "verbatim", "doc": "b", "text": "B2"}]},
]}


class FakeGrouping:
    """A1, B1 and the look-alike D1 in one cluster; C1 alone; A2 and B2 together."""

    def __init__(self, texts):
        cluster = {"A1": 1, "B1": 1, "D1": 1, "C1": 2, "A2": 3, "B2": 3}
        self.claims = {t.key: {t.key} for t in texts}
        self.clusters = {t.key: {cluster[t.text]} for t in texts}

    def together(self, a, b):
        return bool(self.clusters[a.key] & self.clusters[b.key])


def test_half_scores_count_what_the_grouping_says():
    ev = _module()
    texts = ev.labelled_texts(GOLD)
    s = ev.half_scores(texts, FakeGrouping(texts), "test")
    # Test-half pairs across documents: A1-B1 (same, found), A1-C1, B1-C1 (same, missed), the
    # look-alike with A1, B1 (said, wrong) and C1, and the test members against g2's texts.
    assert s["pairs"]["gold_same"] == 3 and s["pairs"]["true"] == 1
    assert s["pairs"]["said_same"] == 3 and s["pairs"]["precision"] == round(1 / 3, 4)
    assert s["with_origin"]["excerpt"] == {"n": 1, "found": 1, "rate": 1.0}
    assert s["with_origin"]["paraphrase-heavy"] == {"n": 1, "found": 0, "rate": 0.0}
    assert s["excerpt_or_quote"]["rate"] == 1.0
    assert s["lookalikes_grouped"] == {"n": 1, "found": 1, "rate": 1.0}
    train = ev.half_scores(texts, FakeGrouping(texts), "train")
    assert train["pairs"]["recall"] == 1.0 and train["lookalikes_grouped"]["n"] == 0

"""The same-claim judge (provenance/judge.py) and how the matcher uses it, on a tiny ONNX model
built here (a linear function of the word ids, so every probability is known by hand) with a
word-level tokenizer: the logic is tested without the trained weights."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from provenance import judge as judge_mod
from provenance import match
from provenance.judge import CrossEncoder, decision_parameters, default_judge, judge_text, model_folder

WORDS = ["the", "mayor", "said", "buses", "are", "late", "trains", "were", "on", "time", "14", "41"]
# logit = W_A * (sum of the first text's ids) + W_B * (sum of the second's) + BIAS: not symmetric,
# so the judge's averaging of both orders shows.
W_A, W_B, BIAS = 0.05, -0.02, -0.5


def _vocab() -> dict[str, int]:
    return {"[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3, **{w: i + 4 for i, w in enumerate(WORDS)}}


def _ids(text: str) -> list[int]:
    vocab = _vocab()
    # Whitespace pre-tokenising splits punctuation off: "." is a word of its own, unknown (1).
    return [vocab.get(w, 1) for w in judge_text(text).lower().replace(".", " . ").split()]


def expected_logit(a: str, b: str) -> float:
    # [CLS] and the first [SEP] are segment 0, the closing [SEP] segment 1.
    return W_A * (2 + sum(_ids(a)) + 3) + W_B * (sum(_ids(b)) + 3) + BIAS


def expected_probability(a: str, b: str) -> float:
    def sig(x: float) -> float:
        return 1 / (1 + math.exp(-x))
    return (sig(expected_logit(a, b)) + sig(expected_logit(b, a))) / 2


@pytest.fixture(scope="module")
def stub_folder(tmp_path_factory) -> Path:
    import onnx
    from onnx import TensorProto, helper
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors

    folder = tmp_path_factory.mktemp("judge")
    tok = Tokenizer(models.WordLevel(_vocab(), unk_token="[UNK]"))
    tok.normalizer = normalizers.Lowercase()
    tok.pre_tokenizer = pre_tokenizers.Sequence([pre_tokenizers.Whitespace()])
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1", special_tokens=[("[CLS]", 2), ("[SEP]", 3)])
    tok.save(str(folder / "tokenizer.json"))

    dyn = ["batch", "sequence"]
    inputs = [helper.make_tensor_value_info(n, TensorProto.INT64, dyn) for n in ("input_ids", "attention_mask", "token_type_ids")]
    out = helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch"])
    consts = [helper.make_tensor(n, TensorProto.FLOAT, [], [v]) for n, v in (("wa", W_A), ("wb", W_B), ("bias", BIAS), ("one", 1.0))]
    nodes = [
        helper.make_node("Cast", ["input_ids"], ["ids"], to=TensorProto.FLOAT),
        helper.make_node("Cast", ["attention_mask"], ["mask"], to=TensorProto.FLOAT),
        helper.make_node("Cast", ["token_type_ids"], ["seg"], to=TensorProto.FLOAT),
        helper.make_node("Mul", ["ids", "mask"], ["kept"]),
        helper.make_node("Mul", ["kept", "seg"], ["in_b"]),
        helper.make_node("Sub", ["one", "seg"], ["not_seg"]),
        helper.make_node("Mul", ["kept", "not_seg"], ["in_a"]),
        helper.make_node("ReduceSum", ["in_a"], ["sum_a"], axes=[1], keepdims=0),
        helper.make_node("ReduceSum", ["in_b"], ["sum_b"], axes=[1], keepdims=0),
        helper.make_node("Mul", ["sum_a", "wa"], ["ta"]),
        helper.make_node("Mul", ["sum_b", "wb"], ["tb"]),
        helper.make_node("Add", ["ta", "tb"], ["tab"]),
        helper.make_node("Add", ["tab", "bias"], ["logits"]),
    ]
    graph = helper.make_graph(nodes, "stub", inputs, [out], initializer=consts)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 11)])
    model.ir_version = 8
    onnx.save(model, str(folder / "model.onnx"))
    (folder / "scores.json").write_text(json.dumps({"threshold": 0.6, "dev": {"combined": {"band": 0.3}}}))
    return folder


@pytest.fixture
def judge_env(monkeypatch):
    """Set $PROVENANCE_JUDGE for one test, with the judge looked up afresh."""
    def use(value: str) -> None:
        monkeypatch.setenv("PROVENANCE_JUDGE", value)
        judge_mod._judge_for.cache_clear()
    yield use
    judge_mod._judge_for.cache_clear()


def test_probabilities_average_both_orders_of_the_model(stub_folder):
    ce = CrossEncoder(stub_folder)
    pairs = [("The mayor said buses are late.", "Trains were on time."), ("buses late", "the mayor said 14 buses are late")]
    got = ce.probabilities(pairs)
    want = [expected_probability(a, b) for a, b in pairs]
    assert np.allclose(got, want, atol=1e-5)
    assert abs(expected_logit(*pairs[0]) - expected_logit(*pairs[0][::-1])) > 0.1  # the orders differ
    assert ce.probability(*pairs[0][::-1]) == pytest.approx(got[0], abs=1e-9)  # symmetric


def test_padding_and_batches_change_nothing(stub_folder):
    texts = ["buses", "the mayor said buses are late", "trains were on time", "14 buses", "41 trains were late on time"]
    pairs = [(a, b) for a in texts for b in texts if a != b]
    together = CrossEncoder(stub_folder).probabilities(pairs)
    alone = [CrossEncoder(stub_folder).probability(a, b) for a, b in pairs]
    assert np.allclose(together, alone, atol=1e-6)


def test_each_pair_is_scored_once_and_quote_marks_do_not_count(stub_folder, monkeypatch):
    ce = CrossEncoder(stub_folder)
    seen: list[int] = []
    real = ce._logits
    monkeypatch.setattr(ce, "_logits", lambda pairs: seen.append(len(pairs)) or real(pairs))
    first = ce.probability("the mayor said buses are late", "trains were on time")
    assert ce.probability('"trains were on time"', "the mayor said buses are late") == first
    assert seen == [2]  # one pair, both orders, once


def test_model_folder_follows_the_environment(stub_folder, tmp_path, judge_env, caplog):
    judge_env("off")
    assert model_folder() is None and default_judge() is None
    judge_env(str(stub_folder))
    assert model_folder() == stub_folder and default_judge().folder == stub_folder
    judge_env(str(tmp_path))  # no model files there
    assert default_judge() is None
    assert "holds no model.onnx" in caplog.text


def test_decision_parameters_come_from_the_model_folder(stub_folder, tmp_path):
    assert decision_parameters(stub_folder) == (0.6, 0.3)
    assert decision_parameters(tmp_path) == (judge_mod.THRESHOLD, judge_mod.BAND)


class FixedJudge:
    """A judge that always answers ``p`` and counts its calls."""

    def __init__(self, p: float, band: float = 0.2, threshold: float = 0.5) -> None:
        self.p, self.band, self.threshold, self.calls = p, band, threshold, 0

    def probability(self, a: str, b: str) -> float:
        self.calls += 1
        return self.p


A = "The mayor said 14 buses are late."
B = "According to the mayor, fourteen buses are running late."


def test_the_rule_settles_clear_pairs_and_the_judge_only_the_band():
    t = match.DEFAULT_SETTINGS.same_probability
    yes, no = FixedJudge(1.0), FixedJudge(0.0)
    assert match.judge_decision(no, A, B, t + 0.25) is True and no.calls == 0   # clearly same
    assert match.judge_decision(yes, A, B, t - 0.25) is False and yes.calls == 0  # clearly not
    assert match.judge_decision(yes, A, B, t - 0.1) is True and yes.calls == 1   # the band: judge says
    assert match.judge_decision(no, A, B, t + 0.1) is False and no.calls == 1


def test_the_judge_never_joins_another_figure_or_a_dropped_negation():
    t = match.DEFAULT_SETTINGS.same_probability
    yes = FixedJudge(1.0)
    assert match.judge_decision(yes, A, "The mayor said 41 buses are late.", t) is False
    assert match.judge_decision(yes, A, "The mayor said 14 buses are not late.", t) is False
    assert yes.calls == 0


def test_is_same_claim_asks_the_configured_judge_in_the_band(stub_folder, judge_env, monkeypatch):
    a, b = "the mayor said buses are late", "trains were on time"
    rule_p = match.same_claim_probability(a, b, 0.9)
    monkeypatch.setattr(match, "same_claim_probability", lambda *_: 0.5)  # inside the stub's band 0.3 of 0.45
    judge_env(str(stub_folder))
    want = expected_probability(a, b) >= 0.6
    assert match.is_same_claim(a, b, 0.9) is want
    judge_env(str(stub_folder))
    monkeypatch.setattr(judge_mod.CrossEncoder, "probability", lambda self, x, y: 0.99)
    assert match.is_same_claim(a, b, 0.9) is True
    monkeypatch.setattr(judge_mod.CrossEncoder, "probability", lambda self, x, y: 0.01)
    assert match.is_same_claim(a, b, 0.9) is False
    assert match.is_same_claim(a, b, 0.5) is False  # below the cosine floor the judge is not asked
    judge_env("off")
    monkeypatch.undo()
    assert match.is_same_claim(a, b, 0.9) is (rule_p >= match.DEFAULT_SETTINGS.same_probability)

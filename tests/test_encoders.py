"""Encoder registry: device choice, which encoder answers, and (with the real model) that the
ONNX Runtime export gives the same vectors as torch."""

from __future__ import annotations

import sys
import types

import numpy as np
import pytest

from provenance import embed as encoders
from provenance.embed import HashingEmbedder


def test_auto_device_follows_torch_cuda(monkeypatch):
    for available, expected in ((True, "cuda"), (False, "cpu")):
        fake = types.ModuleType("torch")
        fake.cuda = types.SimpleNamespace(is_available=lambda a=available: a)  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, "torch", fake)
        assert encoders.resolve_device("auto") == expected
        assert encoders.resolve_device(None) == expected
    assert encoders.resolve_device("cuda:1") == "cuda:1"
    assert encoders.resolve_device("cpu") == "cpu"


def test_hashing_model_ignores_encoder_choice():
    assert isinstance(encoders.load_encoder("hashing", "auto"), HashingEmbedder)
    assert isinstance(encoders.load_encoder("hashing-64", "onnx"), HashingEmbedder)


def test_unknown_encoder_is_refused():
    with pytest.raises(Exception, match="unknown encoder"):
        encoders.load_encoder(None, "tensorrt")


def test_no_export_means_not_ready(tmp_path, monkeypatch):
    monkeypatch.setenv("PROVENANCE_CACHE", str(tmp_path / "cache"))
    assert not encoders.onnx_ready(encoders.DEFAULT_MODEL)
    assert not encoders.onnx_ready("hashing")


def test_agreement_rule():
    assert encoders.agreeing(None, "onnx")
    assert encoders.agreeing("sentence-transformers", "sentence-transformers")
    assert encoders.agreeing("sentence-transformers", "onnx")
    assert not encoders.agreeing("hashing", "onnx")


@pytest.mark.model
def test_onnx_export_agrees_with_torch(tmp_path, monkeypatch):
    pytest.importorskip("onnxruntime")
    monkeypatch.setenv("PROVENANCE_CACHE", str(tmp_path / "cache"))
    model = encoders.DEFAULT_MODEL
    path = encoders.export_onnx(model)
    assert path.is_file() and encoders.onnx_ready(model)
    onnx = encoders.load_encoder(model, "auto")
    assert onnx.encoder == "onnx"
    torch_enc = encoders.load_encoder(model, "sentence-transformers", "cpu")
    assert torch_enc.encoder == "sentence-transformers"
    from tests.conftest import SAMPLES
    from provenance.segment import split_claims

    texts = [c.norm for f in sorted((SAMPLES / "corpus").glob("*.md")) for c in split_claims(f.read_text())]
    texts += list(encoders.PROBES)
    a, b = torch_enc.embed(texts), onnx.embed(texts)
    assert a.shape == b.shape
    cos = np.sum(a * b, axis=1)
    assert cos.min() >= encoders.MIN_AGREEMENT
    # Order is kept although the encoder sorts by length internally.
    assert np.argmax(b[:5] @ a[:5].T, axis=1).tolist() == list(range(5))

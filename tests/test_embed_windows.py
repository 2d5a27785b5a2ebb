"""Claims longer than the model's window are embedded by overlapping windows, not truncated."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from provenance.embed import HashingEmbedder, SentenceTransformerEmbedder, window_spans


@given(st.integers(0, 5000), st.integers(1, 512), st.data())
def test_window_spans_cover_everything_within_the_window(n, window, data):
    overlap = data.draw(st.integers(0, window - 1))
    spans = window_spans(n, window, overlap)
    assert spans[0][0] == 0 and spans[-1][1] == n
    for (s1, e1), (s2, e2) in zip(spans, spans[1:]):
        assert s2 <= e1 - overlap  # neighbours overlap: nothing between them is skipped
        assert s1 < s2
    assert all(0 <= s <= e <= n and e - s <= window for s, e in spans)


def test_window_spans_rejects_bad_arguments():
    with pytest.raises(ValueError):
        window_spans(10, 4, 4)


class _WordTokenizer:
    """Stands in for a fast tokenizer: one piece per word, with character offsets."""

    def __call__(self, text, **_):
        return {"offset_mapping": [m.span() for m in re.finditer(r"\S+", text)]}


class _Model:
    """Encodes like the hashing embedder but only 'reads' the first max_seq_length words, as a
    real model does, so a test can tell whether the tail of a long text counted."""

    def __init__(self, max_seq_length):
        self.tokenizer = _WordTokenizer()
        self.max_seq_length = max_seq_length
        self.seen = []

    def encode(self, texts, **_):
        self.seen.extend(texts)
        inner = HashingEmbedder(64)
        return inner.embed([" ".join(t.split()[: self.max_seq_length]) for t in texts])


def _embedder(max_seq_length=34):
    e = SentenceTransformerEmbedder.__new__(SentenceTransformerEmbedder)
    e.name, e.dim, e.batch_size, e.max_seq_length = "fake", 64, 8, max_seq_length
    e._model = _Model(max_seq_length)
    return e


def test_long_claim_is_the_mean_of_its_windows():
    e = _embedder()
    words = [f"w{i}" for i in range(100)]
    long_text = " ".join(words)
    short = "a short claim"
    out = e.embed([short, long_text])
    window = 32  # max_seq_length - 2
    spans = window_spans(100, window, window // 4)
    assert len(spans) > 1
    expected = HashingEmbedder(64).embed([" ".join(words[s:t]) for s, t in spans]).sum(axis=0)
    expected /= np.linalg.norm(expected)
    assert np.allclose(out[1], expected, atol=1e-6)
    assert np.allclose(out[0], HashingEmbedder(64).embed([short])[0], atol=1e-6)
    assert np.isclose(np.linalg.norm(out[1]), 1.0)


def test_the_tail_of_a_long_claim_changes_its_vector():
    e = _embedder()
    head = " ".join(f"filler{i}" for i in range(60))
    a, b = e.embed([head + " diesel leaked into the harbour", head + " the football coach resigned today"])
    assert not np.allclose(a, b)
    # Truncation to the window would have made them identical.
    cut = HashingEmbedder(64).embed([" ".join((head + " x").split()[:34])] * 2)
    assert np.allclose(cut[0], cut[1])


@pytest.mark.model
def test_real_model_reads_the_tail_of_a_long_claim():
    from provenance.embed import load_embedder

    e = load_embedder(None)
    filler = " ".join(["The committee met again to discuss the usual matters of the agenda in detail."] * 30)
    tail = "Forty thousand litres of diesel leaked into the bay on Monday night."
    vec = e.embed([f"{filler} {tail}", filler, tail])
    assert float(vec[0] @ vec[2]) > float(vec[1] @ vec[2]) + 0.05

"""A deterministic bag of hashed words and character trigrams, for tests of the pipeline's logic:
near-identical sentences get near-identical vectors, and nothing needs loading."""

from __future__ import annotations

import hashlib
import re

import numpy as np

from ..errors import ModelUnavailable
from .names import HASHING
from .vectors import normalise_rows


class HashingEmbedder:
    """Deterministic feature-hashing embedder (words + character trigrams)."""

    encoder = HASHING

    def __init__(self, dim: int = 256) -> None:
        if dim < 8:
            raise ModelUnavailable("hashing embedder needs a dimension of at least 8")
        self.dim = dim
        self.name = f"hashing-{dim}"

    def _features(self, text: str) -> list[str]:
        words = re.findall(r"\w+", text.lower())
        grams = []
        for w in words:
            padded = f"#{w}#"
            grams.extend(padded[i : i + 3] for i in range(max(1, len(padded) - 2)))
        return [f"w:{w}" for w in words] + [f"g:{g}" for g in grams]

    def embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for feat in self._features(text):
                h = int.from_bytes(hashlib.blake2b(feat.encode(), digest_size=8).digest(), "little")
                weight = 2.0 if feat.startswith("w:") else 1.0
                out[row, h % self.dim] += weight if (h >> 63) & 1 else -weight
        return normalise_rows(out)



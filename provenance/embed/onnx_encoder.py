"""The ``onnx`` encoder: the same network as the torch one, through ONNX Runtime, without torch.

The network is exported once from the local weights with ``torch.onnx.export`` (nothing is
downloaded) and cached under the cache folder; the tokenizer is the model's own
``tokenizer.json`` through the ``tokenizers`` package. A process that only queries (``trace``)
then never imports torch: about 0.5 s to a first vector instead of ~5 s.

An export is accepted only after a check against torch on fixed probe sentences (minimum cosine
>= ``MIN_AGREEMENT``), and that figure is kept beside the exported file, so its vectors may be
compared with a torch-built store's.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ModelUnavailable
from .names import DEFAULT_MODEL, ONNX, canonical_model_name
from .torch_encoder import default_model_path
from .vectors import normalise_rows

log = logging.getLogger(__name__)

MIN_AGREEMENT = 0.999
# scripts/bench_batch.py (ONNX, 384 news sentences, 2 shared cores): 2 threads ~2x 1 thread;
# batches of 16 and 64 equal, 128 slower (more padding per batch). Threads: ONNX Runtime's
# default (all cores); batch: 64, the same as sentence-transformers'.
BATCH_SIZE = 64
MAX_TOKENS = 256  # the model's max_seq_length, as sentence-transformers applies it

# Sentences of very different length and content: agreement must hold over padding and
# truncation, not just one easy case.
PROBES = (
    "The minister resigned on Tuesday.",
    "About 40,000 gallons of ferric chloride leaked from a corroded storage tank at the plant.",
    "\"We will not comment on an ongoing investigation,\" a spokesperson for the company said in "
    "a statement released late on Friday evening, adding that staff were cooperating fully.",
    "Prices rose 3.2% in March, the fastest pace since 2008, according to official figures.",
    "ok",
    " ".join(["Long sentence padding words to pass the token limit of the model for testing."] * 30),
)


def cache_dir() -> Path:
    """Where exported encoders live: ``$PROVENANCE_CACHE``, else the user's cache folder."""
    env = os.environ.get("PROVENANCE_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "provenance"


def model_folder(model: str) -> Path:
    key = canonical_model_name(model)
    if key == DEFAULT_MODEL:
        return default_model_path()
    path = Path(key)
    if not path.is_dir():
        raise ModelUnavailable(f"model {model!r} is not a local folder; ONNX export needs the model's files")
    return path


def _weights_key(folder: Path) -> str:
    """Identifies one set of weights without reading 90 MB: path, sizes and mtimes of its files."""
    h = hashlib.sha256(str(folder.resolve()).encode())
    for f in sorted(folder.glob("*")):
        if f.is_file():
            st = f.stat()
            h.update(f"{f.name}:{st.st_size}:{int(st.st_mtime)}".encode())
    return h.hexdigest()[:16]


def onnx_path(model: str) -> Path:
    return cache_dir() / "onnx" / _weights_key(model_folder(model)) / "model.onnx"


def _agreement_path(path: Path) -> Path:
    return path.with_name("agreement.txt")


def onnx_ready(model: str) -> bool:
    """True when an exported, verified ONNX file for ``model`` exists and onnxruntime is installed."""
    if canonical_model_name(model).startswith("hashing-"):
        return False
    try:
        import importlib.util

        if importlib.util.find_spec("onnxruntime") is None:
            return False
        path = onnx_path(model)
        return path.is_file() and float(_agreement_path(path).read_text().strip()) >= MIN_AGREEMENT
    except (OSError, ValueError, ModelUnavailable):
        return False


def export_onnx(model: str) -> Path:
    """Export ``model`` to ONNX (mean pooling and L2 normalisation inside the graph), verify it
    against torch on the probe sentences, and cache it. Offline: reads only the local weights."""
    folder = model_folder(model)
    out = onnx_path(model)
    out.parent.mkdir(parents=True, exist_ok=True)
    _write_onnx(folder, out)
    agreement = encoder_agreement(model, OnnxEmbedder(canonical_model_name(model), out, folder))
    if agreement < MIN_AGREEMENT:
        out.unlink(missing_ok=True)
        raise ModelUnavailable(
            f"the ONNX export of {model} disagrees with torch (min cosine {agreement:.5f} < {MIN_AGREEMENT}); "
            "use --encoder sentence-transformers"
        )
    _agreement_path(out).write_text(f"{agreement:.6f}\n")
    log.info("exported %s to %s (agreement with torch: min cosine %.6f)", model, out, agreement)
    return out


def _write_onnx(folder: Path, out: Path) -> None:
    """The network with its pooling, traced to ``out`` (atomically: a temporary file renamed)."""
    import warnings

    import torch
    from transformers import AutoModel

    net = AutoModel.from_pretrained(str(folder), local_files_only=True).eval()

    class Pooled(torch.nn.Module):
        def __init__(self, inner: torch.nn.Module) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):  # type: ignore[no-untyped-def]
            hidden = self.inner(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2, dim=1)

    dummy = torch.ones((2, 8), dtype=torch.long)
    names = ["input_ids", "attention_mask", "token_type_ids"]
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=".model.onnx.tmp-")
    os.close(fd)
    try:
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")
            # The TorchScript exporter needs no extra packages; dynamo's would need onnxscript.
            torch.onnx.export(
                Pooled(net), (dummy, dummy, torch.zeros_like(dummy)), tmp,
                input_names=names, output_names=["embedding"],
                dynamic_axes={**{n: {0: "batch", 1: "tokens"} for n in names}, "embedding": {0: "batch"}},
                opset_version=17, dynamo=False,
            )
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def encoder_agreement(model: str, other: Any, texts: tuple[str, ...] | list[str] = PROBES) -> float:
    """Lowest cosine between the torch encoder's vectors and ``other``'s on ``texts``."""
    from . import load_embedder

    reference = load_embedder(model)
    a = reference.embed(list(texts))
    b = other.embed(list(texts))
    return float(np.min(np.sum(a * b, axis=1)))


class OnnxEmbedder:
    """all-MiniLM-L6-v2 (or any exported BERT-style model) through ONNX Runtime; no torch."""

    encoder = ONNX

    def __init__(self, name: str, path: Path, folder: Path, threads: int | None = None, batch_size: int = BATCH_SIZE) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.name = name
        self.batch_size = batch_size
        self._tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
        # The file ships with fixed 128-token padding; sentence-transformers truncates at
        # max_seq_length (256) and pads to the longest text of a batch. Do the same.
        self._tok.enable_truncation(MAX_TOKENS)
        self._tok.enable_padding(pad_id=0, pad_token="[PAD]")
        opts = ort.SessionOptions()
        if threads:
            opts.intra_op_num_threads = threads
        opts.log_severity_level = 3
        # Idle worker threads spinning for work steal the CPU from everything else on a shared
        # machine (and from the other thread under load); block them instead.
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
        self.dim = int(self._session.get_outputs()[0].shape[-1] or self.embed(["x"]).shape[1])

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, getattr(self, "dim", 0)), dtype=np.float32)
        # Sort by length so each batch pads to similar lengths, then restore the input order.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out: np.ndarray | None = None
        for start in range(0, len(order), self.batch_size):
            idx = order[start : start + self.batch_size]
            enc = self._tok.encode_batch([texts[i] for i in idx])
            feeds = {
                "input_ids": np.array([e.ids for e in enc], dtype=np.int64),
                "attention_mask": np.array([e.attention_mask for e in enc], dtype=np.int64),
                "token_type_ids": np.array([e.type_ids for e in enc], dtype=np.int64),
            }
            vecs = self._session.run(None, feeds)[0]
            if out is None:
                out = np.zeros((len(texts), vecs.shape[1]), dtype=np.float32)
            out[idx] = vecs
        assert out is not None
        return normalise_rows(out)

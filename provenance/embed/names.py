"""Names: of the default model, of the encoders, and the one name a store records for a model."""

from __future__ import annotations

import re
from pathlib import Path

DEFAULT_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
_DEFAULT_ALIASES = {DEFAULT_MODEL, "all-MiniLM-L6-v2", "default"}

# The runtimes that compute a model's vectors (the registry is in __init__).
TORCH = "sentence-transformers"
ONNX = "onnx"
HASHING = "hashing"


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

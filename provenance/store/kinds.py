"""Which kind of store a folder holds, and opening either kind for reading.

A SQLite store (``store.sqlite`` beside its manifest) is what ``index`` writes on one machine;
a dataset store (Parquet, manifest format ``provenance-dataset``) is what ``index --engine
ray`` writes. ``trace``, ``report`` and ``info`` read both through the same methods, so they
open stores here and never ask which kind they got.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .dataset.layout import read_manifest
from .store import Store

SQLITE = "sqlite"
DATASET = "dataset"


def store_kind(path: str | os.PathLike) -> str | None:
    """``"dataset"``, ``"sqlite"``, or None when ``path`` holds no store."""
    if read_manifest(path) is not None:
        return DATASET
    return SQLITE if Store.exists(path) else None


def open_reader(path: str | os.PathLike) -> Any:
    """Open the store at ``path`` for reading, whichever kind the manifest says it is."""
    if store_kind(path) == DATASET:
        from .dataset import require_pyarrow

        require_pyarrow(f"{Path(path)} is a dataset store (written by index --engine ray); reading it")
        from .dataset.reader import DatasetStore

        return DatasetStore.open(path)
    return Store.open(path)

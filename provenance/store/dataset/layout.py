"""A dataset store's folder: the manifest that commits it, and one folder per run.

::

    manifest.json          format "provenance-dataset", schema version, model, dimension,
                           encoder; the committed runs; every table's Parquet files; row
                           counts; the vector index and the lexical index: the commit point
    runs/000001/           everything run 1 wrote: documents/, claims/, vectors/, matches/,
                           credits/, clusters/, members/ (Parquet), index/, lexical.sqlite,
                           run.json (what the run was asked to do) and one <stage>.done per
                           finished stage
    LOCK                   held (flock) by the one process allowed to write

A run writes only inside its own folder, and the store changes only when the manifest is
replaced (atomically, after every file it names has been fsynced): a crash at any moment leaves
the previous manifest, which names only files of committed runs, so the store never looks whole
while half-written. A run's folder left by a crash is picked up by the next run asked the same
thing (same inputs, same settings, same base): the stages it finished are not done again.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import time
from pathlib import Path
from typing import Any

import orjson

from ...textnorm import EMBEDDING_FORM
from ..files import atomic_write, fsync_dir
from ..manifest import MANIFEST_NAME
log = logging.getLogger(__name__)

DATASET_FORMAT = "provenance-dataset"
# 2: quote units (claims.parent), dates with their precision, offset and conflict, embedding
# form 2 (store/schema.py m004, m005; textnorm.EMBEDDING_FORM). Stores of version 1 were made
# only by this branch's development builds: they are refused, not migrated.
DATASET_SCHEMA_VERSION = 2
TABLES = ("documents", "claims", "vectors", "matches", "credits", "clusters", "members")

RUNS = "runs"
RUN_FILE = "run.json"


def read_manifest(folder: str | os.PathLike) -> dict[str, Any] | None:
    """The dataset manifest of ``folder``, or None when ``folder`` holds no dataset store."""
    try:
        data = orjson.loads((Path(folder) / MANIFEST_NAME).read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return None
    return data if isinstance(data, dict) and data.get("format") == DATASET_FORMAT else None


def new_manifest(model: str, dimension: int, encoder: str | None) -> dict[str, Any]:
    """The manifest of an empty dataset store."""
    return {
        "format": DATASET_FORMAT,
        "kind": "dataset",
        "schema_version": DATASET_SCHEMA_VERSION,
        "model": model,
        "dimension": int(dimension),
        "normalized": True,
        "encoder": encoder or None,
        "embedding_form": EMBEDDING_FORM,
        "runs": [],
        "tables": {t: [] for t in TABLES},
        "counts": {**{t: 0 for t in TABLES}, "quote_units": 0},
        "max_doc_num": 0,
        "max_claim_id": 0,
        "index": None,
        "lexical": None,
    }


class RunFolder:
    """The folder of run ``number``: where its stages write, and which of them are done."""

    def __init__(self, store: Path, number: int) -> None:
        self.store = store
        self.number = number
        self.name = f"{number:06d}"
        self.path = store / RUNS / self.name

    def relative(self, path: Path) -> str:
        return path.relative_to(self.store).as_posix()

    def table_dir(self, table: str) -> Path:
        return self.path / table

    def files(self, table: str) -> list[str]:
        """The Parquet files a stage wrote for ``table``, store-relative, in name order."""
        folder = self.table_dir(table)
        return sorted(self.relative(f) for f in folder.glob("*.parquet")) if folder.is_dir() else []

    def prepare(self, fingerprint: dict[str, Any]) -> bool:
        """Make the folder ready for a run asked ``fingerprint``; True when an interrupted run
        asked the same left work here to resume, False when starting afresh."""
        record = self.path / RUN_FILE
        with contextlib.suppress(OSError, orjson.JSONDecodeError):
            if orjson.loads(record.read_bytes()).get("fingerprint") == fingerprint:
                log.info("resuming run %s: finished stages are kept", self.name)
                return True
        if self.path.exists():
            log.info("removing run folder %s (left by an interrupted run asked something else)", self.name)
            shutil.rmtree(self.path)
        self.path.mkdir(parents=True)
        atomic_write(record, orjson.dumps({"fingerprint": fingerprint, "started_at": _now()}))
        return False

    def done(self, stage: str) -> dict[str, Any] | None:
        """What a finished stage recorded, or None when it has not finished."""
        with contextlib.suppress(OSError, orjson.JSONDecodeError):
            return orjson.loads((self.path / f"{stage}.done").read_bytes())
        return None

    def mark_done(self, stage: str, info: dict[str, Any]) -> None:
        atomic_write(self.path / f"{stage}.done", orjson.dumps(info))

    def clear(self, *tables: str) -> None:
        """Remove what an unfinished stage may have written for ``tables``."""
        for t in tables:
            shutil.rmtree(self.table_dir(t), ignore_errors=True)


def next_run(store: Path, manifest: dict[str, Any] | None) -> RunFolder:
    runs = manifest["runs"] if manifest else []
    return RunFolder(store, int(runs[-1]["run"]) + 1 if runs else 1)


def commit(store: Path, manifest: dict[str, Any], run: RunFolder) -> None:
    """Make the run part of the store: fsync every file it wrote, then replace the manifest."""
    for root, _dirs, files in os.walk(run.path):
        for name in files:
            fsync_dir(Path(root) / name)  # opens read-only and fsyncs: a file as well as a folder
        fsync_dir(Path(root))
    fsync_dir(run.path.parent)
    manifest = {**manifest, "updated_at": _now()}
    atomic_write(store / MANIFEST_NAME, orjson.dumps(manifest, option=orjson.OPT_INDENT_2))


def remove_unreferenced(store: Path, manifest: dict[str, Any], previous: dict[str, Any] | None) -> None:
    """Delete files of committed runs that neither ``manifest`` nor the ``previous`` one names
    (clusters replaced two runs ago, superseded indexes): a reader that opened the previous
    manifest keeps its files until the next commit. Folders of unfinished runs stay for resuming."""
    named = set()
    for m in (manifest, previous or {}):
        named.update(f for files in m.get("tables", {}).values() for f in files)
        named.update(m[entry]["file"] for entry in ("index", "lexical") if m.get(entry))
    for run in manifest["runs"]:
        folder = store / RUNS / run["run"]
        for path in folder.rglob("*"):
            ours = path.is_file() and path.suffix in (".parquet", ".faiss", ".sqlite")
            if ours and path.relative_to(store).as_posix() not in named:
                with contextlib.suppress(OSError):
                    path.unlink()


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())

"""manifest.json: what a store was built with, and the commit point of its vector snapshot.

The manifest records the model, dimension, encoder, index type, embedding form (what the model
read of each claim, ``textnorm.embedding_text``) and schema version (so another
tool can tell what a store is without opening SQLite) and the current FAISS snapshot: its file,
generation, claim count, last claim id and SHA-256. A new snapshot is committed by replacing the
manifest atomically; until then readers keep using the old one.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import orjson

from .files import atomic_write

MANIFEST_NAME = "manifest.json"
STORE_FORMAT = "provenance-store"


class Manifest:
    def __init__(self, folder: Path, header: dict[str, Any]) -> None:
        self.path = folder / MANIFEST_NAME
        # Fixed for the store's life: format, schema version, model, dimension, encoder, ...
        self.header = header

    def read(self) -> dict[str, Any]:
        """The manifest as written, or {} when it is missing or unreadable (derived data: the
        next writer writes it again)."""
        try:
            data = orjson.loads(self.path.read_bytes())
        except (OSError, orjson.JSONDecodeError):
            return {}
        return data if isinstance(data, dict) else {}

    def vectors(self) -> dict[str, Any]:
        """The committed snapshot's entry, {} when there is none."""
        return self.read().get("vectors") or {}

    def write(self, vectors: dict[str, Any] | None) -> None:
        manifest = {
            **self.header,
            "vectors": vectors,
            "updated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        atomic_write(self.path, orjson.dumps(manifest, option=orjson.OPT_INDENT_2))

    def exists(self) -> bool:
        return self.path.exists()


def header_from_meta(meta: dict[str, str], schema_version: int) -> dict[str, Any]:
    """The manifest's fixed fields, from the database's meta table (the truth)."""
    return {
        "format": STORE_FORMAT,
        "schema_version": schema_version,
        "model": meta["model"],
        "dimension": int(meta["dimension"]),
        "normalized": True,
        "encoder": meta.get("encoder") or None,
        "index_type": meta.get("index_type", "flat"),
        "embedding_form": int(meta.get("embedding_form") or 1),
    }

"""Reading a dataset store through the same methods ``trace``, ``report`` and the clustering
stages read a SQLite :class:`~provenance.store.Store` with.

A :class:`DatasetStore` is opened from a manifest: the committed one (``open``), or the one a
run in progress is building (``from_manifest``, which the Ray engine's stages read their own
run through). Lookups by claim id, document number, vector number or cluster id read only the
row groups that can hold the keys (``tables.py``); whole-table reads are for ``report``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ...errors import StoreCorrupt, StoreNotFound
from ...records import ClusterRow, Credit, DocRef, Match, MemberRow, StoredClaim, StoredDocument
from ..listing import DocumentSummary
from . import ann
from . import schema as sc
from .layout import read_manifest
from .lexical import LexicalIndex
from .tables import ParquetTable


class DatasetVectors:
    """The store's FAISS index (``manifest["index"]``), verified and loaded on first search."""

    def __init__(self, folder: Path, entry: dict[str, Any] | None, dim: int) -> None:
        self.folder = folder
        self.entry = entry or {}
        self.dim = dim
        self._index: Any = None

    def index(self) -> Any:
        if self._index is None:
            if not self.entry:
                self._index = ann.flat_index(np.zeros(0, dtype=np.int64), np.zeros((0, self.dim), dtype=np.float32))
            else:
                data = (self.folder / self.entry["file"]).read_bytes()
                if ann.sha256(data) != self.entry.get("sha256"):
                    raise StoreCorrupt(
                        f"vector index {self.entry['file']} of dataset store {self.folder} fails its checksum; "
                        "index the same inputs into a new store, or restore the store from a backup"
                    )
                self._index = ann.deserialize(data)
        return self._index

    def search(self, vectors: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Top-``k`` (cosines, claim ids) per query row; ids are -1 where fewer exist."""
        return ann.search(self.index(), vectors, k)


class DatasetStore:
    """A dataset store, read-only: the read interface of :class:`~provenance.store.Store`."""

    writable = False

    def __init__(self, path: Path, manifest: dict[str, Any]) -> None:
        self.path = path
        self._manifest = manifest
        self.model: str = manifest["model"]
        self.dim: int = int(manifest["dimension"])
        index = manifest.get("index") or {}
        self.index_type: str = index.get("kind", ann.FLAT)
        # What the model read of each text (textnorm.embedding_text), as a SQLite store's meta says.
        self.embedding_form: int = int(manifest.get("embedding_form") or 1)
        self.meta = {"model": self.model, "dimension": str(self.dim), "encoder": manifest.get("encoder") or "",
                     "index_type": self.index_type, "format": manifest["format"]}  # fmt: skip
        self.tables = {
            t: ParquetTable(path, manifest["tables"].get(t, []), sc.KEYS[t], sc.schema_of(t, self.dim)) for t in sc.TABLES
        }
        self.vectors = DatasetVectors(path, manifest.get("index"), self.dim)
        lexical = manifest.get("lexical")
        self._lexical = LexicalIndex(path / lexical["file"]) if lexical else None

    @classmethod
    def open(cls, path: str | os.PathLike) -> DatasetStore:
        p = Path(path)
        manifest = read_manifest(p)
        if manifest is None:
            raise StoreNotFound(str(p))
        check_schema_version(p, manifest)
        return cls(p, manifest)

    @classmethod
    def from_manifest(cls, path: Path, manifest: dict[str, Any]) -> DatasetStore:
        return cls(path, manifest)

    def manifest(self) -> dict[str, Any]:
        return self._manifest

    def release(self) -> None:
        if self._lexical is not None:
            self._lexical.close()

    def __enter__(self) -> DatasetStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    # ---- counts -------------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        c = self._manifest["counts"]
        return {"documents": c["documents"], "claims": c["claims"], "quote_units": self.quote_unit_count(),
                "matches": c["matches"], "clusters": c["clusters"]}  # fmt: skip

    def quote_unit_count(self) -> int:
        return int(self._manifest["counts"].get("quote_units", 0))

    def claim_count(self) -> int:
        return int(self._manifest["counts"]["claims"])

    def max_claim_id(self) -> int:
        return int(self._manifest["max_claim_id"])

    def cluster_count(self) -> int:
        return int(self._manifest["counts"]["clusters"])

    def lexical_search(self, query: str, k: int) -> list[tuple[int, float]]:
        return self._lexical.search(query, k) if self._lexical is not None else []

    # ---- documents ------------------------------------------------------------------------------

    def documents(self) -> list[StoredDocument]:
        return [sc.stored_document(r) for r in self.tables["documents"].sorted().to_pylist()]

    def documents_by_num(self, nums: Iterable[int]) -> dict[int, StoredDocument]:
        rows = self.tables["documents"].lookup(nums).to_pylist()
        return {r["num"]: sc.stored_document(r) for r in rows}

    def document_refs(self) -> list[DocRef]:
        cols = ["num", "id", "source", "url", "published_ts"]
        return [sc.doc_ref(r) for r in self.tables["documents"].sorted(cols).to_pylist()]

    def document_hashes(self, ids: Iterable[str]) -> dict[str, str]:
        """The content hash of each of ``ids`` the store holds."""
        table = self.tables["documents"].read(["id", "content_hash"])
        found = table.filter(pc.is_in(table["id"], pa.array(list(ids), pa.string())))
        return dict(zip(found["id"].to_pylist(), found["content_hash"].to_pylist()))

    def document_hash(self, doc_id: str) -> str | None:
        return self.document_hashes([doc_id]).get(doc_id)

    def document_summaries(self) -> list[DocumentSummary]:
        """Every document's metadata and claim count, without its text, in ingest order."""
        cols = ["num", "id", "title", "source", "published", "published_ts", "url", "origin"]
        counts = self.claim_counts()
        rows = self.tables["documents"].sorted(cols).to_pylist()
        return [DocumentSummary(*(r[c] for c in cols), counts.get(r["num"], 0)) for r in rows]

    def cluster_witnesses(self) -> Iterator[tuple[str, list[tuple[str, str | None]]]]:
        """Each cluster's origin text and its members' (document id, outlet), origin first then
        by claim id, as ``store/listing.py`` reads them from SQLite."""
        members = self.tables["members"].sorted(["cluster_id", "claim_id"], by=["cluster_id", "claim_id"])
        origin = {r.id: r.origin_claim for r in self.cluster_rows()}
        claims = self.claims(members["claim_id"].to_pylist())
        docs = self.documents_by_num({c.doc_num for c in claims.values()})
        by_cluster: dict[int, list[int]] = {}
        for cluster_id, claim_id in zip(members["cluster_id"].to_pylist(), members["claim_id"].to_pylist()):
            by_cluster.setdefault(cluster_id, []).append(claim_id)
        for cluster_id, ids in by_cluster.items():
            ids.sort(key=lambda i: (i != origin[cluster_id], i))
            text = claims[origin[cluster_id]].text if origin[cluster_id] in claims else ""
            yield text, [(docs[claims[i].doc_num].id, docs[claims[i].doc_num].source) for i in ids]

    def clustered_through(self) -> int:
        """A committed dataset store is clustered through its last claim (a run commits its
        clusters with its claims)."""
        return self.max_claim_id()

    def claim_counts(self) -> dict[int, int]:
        """Claims per document number, quote units left out: each lies inside a counted claim."""
        table = self.tables["claims"].read(["doc_num", "parent"])
        whole = table.filter(pc.is_null(table["parent"]))["doc_num"].to_numpy()
        nums, counts = np.unique(whole, return_counts=True)
        return dict(zip(nums.tolist(), counts.tolist()))

    # ---- claims ------------------------------------------------------------------------------

    def claims(self, ids: Iterable[int]) -> dict[int, StoredClaim]:
        cols = ["id", "doc_num", "doc_id", "ordinal", "start", "end", "text", "norm", "parent"]
        return {r["id"]: sc.stored_claim(r) for r in self.tables["claims"].lookup(ids, cols).to_pylist()}

    def claim_vectors(self, ids: Sequence[int]) -> np.ndarray:
        """The claims' unit vectors, one row per id, in the order given."""
        ids = list(ids)
        found = self.tables["claims"].lookup(ids, ["id", "vid"])
        vid_of = dict(zip(found["id"].to_pylist(), found["vid"].to_pylist()))
        vids = np.array([vid_of[i] for i in ids], dtype=np.int64)
        return self.vectors_by_vid(vids)

    def vectors_by_vid(self, vids: np.ndarray) -> np.ndarray:
        if not len(vids):
            return np.zeros((0, self.dim), dtype=np.float32)
        table = self.tables["vectors"].lookup(vids.tolist(), ["vid", "vector"])
        matrix = flat_vectors(table["vector"], self.dim)
        row_of = {v: i for i, v in enumerate(table["vid"].to_pylist())}
        return matrix[[row_of[v] for v in vids.tolist()]]

    def credits(self, claim_ids: Iterable[int]) -> dict[int, list[Credit]]:
        """Who each claim credits, in text order (as the SQLite store orders them)."""
        order = [("claim_id", "ascending"), ("start", "ascending"), ("seq", "ascending")]
        table = self.tables["credits"].lookup(claim_ids).sort_by(order)
        out: dict[int, list[Credit]] = {}
        for r in table.to_pylist():
            out.setdefault(r["claim_id"], []).append(sc.credit(r))
        return out

    def document_credits(self) -> dict[int, list[tuple[StoredClaim, list[Credit]]]]:
        """Every credited claim of every document, by document number, in text order: the rows
        of ``Store.document_credits`` in its order (document, claim ordinal, credit start, the
        order credits were found in)."""
        table = self.tables["credits"].read()
        claims = self.claims(set(table["claim_id"].to_pylist()))
        rows = sorted(table.to_pylist(), key=lambda r: (r["doc_num"], claims[r["claim_id"]].ordinal, r["start"], r["seq"]))
        out: dict[int, list[tuple[StoredClaim, list[Credit]]]] = {}
        last: StoredClaim | None = None
        for r in rows:
            if last is None or last.id != r["claim_id"]:
                last = claims[r["claim_id"]]
                out.setdefault(last.doc_num, []).append((last, []))
            out[last.doc_num][-1][1].append(sc.credit(r))
        return out

    # ---- matches and clusters ------------------------------------------------------------------

    def all_matches(self) -> list[Match]:
        return [sc.match(r) for r in self.tables["matches"].sorted(by=["a", "b"]).to_pylist()]

    def matches_touching(self, ids: Iterable[int]) -> list[Match]:
        table = self.tables["matches"].read()
        keys = pa.array(sorted(set(ids)), pa.int64())
        hit = table.filter(pc.or_(pc.is_in(table["a"], keys), pc.is_in(table["b"], keys)))
        return sorted(sc.match(r) for r in hit.to_pylist())

    def cluster_rows(self) -> list[ClusterRow]:
        return [sc.cluster_row(r) for r in self.tables["clusters"].sorted().to_pylist()]

    def clusters_by_id(self, ids: Iterable[int]) -> dict[int, ClusterRow]:
        return {r["id"]: sc.cluster_row(r) for r in self.tables["clusters"].lookup(ids).to_pylist()}

    def cluster_member_rows(self) -> list[MemberRow]:
        return [sc.member_row(r) for r in self.tables["members"].sorted(by=["cluster_id", "claim_id"]).to_pylist()]

    def cluster_member_rows_of(self, cluster_id: int) -> list[MemberRow]:
        rows = self.tables["members"].lookup([cluster_id]).sort_by("claim_id").to_pylist()
        return [sc.member_row(r) for r in rows]

    def cluster_of(self, claim_ids: Iterable[int]) -> dict[int, int]:
        table = self.tables["members"].read(["cluster_id", "claim_id"])
        hit = table.filter(pc.is_in(table["claim_id"], pa.array(sorted(set(claim_ids)), pa.int64())))
        return dict(zip(hit["claim_id"].to_pylist(), hit["cluster_id"].to_pylist()))


def check_schema_version(path: Path, manifest: dict[str, Any]) -> None:
    """Refuse a dataset store of another schema version, saying what to do."""
    version = int(manifest.get("schema_version", 0))
    if version > sc.DATASET_SCHEMA_VERSION:
        raise StoreCorrupt(
            f"dataset store {path} has schema version {version}, newer than this provenance "
            f"understands ({sc.DATASET_SCHEMA_VERSION}); upgrade provenance"
        )
    if version < sc.DATASET_SCHEMA_VERSION:
        raise StoreCorrupt(
            f"dataset store {path} has schema version {version}, from a development build before quote units and "
            f"date precision (version {sc.DATASET_SCHEMA_VERSION}); index its inputs again into a new store"
        )


def flat_vectors(column: pa.ChunkedArray | pa.Array, dim: int) -> np.ndarray:
    """A fixed-size-list column of float32 as an (n, dim) matrix."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks() if column.num_chunks else pa.array([], pa.list_(pa.float32(), dim))
    values = column.flatten().to_numpy(zero_copy_only=False)
    return np.asarray(values, dtype=np.float32).reshape(len(column), dim)

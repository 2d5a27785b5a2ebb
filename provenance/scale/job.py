"""``index --engine ray``: the index job as Ray Data stages, into a dataset store.

The stages and who runs them (each Ray stage calls the one-machine stage functions, see
``stages.py``; the driver only numbers, see ``numbering.py``):

    read        Ray tasks, one per input chunk      -> documents and rejections, in input order
    number      driver, on (id, hash) columns       -> which documents are new, their numbers
                                                        and index batches (one machine's loop)
    segment     Ray tasks over document blocks      -> claims and credits of each new document
    embed       Ray actor pool (a GPU each with     -> one vector per distinct new text
                --gpus), longest texts first
    index       driver (exact) or Ray tasks         -> the vector index over every claim
                building IVF-PQ shards, merged
    match       Ray tasks, one per index batch      -> same-claim pairs: each claim against its
                                                        NEIGHBOURS nearest earlier claims and its
                                                        own batch, the same judge
    cluster     one Ray task (union-find over the   -> clusters of the components that gained
                match graph), then Ray tasks per       a match, by the one-machine cluster code
                group of whole components
    commit      driver                              -> lexical index, manifest replaced

Each stage writes Parquet into the run's folder and marks itself done; a run killed part-way
and started again with the same inputs resumes after the last finished stage.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from ..documents import Rejection
from ..pipeline import IndexSummary
from ..store.dataset import schema as sc
from ..store.dataset.layout import RunFolder
from ..store.dataset.reader import DatasetStore
from ..store.dataset.tables import ROW_GROUP_ROWS
from . import numbering, stages
from . import rows
from .clock import StageClock
from .inputs import Chunk
from .settings import RunSettings

log = logging.getLogger(__name__)

# New documents per block of the segment stage: enough blocks to keep every core busy.
SEGMENT_DOCS = 64


class RayIndexJob:
    """One run over a dataset store: ``base`` is the committed manifest (None for a new store)."""

    def __init__(self, folder: Path, base: dict[str, Any], run: RunFolder, settings: RunSettings, clock: StageClock) -> None:
        self.folder = folder
        self.base = base
        self.run = run
        self.settings = settings
        self.clock = clock
        self.dim = int(base["dimension"])
        self.base_view = DatasetStore.from_manifest(folder, base)
        self.summary = IndexSummary()

    # ---- views of the store as this run sees it --------------------------------------------------

    def pending(self, *tables: str) -> dict[str, Any]:
        """The base manifest with this run's finished ``tables`` added (what stages read)."""
        files = {t: list(self.base["tables"][t]) + (self.run.files(t) if t in tables else []) for t in sc.TABLES}
        return {**self.base, "tables": files}

    def _write(self, ds: Any, table: str) -> None:
        ds.write_parquet(str(self.run.table_dir(table)), row_group_size=ROW_GROUP_ROWS)

    # ---- read, number, segment --------------------------------------------------------------------

    def segment(self, chunks: list[Chunk]) -> dict[str, Any]:
        """Read, number and segment; writes documents, claims and credits. Returns what the
        stage records (counts, rejections, index batches) for resuming."""
        done = self.run.done("segment")
        if done is not None:
            return done
        self.run.clear("documents", "claims", "credits")
        parsed, inputs = self._read(chunks)
        with self.clock.stage("number"):
            plan = numbering.assign_documents(
                inputs, self.base_view.document_hashes, int(self.base["max_doc_num"]), self.settings.batch_documents, self.summary
            )
        with self.clock.stage("segment"):
            counts, numbers = self._segment(parsed, plan)
        info = {
            "documents_added": self.summary.documents_added,
            "documents_skipped": self.summary.documents_skipped,
            "rejected": [[r.path, r.line, r.reason] for r in self.summary.rejected],
            "claims_added": int(counts["n_claims"].to_numpy().sum()) if counts.num_rows else 0,  # quote units too
            "quote_units_added": int(counts["n_units"].to_numpy().sum()) if counts.num_rows else 0,
            "new_vectors": numbers.new_vectors,
            "batches": _batch_ranges(plan, counts, numbers.first_ids).to_pylist(),
        }
        self.run.mark_done("segment", info)
        return info

    def _read(self, chunks: list[Chunk]) -> tuple[Any, pa.Table]:
        """Every input, read by one task per chunk (kept in the object store), and the columns
        numbering needs, in input order."""
        import ray

        with self.clock.stage("read"):
            parsed = (
                ray.data.from_items([c.to_item() for c in chunks], override_num_blocks=max(1, len(chunks)))
                .map_batches(stages.parse_chunks, batch_size=1, batch_format="pyarrow", fn_kwargs={"clock": self.clock.actor})
                .materialize()
            )
            columns = ["chunk", "seq", "is_doc", "origin", "line", "reason", "id", "content_hash", "chars"]
            inputs = collect(parsed.select_columns(columns), _part(rows.PARSED, columns))
        return parsed, inputs.sort_by([("chunk", "ascending"), ("seq", "ascending")])

    def _segment(self, parsed: Any, plan: pa.Table) -> tuple[pa.Table, numbering.ClaimNumbers]:
        """Claims and credits of the new documents, numbered, written as tables."""
        import ray

        segmented = (
            parsed.repartition(target_num_rows_per_block=SEGMENT_DOCS)
            .map_batches(stages.segment_documents, batch_format="pyarrow", num_cpus=1,
                         fn_kwargs={"fresh": ray.put(plan), "added_at": _now(), "clock": self.clock.actor})
            .materialize()
        )  # fmt: skip
        columns = ["num", "n_claims", "n_units", "hashes"]
        counts = collect(segmented.select_columns(columns), _part(rows.SEGMENTED, columns)).sort_by("num")
        stored = self.base_view.tables["vectors"].read(["vid", "hash"])
        numbers = numbering.number_claims(counts, int(self.base["max_claim_id"]), stored, int(self.base["counts"]["vectors"]))
        self._write_segmented(segmented, numbers)
        return counts, numbers

    def _write_segmented(self, segmented: Any, numbers: numbering.ClaimNumbers) -> None:
        import ray

        first, vids = ray.put(numbers.first_ids), ray.put(numbers.claim_vids)
        max_num, max_claim = int(self.base["max_doc_num"]), int(self.base["max_claim_id"])
        self._write(segmented.map_batches(stages.document_rows, batch_format="pyarrow"), "documents")
        self._write(
            segmented.map_batches(stages.claim_rows, batch_format="pyarrow", fn_kwargs={
                "first_ids": first, "claim_vids": vids, "base_max_num": max_num, "base_max_claim": max_claim}),
            "claims",
        )  # fmt: skip
        self._write(
            segmented.map_batches(
                stages.credit_rows, batch_format="pyarrow", fn_kwargs={"first_ids": first, "base_max_num": max_num}
            ),
            "credits",
        )

    # ---- embed ------------------------------------------------------------------------------------

    def embed(self) -> None:
        """One vector per text new to the store, computed by an actor pool."""
        import ray

        if self.run.done("embed") is not None:
            return
        self.run.clear("vectors")
        claims = self._run_claims(["id", "vid"])
        first = numbering.first_claims_of_new_texts(
            claims["id"].to_numpy(), claims["vid"].to_numpy(), int(self.base["counts"]["vectors"])
        )
        s = self.settings
        with self.clock.stage("embed"):
            if len(first):
                # Workers read the claims files themselves (one task per file), before the
                # actors take the cores.
                files = [{"file": f} for f in self.run.files("claims")]
                todo = (
                    ray.data.from_items(files, override_num_blocks=len(files))
                    .map_batches(stages.new_texts, batch_size=1, batch_format="pyarrow",
                                 fn_kwargs={"folder": str(self.folder), "first_claims": ray.put(pa.array(first))})
                    .materialize()
                )  # fmt: skip
                self.run.table_dir("vectors").mkdir(parents=True)
                worker = stages.embed_worker(
                    s.model, s.encoder, s.embed_device, s.embed_threads, str(self.run.table_dir("vectors")), self.clock.actor
                )
                todo.map_batches(
                    worker, batch_size=s.embed_block, batch_format="pyarrow",
                    compute=ray.data.ActorPoolStrategy(size=s.embed_actors), num_cpus=s.embed_cpus, num_gpus=s.embed_gpus,
                ).materialize()  # fmt: skip
        self.run.mark_done("embed", {"vectors": len(first)})

    def _run_claims(self, columns: list[str]) -> pa.Table:
        return read_files(self.folder, self.run.files("claims"), columns, sc.CLAIMS).sort_by("id")

    # ---- vectors of every claim ------------------------------------------------------------------------

    def claim_matrix(self) -> np.ndarray:
        """Every claim's vector (base and new), row i for claim i + 1."""
        view = DatasetStore.from_manifest(self.folder, self.pending("claims", "vectors"))
        claims = view.tables["claims"].sorted(["id", "vid"])
        ids = claims["id"].to_numpy()
        if len(ids) and not np.array_equal(ids, np.arange(1, len(ids) + 1)):
            raise RuntimeError("internal: claim ids of a dataset store are not 1..n")
        vectors = view.tables["vectors"].sorted(["vid", "vector"])
        from ..store.dataset.reader import flat_vectors

        matrix = flat_vectors(vectors["vector"], self.dim)
        vids = vectors["vid"].to_numpy()
        if len(vids) and not np.array_equal(vids, np.arange(len(vids))):
            raise RuntimeError("internal: vector numbers of a dataset store are not 0..n-1")
        return np.ascontiguousarray(matrix[claims["vid"].to_numpy()]) if len(ids) else np.zeros((0, self.dim), np.float32)

    # ---- match ------------------------------------------------------------------------------------------

    def match(self, batches: list[dict[str, int]], matrix_ref: Any, index_ref: Any) -> None:
        import ray

        if self.run.done("match") is not None:
            return
        self.run.clear("matches")
        with self.clock.stage("match"):
            if batches:
                items = pa.Table.from_pylist(batches, schema=_BATCHES)
                ds = ray.data.from_arrow([items.slice(i, 1) for i in range(items.num_rows)]).map_batches(
                    stages.match_batches, batch_format="pyarrow", num_cpus=1,
                    fn_kwargs={"store": str(self.folder), "manifest": self.pending("documents", "claims", "vectors"),
                               "judge": self.settings.judge,
                               "refs": {"vectors": matrix_ref, "index": index_ref},
                               "settings": self.settings.match_settings, "threads": self.settings.search_threads,
                               "clock": self.clock.actor},
                )  # fmt: skip
                self._write(ds, "matches")
        self.run.mark_done("match", {})


_BATCHES = pa.schema([("batch", pa.int64()), ("lo", pa.int64()), ("hi", pa.int64())])


def collect(ds: Any, schema: pa.Schema) -> pa.Table:
    """A (small) dataset's rows on the driver, as a table of ``schema``."""
    import ray

    tables = [t.cast(schema) for t in ray.get(ds.to_arrow_refs()) if t.num_rows]
    return pa.concat_tables(tables) if tables else schema.empty_table()


def _part(schema: pa.Schema, columns: list[str]) -> pa.Schema:
    return pa.schema([schema.field(c) for c in columns])


def read_files(folder: Path, files: list[str], columns: list[str], schema: pa.Schema) -> pa.Table:
    import pyarrow.parquet as pq

    parts = [pq.read_table(folder / f, columns=columns) for f in files]
    target = pa.schema([schema.field(c) for c in columns])
    return pa.concat_tables([p.cast(target) for p in parts]) if parts else target.empty_table()


def _batch_ranges(plan: pa.Table, counts: pa.Table, first_ids: np.ndarray) -> pa.Table:
    """(batch, lo, hi) claim id ranges of the index batches that have new claims."""
    if not plan.num_rows:
        return _BATCHES.empty_table()
    plan = plan.sort_by("num")
    n = counts["n_claims"].to_numpy()
    lo, hi = first_ids, first_ids + n
    batch = plan["batch"].to_numpy()
    keep = n > 0
    table = pa.table({"batch": batch[keep], "lo": lo[keep], "hi": hi[keep]})
    return numbering.index_batches(table) if table.num_rows else _BATCHES.empty_table()


def rejections(info: dict[str, Any]) -> list[Rejection]:
    return [Rejection(p, line, reason) for p, line, reason in info["rejected"]]


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())

"""``index --engine ray``: open (or create) the dataset store, run the job, commit it.

One process is the store's writer (the driver holds its LOCK, as ``index`` does a SQLite
store's); the work goes to the Ray cluster. A run is identified by what it was asked (inputs
with their sizes and times, settings, the store it starts from): asked the same again after a
crash, it resumes in the folder the crashed run left.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from ..cluster import DEFAULT_CLUSTER_SETTINGS, ClusterSettings
from ..documents import InputFile, input_files
from ..embed import HASHING, TORCH, agreeing, canonical_model_name
from ..errors import EmbeddingFormMismatch, ModelMismatch, UsageProblem
from ..faults import crash_point
from ..match import DEFAULT_SETTINGS, MatchSettings
from ..pipeline import BATCH_DOCUMENTS, IndexSummary
from ..store import Store
from ..store.dataset import require_pyarrow
from ..store.dataset.layout import DATASET_SCHEMA_VERSION, commit, new_manifest, next_run, read_manifest, remove_unreferenced
from ..store.dataset.reader import check_schema_version
from ..store.files import acquire_lock
from ..store.vectorindex import default_search_threads
from ..textnorm import EMBEDDING_FORM
from .session import ray_cluster, require_ray
from .settings import RayOptions, RunSettings

log = logging.getLogger(__name__)


@dataclass
class RaySummary(IndexSummary):
    """The index summary, plus what a Ray run adds: its run number, whether it resumed, and
    per-stage timings."""

    run: str | None = None
    resumed: bool = False
    stages: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {**super().to_json(), "engine": "ray", "run": self.run, "resumed": self.resumed, "stages": self.stages}


def index_with_ray(
    store_path: str | os.PathLike,
    paths: Sequence[str],
    *,
    model: str | None = None,
    stdin: BinaryIO | None = None,
    wait: bool = False,
    batch_documents: int = BATCH_DOCUMENTS,
    match_settings: MatchSettings = DEFAULT_SETTINGS,
    cluster_settings: ClusterSettings = DEFAULT_CLUSTER_SETTINGS,
    progress: Callable[[int], None] | None = None,
    encoder: str = TORCH,
    device: str | None = None,
    options: RayOptions = RayOptions(),
) -> RaySummary:
    """Index every document under ``paths`` into the dataset store at ``store_path`` on Ray."""
    started = time.perf_counter()
    require_ray()
    require_pyarrow("--engine ray")
    folder = Path(store_path)
    if options.gpus and encoder != TORCH:
        raise UsageProblem(f"--gpus embeds with torch on CUDA; leave out --encoder {encoder} (or --gpus)")
    if Store.exists(folder):
        raise UsageProblem(
            f"{folder} is a SQLite store (written by index --engine local); --engine ray writes a dataset store: "
            "give another --store, or index into this one with --engine local"
        )
    # What the folder held before: a run that finds nothing to index leaves no store behind,
    # as one machine creates its store only when a document arrives.
    before = set(folder.iterdir()) if folder.is_dir() else None
    folder.mkdir(parents=True, exist_ok=True)
    lock = acquire_lock(folder, wait)
    try:
        with ray_cluster(options.address, options.cpus, options.gpus) as cluster:
            base = read_manifest(folder) or new_manifest(*_describe_model(model, encoder))
            check_schema_version(folder, base)
            _check_model(folder, base, model, encoder)
            settings = RunSettings(
                model=base["model"], encoder=encoder, device=device, cpus=max(1, cluster.cpus), gpus=options.gpus,
                batch_documents=batch_documents, match_settings=match_settings, cluster_settings=cluster_settings,
                ivf_from_claims=options.ivf_from_claims, search_threads=default_search_threads(), judge=_judge(),
            )  # fmt: skip
            summary = _run(folder, base, list(paths), stdin, settings, options)
    finally:
        os.close(lock)
    if read_manifest(folder) is None:  # finished, and found nothing to index
        _remove_new_entries(folder, before)
    if progress:
        progress(summary.documents_added + summary.documents_skipped)
    summary.seconds = time.perf_counter() - started
    return summary


def _run(
    folder: Path, base: dict[str, Any], paths: list[str], stdin: BinaryIO | None, settings: RunSettings, options: RayOptions
) -> RaySummary:
    import ray

    from . import finish
    from .clock import StageClock
    from .inputs import plan_chunks
    from .job import RayIndexJob, rejections

    spooled = _spool_stdin(folder, stdin) if "-" in paths else None
    run = next_run(folder, base)
    resumed = run.prepare(_fingerprint(paths, spooled, base, settings))
    stdin_file = None
    if spooled is not None:
        stdin_file = run.path / "stdin.jsonl"
        shutil.move(spooled, stdin_file)
    clock = StageClock()
    try:
        job = RayIndexJob(folder, base, run, settings, clock)
        chunks, skipped = plan_chunks(paths, str(stdin_file) if stdin_file else None, options.chunk_bytes)
        info = job.segment(chunks)
        crash_point("dataset-stage")
        summary = RaySummary(run=run.name, resumed=resumed, rejected=rejections(info), skipped=skipped)
        summary.documents_added, summary.documents_skipped = info["documents_added"], info["documents_skipped"]
        # As one machine counts them: claims without the quote units inside them.
        summary.quote_units_added = info["quote_units_added"]
        summary.claims_added = info["claims_added"] - summary.quote_units_added
        summary.texts_embedded = info["new_vectors"]
        if not info["documents_added"]:
            shutil.rmtree(run.path)  # nothing new: the store stays as it was (or is not made)
            summary.run = None
            _count_clusters(summary, folder, base)
            return summary
        job.embed()
        crash_point("dataset-stage")
        matrix = job.claim_matrix()
        matrix_ref = ray.put(matrix)
        index, index_ref = finish.build_index(job, matrix, matrix_ref)
        crash_point("dataset-stage")
        job.match(info["batches"], matrix_ref, index_ref)
        crash_point("dataset-stage")
        clusters, members = finish.recluster(job)
        finish.write_clusters(job, clusters, members)
        manifest = finish.final_manifest(job, index, finish.build_lexical(job), info)
        crash_point("dataset-before-manifest")
        commit(folder, manifest, run)
        remove_unreferenced(folder, manifest, base)
        summary.matches_added = manifest["runs"][-1]["matches"]
        _count_clusters(summary, folder, manifest)
        summary.stages = clock.report()
        return summary
    finally:
        clock.close()


def _judge() -> str:
    """The same-claim judge one machine would use here (``judge.model_folder``), for the workers."""
    from ..judge import model_folder

    folder = model_folder()
    return str(folder.resolve()) if folder is not None else "off"


def _count_clusters(summary: RaySummary, folder: Path, manifest: dict[str, Any]) -> None:
    """The clusters a report shows and those it hides, counted as one machine's summary counts
    them (``inventory.shown_clusters``)."""
    from ..inventory import shown_clusters
    from ..store.dataset.reader import DatasetStore

    if not manifest["runs"]:
        return
    with DatasetStore.from_manifest(folder, manifest) as view:
        seen = shown_clusters(view)  # type: ignore[arg-type]
    summary.clusters, summary.clusters_hidden = seen.clusters, dict(seen.hidden)


def _remove_new_entries(folder: Path, before: set[Path] | None) -> None:
    """Undo what a run that committed nothing made in ``folder`` (its lock, its run folder)."""
    if before is None:
        shutil.rmtree(folder, ignore_errors=True)
        return
    for path in set(folder.iterdir()) - before:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def _describe_model(model: str | None, encoder: str) -> tuple[str, int, str]:
    """(name, dimension, encoder) of the model a new store is built with, asked of a worker
    (the driver never loads the model)."""
    name = canonical_model_name(model)
    if name.startswith("hashing-"):
        return name, int(name.split("-", 1)[1]), HASHING
    import ray

    def describe(name: str, encoder: str) -> tuple[str, int, str]:
        from ..embed import load_encoder

        embedder = load_encoder(name, encoder, "cpu")
        return embedder.name, embedder.dim, embedder.encoder

    return tuple(ray.get(ray.remote(num_cpus=1)(describe).remote(name, encoder)))  # type: ignore[return-value]


def _check_model(folder: Path, base: dict[str, Any], model: str | None, encoder: str) -> None:
    """The checks ``open_writer`` makes of a SQLite store: same model, embedding form, agreeing encoder."""
    if model is not None and canonical_model_name(model) != base["model"]:
        raise ModelMismatch(
            f"store {folder} was built with model {base['model']} (dimension {base['dimension']}); "
            f"rebuild it with --model {base['model']} or use another --store for {canonical_model_name(model)}"
        )
    form = int(base.get("embedding_form") or 1)
    if form != EMBEDDING_FORM:
        raise EmbeddingFormMismatch(str(folder), form, EMBEDDING_FORM)
    if not agreeing(base.get("encoder"), encoder) and not base["model"].startswith("hashing-"):
        built = base.get("encoder")
        raise ModelMismatch(f"store {folder} was built with encoder {built}; index with --encoder {built}")


def _spool_stdin(folder: Path, stdin: BinaryIO | None) -> Path:
    """Standard input saved in the store folder, so workers can read it (and a resumed run
    can tell it is the same). A copy a killed run left is removed (we hold the lock)."""
    for stale in folder.glob(".stdin-*.jsonl"):
        stale.unlink(missing_ok=True)
    path = folder / f".stdin-{os.getpid()}.jsonl"
    with path.open("wb") as out:
        shutil.copyfileobj(stdin if stdin is not None else sys.stdin.buffer, out)
    return path


def _fingerprint(paths: list[str], spooled: Path | None, base: dict[str, Any], settings: RunSettings) -> dict[str, Any]:
    """What a run is asked: resuming is right only when all of it is the same."""
    files = []
    for item in input_files(paths):
        if isinstance(item, InputFile) and not item.is_stdin:
            st = os.stat(item.path)
            files.append([item.path, st.st_size, st.st_mtime_ns])
    stdin_hash = hashlib.sha256(spooled.read_bytes()).hexdigest() if spooled else None
    return {
        "schema_version": DATASET_SCHEMA_VERSION,
        "paths": [os.path.abspath(p) if p != "-" else p for p in paths],
        "files": files,
        "stdin": stdin_hash,
        "model": settings.model,
        "encoder": settings.encoder,
        "batch_documents": settings.batch_documents,
        "match_settings": repr(settings.match_settings),
        "cluster_settings": repr(settings.cluster_settings),
        "ivf_from_claims": settings.ivf_from_claims,
        "judge": settings.judge,
        "base_runs": [r["run"] for r in base["runs"]],
    }

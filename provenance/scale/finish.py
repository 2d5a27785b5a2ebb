"""The end of a Ray run: the vector index, the clusters of what changed, the lexical index and
the manifest that commits it all.

Connected components are one union-find (:func:`provenance.cluster.components`) in one Ray
task over every match's two claim ids (16 bytes a match: a billion matches is 16 GB, one
large-memory worker); past that, star contraction over Ray Data joins would take over (not
built). Only the components holding a match of this run are clustered again, like
``incremental.py`` on one machine; the others keep their stored clusters.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..cluster import components
from ..store.dataset import ann, lexical
from ..store.dataset import schema as sc
from ..store.dataset.reader import DatasetStore
from ..store.dataset.tables import write_table
from ..store.files import atomic_write
from . import rows as rw
from . import stages
from .job import RayIndexJob, collect, read_files

log = logging.getLogger(__name__)

# Matches per cluster task (whole components only, so a giant component is one task).
GROUP_MATCHES = 20_000


# ---- vector index ---------------------------------------------------------------------------------


def build_index(job: RayIndexJob, matrix: np.ndarray, matrix_ref: Any) -> tuple[dict[str, Any], Any]:
    """The store's vector index over every claim; returns its manifest entry and, for IVF-PQ,
    the serialised index in the object store (matching searches it)."""
    import ray

    done = job.run.done("index")
    if done is None:
        kind = ann.kind_for(len(matrix), job.settings.ivf_from_claims)
        with job.clock.stage("index"):
            if kind == ann.FLAT:
                index = ann.flat_index(np.arange(1, len(matrix) + 1, dtype=np.int64), matrix)
                params: dict[str, Any] = {}
            else:
                index, params = _ivf_index(job, matrix, matrix_ref)
            data = ann.serialize(index)
            path = job.run.path / "index" / "vectors.faiss"
            path.parent.mkdir(exist_ok=True)
            atomic_write(path, data)
        done = {"file": job.run.relative(path), "kind": kind, "count": int(index.ntotal), "sha256": ann.sha256(data),
                "params": params}  # fmt: skip
        job.run.mark_done("index", done)
    if done["kind"] == ann.FLAT:
        return done, None
    return done, ray.put((job.folder / done["file"]).read_bytes())


def _ivf_index(job: RayIndexJob, matrix: np.ndarray, matrix_ref: Any) -> tuple[Any, dict[str, Any]]:
    """IVF-PQ: the base store's trained index extended, or one trained on a sample; the claims
    it lacks added in shards by Ray tasks and merged."""
    import faiss
    import ray

    entry = job.base.get("index") or {}
    if entry.get("kind") == ann.IVFPQ:
        index = ann.deserialize((job.folder / entry["file"]).read_bytes())
        params, start = dict(entry.get("params") or {}), int(entry["count"])
    else:
        index, params = ann.train_ivfpq(matrix[ann.training_sample(len(matrix))], len(matrix))
        start = 0
    empty = faiss.clone_index(index)
    empty.reset()
    trained = ray.put(ann.serialize(empty))
    bounds = np.linspace(start, len(matrix), max(2, job.settings.cpus) + 1).astype(np.int64)
    shard = ray.remote(num_cpus=1)(_shard_task)
    shards = ray.get([shard.remote(trained, matrix_ref, int(lo), int(hi)) for lo, hi in zip(bounds, bounds[1:]) if hi > lo])
    params["shards"] = len(shards)
    return ann.merge_shards(index, shards), params


def _shard_task(trained: bytes, matrix: np.ndarray, lo: int, hi: int) -> bytes:
    return ann.add_shard(trained, np.arange(lo + 1, hi + 1, dtype=np.int64), matrix[lo:hi])


# ---- clusters --------------------------------------------------------------------------------------


def _components_task(a: np.ndarray, b: np.ndarray, seeds: np.ndarray, group_matches: int) -> tuple[np.ndarray, np.ndarray]:
    """Each match's cluster task (-1: its component gained no match this run) and the claims of
    the components that did, from one union-find over the whole match graph."""
    comps = components(zip(a.tolist(), b.tolist()))
    comp_of = {x: ci for ci, comp in enumerate(comps) for x in comp}
    edge_comp = np.array([comp_of[x] for x in a.tolist()], dtype=np.int64)
    sizes = np.bincount(edge_comp, minlength=len(comps))
    seed_set = set(seeds.tolist())
    group_of: dict[int, int] = {}
    touched: list[int] = []
    group, size = 0, 0
    for ci, comp in enumerate(comps):
        if seed_set.isdisjoint(comp):
            continue
        touched.extend(comp)
        if size and size + sizes[ci] > group_matches:
            group, size = group + 1, 0
        group_of[ci] = group
        size += int(sizes[ci])
    edge_group = np.array([group_of.get(c, -1) for c in edge_comp.tolist()], dtype=np.int64)
    return edge_group, np.array(sorted(touched), dtype=np.int64)


def recluster(job: RayIndexJob) -> tuple[pa.Table, pa.Table]:
    """The store's clusters and members after this run: the components that gained a match
    clustered again, the others as stored."""
    import ray

    manifest = job.pending("documents", "claims", "vectors", "credits", "matches")
    view = DatasetStore.from_manifest(job.folder, manifest)
    matches = view.tables["matches"].read()
    new = read_files(job.folder, job.run.files("matches"), ["a", "b"], sc.MATCHES)
    seeds = np.unique(np.concatenate([new["a"].to_numpy(), new["b"].to_numpy()])) if new.num_rows else np.zeros(0, np.int64)
    base_clusters = job.base_view.tables["clusters"].read()
    base_members = job.base_view.tables["members"].read()
    if not len(seeds):
        return base_clusters, base_members
    with job.clock.stage("components"):
        task = ray.remote(num_cpus=1)(_components_task)
        edge_group, touched = ray.get(task.remote(matches["a"].to_numpy(), matches["b"].to_numpy(), seeds, GROUP_MATCHES))
    with job.clock.stage("cluster"):
        grouped = matches.append_column("group", pa.array(edge_group)).filter(pc.greater_equal(pa.array(edge_group), 0))
        groups = [grouped.filter(pc.equal(grouped["group"], g)) for g in np.unique(edge_group[edge_group >= 0]).tolist()]
        out = ray.data.from_arrow(groups).map_batches(
            stages.cluster_groups, batch_format="pyarrow", num_cpus=1,
            fn_kwargs={"store": str(job.folder), "manifest": manifest, "match_settings": job.settings.match_settings,
                       "cluster_settings": job.settings.cluster_settings, "judge": job.settings.judge,
                       "clock": job.clock.actor},
        )  # fmt: skip
        made = collect(out, rw.CLUSTERED) if groups else rw.CLUSTERED.empty_table()
    return _merge_clusters(base_clusters, base_members, made, touched)


def _merge_clusters(
    base_clusters: pa.Table, base_members: pa.Table, made: pa.Table, touched: np.ndarray
) -> tuple[pa.Table, pa.Table]:
    """Stored clusters with those holding a touched claim replaced by the new ones (as
    ``Writer.replace_clusters_of`` does on one machine)."""
    hit = pc.is_in(base_members["claim_id"], pa.array(touched, pa.int64()))
    old = pa.array(np.unique(base_members.filter(hit)["cluster_id"].to_numpy()), pa.int64())
    kept_clusters = base_clusters.filter(pc.invert(pc.is_in(base_clusters["id"], old)))
    kept_members = base_members.filter(pc.invert(pc.is_in(base_members["cluster_id"], old)))
    origins = made.filter(pc.equal(made["claim_id"], made["origin_claim"]))
    new_clusters = pa.table(
        {"id": origins["cluster_id"], "origin_claim": origins["origin_claim"], "basis": origins["basis"], "size": origins["size"]}
    )
    clusters = pa.concat_tables([kept_clusters, new_clusters.cast(sc.CLUSTERS)]).sort_by("id")
    members = pa.concat_tables([kept_members, made.select(sc.MEMBERS.names).cast(sc.MEMBERS)])
    return clusters, members.sort_by([("cluster_id", "ascending"), ("claim_id", "ascending")])


def write_clusters(job: RayIndexJob, clusters: pa.Table, members: pa.Table) -> None:
    write_table(job.run.table_dir("clusters") / "part-0.parquet", clusters, "id")
    write_table(job.run.table_dir("members") / "part-0.parquet", members)


# ---- lexical index and manifest ------------------------------------------------------------------------


def build_lexical(job: RayIndexJob) -> dict[str, Any]:
    claims = read_files(job.folder, job.run.files("claims"), ["id", "doc_num", "norm"], sc.CLAIMS)
    docs = read_files(job.folder, job.run.files("documents"), ["num", "title"], sc.DOCUMENTS)
    title = dict(zip(docs["num"].to_pylist(), docs["title"].to_pylist()))
    rows = ((i, n, title.get(d) or "") for i, d, n in zip(*(claims[c].to_pylist() for c in ("id", "doc_num", "norm"))))
    base = job.base.get("lexical")
    path = job.run.path / "lexical.sqlite"
    with job.clock.stage("lexical"):
        lexical.build(path, job.folder / base["file"] if base else None, rows)
    return {"file": job.run.relative(path)}


def final_manifest(
    job: RayIndexJob, index: dict[str, Any], lexical_entry: dict[str, Any], info: dict[str, Any]
) -> dict[str, Any]:
    appended = ("documents", "claims", "vectors", "matches", "credits")
    tables = {t: list(job.base["tables"][t]) + job.run.files(t) for t in appended}
    tables.update(clusters=job.run.files("clusters"), members=job.run.files("members"))
    view = DatasetStore.from_manifest(job.folder, {**job.base, "tables": tables})
    base = job.base
    counts = {t: view.tables[t].num_rows() for t in sc.TABLES}
    counts["quote_units"] = int(base["counts"].get("quote_units", 0)) + info["quote_units_added"]
    run = {"run": job.run.name, "documents": info["documents_added"], "claims": info["claims_added"],
           "quote_units": info["quote_units_added"], "matches": counts["matches"] - base["counts"]["matches"]}  # fmt: skip
    return {
        **base,
        "tables": tables,
        "counts": counts,
        "max_doc_num": int(base["max_doc_num"]) + info["documents_added"],
        "max_claim_id": int(base["max_claim_id"]) + info["claims_added"],
        "index": index,
        "lexical": lexical_entry,
        "runs": [*base["runs"], run],
    }

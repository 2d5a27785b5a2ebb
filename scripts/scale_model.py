#!/usr/bin/env python3
"""How many workers a day of global news needs, from measured per-stage costs.

usage: scripts/scale_model.py --bench BENCH.json [--ivf-sizes 50000,200000] [--articles 1000000]
                              [--claims-per-article 25] [--hours 24] [--utilisation 0.7]
                              [--gpu-texts-per-s R] [--json OUT]

Inputs, all measured:
  --bench   the JSON of scripts/bench_ray.py: a Ray run's CPU seconds and units of work per
            stage, summed over its workers (read per document, segment per claim, embed per
            text, match per claim, cluster per match), and the corpus's ratios (distinct texts
            and matches per claim);
  IVF-PQ    measured here: the per-query cost of an IVF-PQ search restricted to earlier ids
            (what matching does past IVF_FROM_CLAIMS) at --ivf-sizes synthetic vectors, fitted
            as  t = a * nlist + b * nprobe * n / nlist  (coarse quantiser + list scan) and
            extrapolated to a day's and a year's claims; and the cost of adding a vector.

Output: for each stage, worker-seconds for the day and the workers needed to finish it in
--hours at --utilisation; CPU embedding from the measured rate, GPU embedding only if
--gpu-texts-per-s is given (scripts/gpu_check measures it on a GPU machine). Exact search is
left out at scale: its cost per claim grows with the store (every earlier claim), which is why
matching switches to IVF-PQ.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

DAY = 86_400.0


def ivf_costs(sizes: list[int], dim: int = 384, queries: int = 1000, seed: int = 0) -> list[dict]:
    """Per-query search (restricted to the first 90% of ids) and per-vector add costs of IVF-PQ
    on clustered synthetic unit vectors, one thread."""
    import faiss

    from provenance.store.dataset import ann

    faiss.omp_set_num_threads(1)
    rng = np.random.default_rng(seed)
    out = []
    for n in sizes:
        centres = rng.standard_normal((max(1, n // 20), dim)).astype(np.float32)
        x = centres[rng.integers(0, len(centres), n)] + 0.3 * rng.standard_normal((n, dim)).astype(np.float32)
        x /= np.linalg.norm(x, axis=1, keepdims=True)
        started = time.perf_counter()
        index, params = ann.train_ivfpq(x[ann.training_sample(n)], n)
        trained = time.perf_counter() - started
        started = time.perf_counter()
        index.add_with_ids(x, np.arange(1, n + 1, dtype=np.int64))
        add = (time.perf_counter() - started) / n
        q = x[rng.integers(0, n, queries)] + 0.05 * rng.standard_normal((queries, dim)).astype(np.float32)
        started = time.perf_counter()
        for i in range(0, queries, 64):
            ann.approximate_earlier(index, q[i : i + 64], int(0.9 * n), 32, lambda found: x[found - 1])
        search = (time.perf_counter() - started) / queries
        out.append({"n": n, **params, "nprobe": index.nprobe, "train_s": round(trained, 1),
                    "add_ms": round(1000 * add, 4), "search_ms": round(1000 * search, 3)})  # fmt: skip
        print(f"IVF-PQ n={n}: {out[-1]}", file=sys.stderr)
    return out


def fit_search(points: list[dict]) -> tuple[float, float]:
    """(a, b) of  t = a * nlist + b * nprobe * n / nlist  by least squares over the points."""
    A = np.array([[p["nlist"], p["nprobe"] * p["n"] / p["nlist"]] for p in points], dtype=float)
    t = np.array([p["search_ms"] for p in points], dtype=float)
    (a, b), *_ = np.linalg.lstsq(A, t, rcond=None)
    return max(a, 0.0), max(b, 0.0)


def search_ms(n: float, a: float, b: float) -> float:
    from provenance.store.dataset import ann

    nlist = max(1, min(int(4 * math.sqrt(n)), int(n // 39)))
    nprobe = min(ann.NPROBE, nlist)
    return a * nlist + b * nprobe * n / nlist


def model(bench: dict, ivf: list[dict], args: argparse.Namespace) -> dict:
    ray = bench["ray"]
    stages = ray["stages"]
    claims = ray["claims_added"]
    # CPU seconds (core-seconds) per unit: what a dedicated core would spend, however loaded
    # the machine that measured it was.
    per = {s: t["cpu_s"] / t["units"] for s, t in stages.items() if t.get("units")}
    day_claims = args.articles * args.claims_per_article
    # Stages that work per stored claim count the quote units inside claims too (one vector,
    # one search each); the day is sized in claims as reports count them.
    day_stored = day_claims * (claims + ray.get("quote_units_added", 0)) / claims
    day_texts = day_claims * ray["texts_embedded"] / claims
    day_matches = day_claims * ray["matches_added"] / claims
    a, b = fit_search(ivf)
    judge = per["match"] - per.get("match: search", 0.0)
    rows = {
        "read (per document)": per["read"] * args.articles,
        "segment + credits (per claim)": per["segment"] * day_stored,
        "embed on CPU (per text)": per["embed"] * day_texts,
        "search, IVF-PQ over a day's claims (per claim)": search_ms(day_stored, a, b) / 1000 * day_stored,
        "search, IVF-PQ over a year's claims (per claim)": search_ms(365 * day_stored, a, b) / 1000 * day_stored,
        "judge (per claim)": judge * day_stored,
        "cluster (per match)": per["cluster"] * day_matches,
        "IVF-PQ add (per claim)": min(p["add_ms"] for p in ivf) / 1000 * day_stored,
    }
    if args.gpu_texts_per_s:
        rows["embed on GPU (per text, given rate)"] = day_texts / args.gpu_texts_per_s
    budget = args.hours * 3600 * args.utilisation
    table = {k: {"worker_s": round(v), "workers": math.ceil(v / budget)} for k, v in rows.items()}
    cpu_total = sum(v for k, v in rows.items() if "GPU" not in k and "year" not in k)
    return {
        "day": {"articles": args.articles, "claims": day_claims, "stored_claims": round(day_stored), "texts": round(day_texts),
                "matches": round(day_matches)},
        "per_unit_ms": {k: round(1000 * v, 4) for k, v in per.items()},
        "ivf": ivf, "ivf_fit_ms": {"a_per_list": a, "b_per_code": b},
        "stages": table,
        "cpu_workers_all_stages": math.ceil(cpu_total / budget),
        "cpu_workers_without_embedding": math.ceil((cpu_total - rows["embed on CPU (per text)"]) / budget),
        "hours": args.hours, "utilisation": args.utilisation,
    }  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bench", type=Path, required=True)
    ap.add_argument("--ivf-sizes", default="50000,200000")
    ap.add_argument("--articles", type=int, default=1_000_000)
    ap.add_argument("--claims-per-article", type=float, default=25.0)
    ap.add_argument("--hours", type=float, default=24.0)
    ap.add_argument("--utilisation", type=float, default=0.7)
    ap.add_argument("--gpu-texts-per-s", type=float, default=None)
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    bench = json.loads(args.bench.read_text())
    ivf = ivf_costs([int(s) for s in args.ivf_sizes.split(",")])
    result = model(bench, ivf, args)
    d = result["day"]
    print(f"A day: {d['articles']:,} articles, {d['claims']:,.0f} claims ({d['stored_claims']:,} with quote units), "
          f"{d['texts']:,} distinct texts, ~{d['matches']:,} matches")
    print(f"Workers to finish it in {args.hours:g} h at {args.utilisation:.0%} utilisation (one core each):\n")
    print("| stage | worker-seconds | workers |\n| --- | ---: | ---: |")
    for k, v in result["stages"].items():
        print(f"| {k} | {v['worker_s']:,} | {v['workers']:,} |")
    print(f"\nCPU cores, all stages (day-sized IVF search): {result['cpu_workers_all_stages']:,}; "
          f"without embedding (embedding on GPUs): {result['cpu_workers_without_embedding']:,}")  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""One machine against Ray local mode on the same articles: time, overhead, same results.

usage: scripts/bench_ray.py [--input /work/data/news.jsonl] [--articles 1000] [--model M]
                            [--cpus 2] [--work DIR] [--json OUT] [--reuse-one-machine]

Both runs are whole `provenance index` processes on a fresh store (start-up and model load
included): `index` (one machine, SQLite store) and `index --engine ray --cpus C` (a local Ray
cluster started by the process, a dataset store). Then both stores are dumped canonically
(provenance/scale/compare.py, claims keyed by document id and offsets) and compared: equal, or
which match differences lie within 1e-5 of a threshold. Prints a Markdown table and the Ray
run's per-stage timings (the input of scripts/scale_model.py) and writes everything as JSON.
Needs the ray extra (pip install 'provenance[ray]').
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def first_articles(source: Path, n: int, out: Path) -> Path:
    with source.open("rb") as src, out.open("wb") as dst:
        for i, line in enumerate(src):
            if i >= n:
                break
            dst.write(line)
    return out


def index_process(store: Path, corpus: Path, extra: list[str], model: str | None) -> tuple[float, dict]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in [str(REPO), os.environ.get("PYTHONPATH", "")] if p),
           "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}  # fmt: skip
    cmd = [sys.executable, "-m", "provenance", "--store", str(store), "index", str(corpus), "--json", *extra]
    if model:
        cmd += ["--model", model]
    started = time.perf_counter()
    out = subprocess.run(cmd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if out.returncode not in (0, 1) or not out.stdout.strip():
        sys.exit(f"{' '.join(cmd)} failed ({out.returncode}):\n{out.stderr[-3000:]}")
    return wall, json.loads(out.stdout.strip().splitlines()[-1])


def code_version() -> str:
    """The commit measured (with "+changes" when the tree differs from it), for the figures."""
    def git(*a: str) -> str:
        return subprocess.run(["git", "-C", str(REPO), *a], capture_output=True, text=True).stdout.strip()

    return git("rev-parse", "--short", "HEAD") + ("+changes" if git("status", "--porcelain", "--untracked-files=no") else "")


def compare(local: Path, ray_store: Path) -> dict:
    from provenance.scale.compare import canonical_dump, unexplained_differences
    from provenance.store.kinds import open_reader

    with open_reader(local) as a_store, open_reader(ray_store) as b_store:
        a, b = canonical_dump(a_store), canonical_dump(b_store)
    diff = unexplained_differences(a, b)
    same = {part: a[part] == b[part] for part in a}
    return {"identical": same, "matches": {k: v for k, v in diff.items() if k != "unexplained"},
            "unexplained": [repr(u) for u in diff["unexplained"]]}  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--input", type=Path, default=Path("/work/data/news.jsonl"))
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--model", default=None, help="default: the bundled all-MiniLM-L6-v2")
    ap.add_argument("--cpus", type=int, default=2)
    ap.add_argument("--work", type=Path, default=None)
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--reuse-one-machine", action="store_true",
                    help="keep the one-machine store and time a previous run of this script left in --work")
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="bench-ray-"))
    work.mkdir(parents=True, exist_ok=True)
    corpus = first_articles(args.input, args.articles, work / f"news-{args.articles}.jsonl")
    loads = {"before_one_machine": os.getloadavg()[0]}
    saved = work / "one_machine.json"
    if args.reuse_one_machine and saved.exists():
        local_s, local = json.loads(saved.read_text())
    else:
        shutil.rmtree(work / "local", ignore_errors=True)
        local_s, local = index_process(work / "local", corpus, [], args.model)
        saved.write_text(json.dumps([local_s, local]))
    print(f"one machine: {local_s:.1f} s {local}", file=sys.stderr)
    shutil.rmtree(work / "ray", ignore_errors=True)
    loads["before_ray"] = os.getloadavg()[0]
    ray_s, ray = index_process(work / "ray", corpus, ["--engine", "ray", "--cpus", str(args.cpus)], args.model)
    loads["after_ray"] = os.getloadavg()[0]
    print(f"ray: {ray_s:.1f} s", file=sys.stderr)
    result = {
        "articles": args.articles, "cpus": args.cpus, "model": args.model or "all-MiniLM-L6-v2", "code": code_version(),
        "one_machine": {"wall_s": round(local_s, 1), **local},
        "ray": {"wall_s": round(ray_s, 1), **ray},
        "overhead_ratio": round(ray_s / local_s, 2),
        "comparison": compare(work / "local", work / "ray"),
        "load_average_1min": loads,
    }  # fmt: skip
    print(f"code {result['code']}, {args.articles} articles, model {result['model']}")
    print(f"| | one machine | Ray local mode ({args.cpus} CPUs) |\n| --- | ---: | ---: |")
    print(f"| process wall time | {local_s:.1f} s | {ray_s:.1f} s ({result['overhead_ratio']}x) |")
    for k in ("documents_added", "claims_added", "quote_units_added", "texts_embedded", "matches_added", "clusters"):
        print(f"| {k} | {local[k]} | {ray[k]} |")
    print(f"\nidentical: {result['comparison']['identical']}\nmatches: {result['comparison']['matches']}")
    print(f"load average (1 min): {loads}")
    print("\n| stage | wall s | busy s (all workers) | CPU s (all workers) | units | CPU ms per unit |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for stage, t in ray["stages"].items():
        per = f"{1000 * t['cpu_s'] / t['units']:.3f}" if t.get("units") else ""
        print(f"| {stage} | {t['wall_s']} | {t.get('busy_s', '')} | {t.get('cpu_s', '')} | {t.get('units', '')} | {per} |")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

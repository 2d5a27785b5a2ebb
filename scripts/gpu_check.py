#!/usr/bin/env python3
"""The Ray engine on one GPU against the same engine on CPUs: claims per second, same results.

usage: scripts/gpu_check [--articles 2000] [--input /work/data/news.jsonl] [--work DIR] [--json OUT]

First it looks for a GPU: `nvidia-smi -L`, then whether torch can use CUDA (the CPU build of
torch that scripts/setup installs cannot: install a CUDA build of torch for the GPU run). With
none it prints why and exits 0 having measured nothing. With one, it runs two whole processes on
the first N articles, `index --engine ray --gpus 1` and `index --engine ray` (CPU embedding
actors), each into a fresh dataset store, and prints for each the process's claims/s, the embed
stage's texts/s (the rate scripts/scale_model.py takes as --gpu-texts-per-s) and whether the
two stores agree (provenance/scale/compare.py: equal, or differing only within 1e-5 of a
threshold: GPU kernels round differently).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))


def find_gpu() -> tuple[bool, str]:
    """(usable, what was found)."""
    smi = shutil.which("nvidia-smi")
    listed = ""
    if smi:
        out = subprocess.run([smi, "-L"], capture_output=True, text=True)
        listed = out.stdout.strip() if out.returncode == 0 else ""
    if not listed:
        return False, "no GPU found (nvidia-smi absent or lists none)"
    try:
        import torch
    except ImportError:
        return False, f"{listed}; but torch is not installed"
    if not torch.cuda.is_available():
        return False, f"{listed}; but torch {torch.__version__} cannot use CUDA (a CPU build): install a CUDA build of torch"
    return True, f"{listed}; torch {torch.__version__}, CUDA {torch.version.cuda}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--input", type=Path, default=Path("/work/data/news.jsonl"))
    ap.add_argument("--work", type=Path, default=None)
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    usable, found = find_gpu()
    if not usable:
        print(f"gpu_check: {found}; nothing measured.")
        return
    print(f"gpu_check: {found}", file=sys.stderr)
    from bench_ray import code_version, compare, first_articles, index_process

    work = args.work or Path(tempfile.mkdtemp(prefix="gpu-check-"))
    work.mkdir(parents=True, exist_ok=True)
    corpus = first_articles(args.input, args.articles, work / f"news-{args.articles}.jsonl")
    runs = {}
    for name, extra in (("gpu", ["--engine", "ray", "--gpus", "1"]), ("cpu", ["--engine", "ray"])):
        wall, summary = index_process(work / name, corpus, extra, None)
        embed = summary["stages"].get("embed", {})
        runs[name] = {"wall_s": round(wall, 1), "claims": summary["claims_added"],
                      "claims_per_s": round(summary["claims_added"] / wall, 1),
                      "embed_texts_per_s": round(embed.get("units", 0) / embed["wall_s"], 1) if embed.get("wall_s") else None,
                      "summary": summary}  # fmt: skip
    result = {"gpu": found, "code": code_version(), "articles": args.articles, "runs": runs, "comparison": compare(work / "cpu", work / "gpu")}
    print(f"code {result['code']}, {args.articles} articles")
    print("| | --gpus 1 | CPU |\n| --- | ---: | ---: |")
    for k in ("wall_s", "claims", "claims_per_s", "embed_texts_per_s"):
        print(f"| {k} | {runs['gpu'][k]} | {runs['cpu'][k]} |")
    print(f"speed-up (claims/s): {runs['gpu']['claims_per_s'] / runs['cpu']['claims_per_s']:.2f}x")
    print(f"same results: {result['comparison']['identical']}; matches: {result['comparison']['matches']}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

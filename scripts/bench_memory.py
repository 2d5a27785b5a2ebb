#!/usr/bin/env python3
"""Peak memory of `provenance index` on huge inputs: memory must follow the work in flight,
not a document's size.

usage: scripts/bench_memory.py [--cases line,news-line,corpus] [--corpus news.jsonl]
                               [--model M] [--json OUT] [--work DIR]

Each case indexes into a fresh store in its own `provenance index` child process (model load
included) and reads that process's peak RSS (ru_maxrss from wait4):

  line        one 20 MB text file with no line break and no sentence end ("word " x 4,000,000,
              the file tests/test_bad_inputs.py's slow test indexes); target 1.5 GB
  news-line   every article of the corpus joined on one line of one text file (12.5 MB for
              the 3,788 articles): a huge document of real, distinct sentences
  corpus      the whole corpus (../shared/benchmarks/news-articles/get.py writes it); target 2.5 GB

Prints a Markdown table and, with --json, writes the figures there.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(REPO), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
TARGETS_MIB = {"line": 1.5 * 1024, "corpus": 2.5 * 1024}


def measured_index(store: Path, source: Path, model: str | None) -> dict:
    """One `provenance index --json` child: its wall time, peak RSS and summary."""
    args = [sys.executable, "-m", "provenance", "--store", str(store), "index", "--json", str(source)]
    if model:
        args[6:6] = ["--model", model]
    started = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=err, stdin=subprocess.DEVNULL, env=ENV)
        out = proc.stdout.read()  # type: ignore[union-attr]
        _, status, usage = os.wait4(proc.pid, 0)  # this child's own peak RSS
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        if proc.returncode not in (0, 1):
            err.seek(0)
            raise SystemExit(f"index of {source} failed ({proc.returncode}):\n{err.read().decode()[-2000:]}")
    peak = usage.ru_maxrss / 1024.0
    summary = json.loads(out)
    return {"wall_s": round(wall, 1), "peak_rss_mib": round(peak), "documents": summary["documents_added"],
            "claims": summary["claims_added"], "texts_embedded": summary["texts_embedded"]}


def make_line(work: Path) -> Path:
    path = work / "line.txt"
    with path.open("wb") as fh:
        for _ in range(40):
            fh.write(b"word " * 100_000)
    return path


def make_news_line(work: Path, corpus: Path) -> Path:
    path = work / "news-line.txt"
    with corpus.open(encoding="utf-8") as fin, path.open("w", encoding="utf-8") as fout:
        for i, line in enumerate(fin):
            text = " ".join(json.loads(line)["text"].split())
            fout.write((" " if i else "") + text)
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", default="line,news-line,corpus")
    ap.add_argument("--corpus", type=Path, default=Path("/work/data/news.jsonl"))
    ap.add_argument("--model", default=None, help="default: the bundled all-MiniLM-L6-v2; 'hashing' measures everything but the model")
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--work", type=Path, default=None)
    args = ap.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="provenance-memory-"))
    work.mkdir(parents=True, exist_ok=True)
    results: dict[str, dict] = {}
    for case in [c.strip() for c in args.cases.split(",") if c.strip()]:
        source = {"line": lambda: make_line(work), "news-line": lambda: make_news_line(work, args.corpus),
                  "corpus": lambda: args.corpus}[case]()
        store = work / f"store-{case}"
        shutil.rmtree(store, ignore_errors=True)
        print(f"{case}: indexing {source} ({source.stat().st_size / 1e6:.1f} MB)", file=sys.stderr)
        results[case] = {"input_mb": round(source.stat().st_size / 1e6, 1), **measured_index(store, source, args.model)}
        shutil.rmtree(store, ignore_errors=True)
    meta = {"model": args.model or "all-MiniLM-L6-v2", "python": platform.python_version(), "cpus": os.cpu_count()}
    print(f"model {meta['model']}, {meta['cpus']} CPUs\n")
    print("| case | input | documents | claims | texts embedded | wall | peak RSS | target |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for case, r in results.items():
        target = TARGETS_MIB.get(case)
        verdict = f"≤ {target:.0f} MiB: {'met' if r['peak_rss_mib'] <= target else 'NOT met'}" if target else ""
        print(f"| {case} | {r['input_mb']} MB | {r['documents']} | {r['claims']} | {r['texts_embedded']} | "
              f"{r['wall_s']} s | {r['peak_rss_mib']} MiB | {verdict} |")
    if args.json:
        args.json.write_text(json.dumps({"meta": meta, "results": results}, indent=2))


if __name__ == "__main__":
    main()

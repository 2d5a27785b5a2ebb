#!/usr/bin/env python3
"""Segmentation speed, and agreement of the screened pysbd path with pysbd on every chunk.

usage: scripts/bench_segment.py INPUT... [--show N]

INPUT is anything `provenance index` reads (JSON Lines, folders, files): e.g. the news corpus
from ../shared/benchmarks/news-articles/get.py, ../shared/corpus/seeds, provenance/samples.
Every document is split into claims twice: with pysbd run on every chunk (the reference) and
with the shipped path (pysbd only where a cut is in doubt).  Prints both times and how many
claims differ; --show prints the first N differing documents' differing claims.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("inputs", nargs="+")
    ap.add_argument("--show", type=int, default=0)
    args = ap.parse_args()

    from provenance import segment
    from provenance.documents import Document, read_inputs

    texts = [d.text for d in read_inputs(args.inputs) if isinstance(d, Document)]
    segment.split_claims("Warm up. Mr. Smith went to Washington.")  # builds pysbd once

    def run(fast: bool) -> tuple[float, list[set[tuple[int, int, str]]]]:
        segment.cuts._FAST_PATH = fast
        start = time.perf_counter()
        out = [segment.split_claims(t) for t in texts]
        seconds = time.perf_counter() - start
        return seconds, [{(c.start, c.end, c.kind) for c in claims} for claims in out]

    ref_s, ref = run(False)
    new_s, new = run(True)
    segment.cuts._FAST_PATH = True
    total = sum(len(r) for r in ref)
    missing = sum(len(r - n) for r, n in zip(ref, new))
    extra = sum(len(n - r) for r, n in zip(ref, new))
    docs = sum(1 for r, n in zip(ref, new) if r != n)
    chars = sum(len(t) for t in texts)
    print(f"documents {len(texts)}, characters {chars:,}, reference claims {total:,}")
    print("| path | seconds | claims/s | ms/document |\n| --- | ---: | ---: | ---: |")
    for name, s in (("pysbd on every chunk", ref_s), ("screened (shipped)", new_s)):
        print(f"| {name} | {s:.2f} | {total / s:,.0f} | {1000 * s / max(1, len(texts)):.2f} |")
    print(f"speed-up {ref_s / new_s:.1f}x")
    print(
        f"claims differing: {missing} reference claims not produced ({100 * missing / max(1, total):.2f}%), "
        f"{extra} produced that the reference lacks; documents differing {docs} of {len(texts)}"
    )
    shown = 0
    for t, r, n in zip(texts, ref, new):
        if r == n or shown >= args.show:
            continue
        shown += 1
        print("---")
        for s, e, k in sorted(r - n):
            print(f"  - {k}: {t[s:e]!r}")
        for s, e, k in sorted(n - r):
            print(f"  + {k}: {t[s:e]!r}")


if __name__ == "__main__":
    main()

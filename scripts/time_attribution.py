#!/usr/bin/env python3
"""Time attribution (``credits_for_claims``) on the first news articles, for the code in CODE_DIR.

    .venv/bin/python scripts/time_attribution.py [CODE_DIR] [--news NEWS.jsonl] [--articles 1000] [--runs 3]

CODE_DIR (default: this checkout) is a tree holding ``provenance/``: to compare two revisions,
unpack the older one (``git archive REV | tar -x -C /tmp/old``) and run this once for each,
alternately, on the same machine. Segmentation is done first and not counted.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("code", nargs="?", default=str(REPO))
    ap.add_argument("--news", default="/work/data/news.jsonl")
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args(argv)
    sys.path.insert(0, str(Path(args.code).resolve()))
    from provenance.credits.claims import credits_for_claims
    from provenance.segment import split_claims

    texts = []
    with open(args.news, encoding="utf-8") as f:
        for line in f:
            texts.append(json.loads(line)["text"])
            if len(texts) == args.articles:
                break
    spans = [[(c.start, c.end) for c in split_claims(t)] for t in texts]
    n = sum(map(len, spans))
    for _ in range(args.runs):
        started = time.perf_counter()
        for t, sp in zip(texts, spans):
            credits_for_claims(t, sp)
        took = time.perf_counter() - started
        print(f"{args.code}: {len(texts)} articles, {n} claims, {took:.2f} s, {1000 * took / n:.3f} ms/claim")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

#!/usr/bin/env python3
"""Precision and recall of attribution (who a claim credits) on the labelled set.

    .venv/bin/python scripts/attribution_eval.py [--data tests/data/attributions.jsonl] [--show-errors]

Each line of the set is one claim: ``path`` (a seed under ../shared/corpus/ or a sample under
provenance/samples/corpus/) with the claim's index among split_claims(), or ``context`` (a short
passage) with ``sentence`` (the start of the claim), and ``credits``: the names the claim credits,
judged by hand. Split ``dev`` (seeds 000-003 and the sample corpus) is what the patterns were
written against; ``heldout`` was written afterwards and never tuned on.

A predicted credit is correct when it names a gold one: equal after dropping articles and case,
or one's words end the other's ("Waltz" / "Michael Waltz"). URLs are not counted as names.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from provenance.credits.claims import credits_for_claims  # noqa: E402
from provenance.credits.resolve import norm_name  # noqa: E402
from provenance.documents import read_inputs  # noqa: E402
from provenance.segment import split_claims  # noqa: E402

ROOTS = {"seeds": REPO.parent / "shared" / "corpus" / "seeds", "samples": REPO / "provenance" / "samples" / "corpus"}


def same(a: str, b: str) -> bool:
    wa, wb = norm_name(a).split(), norm_name(b).split()
    if not wa or not wb:
        return False
    short, long_ = sorted((wa, wb), key=len)
    return long_[-len(short):] == short


def predicted(record: dict, cache: dict) -> list[str]:
    if "path" in record:
        kind, name = record["path"].split("/", 1)
        key = record["path"]
        if key not in cache:
            doc = next(d for d in read_inputs([str(ROOTS[kind] / name)]))
            claims = split_claims(doc.text)
            cache[key] = (claims, credits_for_claims(doc.text, [(c.start, c.end) for c in claims]))
        claims, credits = cache[key]
        claim = claims[record["claim"]]
        if not claim.text.startswith(record["sentence"]):
            raise SystemExit(f"{record['path']} claim {record['claim']} is now {claim.text[:60]!r}; segmentation changed, relabel")
        found = credits[record["claim"]]
    else:
        text = record["context"]
        claims = split_claims(text)
        credits = credits_for_claims(text, [(c.start, c.end) for c in claims])
        idx = next(i for i, c in enumerate(claims) if c.text.lstrip("\"“").startswith(record["sentence"]))
        found = credits[idx]
    return sorted({a.name for a in found if a.cue != "url"})


def speed() -> None:
    import time

    text = "".join(p.read_text(encoding="utf-8") + "\n" for p in sorted(ROOTS["seeds"].glob("*.txt")))
    big = text * max(1, 1_000_000 // max(len(text), 1))
    for label, t in (("lines", big), ("one line", big.replace("\n", " "))):
        claims = split_claims(t)
        started = time.perf_counter()
        credits_for_claims(t, [(c.start, c.end) for c in claims])
        print(f"speed ({label}): {len(t) / 1e6:.2f} MB, {len(claims)} claims, {time.perf_counter() - started:.2f} s")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(REPO / "tests" / "data" / "attributions.jsonl"))
    ap.add_argument("--show-errors", action="store_true")
    ap.add_argument("--speed", action="store_true", help="also time attribution on the seeds repeated to 1 MB, as lines and as one line")
    args = ap.parse_args(argv)
    if args.speed:
        speed()
    stats: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # tp_pred, n_pred, tp_gold, n_gold
    cache: dict = {}
    for line in Path(args.data).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        rec = json.loads(line)
        if "path" in rec and not ROOTS[rec["path"].split("/", 1)[0]].exists():
            continue
        pred, gold = predicted(rec, cache), rec["credits"]
        s = stats[rec["split"]]
        s[0] += sum(any(same(p, g) for g in gold) for p in pred)
        s[1] += len(pred)
        s[2] += sum(any(same(p, g) for p in pred) for g in gold)
        s[3] += len(gold)
        if args.show_errors and (sorted(gold) != pred and not all(any(same(p, g) for g in gold) for p in pred) or not all(any(same(p, g) for p in pred) for g in gold)):
            print(f"  [{rec['split']}] {rec.get('path', '')} {rec.get('sentence', '')[:60]!r}: gold {gold} got {pred}", file=sys.stderr)
    print(f"{'split':<8} {'claims':>6} {'credits':>7} {'precision':>9} {'recall':>6} {'F1':>5}")
    for split in sorted(stats, key=lambda s: (s != "dev", s)):
        tp_p, n_p, tp_g, n_g = stats[split]
        p = tp_p / n_p if n_p else 1.0
        r = tp_g / n_g if n_g else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        n = sum(1 for line in Path(args.data).read_text(encoding="utf-8").splitlines() if f'"split": "{split}"' in line)
        print(f"{split:<8} {n:>6} {n_g:>7} {p:>9.3f} {r:>6.3f} {f:>5.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

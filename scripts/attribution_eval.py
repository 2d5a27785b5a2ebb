#!/usr/bin/env python3
"""Precision and recall of attribution (who a claim credits) on the labelled set.

    .venv/bin/python scripts/attribution_eval.py [--data tests/data/attributions.jsonl] [--news NEWS.jsonl] [--show-errors]

Each line of the set is one claim: ``path`` (a seed under ../shared/corpus/ or a sample under
provenance/samples/corpus/) with the claim's index among split_claims(), or ``context`` (a short
passage) with ``sentence`` (the start of the claim), and ``credits``: the names the claim credits,
judged by hand. Split ``dev`` (seeds 000-003 and the sample corpus) is what the patterns were
written against; ``heldout`` was written afterwards and never tuned on.

Also the hand labels on real news (``tests/data/news-credits/labels.jsonl``: 3,419 sentences of 193
articles of news.jsonl, split by article into ``news-dev``, ``news-dev-b`` ... ``news-dev-h``, plus
the held-out split ``news-heldout-8``; see its README.md and GUIDELINES.md), when the articles are found
(``--news``). Labels key on sentence text: a sentence's predicted credits are those of the claims
that overlap it. A credit of the article's own outlet is left out, as the report leaves it out.
``--intervals`` adds each real-news split's 95% intervals over its articles (bootstrap).

Every split whose name contains "heldout" is held out: ``--show-errors`` and ``--misses-by-cue``
never show its errors, and ``--dev-only`` does not score it at all.

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
NEWS = Path("/work/data/news.jsonl") if Path("/work/data/news.jsonl").exists() else REPO / "indexes" / "news.jsonl"


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


class NewsArticles:
    """The labelled real articles (from news.jsonl), their claims and each claim's credits, as
    the index would store them, less credits of the article's own outlet (which the report and
    primary sources leave out too)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.wanted: set[str] = set()
        self.cache: dict[str, tuple[str, list, list]] = {}

    def load(self, ids: set[str]) -> None:
        from provenance.credits.resolve import CreditIndex
        from provenance.records import DocRef

        with self.path.open(encoding="utf-8") as f:
            for line in f:
                rec = json.loads(line)
                if rec.get("id") not in ids:
                    continue
                text = rec["text"]
                claims = split_claims(text)
                credits = credits_for_claims(text, [(c.start, c.end) for c in claims])
                index = CreditIndex([DocRef(1, rec["id"], rec.get("source"), rec.get("url"))])
                credits = [[a for a in cs if not index.is_own_outlet(1, a.name, a.url)] for cs in credits]
                self.cache[rec["id"]] = (text, claims, credits)

    def predicted(self, record: dict) -> list[str]:
        """The names credited by the claims that overlap the labelled sentence (our sentence
        split and the labels' may differ, so a claim counts when most of it lies inside the
        sentence, or the sentence inside it)."""
        text, claims, credits = self.cache[record["doc"]]
        start = text.find(record["sentence"])
        if start < 0:
            raise SystemExit(f"{record['doc']}: labelled sentence not in the article: {record['sentence'][:60]!r}")
        end = start + len(record["sentence"])
        names: set[str] = set()
        for k in overlapping(claims, start, end):
            names.update(a.name for a in credits[k] if a.cue != "url")
            names.update(_via(credits[k]))
        return sorted(names)


def overlapping(claims: list, start: int, end: int) -> list[int]:
    """The claims that stand for the labelled sentence at [start, end): most of the claim lies
    inside the sentence, or most of the sentence inside the claim."""
    out = []
    for k, c in enumerate(claims):
        overlap = min(end, c.end) - max(start, c.start)
        if overlap > 0 and (overlap >= 0.5 * (c.end - c.start) or overlap >= 0.8 * (end - start)):
            out.append(k)
    return out


def _via(credits: list) -> list[str]:
    # The outlet a quote was given to is credited too ("told Iran International").
    return [a.name for a in credits if a.cue == "interview"]


def misses_by_cue(records: list[tuple[dict, list[str]]]) -> None:
    """The credits of the real-news development splits missed, by the class of their labelled cue
    (validate.py's classes); held-out splits are never broken down."""
    sys.path.insert(0, str(REPO / "tests" / "data" / "news-credits"))
    from validate import cue_class

    missed: dict[tuple[str, str], int] = defaultdict(int)
    labelled: dict[tuple[str, str], int] = defaultdict(int)
    for rec, pred in records:
        if not rec["split"].startswith("news-") or "heldout" in rec["split"]:
            continue
        for gold, cue in zip(rec["credits"], rec["cues"]):
            if cue != "url":
                key = (rec["split"], cue_class(cue))
                labelled[key] += 1
                missed[key] += not any(same(p, gold) for p in pred)
    for split, cls in sorted(labelled, key=lambda k: (k[0], -missed[k], k[1])):
        print(f"  {split} misses, {cls}: {missed[split, cls]} of {labelled[split, cls]}", file=sys.stderr)


def score(records: list[tuple[dict, list[str]]], show_errors: bool) -> dict[str, list[int]]:
    stats: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])  # tp_pred, n_pred, tp_gold, n_gold, records
    for rec, pred in records:
        # URLs are not counted as names (the labels list a full URL as its own credit).
        gold = [g for g, cue in zip(rec["credits"], rec.get("cues") or [None] * len(rec["credits"])) if cue != "url"]
        s = stats[rec["split"]]
        s[0] += sum(any(same(p, g) for g in gold) for p in pred)
        s[1] += len(pred)
        s[2] += sum(any(same(p, g) for p in pred) for g in gold)
        s[3] += len(gold)
        s[4] += 1
        wrong = [p for p in pred if not any(same(p, g) for g in gold)]
        missed = [g for g in gold if not any(same(p, g) for p in pred)]
        if show_errors and (wrong or missed) and "heldout" not in rec["split"]:
            where = rec.get("path") or rec.get("doc") or ""
            print(f"  [{rec['split']}] {where} {rec.get('sentence', '')[:90]!r}: gold {gold} got {pred}", file=sys.stderr)
    return stats


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(REPO / "tests" / "data" / "attributions.jsonl"))
    ap.add_argument("--news-labels", default=str(REPO / "tests" / "data" / "news-credits" / "labels.jsonl"))
    ap.add_argument("--news", default=str(NEWS), help="the real articles (../shared/benchmarks/news-articles/get.py writes them)")
    ap.add_argument("--show-errors", action="store_true", help="list the dev splits' misses (held-out ones are never shown)")
    ap.add_argument("--speed", action="store_true", help="also time attribution on the seeds repeated to 1 MB, as lines and as one line")
    ap.add_argument("--misses-by-cue", action="store_true", help="count the real-news dev splits' misses by the class of their labelled cue")
    ap.add_argument("--dev-only", action="store_true", help="score the dev splits only (while developing: a held-out figure is measured once, at the end)")
    ap.add_argument("--intervals", action="store_true",
                    help="also 95%% intervals of the real-news splits' precision and recall, resampling their articles (2,000 draws, fixed seed)")
    args = ap.parse_args(argv)
    if args.speed:
        speed()
    cache: dict = {}
    records = []
    for line in Path(args.data).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        rec = json.loads(line)
        if "path" in rec and not ROOTS[rec["path"].split("/", 1)[0]].exists():
            continue
        if args.dev_only and "heldout" in rec["split"]:
            continue
        records.append((rec, predicted(rec, cache)))
    news_path = Path(args.news)
    if Path(args.news_labels).exists() and news_path.exists():
        labels = [json.loads(x) for x in Path(args.news_labels).read_text(encoding="utf-8").splitlines() if x.strip()]
        labels = [r for r in labels if not (args.dev_only and "heldout" in r["split"])]
        articles = NewsArticles(news_path)
        articles.load({r["doc"] for r in labels})
        records += [(rec, articles.predicted(rec)) for rec in labels]
    elif Path(args.news_labels).exists():
        print(f"(news labels skipped: {news_path} not found; write it with ../shared/benchmarks/news-articles/get.py)", file=sys.stderr)
    stats = score(records, args.show_errors)
    if args.misses_by_cue:
        misses_by_cue(records)
    print(f"{'split':<13} {'claims':>6} {'credits':>7} {'precision':>9} {'recall':>6} {'F1':>5}")
    for split in sorted(stats, key=lambda s: ("news" in s, "heldout" in s, s)):
        tp_p, n_p, tp_g, n_g, n = stats[split]
        p = tp_p / n_p if n_p else 1.0
        r = tp_g / n_g if n_g else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        print(f"{split:<13} {n:>6} {n_g:>7} {p:>9.3f} {r:>6.3f} {f:>5.3f}")
    if args.intervals:
        for split, (p_lo, p_hi, r_lo, r_hi) in sorted(intervals(records).items(), key=lambda kv: ("heldout" in kv[0], kv[0])):
            print(f"{split:<13} 95% interval over its articles: precision {p_lo:.3f}-{p_hi:.3f}, recall {r_lo:.3f}-{r_hi:.3f}")
    return 0


def intervals(records: list[tuple[dict, list[str]]], draws: int = 2000, seed: int = 0) -> dict[str, tuple[float, float, float, float]]:
    """Per real-news split, the 2.5th and 97.5th percentiles of precision and recall over splits
    redrawn from its articles with replacement: a split of 22 articles moves by whole articles (one
    long interview can hold twenty credits), so one figure says less than it seems."""
    import random

    per_doc: dict[str, dict[str, list[int]]] = defaultdict(dict)
    for rec, pred in records:
        if "doc" not in rec:
            continue
        one = score([(rec, pred)], False)[rec["split"]]
        acc = per_doc[rec["split"]].setdefault(rec["doc"], [0, 0, 0, 0])
        for i in range(4):
            acc[i] += one[i]
    rng = random.Random(seed)
    out = {}
    for split, docs in per_doc.items():
        rows = list(docs.values())
        ps, rs = [], []
        for _ in range(draws):
            tot = [0, 0, 0, 0]
            for row in rng.choices(rows, k=len(rows)):
                for i in range(4):
                    tot[i] += row[i]
            ps.append(tot[0] / tot[1] if tot[1] else 1.0)
            rs.append(tot[2] / tot[3] if tot[3] else 1.0)
        ps.sort()
        rs.sort()
        lo, hi = int(0.025 * draws), int(0.975 * draws) - 1
        out[split] = (ps[lo], ps[hi], rs[lo], rs[hi])
    return out


if __name__ == "__main__":
    raise SystemExit(main())

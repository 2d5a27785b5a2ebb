#!/usr/bin/env python3
"""Check labels.jsonl against the real articles and print per-split counts (stdlib only).

    python3 validate.py [--labels labels.jsonl] --news NEWS.jsonl   (NEWS.jsonl: ../shared/benchmarks/news-articles/get.py writes it)

Checks, each failure printed and counted (exit status 1 if any):
  * every line is a JSON object with split, doc, sentence, credits, cues (note optional);
  * split is a development split ("news-dev", "news-dev-b", "news-dev-c", "news-dev-d", "news-dev-e", "news-dev-f") or a
    held-out one (a name that contains "heldout", e.g. "news-heldout-4"); credits and cues are lists of non-empty strings
    of the same length (one cue per credit);
  * doc is an article id in news.jsonl and sentence is an exact substring of its text;
  * the sentences of one article appear in the file in text order, without overlapping;
  * no article is in both splits;
  * at least 220 credited sentences in all.
Warnings (not failures): an article's sentences not contiguous in the text (only white space
may separate consecutive labelled sentences), a credit not found in the article text
(case-insensitive), e.g. a role noun the text words differently.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
SPLITS = ("news-dev", "news-dev-b", "news-dev-c", "news-dev-d", "news-dev-e", "news-dev-f", "news-dev-g", "news-dev-h")  # development splits; held-out ones are any "news-heldout*"
HELDOUT = re.compile(r"news-heldout(-[0-9a-z]+)?")
# Cues are the words of the text (a verb as written, or a tag); for the summary they are grouped.
CUE_CLASS = {
    "according to": "according to", "quote": "quote", "statement": "statement", "letter": "statement",
    "told": "told", "telling": "told", "informed": "told", "interview": "interview/on air", "on": "interview/on air",
    "url": "url/credit line", "credit line": "url/credit line", "tweet": "social media", "tweeted": "social media",
    "shared": "social media", "heard": "court", "held": "court", "ruling": "court", "declaration": "court", "finding": "court",
    "opinion": "court",
}
for _w in ("report reported reports reporting study found concluded conclusion analysis estimate estimates estimating "
           "published observed indicated charting suggest suggests recommends urged accuses argues alleges noted notes").split():
    CUE_CLASS.setdefault(_w, "report/study")


def cue_class(cue: str) -> str:
    return CUE_CLASS.get(cue, "said-type verb")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--labels", default=str(HERE / "labels.jsonl"))
    ap.add_argument("--news", required=True, help="the 3,788 news articles, written by ../shared/benchmarks/news-articles/get.py")
    ap.add_argument("--quiet-warnings", action="store_true", help="count warnings, do not list them")
    args = ap.parse_args(argv)

    texts: dict[str, str] = {}
    sources: dict[str, str] = {}
    with open(args.news, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                d = json.loads(line)
                texts[d["id"]] = d["text"]
                sources[d["id"]] = d.get("source", "")

    errors: list[str] = []
    warnings: list[str] = []
    doc_split: dict[str, set[str]] = defaultdict(set)
    cursor: dict[str, int] = {}  # doc -> end offset of its previous labelled sentence
    stats: dict[str, dict] = defaultdict(lambda: {"articles": set(), "sentences": 0, "credited": 0, "credits": 0, "cues": Counter(), "classes": Counter(), "outlets": Counter()})

    with open(args.labels, encoding="utf-8") as f:
        lines = f.read().splitlines()
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{args.labels}:{n}"
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            errors.append(f"{where}: not JSON ({e})")
            continue
        if not isinstance(rec, dict):
            errors.append(f"{where}: not a JSON object")
            continue
        missing = [k for k in ("split", "doc", "sentence", "credits", "cues") if k not in rec]
        extra = [k for k in rec if k not in ("split", "doc", "sentence", "credits", "cues", "note")]
        if missing or extra:
            errors.append(f"{where}: missing keys {missing}, unknown keys {extra}")
            continue
        split, doc, sent, credits, cues = rec["split"], rec["doc"], rec["sentence"], rec["credits"], rec["cues"]
        if split not in SPLITS and not HELDOUT.fullmatch(split):
            errors.append(f"{where}: split {split!r} is not one of {SPLITS} nor a held-out split news-heldout[-N]")
            continue
        ok_lists = all(isinstance(x, list) and all(isinstance(v, str) and v.strip() for v in x) for x in (credits, cues))
        if not ok_lists or len(credits) != len(cues):
            errors.append(f"{where}: credits {credits!r} and cues {cues!r} must be lists of non-empty strings of equal length")
            continue
        if len(set(credits)) != len(credits):
            errors.append(f"{where}: duplicate credit in {credits!r}")
        if "note" in rec and not isinstance(rec["note"], str):
            errors.append(f"{where}: note must be a string")
        if doc not in texts:
            errors.append(f"{where}: unknown article {doc!r}")
            continue
        if not isinstance(sent, str) or not sent.strip() or sent != sent.strip():
            errors.append(f"{where}: sentence must be a non-empty string without surrounding white space")
            continue
        text = texts[doc]
        start = text.find(sent, cursor.get(doc, 0))
        if start < 0:
            if sent in text:
                errors.append(f"{where}: sentence is in {doc} but out of order or overlapping the previous one: {sent[:60]!r}")
            else:
                errors.append(f"{where}: sentence is not an exact substring of {doc}: {sent[:60]!r}")
            continue
        if doc in cursor and text[cursor[doc]:start].strip():
            warnings.append(f"{where}: gap before this sentence in {doc}: {text[cursor[doc]:start][:60]!r}")
        cursor[doc] = start + len(sent)
        lowered = text.lower()
        for c in credits:
            if c.lower() not in lowered:
                warnings.append(f"{where}: credit {c!r} not found verbatim in {doc}")
        doc_split[doc].add(split)
        s = stats[split]
        s["articles"].add(doc)
        s["sentences"] += 1
        s["credited"] += bool(credits)
        s["credits"] += len(credits)
        s["cues"].update(cues)
        s["classes"].update(cue_class(c) for c in cues)

    for doc, splits in sorted(doc_split.items()):
        if len(splits) > 1:
            errors.append(f"article {doc} is in both splits: {sorted(splits)}")
    splits = sorted(stats, key=lambda s: ("heldout" in s, s))
    for split in splits:
        for doc in stats[split]["articles"]:
            stats[split]["outlets"][sources[doc]] += 1
    total_credited = sum(stats[s]["credited"] for s in splits)
    if total_credited < 220:
        errors.append(f"only {total_credited} credited sentences (want at least 220)")

    for split in splits:
        s = stats[split]
        print(f"{split}: {len(s['articles'])} articles, {s['sentences']} sentences, {s['credited']} credited sentences, "
              f"{s['sentences'] - s['credited']} uncredited, {s['credits']} credits")
        print(f"  outlets: " + ", ".join(f"{k} {v}" for k, v in sorted(s["outlets"].items())))
        print(f"  cue classes: " + ", ".join(f"{k} {v}" for k, v in s["classes"].most_common()))
        print(f"  cues: " + ", ".join(f"{k} {v}" for k, v in s["cues"].most_common()))
    print(f"total: {sum(len(stats[s]['articles']) for s in splits)} articles, {sum(stats[s]['sentences'] for s in splits)} sentences, "
          f"{total_credited} credited sentences, {sum(stats[s]['credits'] for s in splits)} credits")
    if warnings:
        print(f"{len(warnings)} warning(s)")
        if not args.quiet_warnings:
            for w in warnings:
                print("  warning: " + w)
    if errors:
        for e in errors:
            print("ERROR: " + e, file=sys.stderr)
        print(f"FAIL: {len(errors)} error(s)", file=sys.stderr)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

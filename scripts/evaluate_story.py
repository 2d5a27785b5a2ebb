"""The labelled story set (tests/data/provenance-set) as a benchmark: ``evaluate.py --only story``.

The 27 documents are indexed with the model (a fresh store every run: clusters depend on the
matching code, so a cached store would measure old code), then each labelled text of
``gold.json`` (group members and look-alikes) is mapped to the stored claims its span overlaps
(quote units included: a quoted sentence inside a frame maps to the frame and to its unit), and
per half (``train`` groups are for tuning, ``test`` groups are the figures):

* **pairs**: every two labelled texts of different documents, at least one a member of a group
  of this half; the gold says "same claim" when both are members of one group; the tool says
  so when some claim of one shares a cluster with some claim of the other. Precision, recall.
* **paraphrase recall by strength**, **excerpt / quote recall**, **near-verbatim / verbatim
  recall**: a member counts when it shares a cluster with its group's origin member.
* **look-alikes grouped**: a look-alike sharing a cluster with any member of its group.
* **trace**: each member's text traced; found when the answer's origin (or a tied witness) is
  the group's origin document or one of its gold ties, and ``related`` answers say why.

``errors(...)`` lists the train half's misses only: the test half is never looked into.
"""

from __future__ import annotations

import json
import shutil
import time
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
STORY = REPO / "tests" / "data" / "provenance-set"
SPLITS = ("train", "test")
STRENGTHS = ("light", "medium", "heavy")


@dataclass(frozen=True)
class Text:
    """One labelled text: a group member or a look-alike."""

    key: int
    group: str
    split: str
    role: str            # "member" or "lookalike"
    relation: str | None  # the member's gold relation ("origin", "verbatim", ..., "quote")
    strength: str | None
    doc: str
    text: str


def labelled_texts(gold: dict) -> list[Text]:
    out: list[Text] = []
    for g in gold["groups"]:
        for m in g["members"]:
            out.append(Text(len(out), g["id"], g["split"], "member", m["relation"], m.get("strength"), m["doc"], m["text"]))
        for x in g.get("lookalikes", []):
            out.append(Text(len(out), g["id"], g["split"], "lookalike", None, None, x["doc"], x["text"]))
    return out


def map_to_claims(store, texts: list[Text]) -> dict[int, set[int]]:
    """Each labelled text's stored claims: those whose span overlaps the text's span by at least
    half of the shorter of the two (a quote unit inside a framed member counts; a neighbouring
    sentence that touches it does not)."""
    docs = {d.id: d for d in store.documents()}
    claims = store.claims(range(1, store.max_claim_id() + 1))
    by_doc: dict[str, list] = defaultdict(list)
    for c in claims.values():
        by_doc[c.doc_id].append(c)
    out: dict[int, set[int]] = {}
    for t in texts:
        body = docs[t.doc].text
        start = body.find(t.text)
        if start < 0:
            raise ValueError(f"{t.group} {t.doc}: labelled text not found in the stored document")
        end = start + len(t.text)
        out[t.key] = {
            c.id for c in by_doc[t.doc]
            if min(end, c.end) - max(start, c.start) >= 0.5 * min(end - start, c.end - c.start)
        }
    return out


class Grouping:
    """Which labelled texts the store put in one cluster."""

    def __init__(self, store, texts: list[Text]) -> None:
        self.claims = map_to_claims(store, texts)
        every = {c for cs in self.claims.values() for c in cs}
        cluster_of = store.cluster_of(every)
        self.clusters = {k: {cluster_of[c] for c in cs if c in cluster_of} for k, cs in self.claims.items()}

    def together(self, a: Text, b: Text) -> bool:
        return bool(self.clusters[a.key] & self.clusters[b.key])


def _ratio(hit: int, n: int) -> dict:
    return {"n": n, "found": hit, "rate": round(hit / n, 4) if n else None}


def half_scores(texts: list[Text], grouping: Grouping, split: str) -> dict:
    members = [t for t in texts if t.role == "member"]
    origin = {t.group: t for t in members if t.relation == "origin"}
    mine = [t for t in members if t.split == split]
    # Pairs: any two labelled texts of different documents, one of them a member of this half.
    # A text listed twice (a look-alike of one group, a member of another) is one text, the
    # same claim as the members of every group it is a member of.
    distinct: dict[tuple[str, str], Text] = {}
    groups_of: dict[tuple[str, str], set[str]] = defaultdict(set)
    in_half: set[tuple[str, str]] = set()
    for t in texts:
        k = (t.doc, t.text)
        distinct.setdefault(k, t)
        if t.role == "member":
            groups_of[k].add(t.group)
            if t.split == split:
                in_half.add(k)
    tp = fp = fn = 0
    for (ka, a), (kb, b) in combinations(distinct.items(), 2):
        if a.doc == b.doc or not (ka in in_half or kb in in_half):
            continue
        gold = bool(groups_of[ka] & groups_of[kb])
        said = grouping.together(a, b)
        tp += gold and said
        fp += said and not gold
        fn += gold and not said
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    with_origin = {t.key: grouping.together(t, origin[t.group]) for t in mine if t.relation != "origin"}
    by_relation: dict[str, list[bool]] = defaultdict(list)
    for t in mine:
        if t.relation != "origin":
            by_relation[t.relation].append(with_origin[t.key])
            if t.relation == "paraphrase":
                by_relation[f"paraphrase-{t.strength}"].append(with_origin[t.key])
    lookalikes = [t for t in texts if t.role == "lookalike" and t.split == split]
    grouped = [any(grouping.together(x, m) for m in members if m.group == x.group) for x in lookalikes]
    return {
        "pairs": {"gold_same": tp + fn, "said_same": tp + fp, "true": tp,
                  "precision": round(precision, 4) if precision is not None else None,
                  "recall": round(recall, 4) if recall is not None else None},
        "with_origin": {k: _ratio(sum(v), len(v)) for k, v in sorted(by_relation.items())},
        "excerpt_or_quote": _ratio(sum(by_relation["excerpt"]) + sum(by_relation["quote"]),
                                   len(by_relation["excerpt"]) + len(by_relation["quote"])),
        "lookalikes_grouped": _ratio(sum(grouped), len(grouped)),
        "unmapped": sum(1 for t in texts if t.split == split and not grouping.claims[t.key]),
    }


def trace_scores(store, embedder, gold: dict, texts: list[Text], split: str) -> dict:
    """Each member (not the origin) of this half traced on its own: is the origin found?"""
    from provenance.trace import Query, trace

    groups = {g["id"]: g for g in gold["groups"]}
    todo = [t for t in texts if t.role == "member" and t.split == split and t.relation != "origin"]
    results = trace(store, embedder, [Query(t.text) for t in todo], top=10)
    found = related_only = explained = 0
    by_relation: dict[str, list[bool]] = defaultdict(list)
    for t, r in zip(todo, results):
        g = groups[t.group]
        right = {g["origin"]["doc"], *g.get("tied", [])}
        origin = r.get("origin") or {}
        got = {origin.get("doc_id"), *(x.get("doc_id") for x in origin.get("tied") or [])}
        ok = bool(right & got)
        found += ok
        by_relation[t.relation].append(ok)
        if not origin:
            related_only += 1
            explained += bool(r.get("possible_origins"))
    return {"members": len(todo), "origin_found": _ratio(found, len(todo)),
            "by_relation": {k: _ratio(sum(v), len(v)) for k, v in sorted(by_relation.items())},
            "related_only": related_only, "related_only_explained": explained}


def index_story(out: Path, model: str) -> Path:
    from provenance.pipeline import index_paths

    store = out / "story-store"
    if store.exists():
        shutil.rmtree(store)
    out.mkdir(parents=True, exist_ok=True)
    index_paths(store, [str(STORY / "corpus")], model=model)
    return store


def evaluate_story(embedder, out: Path) -> dict:
    from provenance.store import Store

    gold = json.loads((STORY / "gold.json").read_text(encoding="utf-8"))
    texts = labelled_texts(gold)
    started = time.perf_counter()
    path = index_story(out, embedder.name)
    result: dict = {"index_seconds": round(time.perf_counter() - started, 1)}
    with Store.open(path) as store:
        grouping = Grouping(store, texts)
        for split in SPLITS:
            result[split] = half_scores(texts, grouping, split)
            result[split]["trace"] = trace_scores(store, embedder, gold, texts, split)
    return result


def errors(out: Path) -> list[str]:
    """The train half's misses in the store ``evaluate_story`` left under ``out``: members apart
    from their origin, look-alikes grouped. Never the test half's."""
    from provenance.store import Store

    gold = json.loads((STORY / "gold.json").read_text(encoding="utf-8"))
    texts = labelled_texts(gold)
    lines = []
    with Store.open(out / "story-store") as store:
        grouping = Grouping(store, texts)
        origin = {t.group: t for t in texts if t.relation == "origin"}
        for t in texts:
            if t.split != "train" or t.relation == "origin":
                continue
            o = origin[t.group]
            together = grouping.together(t, o)
            if (t.role == "member") != together:
                what = f"apart ({t.relation}{'-' + t.strength if t.strength else ''})" if t.role == "member" else "look-alike grouped"
                lines.append(f"{t.group} {what}: {t.doc}: {t.text}\n    origin {o.doc}: {o.text}")
    return lines


def format_story(r: dict) -> list[str]:
    lines = ["Labelled story set (tests/data/provenance-set): test half, train half in brackets"]

    def both(get) -> str:
        def one(split):
            v = get(r[split])
            return "-" if v is None else f"{v:.3f}" if isinstance(v, float) else str(v)
        return f"{one('test'):>6} [{one('train')}]"

    lines.append(f"  same-claim pairs: precision {both(lambda s: s['pairs']['precision'])}, recall {both(lambda s: s['pairs']['recall'])}")
    for rel in ("verbatim", "near-verbatim", "excerpt", "quote", "paraphrase", *(f"paraphrase-{s}" for s in STRENGTHS)):
        lines.append(f"  {rel:<18} with its origin: {both(lambda s, rel=rel: (s['with_origin'].get(rel) or {}).get('rate'))}"
                     f"  (n {both(lambda s, rel=rel: (s['with_origin'].get(rel) or {}).get('n'))})")
    lines.append(f"  excerpts and quotes with origin: {both(lambda s: s['excerpt_or_quote']['rate'])}")
    lines.append(f"  look-alikes grouped: {both(lambda s: s['lookalikes_grouped']['rate'])}")
    lines.append(f"  trace finds the origin: {both(lambda s: s['trace']['origin_found']['rate'])}; "
                 f"related only: {both(lambda s: s['trace']['related_only'])}, of which explained {both(lambda s: s['trace']['related_only_explained'])}")
    return lines

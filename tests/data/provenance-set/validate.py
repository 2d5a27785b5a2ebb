#!/usr/bin/env python3
"""Check gold.json against corpus/ and print counts per split.

Standard library only. Usage: python3 validate.py [DIR]   (DIR defaults to this file's folder)
Exit status 0 when every check passes, 1 otherwise.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

RELATIONS = {"origin", "verbatim", "near-verbatim", "paraphrase", "excerpt", "quote"}
STRENGTHS = {"light", "medium", "heavy"}
MUTATION_KINDS = {"figure", "date", "negation", "hedge", "quantifier", "entity"}
BASES = {"earliest-published", "tie", "credited"}
PRECISIONS = {"datetime", "date", "none"}
FRONT_KEYS = ["id", "source", "title", "url", "published", "authors"]
# Date-only values are read as calendar days in the story's local time (UTC-4, summer time).
LOCAL = timezone(timedelta(hours=-4))

errors: list[str] = []


def err(msg: str) -> None:
    errors.append(msg)


# ---------------------------------------------------------------------------------------------
# Corpus
# ---------------------------------------------------------------------------------------------

def read_doc(path: Path) -> tuple[dict, list[str], str]:
    """(front matter fields, front matter key order, body). Body = text after the closing ---,
    leading blank lines removed (the same rule as the provenance reader)."""
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        raise ValueError(f"{path.name}: no front matter")
    fields: dict[str, str] = {}
    order: list[str] = []
    for i in range(1, len(lines)):
        if lines[i].rstrip() == "---":
            body = "\n".join(lines[i + 1:])
            body = re.sub(r"\A(?:[ \t]*\n)+", "", body)
            return fields, order, body
        m = re.match(r"([A-Za-z_][A-Za-z0-9_.-]*)\s*:\s*(.*)$", lines[i].strip())
        if not m:
            raise ValueError(f"{path.name}: bad front matter line {i + 1}: {lines[i]!r}")
        fields[m.group(1)] = m.group(2).strip()
        order.append(m.group(1))
    raise ValueError(f"{path.name}: front matter never closed")


def interval(published: str | None) -> tuple[datetime, datetime] | None:
    """A publication time as [start, end): a point for a date-time, the local day for a date."""
    if not published:
        return None
    if "T" in published:
        t = datetime.fromisoformat(published.replace("Z", "+00:00"))
        return t, t
    d = date.fromisoformat(published)
    start = datetime(d.year, d.month, d.day, tzinfo=LOCAL)
    return start, start + timedelta(days=1)


def definitely_before(a: tuple[datetime, datetime], b: tuple[datetime, datetime]) -> bool:
    """a is certainly earlier than b (a point before a point, or a whole day before another)."""
    a_start, a_end = a
    b_start, b_end = b
    if a_start == a_end and b_start == b_end:
        return a_start < b_start
    if a_start == a_end:  # point vs day
        return a_start < b_start
    if b_start == b_end:  # day vs point
        return a_end <= b_start
    return a_end <= b_start


# ---------------------------------------------------------------------------------------------
# Text comparison
# ---------------------------------------------------------------------------------------------

def normalise(s: str) -> str:
    """Typography-blind form: NFKC, curly quotes and dashes straightened, footnote markers
    like [3] dropped, dotted abbreviations (U.S.) closed up, then non-word runs -> one space."""
    s = unicodedata.normalize("NFKC", s)
    s = s.translate(str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                                   "\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2212": "-"}))
    s = re.sub(r"\[\d+\]", " ", s)
    s = re.sub(r"\b((?:[A-Za-z]\.){2,})", lambda m: m.group(1).replace(".", ""), s)
    return re.sub(r"\W+", " ", s).lower().strip()


def tokens(s: str) -> list[str]:
    return normalise(s).split()


def is_subsequence(short: list[str], long: list[str]) -> bool:
    it = iter(long)
    return all(tok in it for tok in short)


# ---------------------------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------------------------

def main(root: Path) -> int:
    gold = json.loads((root / "gold.json").read_text(encoding="utf-8"))
    corpus_dir = root / "corpus"

    # Documents -----------------------------------------------------------------------------
    bodies: dict[str, str] = {}
    meta: dict[str, dict] = {}
    files = sorted(corpus_dir.glob("*.md"))
    if not 24 <= len(files) <= 30:
        err(f"corpus has {len(files)} documents, expected 24 to 30")
    for path in files:
        try:
            fields, order, body = read_doc(path)
        except ValueError as exc:
            err(str(exc))
            continue
        if not re.fullmatch(r"\d\d-[a-z0-9-]+\.md", path.name):
            err(f"{path.name}: file name is not NN-name.md")
        expected = [k for k in FRONT_KEYS if k != "published" or "published" in fields]
        if order != expected:
            err(f"{path.name}: front matter keys {order}, expected {expected}")
        doc_id = fields.get("id", "")
        if doc_id in bodies:
            err(f"{path.name}: duplicate id {doc_id}")
        bodies[doc_id] = body
        meta[doc_id] = fields
        for url in re.findall(r"https?://[^\s)\]]+", path.read_text(encoding="utf-8")):
            host = re.sub(r"^https?://", "", url).split("/")[0]
            if not (host.endswith(".test") or host.endswith(".example")):
                err(f"{path.name}: URL outside .test/.example: {url}")

    gold_docs = {d["id"]: d for d in gold["documents"]}
    if set(gold_docs) != set(bodies):
        err(f"gold documents {sorted(set(gold_docs) ^ set(bodies))} differ from corpus ids")
    spans_of: dict[str, tuple[datetime, datetime] | None] = {}
    for doc_id, d in gold_docs.items():
        if doc_id not in meta:
            continue
        fm = meta[doc_id]
        if d["source"] != fm.get("source"):
            err(f"{doc_id}: gold source {d['source']!r} != front matter {fm.get('source')!r}")
        if (d["published"] or None) != (fm.get("published") or None):
            err(f"{doc_id}: gold published {d['published']!r} != front matter {fm.get('published')!r}")
        want = "none" if not d["published"] else ("datetime" if "T" in d["published"] else "date")
        if d["precision"] not in PRECISIONS or d["precision"] != want:
            err(f"{doc_id}: precision {d['precision']!r}, expected {want!r}")
        spans_of[doc_id] = interval(d["published"])

    sources = {s["name"]: s for s in gold.get("sources", [])}
    # doc that speaks for each source (a person speaks for an organization that may have a doc)
    source_doc: dict[str, str | None] = {}
    for name, s in sources.items():
        doc = s.get("doc")
        if doc is None and s.get("speaks_for") in sources:
            doc = sources[s["speaks_for"]].get("doc")
        source_doc[name] = doc
        if s.get("doc") is not None and s["doc"] not in bodies:
            err(f"source {name!r}: doc {s['doc']!r} not in corpus")

    def check_text(where: str, doc_id: str, text: str, unique: bool = True) -> int | None:
        if doc_id not in bodies:
            err(f"{where}: unknown doc {doc_id!r}")
            return None
        n = bodies[doc_id].count(text)
        if n == 0:
            err(f"{where}: text not found in {doc_id}: {text[:70]!r}")
            return None
        if unique and n > 1:
            err(f"{where}: text occurs {n} times in {doc_id}: {text[:70]!r}")
        return bodies[doc_id].find(text)

    # Groups ---------------------------------------------------------------------------------
    stats = {sp: Counter() for sp in ("train", "test")}
    rel_by = {sp: Counter() for sp in ("train", "test")}
    strength_by = {sp: Counter() for sp in ("train", "test")}
    mut_by = {sp: Counter() for sp in ("train", "test")}
    basis_by = {sp: Counter() for sp in ("train", "test")}
    spans_by_doc: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    seen_ids = set()
    for idx, g in enumerate(gold["groups"]):
        gid = g["id"]
        where = f"group {gid}"
        if gid in seen_ids:
            err(f"{where}: duplicate id")
        seen_ids.add(gid)
        split = g.get("split")
        if split not in stats:
            err(f"{where}: split {split!r}")
            continue
        if split != ("train" if idx % 2 == 0 else "test"):
            err(f"{where}: splits must alternate train/test in group order")
        members = g["members"]
        docs = [m["doc"] for m in members]
        if len(members) < 3 or len(set(docs)) < 3:
            err(f"{where}: needs at least 3 members in 3 documents ({len(members)} in {len(set(docs))})")
        if len(set(docs)) != len(docs):
            err(f"{where}: a document appears twice among the members")
        origins = [m for m in members if m["relation"] == "origin"]
        if len(origins) != 1:
            err(f"{where}: {len(origins)} origin members")
            continue
        om = origins[0]
        if om["doc"] != g["origin"]["doc"]:
            err(f"{where}: origin member in {om['doc']}, origin.doc {g['origin']['doc']}")
        basis = g["origin"]["basis"]
        if basis not in BASES:
            err(f"{where}: basis {basis!r}")
        stats[split]["groups"] += 1
        stats[split]["members"] += len(members)
        basis_by[split][basis] += 1

        # timing: who could be the earliest dated witness?
        dated = [d for d in dict.fromkeys(docs) if spans_of.get(d)]
        cands = [d for d in dated if not any(definitely_before(spans_of[o], spans_of[d]) for o in dated if o != d)]
        if g["origin"]["doc"] not in cands:
            err(f"{where}: origin {g['origin']['doc']} is not among the earliest witnesses {cands}")
        if basis == "earliest-published" and len(cands) != 1:
            err(f"{where}: basis earliest-published but {len(cands)} witnesses cannot be ordered: {cands}")
        if basis in ("tie", "credited") and len(cands) < 2:
            err(f"{where}: basis {basis} but the earliest witness is unique ({cands})")
        if basis == "tie":
            if sorted(g.get("tied", [])) != sorted(cands):
                err(f"{where}: tied {g.get('tied')} != earliest witnesses {cands}")
        elif "tied" in g:
            err(f"{where}: 'tied' given but basis is {basis}")
        if basis == "credited":
            ok = any(m["doc"] in cands and m["doc"] != om["doc"] and m.get("credits")
                     and source_doc.get(m["credits"]) == om["doc"] for m in members)
            if not ok:
                err(f"{where}: basis credited but no same-day witness credits {om['doc']}")

        # primary source = the outside source most members credit (own outlet skipped; ties: earliest)
        order_key = {d: (spans_of[d][0] if spans_of.get(d) else datetime.max.replace(tzinfo=timezone.utc)) for d in docs}
        counts: Counter = Counter()
        first: dict[str, datetime] = {}
        for m in members:
            c = m.get("credits")
            if c is not None and c not in sources:
                err(f"{where}: credits {c!r} is not a listed source")
            if not c or c == gold_docs.get(m["doc"], {}).get("source"):
                continue
            counts[c] += 1
            first[c] = min(first.get(c, order_key[m["doc"]]), order_key[m["doc"]])
        expected_ps = None
        if counts:
            expected_ps = sorted(counts, key=lambda c: (-counts[c], first[c]))[0]
        if g.get("primary_source") != expected_ps:
            err(f"{where}: primary_source {g.get('primary_source')!r}, members credit {dict(counts)}")
        if g.get("primary_source") is not None and g["primary_source"] not in sources:
            err(f"{where}: primary_source {g['primary_source']!r} is not a listed source")

        for m in members:
            mw = f"{where} member {m['doc']}"
            pos = check_text(mw, m["doc"], m["text"])
            if pos is not None:
                spans_by_doc[m["doc"]].append((pos, pos + len(m["text"]), gid))
            rel = m["relation"]
            if rel not in RELATIONS:
                err(f"{mw}: relation {rel!r}")
                continue
            rel_by[split][rel] += 1
            if rel == "paraphrase":
                if m.get("strength") not in STRENGTHS:
                    err(f"{mw}: paraphrase needs strength")
                else:
                    strength_by[split][m["strength"]] += 1
            elif "strength" in m:
                err(f"{mw}: strength only for paraphrase")
            if "copied_from" in m and m["copied_from"] not in docs:
                err(f"{mw}: copied_from {m['copied_from']!r} is not a member of the group")
            for mu in m.get("mutations", []):
                if mu["kind"] not in MUTATION_KINDS:
                    err(f"{mw}: mutation kind {mu['kind']!r}")
                mut_by[split][mu["kind"]] += 1
                if mu["origin"] not in om["text"]:
                    err(f"{mw}: mutation origin words {mu['origin']!r} not in the origin text")
                if mu["member"] not in m["text"]:
                    err(f"{mw}: mutation member words {mu['member']!r} not in the member text")
            if len(m.get("mutations", [])) > 1:
                err(f"{mw}: more than one mutation (one detail changed per member)")
            if rel == "verbatim":
                if normalise(m["text"]) != normalise(om["text"]):
                    err(f"{mw}: marked verbatim but differs from the origin beyond typography")
                if m.get("mutations"):
                    err(f"{mw}: verbatim member with a mutation")
            if rel == "excerpt":
                short, long = tokens(m["text"]), tokens(om["text"])
                if not (len(short) < len(long) and is_subsequence(short, long)):
                    err(f"{mw}: marked excerpt but is not the origin with words cut out")
            if rel in ("near-verbatim", "paraphrase") and normalise(m["text"]) == normalise(om["text"]):
                err(f"{mw}: marked {rel} but equals the origin up to typography (verbatim)")
        stats[split]["ties"] += basis == "tie"

        for la in g.get("lookalikes", []):
            lw = f"{where} lookalike {la['doc']}"
            check_text(lw, la["doc"], la["text"])
            if not la.get("why"):
                err(f"{lw}: no 'why'")
            if any(m["doc"] == la["doc"] and (la["text"] in m["text"] or m["text"] in la["text"]) for m in members):
                err(f"{lw}: look-alike overlaps a member of the same group")
            stats[split]["lookalikes"] += 1

    # one sentence, one group
    for doc_id, spans in spans_by_doc.items():
        spans.sort()
        for (a0, a1, ga), (b0, b1, gb) in zip(spans, spans[1:]):
            if b0 < a1 and ga != gb:
                err(f"{doc_id}: members of {ga} and {gb} overlap")

    for deb in gold.get("debris", []):
        check_text(f"debris {deb['doc']}", deb["doc"], deb["text"], unique=False)

    # headlines/ledes that restate part of a group claim: neither members nor look-alikes
    for po in gold.get("partial_overlaps", []):
        pw = f"partial overlap {po['doc']}"
        pos = check_text(pw, po["doc"], po["text"])
        for gid in po.get("groups", []):
            if gid not in seen_ids:
                err(f"{pw}: unknown group {gid}")
        if pos is not None and any(a < pos + len(po["text"]) and pos < b for a, b, _ in spans_by_doc.get(po["doc"], [])):
            err(f"{pw}: overlaps a group member")

    # Balance ---------------------------------------------------------------------------------
    g_train, g_test = stats["train"]["groups"], stats["test"]["groups"]
    if abs(g_train - g_test) > 1:
        err(f"splits unbalanced: {g_train} train groups, {g_test} test groups")
    for sp in ("train", "test"):
        for rel in RELATIONS:
            if not rel_by[sp][rel]:
                err(f"{sp}: no member with relation {rel}")
        for s in STRENGTHS:
            if not strength_by[sp][s]:
                err(f"{sp}: no {s} paraphrase")
        for k in MUTATION_KINDS:
            if not mut_by[sp][k]:
                err(f"{sp}: no {k} mutation")
        for b in BASES:
            if not basis_by[sp][b]:
                err(f"{sp}: no group with basis {b}")
        if not stats[sp]["lookalikes"]:
            err(f"{sp}: no look-alikes")
    total_groups = g_train + g_test
    total_la = stats["train"]["lookalikes"] + stats["test"]["lookalikes"]
    if total_groups < 40:
        err(f"only {total_groups} groups (aim: 40+)")
    if total_la < 40:
        err(f"only {total_la} look-alikes (aim: 40+)")

    # Report ----------------------------------------------------------------------------------
    print(f"documents: {len(bodies)}  (dated {sum(1 for d in gold_docs.values() if d['published'])}, "
          f"undated {sum(1 for d in gold_docs.values() if not d['published'])})")
    print(f"debris entries: {len(gold.get('debris', []))}  partial overlaps (unscored): {len(gold.get('partial_overlaps', []))}")
    header = f"{'':34}{'train':>8}{'test':>8}{'total':>8}"
    print(header)
    print("-" * len(header))

    def row(label: str, a: int, b: int) -> None:
        print(f"{label:34}{a:>8}{b:>8}{a + b:>8}")

    row("groups", g_train, g_test)
    row("members", stats["train"]["members"], stats["test"]["members"])
    for rel in ["origin", "verbatim", "near-verbatim", "excerpt", "quote", "paraphrase"]:
        row(f"  relation {rel}", rel_by["train"][rel], rel_by["test"][rel])
    for s in ["light", "medium", "heavy"]:
        row(f"  paraphrase {s}", strength_by["train"][s], strength_by["test"][s])
    for k in ["figure", "date", "negation", "hedge", "quantifier", "entity"]:
        row(f"  mutation {k}", mut_by["train"][k], mut_by["test"][k])
    for b in ["earliest-published", "tie", "credited"]:
        row(f"  origin basis {b}", basis_by["train"][b], basis_by["test"][b])
    row("ties", stats["train"]["ties"], stats["test"]["ties"])
    row("look-alikes", stats["train"]["lookalikes"], stats["test"]["lookalikes"])

    if errors:
        print(f"\n{len(errors)} problem(s):")
        for e in errors:
            print("  -", e)
        return 1
    print("\nall checks passed")
    return 0


if __name__ == "__main__":
    here = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent
    sys.exit(main(here))

"""The bundled sample corpus (provenance/samples/) agrees with its own expected.json.

Fast and model-free: it reads the files directly, with a tiny front-matter reader of its own,
so it does not depend on the real document parser.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parent.parent / "provenance" / "samples"
REQUIRED_KEYS = {"id", "source", "title", "url", "authors"}
RELATIONS = {"verbatim", "near-verbatim", "paraphrase"}
ALLOWED_TLDS = {"test", "example"}

# Sentence boundaries: end punctuation (optionally followed by a closing quote), white space,
# then something that can start a sentence. Paragraphs and lines are split first.
_SPLIT = re.compile(r'(?:(?<=[.!?])|(?<=[.!?]["\u201d]))\s+(?=["\u201cA-Z0-9])')
_DOMAIN = re.compile(r"\b(?:[a-z0-9-]+\.)+([a-z]{2,})\b")


def verbatim_key(s: str) -> str:
    return re.sub(r"\W+", " ", s).lower().strip()


def read_doc(path: Path) -> tuple[dict[str, str], str]:
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    assert lines[0] == "---", f"{path.name}: no front matter"
    end = lines.index("---", 1)
    meta: dict[str, str] = {}
    for line in lines[1:end]:
        key, sep, value = line.partition(":")
        assert sep, f"{path.name}: front matter line without ':': {line!r}"
        key = key.strip()
        assert key not in meta, f"{path.name}: duplicate key {key}"
        meta[key] = value.strip()
    return meta, "\n".join(lines[end + 1 :])


def sentences(body: str) -> list[str]:
    return [s.strip() for line in body.split("\n") if line.strip() for s in _SPLIT.split(line.strip())]


def parse_published(value: str) -> datetime:
    """A comparable instant: a bare date is read as midnight UTC, a naive date-time as UTC."""
    if "T" in value:
        parsed = datetime.fromisoformat(value)
    else:
        parsed = datetime.combine(date.fromisoformat(value), datetime.min.time())
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


DOC_PATHS = sorted((SAMPLES / "corpus").glob("*.md"))
DOC_PATHS = [p for p in DOC_PATHS if p.name != "README.md"]
DOCS = {}
for _p in DOC_PATHS:
    _meta, _body = read_doc(_p)
    DOCS[_meta.get("id")] = {"path": _p, "meta": _meta, "body": _body, "sentences": sentences(_body)}
EXPECTED = json.loads((SAMPLES / "expected.json").read_text(encoding="utf-8"))


def all_refs():
    for key in ("same_claim", "different_claim", "figure_changes"):
        for pair in EXPECTED[key]:
            yield pair["a"]
            yield pair["b"]
    for origin in EXPECTED["origins"]:
        yield origin["claim"]


def find_sentence(ref: dict) -> str:
    doc = DOCS[ref["doc"]]
    hits = [s for s in doc["sentences"] if ref["contains"] in s]
    assert len(hits) == 1, f"{ref['doc']}: {ref['contains']!r} is in {len(hits)} sentences"
    return hits[0]


def test_corpus_size_and_names():
    assert 8 <= len(DOC_PATHS) <= 12
    for p in DOC_PATHS:
        assert re.fullmatch(r"\d\d-[a-z0-9-]+\.md", p.name), p.name


@pytest.mark.parametrize("path", DOC_PATHS, ids=lambda p: p.name)
def test_front_matter(path):
    meta, body = read_doc(path)
    missing = REQUIRED_KEYS - meta.keys()
    assert not missing, f"{path.name}: missing {missing}"
    for key in REQUIRED_KEYS:
        assert meta[key], f"{path.name}: empty {key}"
    assert re.fullmatch(r"[a-z0-9-]+", meta["id"])
    assert meta["url"].startswith("https://")
    if "published" in meta:
        parse_published(meta["published"])
    lines = [line for line in body.split("\n") if line.strip()]
    headline = lines[0]
    assert not headline.endswith("."), f"{path.name}: first body line should be a headline"
    words = len(re.findall(r"\w+", body))
    assert 150 <= words <= 350, f"{path.name}: {words} words"


def test_ids_unique():
    ids = [read_doc(p)[0]["id"] for p in DOC_PATHS]
    assert len(ids) == len(set(ids))


def test_exactly_one_undated_and_earliest():
    undated = [i for i, d in DOCS.items() if "published" not in d["meta"]]
    assert undated == [EXPECTED["undated_doc"]]
    dated = {i: parse_published(d["meta"]["published"]) for i, d in DOCS.items() if "published" in d["meta"]}
    assert min(dated, key=dated.get) == EXPECTED["earliest_doc"]
    # Nothing ties with the earliest document.
    assert sorted(dated.values())[0] < sorted(dated.values())[1]


def test_referenced_docs_exist():
    referenced = {r["doc"] for r in all_refs()}
    referenced |= {o["origin_doc"] for o in EXPECTED["origins"]}
    referenced |= set(EXPECTED["independent_docs"]) | set(EXPECTED["uncredited_copiers"])
    referenced |= {EXPECTED["earliest_doc"], EXPECTED["undated_doc"]}
    for c in EXPECTED["credited_reuse"]:
        referenced |= {c["doc"], c["credits"]}
    for p in EXPECTED["passage_reuse"]:
        referenced |= {p["from_doc"], p["to_doc"]}
    referenced |= {r["doc"] for r in EXPECTED["within_doc_repeats"]}
    assert referenced <= DOCS.keys(), referenced - DOCS.keys()


def test_contains_occur_once_and_name_whole_sentences():
    for ref in all_refs():
        body = DOCS[ref["doc"]]["body"]
        assert body.count(ref["contains"]) == 1, f"{ref['doc']}: {ref['contains']!r}"
        sentence = find_sentence(ref)
        if "sentence" in ref:
            assert ref["sentence"] == sentence, f"{ref['doc']}: stored sentence differs from the text"
        assert "\n" not in sentence
        assert len(sentence.split()) >= 6, sentence
        assert sentence.endswith("."), sentence
        assert not re.search(r"\b(?:[A-Z]\.){2,}|\b(?:Dr|Mr|Mrs|Ms|Jan|Feb|Mar|Inc|St)\.", sentence), sentence


def test_relations_hold():
    assert len(EXPECTED["same_claim"]) >= 10
    for pair in EXPECTED["same_claim"]:
        assert pair["relation"] in RELATIONS
        assert isinstance(pair["credited"], bool)
        assert pair["a"]["doc"] != pair["b"]["doc"]
        a, b = find_sentence(pair["a"]), find_sentence(pair["b"])
        if pair["relation"] == "verbatim":
            assert verbatim_key(a) == verbatim_key(b), (a, b)
        else:
            assert verbatim_key(a) != verbatim_key(b), (a, b)
    for pair in EXPECTED["different_claim"]:
        assert verbatim_key(find_sentence(pair["a"])) != verbatim_key(find_sentence(pair["b"]))


def test_required_cases_present():
    same = EXPECTED["same_claim"]
    verbatim = [p for p in same if p["relation"] == "verbatim"]
    assert {p["credited"] for p in verbatim} == {True, False}
    assert len({p["a"]["contains"] for p in verbatim}) >= 2
    assert any(p["relation"] == "near-verbatim" for p in same)
    assert len([p for p in same if p["relation"] == "paraphrase"]) >= 3
    assert {f["kind"] for f in EXPECTED["figure_changes"]} >= {"inflated", "vague"}
    assert len(EXPECTED["different_claim"]) >= 3


def test_figure_changes():
    for change in EXPECTED["figure_changes"]:
        a, b = find_sentence(change["a"]), find_sentence(change["b"])
        assert change["from"] in a and change["to"] in b
        # Otherwise the same sentence.
        assert verbatim_key(a.replace(change["from"], "")) == verbatim_key(b.replace(change["to"], ""))


def test_credits_appear_in_the_crediting_document():
    for credit in EXPECTED["credited_reuse"]:
        assert credit["contains"] in DOCS[credit["doc"]]["body"]
        if credit["contains"].startswith("https://"):
            assert credit["contains"] == DOCS[credit["credits"]]["meta"]["url"]
    for doc in EXPECTED["uncredited_copiers"]:
        body = DOCS[doc]["body"]
        assert "Ledger" not in body and "harborledger" not in body


def test_passage_reuse_is_consecutive():
    for passage in EXPECTED["passage_reuse"]:
        for doc_id in (passage["from_doc"], passage["to_doc"]):
            sents = DOCS[doc_id]["sentences"]
            idx = [next(i for i, s in enumerate(sents) if c in s) for c in passage["sentences"]]
            assert idx == list(range(idx[0], idx[0] + len(idx))), (doc_id, idx)
        src = [find_sentence({"doc": passage["from_doc"], "contains": c}) for c in passage["sentences"]]
        dst = [find_sentence({"doc": passage["to_doc"], "contains": c}) for c in passage["sentences"]]
        assert [verbatim_key(s) for s in src] == [verbatim_key(s) for s in dst]


def test_within_doc_repeats_stay_inside_one_document():
    for rep in EXPECTED["within_doc_repeats"]:
        sents = [s for s in DOCS[rep["doc"]]["sentences"] if rep["contains"] in s]
        assert len(sents) == rep["occurrences"] >= 2
        assert len({verbatim_key(s) for s in sents}) == 1
        for other, doc in DOCS.items():
            if other != rep["doc"]:
                assert rep["contains"] not in doc["body"]


def test_independent_docs_share_no_sentence():
    for doc_id in EXPECTED["independent_docs"]:
        mine = {verbatim_key(s) for s in DOCS[doc_id]["sentences"]}
        for other, doc in DOCS.items():
            if other != doc_id:
                assert not mine & {verbatim_key(s) for s in doc["sentences"]}
        assert all(r["doc"] != doc_id for r in all_refs())


def _component(start: tuple[str, str]) -> set[tuple[str, str]]:
    """Sentences (doc, verbatim key) linked to ``start`` through same_claim pairs."""
    edges = [
        ((p["a"]["doc"], verbatim_key(find_sentence(p["a"]))), (p["b"]["doc"], verbatim_key(find_sentence(p["b"]))))
        for p in EXPECTED["same_claim"]
    ]
    seen, todo = {start}, [start]
    while todo:
        node = todo.pop()
        for a, b in edges:
            for x, y in ((a, b), (b, a)):
                if x == node and y not in seen:
                    seen.add(y)
                    todo.append(y)
    return seen


def test_origins_are_earliest_dated_witness():
    for origin in EXPECTED["origins"]:
        claim = origin["claim"]
        members = _component((claim["doc"], verbatim_key(find_sentence(claim))))
        docs = {d for d, _ in members}
        assert len(docs) >= 2
        dated = {d: parse_published(DOCS[d]["meta"]["published"]) for d in docs if "published" in DOCS[d]["meta"]}
        assert dated, "every group needs a dated witness"
        assert min(dated, key=dated.get) == origin["origin_doc"]
        assert origin["origin_doc"] != EXPECTED["undated_doc"]


def _all_text() -> list[tuple[str, str]]:
    out = [(p.name, p.read_text(encoding="utf-8")) for p in DOC_PATHS]
    out.append(("expected.json", (SAMPLES / "expected.json").read_text(encoding="utf-8")))
    out.append(("README.md", (SAMPLES / "README.md").read_text(encoding="utf-8")))
    return out


def test_only_reserved_domains():
    for name, text in _all_text():
        assert "http://" not in text, name
        for host in re.findall(r"https?://([^/\s`'\")]+)", text):
            assert host.rsplit(".", 1)[-1] in ALLOWED_TLDS, (name, host)
    for path in DOC_PATHS:
        for m in _DOMAIN.finditer(path.read_text(encoding="utf-8").lower()):
            assert m.group(1) in ALLOWED_TLDS, (path.name, m.group(0))


def test_sentences_survive_pysbd():
    """The project's sentence splitter cuts every listed sentence out whole."""
    pysbd = pytest.importorskip("pysbd")
    seg = pysbd.Segmenter(language="en", clean=False)
    split = {
        doc_id: {s.strip() for line in d["body"].split("\n") if line.strip() for s in seg.segment(line.strip())}
        for doc_id, d in DOCS.items()
    }
    for ref in all_refs():
        assert find_sentence(ref) in split[ref["doc"]], ref

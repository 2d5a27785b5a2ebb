"""Issue 13 with the real model: a quoted and an unquoted sentence are the same vector, and a
quote reused in any frame clusters with its other appearances (the labelled story set)."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from provenance.embed import load_encoder
from provenance.pipeline import index_paths
from provenance.report import build_report
from provenance.store import Store
from provenance.textnorm import embedding_text, verbatim_key
from provenance.trace import Query, trace
from tests.conftest import write_md

pytestmark = pytest.mark.model

PROVENANCE_SET = Path(__file__).resolve().parent / "data" / "provenance-set"
# With its quotation marks embedded this sentence kept cosine 0.81 to itself (form 1).
SAID = "It is a failure of basic controls, and it cost the city real money."


def test_quoted_and_unquoted_sentence_are_verbatim_at_cosine_099(tmp_path):
    encoder = load_encoder(None, "sentence-transformers")
    variants = [SAID, f'"{SAID}"', f"\u201c{SAID}\u201d", f'"{SAID[:-1]},"']
    vectors = encoder.embed([embedding_text(v) for v in variants])
    assert min(float(vectors[0] @ v) for v in vectors) >= 0.99
    docs = tmp_path / "docs"
    write_md(docs, "a.md", f"The auditor spoke to the council on Monday about the bus contract.\n\n{SAID}", id="plain", published="2025-05-12")
    write_md(docs, "b.md", f'The union repeated the line in its own statement.\n\n"{SAID}"', id="quoted", published="2025-05-13")
    store = tmp_path / "s"
    index_paths(store, [str(docs)])
    with Store.open(store) as st:
        rep = build_report(st)
        result = trace(st, encoder, [Query(f"\u201c{SAID}\u201d")], top=3)[0]
    member = next(m for c in rep["clusters"] for m in c["members"] if m["doc_id"] == "quoted")
    assert member["relation"] == "verbatim" and member["similarity"] >= 0.99
    assert {m["relation"] for m in result["matches"][:2]} == {"verbatim"}
    assert min(m["similarity"] for m in result["matches"][:2]) >= 0.99


@pytest.fixture(scope="module")
def story_store(tmp_path_factory) -> Path:
    store = tmp_path_factory.mktemp("story") / "store"
    index_paths(store, [str(PROVENANCE_SET / "corpus")])
    return store


def test_quotes_cluster_with_their_origin_in_any_frame(story_store):
    """Every labelled `quote` member that is the quoted words (not a whole sentence quoting a
    fragment) is a claim of its own, in its group origin's cluster."""
    gold = json.loads((PROVENANCE_SET / "gold.json").read_text(encoding="utf-8"))
    with Store.open(story_store) as st:
        claims = st.claims(range(1, st.max_claim_id() + 1))
        cluster_of = st.cluster_of(claims)
    by_doc = defaultdict(list)
    for c in claims.values():
        by_doc[c.doc_id].append(c)

    def claim_of(doc: str, text: str):
        return next((c for c in by_doc[doc] if verbatim_key(c.text) == verbatim_key(text)), None)

    checked, missed = 0, []
    for group in gold["groups"]:
        origin = group["members"][0]
        for m in group["members"][1:]:
            if m["relation"] != "quote" or any(q in m["text"] for q in "\"“”"):
                continue
            checked += 1
            mine, theirs = claim_of(m["doc"], m["text"]), claim_of(origin["doc"], origin["text"])
            assert mine is not None, (group["id"], m["doc"], "the quote is no claim of its own")
            if theirs is None or cluster_of.get(mine.id) is None or cluster_of.get(mine.id) != cluster_of.get(theirs.id):
                missed.append((group["id"], m["doc"]))
    assert checked >= 20 and not missed, missed


def test_an_excerpt_is_labelled_excerpt_and_the_report_keeps_the_contract(story_store, spec):
    """The route9 blog cuts the Courier's sentence before its attribution frame: the same claim,
    relation `excerpt`, in every output; the report and a trace of it validate."""
    import jsonschema

    from provenance.output.markdown import render_markdown
    from provenance.output.page import render_html

    cut = "Vellmore Regional Transit paid Kestrane Motor Coach $1.2 million for 14 electric buses that have not been delivered."
    with Store.open(story_store) as st:
        rep = build_report(st)
        traced = trace(st, load_encoder(None, "sentence-transformers"), [Query(cut)], top=5)[0]
    jsonschema.validate(rep, json.loads((spec / "report.schema.json").read_text()))
    jsonschema.validate(traced, json.loads((spec / "trace.schema.json").read_text()))
    # The blog's sentence carries a footnote marker ("...delivered.[3]").
    cluster = next(c for c in rep["clusters"] if any(m["doc_id"] == "route9-blog" and m["text"].startswith(cut) for m in c["members"]))
    member = next(m for m in cluster["members"] if m["doc_id"] == "route9-blog" and m["text"].startswith(cut))
    assert member["relation"] == "excerpt"
    assert cluster["origin"]["doc_id"] == "courier-draft"
    assert any(m["relation"] == "excerpt" and m["doc_id"] == "courier-draft" for m in traced["matches"])
    assert "excerpt" in render_markdown(rep) and "excerpt" in render_html(rep)

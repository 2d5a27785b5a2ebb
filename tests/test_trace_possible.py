"""Issue 13 item 5: when no stored claim is the same claim, trace names the closest ones'
origin and primary source as possible and says why each was not taken; never "not traced" for
a reason that is not the real one."""

from __future__ import annotations

import json

import jsonschema
import pytest

from provenance.embed import load_embedder
from provenance.output.trace_text import render_trace_text
from provenance.pipeline import index_paths
from provenance.store import Store
from provenance.trace import Query, trace
from provenance.whynot import why_not, why_not_phrase
from tests.conftest import write_md

PAID = "Vellmore Regional Transit paid Kestrane Motor Coach $1.2 million for 14 electric buses that have not been delivered"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    root = tmp_path_factory.mktemp("possible")
    docs = root / "docs"
    write_md(docs, "a.md", f"{PAID}, according to a draft of the city auditor's report.\n\n"
             "The mayor asked the board to review the contract on Friday.", id="courier", source="The Courier",
             published="2025-05-01")
    write_md(docs, "b.md", f"{PAID}, the audit found.", id="sentinel", source="The Sentinel", published="2025-05-03")
    index_paths(root / "s", [str(docs)], model="hashing")
    return root / "s"


def _trace(store, text: str) -> dict:
    with Store.open(store) as st:
        return trace(st, load_embedder("hashing"), [Query(text)], top=5)[0]


def test_only_related_gives_the_cluster_origin_as_possible_and_why(store, spec):
    query = "Kestrane Motor Coach got $4.8 million from Vellmore Regional Transit for 41 buses, the mayor said."
    result = _trace(store, query)
    assert result["origin"] is None and {m["relation"] for m in result["matches"]} == {"related"}
    jsonschema.validate(result, json.loads((spec / "trace.schema.json").read_text()))
    best = result["possible_origins"][0]
    # The related claim's cluster starts in the Courier, whichever member was closest.
    assert best["origin"]["doc_id"] == "courier" and best["cluster_id"] is not None
    kinds = {d["kind"] for d in best["why_not"]["differences"]}
    assert "figure" in kinds and "figure differs" in best["reason"]
    text = render_trace_text(result)
    assert "possible origin: The Courier" in text and "not taken: figure differs" in text
    assert "no match is shared" not in text


def test_reasons_name_the_words_when_no_fact_differs():
    reason = why_not("The mayor asked the council to scrap the contract.",
                     "The mayor asked the board to review the contract.", 0.7)
    assert reason["differences"] == []
    assert set(reason["query_only"]) == {"council", "scrap"} and set(reason["stored_only"]) == {"board", "review"}
    assert reason["decided_by"] == "rule" and "same-claim probability" in why_not_phrase(reason)
    assert "only here: council, scrap" in why_not_phrase(reason)
    low = why_not("The mayor asked the council to scrap the contract.", "Buses run late.", 0.3)
    assert low["decided_by"] == "floor" and "below the same-claim floor" in why_not_phrase(low)


def test_a_same_claim_match_gives_no_possible_origins(store):
    result = _trace(store, f"{PAID}.")
    assert result["origin"]["doc_id"] == "courier" and "possible_origins" not in result


def test_no_match_at_all_says_so(tmp_path):
    write_md(tmp_path / "d", "a.md", "Ferries to the islands were cancelled because of the storm on Tuesday.", id="x")
    index_paths(tmp_path / "s", [str(tmp_path / "d")], model="hashing")
    result = _trace(tmp_path / "s", "Quantum computers factor large primes.")
    text = render_trace_text(result)
    assert "no match is shared" not in text
    if result["matches"]:
        assert "possible origin:" in text and "not taken:" in text
    else:
        assert "No match in the store." in text

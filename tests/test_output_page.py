"""The HTML report's page data and markup (no browser: tests/test_browser.py drives one)."""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import re

import pytest

from provenance.output import page_layout
from provenance.output.page import embed_json, page_data, render_html
from provenance.output.page_align import CHANGED, DROPPED, SAME, align_words

from .test_output import JOBS_TEXT, XSS_TEXT, XSS_TITLE, report  # noqa: F401 - fixture


def _data_block(out: str) -> dict:
    m = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', out, re.S)
    assert m, "no data block"
    return json.loads(m.group(1))


def test_page_escapes_every_untrusted_value(report):  # noqa: F811
    out = render_html(report)
    assert out.lower().startswith("<!doctype html>")
    # Exactly two script elements: the data block and the package's own script.
    assert len(re.findall(r"<script\b", out)) == 2
    assert "<script>alert" not in out
    assert "<img src=x" not in out
    assert "<b>Paper" not in out
    assert "javascript:alert" not in out.split('id="report-data">')[0]
    # The data block holds the hostile strings intact, but no literal < > & at all.
    block = out.split('id="report-data">', 1)[1].split("</script>", 1)[0]
    assert not set("<>&") & set(block)
    data = _data_block(out)
    titles = {d["id"]: d["title"] for d in data["documents"]}
    assert titles["doc-b"] == XSS_TITLE
    assert data["documents"][1]["url"] == "javascript:alert(1)"  # shown as text by the script


def test_csp_pins_the_script_and_allows_no_fetch(report):  # noqa: F811
    out = render_html(report)
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', out).group(1)
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == "'none'"
    script = re.search(r"<script>(.*?)</script>", out, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    assert directives["script-src"] == f"'sha256-{digest}'"
    assert "unsafe" not in directives["script-src"]
    assert directives["img-src"] == "data:"
    # Nothing external referenced by the markup (links made by the script are checked in a browser).
    assert not re.search(r"""\s(src|href)=["']?(https?:)?//""", out)
    assert "<link" not in out and "@import" not in out


def test_embed_json_cannot_close_its_block():
    value = {"t": "</script><!-- <script>alert(1)</script> & \u2028"}
    text = embed_json(value)
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == value


def test_align_words_marks_kept_changed_and_dropped():
    origin = "About 40,000 gallons of ferric chloride leaked over nine days."
    member = "More than 400,000 gallons of ferric chloride leaked over nine days."
    segs, kept = align_words(origin, member)
    assert segs[0] == [DROPPED, "About 40,000 "]
    assert segs[1] == [CHANGED, "More than 400,000 "]
    assert segs[2] == [SAME, "gallons of ferric chloride leaked over nine days."]
    assert "".join(t for k, t in segs if k != DROPPED) == member
    assert kept == set(range(2, 10))


def test_align_words_folds_case_and_punctuation_but_not_figures():
    segs, _ = align_words("The leak, officials said, was small.", "the leak officials said was small")
    assert [k for k, _ in segs] == [SAME]
    segs, _ = align_words("Prices rose 3.5% in May.", "Prices rose 35% in May.")
    assert [DROPPED, "3.5% "] in segs and [CHANGED, "35% "] in segs


def test_page_data_spans_witnesses_and_credited(report):  # noqa: F811
    data = page_data(report)
    docs = {d["id"]: d for d in data["documents"]}
    # Every member becomes a highlighted span in its document, pointing at its cluster.
    assert sorted(s[2] for s in docs["doc-a"]["spans"]) == [0, 1, 2]
    first = data["clusters"][0]
    assert [data["documents"][m[0]]["id"] for m in first["m"]] == ["doc-a", "doc-b", "doc-c"]
    origin_segs = first["m"][0][3]
    assert "".join(t for _, t in origin_segs) == JOBS_TEXT
    assert first["m"][2][4] == [["number", "3.5%", "4%"]]
    # Primary sources are counted per name; a javascript: one stays as given, for the script to show as text.
    assert data["credited"][0][:3] == ["Bureau of Labor Statistics", "https://bls.example/cps", 1]
    assert data["has_primary_sources"] is True


def test_graph_layout_is_deterministic_and_follows_time(report):  # noqa: F811
    a, b = page_data(report)["graph"], page_data(copy.deepcopy(report))["graph"]
    assert a == b
    docs = report["documents"]
    xs = {docs[n][ "id"]: x for n, x, _ in a["nodes"]}
    assert set(xs) == {"doc-a", "doc-b", "doc-c"}
    assert xs["doc-a"] < xs["doc-b"] < xs["doc-c"]  # doc-c is undated: the column at the right
    assert any(t[1] == "undated" for t in a["ticks"])
    assert len(a["edges"]) == 3


def test_graph_keeps_the_most_connected_documents(monkeypatch):
    monkeypatch.setattr(page_layout, "MAX_GRAPH_NODES", 5)
    docs = [{"id": f"d{i}", "source": f"Outlet {i % 3}", "published": f"2025-01-{i + 1:02d}", "claims": 2,
             "reused_claims": 1} for i in range(9)]
    edges = [{"source_doc": "d0", "target_doc": f"d{i}", "shared_claims": 1 + (i < 5),
              "relations": {"verbatim": 1}} for i in range(1, 9)]
    graph = page_data({"documents": docs, "clusters": [], "document_edges": edges})["graph"]
    assert graph["total"] == 9 and graph["shown"] == 5
    assert sorted(n for n, _, _ in graph["nodes"]) == [0, 1, 2, 3, 4]
    assert all(s in {0, 1, 2, 3, 4} and t in {0, 1, 2, 3, 4} for s, t, _, _ in graph["edges"])


def _label_boxes(graph: dict, docs: list[dict]) -> list[tuple[float, float, float, float]]:
    """Each drawn label's box as report.js draws it: 10 px text 9 px right of its dot, at most
    28 characters, about 6 px a character."""
    out = []
    for n, x, y in graph["nodes"]:
        label = docs[n].get("title") or docs[n]["id"]
        out.append((x + 9, y - 8, x + 9 + 6 * min(len(label), 28), y + 3))
    return out


@pytest.mark.parametrize("outlets", [1, 3])
def test_documents_of_one_day_keep_their_labels_apart(outlets):
    # A one-day story: every document published the same day, most by the same few outlets.
    docs = [{"id": f"d{i}", "title": f"Story number {i} of the day", "source": f"Outlet {i % outlets}",
             "published": "2025-06-01T09:00:00", "claims": 3, "reused_claims": 1} for i in range(14)]
    edges = [{"source_doc": "d0", "target_doc": f"d{i}", "shared_claims": 1, "relations": {"verbatim": 1}} for i in range(1, 14)]
    graph = page_data({"documents": docs, "clusters": [], "document_edges": edges})["graph"]
    assert graph["labels"] and len(graph["nodes"]) == 14
    boxes = _label_boxes(graph, docs)
    overlapping = [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :]
                   if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]]
    assert overlapping == []
    # Every dot inside its own lane, and the picture tall enough for all of them.
    lanes = graph["lanes"]
    for n, _, y in graph["nodes"]:
        lane = next(lane for lane in lanes if lane[1] <= y < lane[1] + lane[2])
        assert lane[0] == page_data({"documents": docs, "clusters": [], "document_edges": edges})["documents"][n]["outlet"]
    assert graph["height"] >= max(y for _, _, y in graph["nodes"]) + 10


def test_empty_report_renders():
    out = render_html({"documents": [], "clusters": [], "document_edges": []})
    data = _data_block(out)
    assert data["clusters"] == [] and data["graph"]["nodes"] == []


@pytest.mark.parametrize("bad", [{"reuse_share": 7.5}, {"reuse_share": "x"}, {"reuse_share": float("nan")}])
def test_share_is_clamped(bad):
    doc = {"id": "d", "source": None, "published": None, "claims": 1, "reused_claims": 1, **bad}
    data = page_data({"documents": [doc], "clusters": [], "document_edges": []})
    assert 0.0 <= data["documents"][0]["share"] <= 1.0


def test_chain_and_passages_are_carried_when_present(report):  # noqa: F811
    rpt = copy.deepcopy(report)
    rpt["clusters"][0]["chain"] = [
        {"from_doc": "doc-a", "to_doc": "doc-b", "gap_days": 1.0, "similarity": 1.0, "relation": "verbatim",
         "credit": "earlier", "credits": ["Wire Service"]},
        {"from_doc": "doc-b", "to_doc": "doc-c", "gap_days": None, "similarity": 0.83, "relation": "paraphrase",
         "credit": None, "credits": []},
        {"from_doc": "doc-b", "to_doc": "nowhere"},
    ]
    rpt["passages"] = [{"source_doc": "doc-a", "target_doc": "doc-b", "claims": 2, "relation": "verbatim",
                        "credited": False, "text": XSS_TEXT}]
    data = page_data(rpt)
    assert data["clusters"][0]["chain"] == [[0, 1, 1.0, 1.0, "verbatim", "earlier", ["Wire Service"], None],
                                            [1, 2, None, 0.83, "paraphrase", None, [], None]]
    assert "chain" not in data["clusters"][1]
    assert data["passages"] == [[0, 1, 2, "verbatim", False, XSS_TEXT]]
    rpt["clusters"][1]["hidden"] = "boilerplate"
    rpt["clusters"][0]["members"][1]["hidden"] = "same-outlet"
    data = page_data(rpt)
    assert data["clusters"][1]["hidden"] == "boilerplate" and "hidden" not in data["clusters"][0]
    assert [m[6] for m in data["clusters"][0]["m"]] == [None, "same-outlet", None]
    assert page_data(report)["passages"] == []


def test_minimal_schema_report_renders():
    # Only the schema's required fields; a member whose document is not listed still shows.
    rpt = {
        "documents": [{"id": "a", "source": None, "published": None, "claims": 2, "reused_claims": 1}],
        "clusters": [{"id": "c1", "origin": {"doc_id": "a", "claim_id": 1, "basis": "ingest-order"},
                      "members": [{"claim_id": 1, "doc_id": "a", "text": "One claim here.", "start": 0, "end": 15, "relation": "origin"},
                                  {"claim_id": 2, "doc_id": "b", "text": "One claim here!", "start": 3, "end": 18, "relation": "verbatim"}]}],
        "document_edges": [{"source_doc": "a", "target_doc": "b", "shared_claims": 1}],
    }
    data = _data_block(render_html(rpt))
    assert [d["id"] for d in data["documents"]] == ["a", "b"]
    assert data["clusters"][0]["m"][1][3] == [[SAME, "One claim here!"]]
    assert data["documents"][1]["spans"] == [[3, 18, 0, 1]]
    assert data["graph"]["edges"] == [[0, 1, 1, page_layout.PAGE_RELATIONS.index("paraphrase")]]


def test_summary_tiles_count_in_the_right_number():
    one = {"summary": {"documents": 2, "claims": 1, "clusters": 1, "reused_claims": 2, "document_edges": 1},
           "documents": [], "clusters": [], "document_edges": []}
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", render_html(one)))
    assert "2 documents" in text and "1 claim " in text and "1 cluster " in text and "1 document edge " in text
    assert "1 clusters" not in text and "1 claims" not in text

"""Renderers: every format from a small report dict, with hostile document content."""

from __future__ import annotations

import copy
import csv
import io
import json
import re
from pathlib import Path

import pytest

from provenance.errors import UsageProblem
from provenance.output import FORMATS as REPORT_FORMATS
from provenance.output import format_names as report_formats
from provenance.output import render_report
from provenance.output.data import CSV_COLUMNS
from provenance.output.trace_text import render_trace_text

SPEC_DIR = Path(__file__).resolve().parents[2] / "shared" / "spec"

XSS_TITLE = "<script>alert(1)</script>"
XSS_TEXT = 'The mayor said "><img src=x onerror=alert(1)> the bridge will reopen in May.'
PIPE_TEXT = "Exports rose 12% | imports fell 3% in the second quarter."
FORMULA_TEXT = "=HYPERLINK(\"http://evil.example\",\"click\") costs rose by 4%."
JOBS_TEXT = "The unemployment rate fell to 3.5% in March, the lowest level in five decades."


def _member(claim_id, doc_id, source, published, text, relation, sim=None, lex=None, diffs=None, title=None):
    return {
        "claim_id": claim_id,
        "doc_id": doc_id,
        "source": source,
        "title": title,
        "published": published,
        "text": text,
        "start": 0,
        "end": len(text),
        "similarity": sim,
        "lexical": lex,
        "relation": relation,
        "differences": diffs or [],
    }


@pytest.fixture()
def report() -> dict:
    documents = [
        {"id": "doc-a", "source": "Wire Service", "title": "Jobs report", "url": "https://wire.example/jobs",
         "published": "2026-03-01T08:00:00+00:00", "claims": 4, "reused_claims": 2, "reuse_share": 0.5},
        {"id": "doc-b", "source": "Daily <b>Paper</b>", "title": XSS_TITLE, "url": "javascript:alert(1)",
         "published": "2026-03-02", "claims": 3, "reused_claims": 3, "reuse_share": 1.0},
        {"id": "doc-c", "source": None, "title": None, "url": None,
         "published": None, "claims": 5, "reused_claims": 1, "reuse_share": 0.2},
    ]
    clusters = [
        {"id": 1, "size": 3, "documents": 3,
         "origin": {"doc_id": "doc-a", "claim_id": 10, "basis": "earliest-published"},
         "primary_source": {"name": "Bureau of Labor Statistics", "url": "https://bls.example/cps"},
         "members": [
             _member(10, "doc-a", "Wire Service", "2026-03-01T08:00:00+00:00", JOBS_TEXT, "origin", title="Jobs report"),
             _member(20, "doc-b", "Daily <b>Paper</b>", "2026-03-02", JOBS_TEXT, "verbatim", 1.0, 1.0, title=XSS_TITLE),
             _member(30, "doc-c", None, None, "Unemployment dropped to 4% in March, a five-decade low.",
                     "paraphrase", 0.8312, 0.41,
                     [{"kind": "number", "origin": "3.5%", "member": "4%"}]),
         ]},
        {"id": 2, "size": 2, "documents": 2,
         "origin": {"doc_id": "doc-b", "claim_id": 21, "basis": "ingest-order"},
         "primary_source": None,
         "members": [
             _member(21, "doc-b", "Daily <b>Paper</b>", "2026-03-02", XSS_TEXT, "origin", title=XSS_TITLE),
             _member(11, "doc-a", "Wire Service", "2026-03-03", XSS_TEXT.replace("May", "June"),
                     "near-verbatim", 0.97, 0.95,
                     [{"kind": "entity", "origin": "May", "member": "June"}]),
         ]},
        {"id": 3, "size": 2, "documents": 2,
         "origin": {"doc_id": "doc-a", "claim_id": 12, "basis": "earliest-published"},
         "primary_source": {"name": None, "url": "javascript:alert(2)"},
         "members": [
             _member(12, "doc-a", "Wire Service", "2026-03-01T08:00:00+00:00", PIPE_TEXT, "origin"),
             _member(22, "doc-b", "-cmd|' /C calc'!A0", "2026-03-02", FORMULA_TEXT, "paraphrase", 0.71, 0.2),
         ]},
    ]
    edges = [
        {"source_doc": "doc-a", "target_doc": "doc-b", "shared_claims": 2,
         "relations": {"verbatim": 1, "near-verbatim": 0, "paraphrase": 1}},
        {"source_doc": "doc-b", "target_doc": "doc-a", "shared_claims": 1,
         "relations": {"verbatim": 0, "near-verbatim": 1, "paraphrase": 0}},
        {"source_doc": "doc-a", "target_doc": "doc-c", "shared_claims": 1,
         "relations": {"verbatim": 0, "near-verbatim": 0, "paraphrase": 1}},
    ]
    return {
        "provenance_version": "0.1.0",
        "generated_at": "2026-11-23T09:30:00+00:00",
        "store": {"path": "indexes/test", "model": "all-MiniLM-L6-v2", "dimension": 384, "schema_version": 1},
        "summary": {"documents": 3, "claims": 12, "clusters": 3, "reused_claims": 6, "document_edges": 3},
        "documents": documents,
        "clusters": clusters,
        "document_edges": edges,
    }


def test_registry_and_formats():
    assert report_formats() == sorted(REPORT_FORMATS) == [
        "csv", "gexf", "graphml", "html", "json", "jsonld", "md", "text"]


def test_unknown_format_raises_usage_problem(report):
    with pytest.raises(UsageProblem) as info:
        render_report(report, "pdf")
    message = str(info.value)
    assert "pdf" in message
    for fmt in report_formats():
        assert fmt in message
    assert info.value.exit_code == 2


def test_every_format_ends_with_one_newline(report):
    for fmt in report_formats():
        out = render_report(report, fmt)
        assert out.endswith("\n") and not out.endswith("\n\n"), fmt


def test_json_parses_keeps_order_and_validates(report):
    out = render_report(report, "json")
    assert out.endswith("\n")
    assert '\n  "provenance_version": "0.1.0"' in out  # indented
    data = json.loads(out)
    assert data == report
    assert list(data) == list(report)
    schema_path = SPEC_DIR / "report.schema.json"
    if not schema_path.exists():
        pytest.skip("shared spec not found")
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(schema_path.read_text())
    jsonschema.validate(data, schema)


def test_markdown(report):
    out = render_report(report, "md")
    assert out.startswith("# ")
    # summary figures
    assert "- Clusters: 3" in out and "- Reused claims: 6" in out
    # documents table header and each cluster section
    assert "| document | url or path | source | published | claims | reused | share | credited claims | id |" in out
    assert "| Jobs report | <https://wire.example/jobs> | Wire Service |" in out  # a document by its name
    for cid in (1, 2, 3):
        assert f"### Cluster {cid}:" in out
    # origin texts (plain ones verbatim; hostile ones with their markup escaped)
    assert JOBS_TEXT in out
    assert "Exports rose 12% \\| imports fell 3%" in out
    assert 'The mayor said "\\>' not in out  # only < is escaped, > is harmless
    assert '"&gt;' not in out
    assert 'The mayor said ">\\<img src=x onerror=alert(1)> the bridge' in out
    # no raw HTML survives in the markdown
    assert not re.search(r"(?<!\\)<(?!https://)[a-zA-Z/!?]", out)
    assert "\\<script>alert(1)\\</script>" in out
    # member rows: similarity to two decimals, differences shown
    assert "| paraphrase | 0.83 |" in out
    assert "number: 3.5% → 4%" in out
    # every table row keeps the same number of unescaped cell separators
    for block in re.findall(r"((?:^\|.*\|\n)+)", out, flags=re.M):
        rows = block.strip("\n").split("\n")
        counts = {len(re.findall(r"(?<!\\)\|", r)) for r in rows}
        assert len(counts) == 1, rows
    # http links become autolinks, javascript: does not
    assert "<https://bls.example/cps>" in out
    assert "(javascript:" not in out and "<javascript:" not in out
    assert "## Document edges" in out


def test_markdown_cells_have_no_newlines():
    text = "line one\nline two | three\r\nfour"
    rpt = {
        "documents": [{"id": "x\ny", "source": "a|b", "published": None, "claims": 1, "reused_claims": 1}],
        "clusters": [{"id": 1, "origin": {"doc_id": "x\ny", "claim_id": 1, "basis": "ingest-order"},
                      "members": [_member(1, "x\ny", "a|b", None, text, "origin"),
                                  _member(2, "z", None, None, text, "verbatim", 1.0, 1.0)]}],
        "document_edges": [],
    }
    out = render_report(rpt, "md")
    assert "line one line two \\| three four" in out
    assert "x y" in out and "a\\|b" in out


def test_csv(report):
    out = render_report(report, "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0].keys()) == CSV_COLUMNS
    assert CSV_COLUMNS[:12] == [
        "cluster_id", "origin_doc", "origin_claim", "origin_published", "member_doc", "member_claim",
        "member_published", "relation", "similarity", "lexical", "origin_text", "member_text",
    ]  # the pair columns keep their places; the credit columns follow
    assert {r["row"] for r in rows} == {"reuse"}
    # one row per (origin, other member) pair: 2 + 1 + 1
    assert len(rows) == sum(len(c["members"]) - 1 for c in report["clusters"]) == 4
    first = rows[0]
    assert first["cluster_id"] == "1" and first["origin_doc"] == "doc-a" and first["member_doc"] == "doc-b"
    assert first["relation"] == "verbatim" and first["origin_text"] == JOBS_TEXT
    assert float(rows[1]["similarity"]) == pytest.approx(0.8312)
    assert rows[0]["member_published"] == "2026-03-02" and rows[1]["member_published"] == ""
    # text with quotes, commas and pipes survives the round trip
    assert rows[2]["origin_text"] == XSS_TEXT
    assert rows[3]["origin_text"] == PIPE_TEXT
    # formula injection neutralised
    assert rows[3]["member_text"] == "'" + FORMULA_TEXT
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "@")), value
            assert not value.startswith("-") or re.fullmatch(r"-\d+(\.\d+)?", value), value


def test_csv_guards_every_text_cell():
    rpt = {
        "documents": [],
        "clusters": [{"id": "@c", "origin": {"doc_id": "+d", "claim_id": "-1", "basis": "x"},
                      "members": [_member("-1", "+d", None, "=now()", "@SUM(A1)", "origin"),
                                  _member(2, "-e", None, None, "+1+1", "paraphrase", -0.1, 0.0)]}],
        "document_edges": [],
    }
    row = next(csv.DictReader(io.StringIO(render_report(rpt, "csv"))))
    assert row["cluster_id"] == "'@c"
    assert row["origin_doc"] == "'+d" and row["origin_claim"] == "'-1"
    assert row["origin_published"] == "'=now()" and row["origin_text"] == "'@SUM(A1)"
    assert row["member_doc"] == "'-e" and row["member_text"] == "'+1+1"
    assert row["similarity"] == "-0.1"  # numbers we computed stay numbers


# The HTML page has its own tests: tests/test_output_page.py and tests/test_browser.py.


def test_text_summary_is_plain(report):
    out = render_report(report, "text")
    assert "\x1b" not in out
    assert "3 documents" in out and "12 claims" in out and "3 clusters" in out and "6 reused claims" in out
    assert "Top clusters" in out
    assert "#1" in out and "Wire Service" in out and "2026-03-01" in out
    assert "1 verbatim, 1 paraphrase" in out
    assert "The unemployment rate fell to 3.5%" in out
    assert "more clusters" not in out
    assert all(len(line) <= 100 for line in out.splitlines())


def test_text_truncates_long_lists_and_control_characters(report):
    many = copy.deepcopy(report)
    base = many["clusters"][0]
    many["clusters"] = []
    for i in range(14):
        c = copy.deepcopy(base)
        c["id"] = 100 + i
        c["members"][0]["text"] = f"Claim {i} \x1b[31mred\x1b[0m " + "word " * 60
        many["clusters"].append(c)
    out = REPORT_FORMATS["text"](many)
    assert "... and 4 more clusters (use --format md or html for all)" in out
    assert "\x1b" not in out
    assert len(out.splitlines()) < 60
    narrow = render_report(many, "text")
    assert narrow == out
    from provenance.output.text import render_text

    assert all(len(line) <= 60 for line in render_text(many, width=60).splitlines())


def test_trace_text_with_origin():
    result = {
        "id": None,
        "query": "Unemployment fell to 3.5% in March.",
        "query_claims": ["Unemployment fell to 3.5% in March."],
        "matches": [
            {"claim_id": 10, "doc_id": "doc-a", "source": "Wire Service", "title": "Jobs", "published": "2026-03-01T08:00:00+00:00",
             "text": JOBS_TEXT, "start": 0, "end": 80, "similarity": 0.9312, "lexical": 0.7,
             "relation": "near-verbatim", "cluster_id": 1},
            {"claim_id": 20, "doc_id": "doc-b", "source": None, "title": None, "published": None,
             "text": "Daily \x1b]0;pwned\x07 paper text", "start": 0, "end": 20, "similarity": 0.9, "lexical": 0.6,
             "relation": "paraphrase", "cluster_id": 1},
            {"claim_id": 40, "doc_id": "doc-d", "source": "Blog", "title": None, "published": "2025-01-01",
             "text": "Something loosely related.", "start": 0, "end": 26, "similarity": 0.512, "lexical": 0.1,
             "relation": "related", "cluster_id": None},
        ],
        "origin": {"doc_id": "doc-a", "claim_id": 10, "basis": "earliest-published", "source": "Wire Service",
                   "published": "2026-03-01T08:00:00+00:00", "text": JOBS_TEXT},
        "primary_source": {"name": "Bureau of Labor Statistics", "url": "https://bls.example/cps"},
        "cluster_id": 1,
    }
    out = render_trace_text(result)
    assert "Unemployment fell to 3.5% in March." in out
    assert "Origin: Wire Service, 2026-03-01T08:00:00+00:00 (doc doc-a, basis: earliest-published)" in out
    assert "Primary source: Bureau of Labor Statistics <https://bls.example/cps>" in out
    assert " 1. near-verbatim" in out and "0.93" in out
    assert " 2. paraphrase" in out and "unknown source, undated" in out
    assert "--- related ---" in out
    assert out.index("--- related ---") < out.index(" 3. related")
    assert "0.51" in out
    assert "\x1b" not in out and "\x07" not in out
    assert "No match in the store." not in out


def test_trace_text_empty():
    out = render_trace_text({"id": "q7", "query": "Nothing like this.", "query_claims": ["Nothing like this."],
                             "matches": [], "origin": None, "primary_source": None, "cluster_id": None})
    assert "Nothing like this." in out and "q7" in out
    assert "No match in the store." in out
    assert out.endswith("\n")


def test_trace_text_without_origin():
    out = render_trace_text({"query": "q", "matches": [
        {"claim_id": 1, "doc_id": "d", "text": "t", "similarity": 0.4, "relation": "related"}], "origin": None})
    assert "Origin: not traced" in out
    assert "No close match; related claims only." in out
    assert " 1. related" in out


def test_trace_text_chain_starts_at_the_origin_and_follows_its_cluster_in_time_order():
    def match(doc, source, published, relation="verbatim", cluster=7):
        return {"doc_id": doc, "source": source, "published": published, "relation": relation,
                "similarity": 0.9, "text": "A claim.", "cluster_id": cluster}

    result = {
        "query": "A claim.", "cluster_id": 7,
        "origin": {"doc_id": "a", "source": "Ledger", "published": "2025-03-03T06:00:00-05:00", "basis": "earliest-published"},
        "matches": [match("c", "Gazette", None), match("b", "Wire", "2025-03-05"),
                    match("a", "Ledger", "2025-03-03T06:00:00-05:00"), match("d", "Other", "2025-03-01", cluster=9),
                    match("e", "Blog", "2025-02-01", relation="related")],
    }
    out = render_trace_text(result, width=200)
    assert "Chain from the origin: Ledger (2025-03-03) → Wire (2025-03-05) → Gazette (undated)" in out
    # The origin leads even when --top left it out of the matches.
    without = {**result, "matches": result["matches"][:2]}
    assert "Chain from the origin: Ledger (2025-03-03) → Wire (2025-03-05) → Gazette (undated)" in render_trace_text(without, width=200)
    only_origin = {**result, "matches": [result["matches"][2]]}
    assert "Chain" not in render_trace_text(only_origin)
    assert "Chain" not in render_trace_text({**result, "origin": None})

"""The HTML report in a real browser: headless Chromium (Debian package ``chromium``).

Skipped where no Chromium is installed, except under CI (``CI=true``), where that is a failure:
``.ci/run`` installs it. Screenshots go to ``$PROVENANCE_TEST_ARTIFACTS`` when set (else the
test's temporary folder).
"""

from __future__ import annotations

import http.server
import json
import os
import threading
from pathlib import Path

import pytest

from provenance.output.page import render_html
from provenance.pipeline import index_paths
from provenance.report import build_report
from provenance.store import Store

from . import browser
from .conftest import SAMPLES
from .test_output import XSS_TEXT, report  # noqa: F401 - fixture

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def chromium() -> str:
    binary = browser.find_chromium()
    if binary is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is not installed; .ci/run installs it with apt-get install chromium")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return binary


def _artifact(tmp_path: Path, name: str) -> Path:
    folder = os.environ.get("PROVENANCE_TEST_ARTIFACTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        return Path(folder) / name
    return tmp_path / name


def _html_report(store_path: Path, out: Path) -> dict:
    with Store.open(store_path) as store:
        report = build_report(store, include_text=True)
    out.write_text(render_html(report), encoding="utf-8")
    return report


def _check_drawn(page: browser.Page, report: dict) -> browser._Collector:
    doc = browser.parse(page.dom)
    body = next(e for e in doc.elements if e.tag == "body")
    assert body.attrs.get("data-ready") == "1", "the page's script did not finish"
    clusters = browser.by_class(doc, "section", "cluster")
    assert len(clusters) == min(len(report["clusters"]), 50)
    shown_ids = [c.attrs.get("data-cluster") for c in clusters]
    assert shown_ids == [str(c["id"]) for c in report["clusters"][:50]]
    # Every witness of the first cluster side by side, each with its document's outlet.
    first = report["clusters"][0]
    witnesses = [e for e in doc.elements if e.tag == "div" and "witness" in (e.attrs.get("class") or "").split()]
    assert len(witnesses) >= len(first["members"])
    # The graph: one dot per document in reuse, one arrow per document edge.
    in_edges = {e["source_doc"] for e in report["document_edges"]} | {e["target_doc"] for e in report["document_edges"]}
    nodes = browser.by_class(doc, "circle", "node")
    assert len(nodes) == len(in_edges) > 0
    assert len(browser.by_class(doc, "path", "edge")) == len(report["document_edges"])
    # The per-document view shows the most reused document with its reused spans marked.
    marks = [e for e in doc.elements if e.tag == "mark"]
    assert marks, "no reused span highlighted in the document view"
    if any(c.get("chain") for c in report["clusters"][:50]):
        assert browser.by_class(doc, "div", "chain"), "witness chains not drawn"
    return doc


@pytest.mark.model
def test_sample_corpus_report_in_chromium(chromium: str, tmp_path: Path) -> None:
    store = tmp_path / "store"
    summary = index_paths(store, [str(SAMPLES / "corpus")])
    assert not summary.rejected
    html = tmp_path / "report.html"
    report = _html_report(store, html)
    assert report["clusters"], "the sample corpus has reuse"
    shot = _artifact(tmp_path, "sample-report.png")
    page = browser.load(html, screenshot=shot, binary=chromium)
    doc = _check_drawn(page, report)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
    # The origin text of the widest cluster is on the page, inside a witness.
    origin_text = report["clusters"][0]["members"][0]["text"]
    assert any(origin_text in e.text for e in doc.elements if e.tag == "div" and "wtext" in (e.attrs.get("class") or ""))


class _Canary(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        type(self).hits.append(self.path)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def canary():
    _Canary.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Canary)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def test_hostile_documents_run_nothing_and_fetch_nothing(chromium: str, tmp_path: Path, canary: int) -> None:
    base = f"http://127.0.0.1:{canary}"
    script = '<script>document.title="PWNED-SCRIPT";window.pwned=1</script>'
    img = '"><img src=x onerror="document.title=\'PWNED-IMG\'">'
    fetch = f'<img src="{base}/img.png"><link rel="stylesheet" href="{base}/style.css"><iframe src="{base}/frame"></iframe>'
    sentence = f"The harbour tank leaked {script} forty thousand gallons {img} over nine days {fetch} in February."
    second = "Inspectors found rust on three other tanks at the terminal during the March visit."
    docs = [
        {"id": "evil-<b>1</b>", "source": '<img src=x onerror="document.title=\'PWNED-SOURCE\'">',
         "title": script, "url": "javascript:document.title='PWNED-URL'", "published": "2025-03-01",
         "text": f"{sentence}\n{second}"},
        {"id": "copy-2", "source": "Copy Desk </script><script>document.title='PWNED-CLOSE'</script>",
         "title": f"{img} copy", "url": f"{base}/article", "published": "2025-03-02",
         "text": f"{sentence}\n{second}\nAn unrelated closing line about the weather on the coast today."},
    ]
    corpus = tmp_path / "hostile.jsonl"
    corpus.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    store = tmp_path / "store"
    summary = index_paths(store, [str(corpus)], model="hashing")
    assert not summary.rejected
    html = tmp_path / "hostile.html"
    report = _html_report(store, html)
    assert report["clusters"], "the copied sentences form a cluster"

    page = browser.load(html, screenshot=_artifact(tmp_path, "hostile-report.png"), binary=chromium)
    doc = _check_drawn(page, report)
    # Nothing the documents carry ran: the title is ours, and no handler or element came in.
    assert doc.title.startswith("Provenance report"), doc.title
    assert "PWNED" not in doc.title
    assert not [e for e in doc.elements if e.tag in ("img", "iframe", "link", "object", "embed")]
    assert not [(e.tag, k) for e in doc.elements for k in e.attrs if k.lower().startswith("on")]
    scripts = [e for e in doc.elements if e.tag == "script"]
    assert len(scripts) == 2  # the data block and the page's own script, nothing injected
    # The payloads are shown as text.
    assert "document.title=\"PWNED-SCRIPT\"" in page.dom.replace("&quot;", '"')
    # Only http(s) URLs become links; javascript: stays text.
    hrefs = [e.attrs.get("href") or "" for e in doc.elements if e.tag == "a"]
    assert not [h for h in hrefs if h.lower().startswith("javascript")]
    shown_raw = [e.text for e in browser.by_class(doc, "span", "rawurl")]
    assert "javascript:document.title='PWNED-URL'" in shown_raw
    # Fetches nothing: the canary server saw no request, and Chromium's own log names no URL
    # of the report (its own background services aside, nothing but the file itself).
    assert _Canary.hits == []
    assert not [u for u in page.requests if u.startswith(base) or "127.0.0.1" in u]
    assert not [e for e in doc.elements if e.tag != "a" and any(
        (e.attrs.get(k) or "").lower().startswith(("http:", "https:", "//")) for k in ("src", "href", "srcset", "data", "poster"))]
    csp = [e for e in doc.elements if e.tag == "meta" and (e.attrs.get("http-equiv") or "").lower() == "content-security-policy"]
    assert csp and "default-src 'none'" in csp[0].attrs["content"]
    assert "'unsafe-inline'" not in csp[0].attrs["content"].split("script-src", 1)[1].split(";")[0]


def test_chains_passages_and_credited_sources_are_drawn(chromium: str, tmp_path: Path, report) -> None:  # noqa: F811
    # A report as issue 3's lineage fills it: witness chains, passages and primary sources.
    report["clusters"][0]["chain"] = [
        {"from_doc": "doc-a", "to_doc": "doc-b", "gap_days": 1.0, "similarity": 1.0, "relation": "verbatim",
         "credit": "earlier", "credits": ["<img src=x onerror=alert(3)>"]},
        {"from_doc": "doc-b", "to_doc": "doc-c", "gap_days": None, "similarity": 0.83, "relation": "paraphrase",
         "credit": "none"},
    ]
    report["passages"] = [{"source_doc": "doc-b", "target_doc": "doc-a", "claims": 2, "relation": "near-verbatim",
                           "credited": False, "text": XSS_TEXT}]
    for d in report["documents"]:
        d["text"] = "Intro line. " + " ".join(m["text"] for c in report["clusters"] for m in c["members"] if m["doc_id"] == d["id"])
    html = tmp_path / "fixture.html"
    html.write_text(render_html(report), encoding="utf-8")
    # A shared link to one document opens it in the document view.
    page = browser.load(html, binary=chromium, fragment="doc=doc-c")
    doc = browser.parse(page.dom)
    meta = next(e for e in doc.elements if e.attrs.get("id") == "docmeta")
    assert "doc-c" in meta.text
    chain = browser.by_class(doc, "div", "chain")
    assert len(chain) == 1
    items = [e.text for e in doc.elements if e.tag == "li"]
    assert any("credits <img src=x onerror=alert(3)>" in t for t in items)
    assert any("uncredited" in t for t in items)
    # Uncredited reuse stands out; crediting links do not.
    assert [e.text for e in browser.by_class(doc, "span", "uncredited")] == ["uncredited"]
    assert [e.text for e in browser.by_class(doc, "span", "credited")] == ["credits <img src=x onerror=alert(3)>"]
    passage_rows = [e for e in doc.elements if e.tag == "td" and XSS_TEXT[:40] in e.text]
    assert passage_rows, "passage table not drawn"
    credited = [e.text for e in doc.elements if e.tag == "div" and e.attrs.get("id") == "credited"]
    assert "Bureau of Labor Statistics" in credited[0]
    assert not [e for e in doc.elements if e.tag == "img"]
    assert "PWNED" not in doc.title and doc.title.startswith("Provenance report")


def test_search_link_filters_clusters_documents_and_graph(chromium: str, tmp_path: Path, report) -> None:  # noqa: F811
    html = tmp_path / "fixture.html"
    html.write_text(render_html(report), encoding="utf-8")
    doc = browser.parse(browser.load(html, binary=chromium, fragment="search=exports%20rose").dom)
    shown = [e.attrs.get("data-cluster") for e in browser.by_class(doc, "section", "cluster")]
    assert shown == ["3"]
    status = next(e for e in doc.elements if e.attrs.get("id") == "f-status")
    assert status.text == "1 of 3 clusters match"
    # The graph lights the documents of the matching cluster (doc-a, doc-b) and dims the rest.
    dimmed = [e.attrs["data-doc"] for e in browser.by_class(doc, "circle", "node") if "dim" in e.attrs["class"].split()]
    assert dimmed == ["2"]
    lit_edges = [e for e in browser.by_class(doc, "path", "edge") if "dim" not in e.attrs["class"].split()]
    assert {(e.attrs["data-s"], e.attrs["data-t"]) for e in lit_edges} == {("0", "1"), ("1", "0")}


def test_the_passages_table_follows_the_search_box(chromium: str, tmp_path: Path, report) -> None:  # noqa: F811
    report["passages"] = [
        {"source_doc": "doc-a", "target_doc": "doc-b", "claims": 2, "relation": "verbatim", "credited": False,
         "text": "Exports rose by a tenth in the first quarter, the ministry said."},
        {"source_doc": "doc-a", "target_doc": "doc-c", "claims": 3, "relation": "paraphrase", "credited": True,
         "text": "The harbour stayed closed for a week after the storm."},
    ]
    html = tmp_path / "fixture.html"
    html.write_text(render_html(report), encoding="utf-8")

    def passages(fragment: str) -> tuple[list[str], str]:
        doc = browser.parse(browser.load(html, binary=chromium, fragment=fragment).dom)
        texts = [p["text"] for p in report["passages"]]
        rows = [t for t in texts if any(t in e.text for e in doc.elements if e.tag == "tr")]
        heading = next(e.text for e in doc.elements if e.tag == "h3" and e.text.startswith("Passages"))
        return rows, heading

    rows, heading = passages("")
    assert len(rows) == 2 and heading.endswith("(2)")
    rows, heading = passages("search=harbour%20stayed")
    assert rows == ["The harbour stayed closed for a week after the storm."]
    assert heading.endswith("(1 of 2)")
    rows, heading = passages("search=nothing%20like%20this")
    assert rows == [] and heading.endswith("(0 of 2)")

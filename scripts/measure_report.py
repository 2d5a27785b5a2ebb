#!/usr/bin/env python3
"""Measure the HTML report on a large store: page size, build and render time, and how long
headless Chromium takes to load and draw it.

usage: scripts/measure_report.py STORE [--out DIR] [--runs N]

Build a store of the 3,788 news articles first, e.g. (the hashing embedder indexes in minutes
where the real model takes much longer on two cores; it finds verbatim and near-verbatim reuse,
which is what fills the report):

    python ../shared/benchmarks/news-articles/get.py /tmp/news.jsonl
    provenance --store /tmp/news-store index /tmp/news.jsonl --model hashing --json
    python scripts/measure_report.py /tmp/news-store --out /tmp/news-report

"drawn" is the page's own clock (performance.now() when its script finished drawing, measured
from navigation start: parsing the HTML and the embedded JSON included); "browser run" is the
wall time of the whole headless Chromium process (start-up and shutdown included).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from provenance.output.page import render_html  # noqa: E402
from provenance.report import build_report  # noqa: E402
from provenance.store import Store  # noqa: E402
from tests import browser  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("store")
    ap.add_argument("--out", default="/tmp/provenance-report-measure")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--search", default="president", help="a word to search for (default: president)")
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    t = time.perf_counter()
    with Store.open(args.store) as store:
        report = build_report(store, include_text=True)
    t_build = time.perf_counter() - t
    t = time.perf_counter()
    html = render_html(report)
    t_render = time.perf_counter() - t
    page = out / "report.html"
    page.write_text(html, encoding="utf-8")
    size = page.stat().st_size

    drawn, walls = [], []
    for i in range(args.runs):
        loaded = browser.load(page, budget_ms=60_000, timeout=300,
                              screenshot=out / "report.png" if i == 0 else None)
        doc = browser.parse(loaded.dom)
        body = next(e for e in doc.elements if e.tag == "body")
        if body.attrs.get("data-ready") != "1":
            print("the page did not finish drawing", file=sys.stderr)
            return 1
        drawn.append(float(body.attrs["data-drawn-ms"]))
        walls.append(loaded.seconds)
        clusters_shown = len(browser.by_class(doc, "section", "cluster"))
        nodes = len(browser.by_class(doc, "circle", "node"))

    # A search over every cluster's and document's words, as a reader types one (a #search= link
    # runs the same filter at load).
    searched = browser.parse(browser.load(page, budget_ms=60_000, timeout=300, fragment=f"search={args.search}").dom)
    sbody = next(e for e in searched.elements if e.tag == "body")
    status = next((e.text for e in searched.elements if e.attrs.get("id") == "f-status"), "")
    filter_ms = float(sbody.attrs.get("data-filter-ms", "nan"))

    s = report["summary"]
    print(f"store: {args.store} ({report['store']['model']})")
    print(f"report: {s['documents']} documents, {s['claims']} claims, {s['clusters']} clusters, "
          f"{s['document_edges']} document edges")
    print(f"build_report: {t_build:.1f} s; render_html: {t_render:.1f} s")
    print(f"page: {size / 1e6:.1f} MB ({page})")
    print(f"drawn (page clock, median of {args.runs}): {statistics.median(drawn) / 1000:.2f} s "
          f"[{', '.join(f'{d / 1000:.2f}' for d in drawn)}]")
    print(f"browser run (wall, median): {statistics.median(walls):.1f} s")
    print(f"first page shows {clusters_shown} clusters; graph draws {nodes} documents")
    print(f"search {args.search!r}: {status}, redrawn in {filter_ms / 1000:.2f} s")
    print(f"screenshot: {out / 'report.png'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

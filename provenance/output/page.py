"""The HTML report: one self-contained page a journalist opens in a browser.

Python prepares everything that needs thought (word alignment of each witness against its
cluster's origin, the reuse graph's layout, the reused spans of each document) and embeds it as
JSON; a small inline script draws the page from it and filters, searches and paginates without
a server. Every value from a document is untrusted: the template autoescapes, the JSON is
escaped so no ``</script>`` or ``<!--`` can end its block, the script builds the page with
``textContent`` only, links are made only from http(s) URLs, and a Content-Security-Policy lets
nothing but the page's own script (pinned by its SHA-256) run and nothing be fetched.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections import Counter, defaultdict
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import orjson

from ..records import ORIGIN
from ..records import RELATIONS as REUSE_RELATIONS
from .page_align import align_words, origin_segments

__all__ = ["render_html", "page_data", "graph_layout", "embed_json"]

_TEMPLATES = Path(__file__).resolve().parent / "templates"
# The origin first, then the reuse relations: the page refers to them by index.
RELATIONS = (ORIGIN, *REUSE_RELATIONS)
# How much of the reuse graph is drawn: past this many documents the page shows the most
# connected ones (and says so); every document stays reachable from the lists.
MAX_GRAPH_NODES = 250
MAX_GRAPH_LANES = 12
CLUSTERS_PER_PAGE = 50

# --------------------------------------------------------------------------------------------
# the reuse graph's layout: time runs left to right, one lane per outlet


def _day(value: Any) -> str:
    text = value if isinstance(value, str) else ""
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})", text)
    if not m:
        return ""
    try:
        date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return ""
    return m[0]


def graph_layout(documents: list[dict], edges: list[dict], outlet_of: dict[str, int]) -> dict:
    """Place the documents that take part in reuse: x by publication day (undated ones in a
    column at the right), y by outlet lane, documents of one lane and day stacked. Deterministic:
    the same report always draws the same picture."""
    doc_index = {d["id"]: i for i, d in enumerate(documents)}
    degree: Counter[int] = Counter()
    pairs = []
    for e in edges:
        s, t = doc_index.get(e.get("source_doc")), doc_index.get(e.get("target_doc"))
        if s is None or t is None or s == t:
            continue
        w = int(e.get("shared_claims") or 1)
        rels = e.get("relations") or {}
        top = max(RELATIONS[1:], key=lambda r: (rels.get(r) or 0, -RELATIONS.index(r)))
        pairs.append((s, t, w, RELATIONS.index(top) if rels.get(top) else 3))
        degree[s] += w
        degree[t] += w
    total = len(degree)
    keep = {n for n, _ in sorted(degree.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_GRAPH_NODES]}
    pairs = [p for p in pairs if p[0] in keep and p[1] in keep]

    # Lanes: the outlets with most drawn documents, then one lane for all the others.
    lane_count: Counter[int] = Counter(outlet_of.get(documents[n].get("source") or "", -1) for n in keep)
    lane_outlets = [o for o, _ in sorted(lane_count.items(), key=lambda kv: (-kv[1], kv[0]))]
    if len(lane_outlets) > MAX_GRAPH_LANES:
        lane_outlets = lane_outlets[: MAX_GRAPH_LANES - 1] + [-2]
    lane_of_outlet = {o: i for i, o in enumerate(lane_outlets)}
    other_lane = lane_of_outlet.get(-2)

    def lane(n: int) -> int:
        o = outlet_of.get(documents[n].get("source") or "", -1)
        return lane_of_outlet.get(o, other_lane if other_lane is not None else 0)

    days = sorted({_day(documents[n].get("published")) for n in keep} - {""})
    day_rank = {d: i for i, d in enumerate(days)}
    # Small graphs carry a label beside each dot; leave room for the rightmost ones.
    labels = len(keep) <= 40
    width, left, right = 1100, 150, 170 if labels else 40
    undated_col = 120 if any(not _day(documents[n].get("published")) for n in keep) else 0
    span = width - left - right - undated_col

    def x_of(n: int) -> float:
        d = _day(documents[n].get("published"))
        if not d:
            return width - right - undated_col / 2
        if len(days) == 1:
            return left + span / 2
        return left + span * day_rank[d] / (len(days) - 1)

    cells: dict[tuple[int, float], list[int]] = defaultdict(list)
    for n in sorted(keep):
        cells[(lane(n), x_of(n))].append(n)
    stack = max((len(v) for v in cells.values()), default=1)
    rows = min(stack, 5)
    lane_h = 22 + 14 * rows
    top = 30
    nodes = []
    for (ln, x), members in sorted(cells.items()):
        for k, n in enumerate(members):
            # Past five in one cell, nudge sideways so every node stays visible.
            dx = (k // rows) * 9
            y = top + ln * lane_h + 14 + (k % rows) * 14
            nodes.append([n, round(x + dx, 1), round(y, 1)])
    nodes.sort()
    lanes = []
    for i, o in enumerate(lane_outlets):
        lanes.append([o, top + i * lane_h, lane_h])
    ticks = []
    if days:
        step = max(1, len(days) // 8)
        for i in range(0, len(days), step):
            ticks.append([round(left + (span * i / (len(days) - 1) if len(days) > 1 else span / 2), 1), days[i]])
    if undated_col:
        ticks.append([round(width - right - undated_col / 2, 1), "undated"])
    return {
        "width": width,
        "height": top + max(len(lanes), 1) * lane_h + 10,
        "nodes": nodes,
        "edges": [list(p) for p in pairs],
        "lanes": lanes,
        "ticks": ticks,
        "labels": labels,
        "shown": len(keep),
        "total": total,
    }


# --------------------------------------------------------------------------------------------
# the data the page draws from


def _num(value: Any) -> float | None:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return None if out != out else round(out, 3)


def _share(doc: dict) -> float:
    share = _num(doc.get("reuse_share"))
    if share is None:
        claims = doc.get("claims") or 0
        share = (doc.get("reused_claims") or 0) / claims if claims else 0.0
    return min(max(share, 0.0), 1.0)


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


def _differences(member: dict) -> list[list[str]]:
    out = []
    for d in member.get("differences") or []:
        if isinstance(d, dict):
            out.append([str(d.get("kind") or "change"), str(d.get("origin") or ""), str(d.get("member") or "")])
    return out


def _chain(cluster: dict, doc_index: dict) -> list[list]:
    """The witness chain, when the report carries one (members in time order, each link with
    its gap, similarity, relation and whom the later document credits)."""
    out = []
    for link in cluster.get("chain") or []:
        if not isinstance(link, dict):
            continue
        a, b = doc_index.get(link.get("from_doc")), doc_index.get(link.get("to_doc"))
        if a is None or b is None:
            continue
        credits = [str(n) for n in link.get("credits") or [] if n is not None]
        out.append([a, b, _num(link.get("gap_days")), _num(link.get("similarity")),
                    _str(link.get("relation")), _str(link.get("credit")), credits])
    return out


def _passages(report: dict, doc_index: dict) -> list[list]:
    """Consecutive reused claims merged into passages, when the report carries them."""
    out = []
    for p in report.get("passages") or []:
        if not isinstance(p, dict):
            continue
        a, b = doc_index.get(p.get("source_doc")), doc_index.get(p.get("target_doc"))
        if a is None or b is None:
            continue
        out.append([a, b, int(p.get("claims") or 0), _str(p.get("relation")), bool(p.get("credited")),
                    _str(p.get("text")) or ""])
    return out


def page_data(report: dict) -> dict:
    """Everything the page's script draws, in compact arrays (documents and relations by index)."""
    documents = [d for d in report.get("documents") or [] if isinstance(d, dict)]
    clusters = [c for c in report.get("clusters") or [] if isinstance(c, dict)]
    edges = [e for e in report.get("document_edges") or [] if isinstance(e, dict)]

    # Documents named only by members (a report without them in "documents") still get an entry.
    known = {d.get("id") for d in documents}
    for c in clusters:
        for m in c.get("members") or []:
            if m.get("doc_id") not in known:
                known.add(m.get("doc_id"))
                documents.append({"id": m.get("doc_id"), "source": m.get("source"), "title": m.get("title"),
                                  "published": m.get("published"), "claims": 0, "reused_claims": 0})
    doc_index = {d.get("id"): i for i, d in enumerate(documents)}

    outlet_docs = Counter(d.get("source") or "" for d in documents)
    outlets = [o for o, _ in sorted(outlet_docs.items(), key=lambda kv: (-kv[1], kv[0]))]
    outlet_of = {o: i for i, o in enumerate(outlets)}

    spans: dict[int, list[list[int]]] = defaultdict(list)
    out_clusters = []
    credited: dict[str, dict] = {}
    for ci, c in enumerate(clusters):
        members = [m for m in c.get("members") or [] if isinstance(m, dict)]
        if not members:
            continue
        origin = next((m for m in members if m.get("relation") == "origin"), members[0])
        origin_text = str(origin.get("text") or "")
        kept_any: set[int] = set()
        rows = []
        for m in members:
            rel = m.get("relation") if m.get("relation") in RELATIONS else "paraphrase"
            di = doc_index[m.get("doc_id")]
            if m is origin:
                segs = None
            else:
                segs, kept = align_words(origin_text, str(m.get("text") or ""))
                kept_any |= kept
            start, end = m.get("start"), m.get("end")
            if isinstance(start, int) and isinstance(end, int) and 0 <= start < end:
                spans[di].append([start, end, len(out_clusters), RELATIONS.index(rel)])
            rows.append([di, RELATIONS.index(rel), _num(m.get("similarity")), segs, _differences(m),
                         _str(m.get("published")) or documents[di].get("published"), _str(m.get("hidden"))])
        for row, m in zip(rows, members):
            if m is origin:
                row[3] = origin_segments(origin_text, kept_any)
        ps = c.get("primary_source") if isinstance(c.get("primary_source"), dict) else None
        ps_out = None
        if ps and (ps.get("name") or ps.get("url")):
            ps_out = [_str(ps.get("name")), _str(ps.get("url"))]
            key = (ps_out[0] or ps_out[1] or "").strip().lower()
            entry = credited.setdefault(key, {"name": ps_out[0], "url": ps_out[1], "clusters": 0, "documents": set()})
            entry["clusters"] += 1
            entry["documents"].update(r[0] for r in rows)
            entry["url"] = entry["url"] or ps_out[1]
        basis = (c.get("origin") or {}).get("basis")
        entry = {"id": _str(c.get("id")), "basis": _str(basis), "ps": ps_out, "m": rows}
        if c.get("hidden"):
            # Shown only under report --show-hidden: reuse inside one outlet, or boilerplate.
            entry["hidden"] = str(c["hidden"])
        chain = _chain(c, doc_index)
        if chain:
            entry["chain"] = chain
        out_clusters.append(entry)

    out_docs = []
    for i, d in enumerate(documents):
        entry = {
            "id": _str(d.get("id")),
            "title": _str(d.get("title")),
            "source": _str(d.get("source")),
            "url": _str(d.get("url")),
            "published": _str(d.get("published")),
            "day": _day(d.get("published")),
            "outlet": outlet_of[d.get("source") or ""],
            "claims": int(d.get("claims") or 0),
            "reused": int(d.get("reused_claims") or 0),
            "share": round(_share(d), 4),
        }
        if isinstance(d.get("text"), str):
            entry["text"] = d["text"]
        if spans.get(i):
            entry["spans"] = sorted(spans[i])
        out_docs.append(entry)

    top_credited = sorted(credited.values(), key=lambda e: (-e["clusters"], -len(e["documents"]), e["name"] or e["url"] or ""))
    summary = dict(report.get("summary") or {})
    summary.setdefault("documents", len(documents))
    summary.setdefault("clusters", len(out_clusters))
    return {
        "summary": summary,
        "relations": list(RELATIONS),
        "outlets": outlets,
        "documents": out_docs,
        "clusters": out_clusters,
        "credited": [[e["name"], e["url"], e["clusters"], len(e["documents"])] for e in top_credited],
        "has_primary_sources": any("primary_source" in c for c in clusters),
        "passages": _passages(report, doc_index),
        "graph": graph_layout(documents, edges, outlet_of),
        "page_size": CLUSTERS_PER_PAGE,
    }


def embed_json(data: Any) -> str:
    """JSON that is safe inside ``<script type="application/json">``: no ``<``, ``>`` or ``&``
    survive literally (so no ``</script>`` or ``<!--`` from a document can end or bend the
    block), and the line separators JavaScript once treated as line ends are escaped too."""
    text = orjson.dumps(data).decode("utf-8")
    return (
        text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    )


# --------------------------------------------------------------------------------------------
# the page


@lru_cache(maxsize=1)
def _environment():
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    return Environment(
        loader=FileSystemLoader(str(_TEMPLATES)),
        autoescape=select_autoescape(["html", "j2"], default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


@lru_cache(maxsize=1)
def _script() -> tuple[str, str]:
    source = (_TEMPLATES / "report.js").read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii")
    return source, f"'sha256-{digest}'"


def render_html(report: dict) -> str:
    """The report as one self-contained HTML page: inline CSS, script and SVG; fetches nothing."""
    from markupsafe import Markup

    script, script_hash = _script()
    data = page_data(report)
    store = report.get("store") if isinstance(report.get("store"), dict) else {}
    html = _environment().get_template("report.html.j2").render(
        report=report,
        store=store,
        summary=data["summary"],
        # Ours, not a document's: the script file shipped in the package, pinned by the CSP
        # hash; the data JSON is escaped by embed_json above.
        script=Markup(script),
        script_hash=Markup(script_hash),
        data_json=Markup(embed_json(data)),
    )
    return html.rstrip("\n") + "\n"

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
from collections import Counter, defaultdict
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

import orjson

from .common import end_with_newline, origin_member, sources_phrase
from .page_align import align_words, origin_segments
from .page_layout import PAGE_RELATIONS, graph_layout, publication_day

__all__ = ["render_html", "page_data", "embed_json"]

_TEMPLATES = Path(__file__).resolve().parent / "templates"
CLUSTERS_PER_PAGE = 50


# --------------------------------------------------------------------------------------------
# the data the page draws from


def _num(value: Any) -> float | None:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return None if out != out else round(out, 3)


def _share(doc: dict) -> float:
    # Not common.share: the page rounds the given share to 3 places first (as every number it
    # carries), so its figures differ from the text formats' in the last digits.
    share = _num(doc.get("reuse_share"))
    if share is None:
        claims = doc.get("claims") or 0
        share = (doc.get("reused_claims") or 0) / claims if claims else 0.0
    return min(max(share, 0.0), 1.0)


def _str(value: Any) -> str | None:
    # JSON null stays null in the page's data (common.text_of would make it "").
    return None if value is None else str(value)


def _differences(member: dict) -> list[list[str]]:
    out = []
    for d in member.get("differences") or []:
        if isinstance(d, dict):
            out.append([str(d.get("kind") or "change"), str(d.get("origin") or ""), str(d.get("member") or "")])
    return out


def _between_documents(items: Any, doc_index: dict, from_key: str, to_key: str) -> Iterator[tuple[int, int, dict]]:
    """The items (chain links, passages) that join two documents the page knows, with the two
    documents' indexes; anything else is left out."""
    for item in items or []:
        if not isinstance(item, dict):
            continue
        a, b = doc_index.get(item.get(from_key)), doc_index.get(item.get(to_key))
        if a is not None and b is not None:
            yield a, b, item


def _chain(cluster: dict, doc_index: dict) -> list[list]:
    """The witness chain, when the report carries one (members in time order, each link with
    its gap, similarity, relation, whom the later document credits, and what orders the two:
    "published" dates or a "credit")."""
    return [
        [a, b, _num(link.get("gap_days")), _num(link.get("similarity")), _str(link.get("relation")),
         _str(link.get("credit")), [str(n) for n in link.get("credits") or [] if n is not None], _str(link.get("order"))]
        for a, b, link in _between_documents(cluster.get("chain"), doc_index, "from_doc", "to_doc")
    ]


def _order_notes(cluster: dict, doc_index: dict) -> dict:
    """The witnesses the data cannot order: a tied origin's candidates (document indexes) and
    the members no chain link reaches ([document index, why])."""
    out: dict = {}
    origin = cluster.get("origin") if isinstance(cluster.get("origin"), dict) else {}
    tied = [doc_index[t.get("doc_id")] for t in origin.get("tied") or [] if isinstance(t, dict) and t.get("doc_id") in doc_index]
    if tied:
        out["tied"] = tied
    unordered = [[doc_index[u.get("doc_id")], _str(u.get("why"))] for u in cluster.get("unordered") or []
                 if isinstance(u, dict) and u.get("doc_id") in doc_index]
    if unordered:
        out["unordered"] = unordered
    return out


def _passages(report: dict, doc_index: dict) -> list[list]:
    """Consecutive reused claims merged into passages, when the report carries them."""
    return [
        [a, b, int(p.get("claims") or 0), _str(p.get("relation")), bool(p.get("credited")), _str(p.get("text")) or ""]
        for a, b, p in _between_documents(report.get("passages"), doc_index, "source_doc", "target_doc")
    ]


def _all_documents(documents: list[dict], clusters: list[dict]) -> list[dict]:
    """The report's documents, then one entry for each document named only by members (a report
    without them in "documents" still shows them)."""
    documents = list(documents)
    known = {d.get("id") for d in documents}
    for c in clusters:
        for m in c.get("members") or []:
            if m.get("doc_id") not in known:
                known.add(m.get("doc_id"))
                documents.append({"id": m.get("doc_id"), "source": m.get("source"), "title": m.get("title"),
                                  "published": m.get("published"), "claims": 0, "reused_claims": 0})
    return documents


def _outlets(documents: list[dict]) -> list[str]:
    """Outlets by how many documents they have, most first (the page colours them in this order)."""
    outlet_docs = Counter(d.get("source") or "" for d in documents)
    return [o for o, _ in sorted(outlet_docs.items(), key=lambda kv: (-kv[1], kv[0]))]


class _Clusters:
    """The clusters as the page draws them, gathering on the way each document's reused spans and
    the primary sources credited across clusters."""

    def __init__(self, documents: list[dict], doc_index: dict) -> None:
        self.documents = documents
        self.doc_index = doc_index
        self.entries: list[dict] = []
        self.spans: dict[int, list[list[int]]] = defaultdict(list)
        self.credited: dict[str, dict] = {}

    def add(self, cluster: dict) -> None:
        members = [m for m in cluster.get("members") or [] if isinstance(m, dict)]
        if not members:
            return
        rows = self._witnesses(members, origin_member(members))
        entry = {"id": _str(cluster.get("id")), "basis": _str((cluster.get("origin") or {}).get("basis")),
                 "ps": self._primary_source(cluster, rows), "m": rows}
        if cluster.get("hidden"):
            # Shown only under report --show-hidden: reuse inside one outlet, or boilerplate.
            entry["hidden"] = str(cluster["hidden"])
        chain = _chain(cluster, self.doc_index)
        if chain:
            entry["chain"] = chain
        entry.update(_order_notes(cluster, self.doc_index))
        self.entries.append(entry)

    def _witnesses(self, members: list[dict], origin: dict) -> list[list]:
        """One row per member: document, relation, similarity, aligned words, differences,
        date, why hidden; the origin's words marked by whether any witness kept them."""
        origin_text = str(origin.get("text") or "")
        kept_any: set[int] = set()
        rows = []
        for m in members:
            rel = PAGE_RELATIONS.index(m.get("relation") if m.get("relation") in PAGE_RELATIONS else "paraphrase")
            di = self.doc_index[m.get("doc_id")]
            segs = None
            if m is not origin:
                segs, kept = align_words(origin_text, str(m.get("text") or ""))
                kept_any |= kept
            start, end = m.get("start"), m.get("end")
            if isinstance(start, int) and isinstance(end, int) and 0 <= start < end:
                self.spans[di].append([start, end, len(self.entries), rel])
            rows.append([di, rel, _num(m.get("similarity")), segs, _differences(m),
                         _str(m.get("published")) or self.documents[di].get("published"), _str(m.get("hidden"))])
        for row, m in zip(rows, members):
            if m is origin:
                row[3] = origin_segments(origin_text, kept_any)
        return rows

    def _primary_source(self, cluster: dict, rows: list[list]) -> list | None:
        """[name, url] of the cluster's primary source, counted (per name) for the overview."""
        ps = cluster.get("primary_source") if isinstance(cluster.get("primary_source"), dict) else None
        if not (ps and (ps.get("name") or ps.get("url"))):
            return None
        ps_out = [_str(ps.get("name")), _str(ps.get("url"))]
        key = (ps_out[0] or ps_out[1] or "").strip().lower()
        entry = self.credited.setdefault(key, {"name": ps_out[0], "url": ps_out[1], "clusters": 0, "documents": set()})
        entry["clusters"] += 1
        entry["documents"].update(r[0] for r in rows)
        entry["url"] = entry["url"] or ps_out[1]
        return ps_out

    def top_credited(self) -> list[list]:
        """[name, url, clusters, documents] per credited source, most credited first."""
        top = sorted(self.credited.values(), key=lambda e: (-e["clusters"], -len(e["documents"]), e["name"] or e["url"] or ""))
        return [[e["name"], e["url"], e["clusters"], len(e["documents"])] for e in top]


def _document_credits(doc: dict) -> list[list]:
    """[start, end, who (cue, link), claim text or None] per credited claim: the page slices the
    claim from the document's text when it carries it."""
    out = []
    for c in doc.get("credits") or []:
        if not isinstance(c, dict):
            continue
        start, end = c.get("start"), c.get("end")
        spans = isinstance(start, int) and isinstance(end, int) and isinstance(doc.get("text"), str)
        out.append([start if spans else None, end if spans else None, sources_phrase(c), None if spans else _str(c.get("text"))])
    return out


def _credited_sources(documents: list[dict], doc_index: dict) -> list[list]:
    """[name, url, credited claims, documents] per source the documents credit, most first."""
    found: dict[str, dict] = {}
    for d in documents:
        for c in d.get("credits") or []:
            for src in (c.get("sources") or []) if isinstance(c, dict) else []:
                if not isinstance(src, dict) or src.get("cue") == "url" and not src.get("name"):
                    continue
                name, url = _str(src.get("name")), _str(src.get("url"))
                key = (name or url or "").strip().lower()
                entry = found.setdefault(key, {"name": name, "url": url, "claims": 0, "documents": set()})
                entry["claims"] += 1
                entry["documents"].add(doc_index.get(d.get("id")))
                entry["url"] = entry["url"] or url
    top = sorted(found.values(), key=lambda e: (-e["claims"], -len(e["documents"]), e["name"] or e["url"] or ""))
    return [[e["name"], e["url"], e["claims"], len(e["documents"])] for e in top]


def _document_entry(doc: dict, outlet: int, spans: list[list[int]] | None) -> dict:
    entry = {
        "id": _str(doc.get("id")),
        "name": _str(doc.get("name")),
        "path": _str(doc.get("path")),
        "title": _str(doc.get("title")),
        "source": _str(doc.get("source")),
        "url": _str(doc.get("url")),
        "published": _str(doc.get("published")),
        "day": publication_day(doc.get("published")),
        "outlet": outlet,
        "claims": int(doc.get("claims") or 0),
        "reused": int(doc.get("reused_claims") or 0),
        "share": round(_share(doc), 4),
    }
    if isinstance(doc.get("text"), str):
        entry["text"] = doc["text"]
    if spans:
        entry["spans"] = sorted(spans)
    credits = _document_credits(doc)
    if credits:
        entry["credits"] = credits
    return entry


def page_data(report: dict) -> dict:
    """Everything the page's script draws, in compact arrays (documents and relations by index)."""
    clusters = [c for c in report.get("clusters") or [] if isinstance(c, dict)]
    edges = [e for e in report.get("document_edges") or [] if isinstance(e, dict)]
    documents = _all_documents([d for d in report.get("documents") or [] if isinstance(d, dict)], clusters)
    doc_index = {d.get("id"): i for i, d in enumerate(documents)}
    outlets = _outlets(documents)
    outlet_of = {o: i for i, o in enumerate(outlets)}

    drawn = _Clusters(documents, doc_index)
    for c in clusters:
        drawn.add(c)
    summary = dict(report.get("summary") or {})
    summary.setdefault("documents", len(documents))
    summary.setdefault("clusters", len(drawn.entries))
    return {
        "summary": summary,
        "relations": list(PAGE_RELATIONS),
        "outlets": outlets,
        "documents": [_document_entry(d, outlet_of[d.get("source") or ""], drawn.spans.get(i)) for i, d in enumerate(documents)],
        "clusters": drawn.entries,
        # What the documents credit when the report lists it; else the clusters' primary sources.
        "credited": _credited_sources(documents, doc_index) or drawn.top_credited(),
        "credits_by_claim": any("credits" in d for d in documents),
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
    return end_with_newline(html)

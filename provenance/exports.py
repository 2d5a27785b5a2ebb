"""Reports for other tools: the reuse graph as GraphML and GEXF (Gephi, yEd, Cytoscape) and the
clusters as schema.org ``Claim`` objects in JSON-LD (the ClaimReview vocabulary fact-checking
tools read).

The graphs are written by networkx (``generate_graphml`` / ``generate_gexf``): its writers
escape XML properly and Gephi reads their output as is. XML 1.0 cannot carry most control
characters at all, escaped or not, so they are dropped from document values first.
"""

from __future__ import annotations

import re
from typing import Any

import orjson

from .records import RELATIONS

__all__ = ["reuse_graph", "render_graphml", "render_gexf", "render_jsonld"]

# Characters XML 1.0 forbids (C0 controls but tab/newline/return, surrogates, U+FFFE/U+FFFF).
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_HTTP_URL = re.compile(r"^https?://[^\s<>\"'`]+$", re.IGNORECASE)


def _xml_str(value: Any) -> str:
    return _XML_INVALID.sub("", str(value))


def _attrs(**values: Any) -> dict:
    """Attributes for a graph element: None left out (GraphML/GEXF have no null), text cleaned."""
    out = {}
    for key, value in values.items():
        if value is None:
            continue
        out[key] = _xml_str(value) if isinstance(value, str) else value
    return out


def reuse_graph(report: dict):
    """The documents as a networkx DiGraph: an edge from the earlier document to the one that
    reuses it, weighted by shared claims, with the count of each relation."""
    import networkx as nx

    graph = nx.DiGraph(name="provenance reuse graph")
    for d in report.get("documents") or []:
        if not isinstance(d, dict) or d.get("id") is None:
            continue
        claims = int(d.get("claims") or 0)
        reused = int(d.get("reused_claims") or 0)
        share = d.get("reuse_share")
        graph.add_node(
            _xml_str(d["id"]),
            **_attrs(
                label=d.get("title") or d.get("id"),
                title=d.get("title"),
                source=d.get("source"),
                url=d.get("url"),
                published=d.get("published"),
                claims=claims,
                reused_claims=reused,
                reuse_share=float(share) if isinstance(share, (int, float)) else (reused / claims if claims else 0.0),
            ),
        )
    for e in report.get("document_edges") or []:
        if not isinstance(e, dict) or e.get("source_doc") is None or e.get("target_doc") is None:
            continue
        rel = e.get("relations") or {}
        shared = int(e.get("shared_claims") or 0)
        graph.add_edge(
            _xml_str(e["source_doc"]),
            _xml_str(e["target_doc"]),
            weight=float(shared),
            shared_claims=shared,
            **{r.replace("-", "_"): int(rel.get(r) or 0) for r in RELATIONS},
        )
    return graph


def render_graphml(report: dict) -> str:
    """The reuse graph as GraphML (directed; node and edge attributes typed)."""
    import networkx as nx

    return "\n".join(nx.generate_graphml(reuse_graph(report))).rstrip("\n") + "\n"


def render_gexf(report: dict) -> str:
    """The reuse graph as GEXF 1.2 for Gephi."""
    import networkx as nx

    return "\n".join(nx.generate_gexf(reuse_graph(report))).rstrip("\n") + "\n"


# --------------------------------------------------------------------------------------------
# JSON-LD


def _work(member: dict, doc: dict, relation_note: str | None) -> dict:
    """One appearance of a claim: the document it appears in, as a schema.org CreativeWork."""
    url = doc.get("url")
    out: dict[str, Any] = {"@type": "CreativeWork"}
    if isinstance(url, str) and _HTTP_URL.match(url):
        out["@id"] = url
        out["url"] = url
    out["identifier"] = str(member.get("doc_id"))
    if doc.get("title") or member.get("title"):
        out["headline"] = doc.get("title") or member.get("title")
    published = member.get("published") or doc.get("published")
    if published:
        out["datePublished"] = published
    source = member.get("source") or doc.get("source")
    if source:
        out["publisher"] = {"@type": "Organization", "name": source}
    out["text"] = member.get("text")
    if relation_note:
        out["description"] = relation_note
    return out


def render_jsonld(report: dict) -> str:
    """Each cluster as a schema.org ``Claim``: its text (the origin's wording), ``firstAppearance``
    (the origin document), ``appearance`` (every document it appears in, origin first), and the
    credited ``author`` when the report names a primary source."""
    docs = {d.get("id"): d for d in report.get("documents") or [] if isinstance(d, dict)}
    claims = []
    for c in report.get("clusters") or []:
        members = [m for m in c.get("members") or [] if isinstance(m, dict)]
        if not members:
            continue
        origin = next((m for m in members if m.get("relation") == "origin"), members[0])
        appearances = []
        for m in [origin] + [m for m in members if m is not origin]:
            note = None
            if m is origin:
                basis = (c.get("origin") or {}).get("basis")
                note = f"origin (basis: {basis})" if basis else "origin"
            else:
                note = str(m.get("relation"))
                if isinstance(m.get("similarity"), (int, float)):
                    note += f", similarity {m['similarity']:.2f}"
                diffs = [d for d in m.get("differences") or [] if isinstance(d, dict)]
                if diffs:
                    note += "; differs: " + "; ".join(
                        f"{d.get('kind', 'change')} {d.get('origin', '')} → {d.get('member', '')}" for d in diffs
                    )
            appearances.append(_work(m, docs.get(m.get("doc_id"), {}), note))
        claim: dict[str, Any] = {
            "@type": "Claim",
            "@id": f"#cluster-{c.get('id')}",
            "identifier": str(c.get("id")),
            "text": origin.get("text"),
            "firstAppearance": appearances[0],
            "appearance": appearances,
        }
        if origin.get("published"):
            claim["datePublished"] = origin.get("published")
        ps = c.get("primary_source")
        if isinstance(ps, dict) and (ps.get("name") or ps.get("url")):
            author: dict[str, Any] = {"@type": "Thing"}
            if ps.get("name"):
                author["name"] = ps["name"]
            if isinstance(ps.get("url"), str) and _HTTP_URL.match(ps["url"]):
                author["url"] = ps["url"]
            claim["author"] = author
        claims.append(claim)
    doc = {"@context": "https://schema.org", "@graph": claims}
    return orjson.dumps(doc, option=orjson.OPT_INDENT_2).decode("utf-8") + "\n"

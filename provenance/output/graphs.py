"""The reuse graph for graph tools: GraphML (Gephi, yEd, Cytoscape) and GEXF 1.2 (Gephi).

The graphs are written by networkx (``generate_graphml`` / ``generate_gexf``): its writers
escape XML properly and Gephi reads their output as is. XML 1.0 cannot carry most control
characters at all, escaped or not, so they are dropped from document values first.
"""

from __future__ import annotations

import re
from typing import Any

from ..records import RELATIONS
from .common import end_with_newline

__all__ = ["reuse_graph", "render_graphml", "render_gexf"]

# Characters XML 1.0 forbids (C0 controls but tab/newline/return, surrogates, U+FFFE/U+FFFF).
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


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
                label=d.get("name") or d.get("title") or d.get("id"),
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

    return end_with_newline("\n".join(nx.generate_graphml(reuse_graph(report))))


def render_gexf(report: dict) -> str:
    """The reuse graph as GEXF 1.2 for Gephi."""
    import networkx as nx

    return end_with_newline("\n".join(nx.generate_gexf(reuse_graph(report))))

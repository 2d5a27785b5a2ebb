"""The clusters as schema.org ``Claim`` objects in JSON-LD: the ClaimReview vocabulary that
fact-checking tools read.

A document's url becomes a ``url`` or ``@id`` only when it is http(s); a ``javascript:`` one is
left out rather than handed to a tool that might make it a link.
"""

from __future__ import annotations

from typing import Any

import orjson

from .common import is_http_url, origin_member

__all__ = ["render_jsonld"]


def _work(member: dict, doc: dict, relation_note: str | None) -> dict:
    """One appearance of a claim: the document it appears in, as a schema.org CreativeWork."""
    url = doc.get("url")
    out: dict[str, Any] = {"@type": "CreativeWork"}
    if is_http_url(url):
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
        origin = origin_member(members)
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
            if is_http_url(ps.get("url")):
                author["url"] = ps["url"]
            claim["author"] = author
        claims.append(claim)
    doc = {"@context": "https://schema.org", "@graph": claims}
    return orjson.dumps(doc, option=orjson.OPT_INDENT_2).decode("utf-8") + "\n"

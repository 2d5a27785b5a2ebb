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


def _origin_note(cluster: dict) -> str:
    basis = (cluster.get("origin") or {}).get("basis")
    return f"origin (basis: {basis})" if basis else "origin"


def _copy_note(member: dict) -> str:
    """How a copy relates to the origin: "paraphrase, similarity 0.83; differs: number 3.5% → 4%"."""
    note = str(member.get("relation"))
    if isinstance(member.get("similarity"), (int, float)):
        note += f", similarity {member['similarity']:.2f}"
    diffs = [d for d in member.get("differences") or [] if isinstance(d, dict)]
    if diffs:
        note += "; differs: " + "; ".join(
            f"{d.get('kind', 'change')} {d.get('origin', '')} → {d.get('member', '')}" for d in diffs
        )
    return note


def _author(cluster: dict) -> dict | None:
    """The credited primary source as the claim's author, when the report names one."""
    ps = cluster.get("primary_source")
    if not (isinstance(ps, dict) and (ps.get("name") or ps.get("url"))):
        return None
    author: dict[str, Any] = {"@type": "Thing"}
    if ps.get("name"):
        author["name"] = ps["name"]
    if is_http_url(ps.get("url")):
        author["url"] = ps["url"]
    return author


def _claim(cluster: dict, members: list[dict], docs: dict) -> dict:
    origin = origin_member(members)
    appearances = [_work(origin, docs.get(origin.get("doc_id"), {}), _origin_note(cluster))]
    appearances += [_work(m, docs.get(m.get("doc_id"), {}), _copy_note(m)) for m in members if m is not origin]
    claim: dict[str, Any] = {
        "@type": "Claim",
        "@id": f"#cluster-{cluster.get('id')}",
        "identifier": str(cluster.get("id")),
        "text": origin.get("text"),
        "firstAppearance": appearances[0],
        "appearance": appearances,
    }
    if origin.get("published"):
        claim["datePublished"] = origin.get("published")
    author = _author(cluster)
    if author is not None:
        claim["author"] = author
    return claim


def render_jsonld(report: dict) -> str:
    """Each cluster as a schema.org ``Claim``: its text (the origin's wording), ``firstAppearance``
    (the origin document), ``appearance`` (every document it appears in, origin first), and the
    credited ``author`` when the report names a primary source."""
    docs = {d.get("id"): d for d in report.get("documents") or [] if isinstance(d, dict)}
    claims = []
    for c in report.get("clusters") or []:
        members = [m for m in c.get("members") or [] if isinstance(m, dict)]
        if members:
            claims.append(_claim(c, members, docs))
    doc = {"@context": "https://schema.org", "@graph": claims}
    return orjson.dumps(doc, option=orjson.OPT_INDENT_2).decode("utf-8") + "\n"

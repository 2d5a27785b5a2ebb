"""The primary source of a claim: the outside source its witnesses credit.

Given each witness's credits (:mod:`.extract`, as stored), pick the source credited by the most
witnesses (ties: the earliest witness's), skipping a document's credit of its own outlet. A
person's credit keeps the outlet that interviewed them ("told Iran International") as ``via``;
a credit that names a stored document's outlet or URL carries that document's id.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .resolve import CreditIndex, norm_name, url_host

__all__ = ["primary_source", "credit_records"]

# Credits by role ("officials", "experts") name no one in particular: any named source wins.
_WEAK = {"prosecutors", "officials", "authorities", "police", "regulators", "investigators", "experts",
         "analysts", "researchers", "sources", "witnesses", "residents", "scientists", "economists",
         "observers", "critics", "officers", "agents", "security analysts"}


def _get(a: Any, key: str) -> Any:
    # Stored credits are records; a report's credits are already plain dicts.
    return a.get(key) if isinstance(a, dict) else getattr(a, key)


def credit_records(attrs: Sequence[Any]) -> list[dict]:
    """Stored credits as plain dicts (the report's JSON), one per credit (an interview's outlet folded into
    its speaker's record as ``via``; a bare link left out when a named credit of the same
    sentence carries that address: "The Harbor Ledger broke this story (link)" credits the
    Ledger once, not the Ledger and its web address)."""
    recs = [{k: _get(a, k) for k in ("cue", "name", "kind", "document", "url", "marker", "scope")} for a in attrs]
    via = next((r["name"] for r in recs if r["cue"] == "interview"), None)
    named_urls = {r["url"] for r in recs if r["url"] and r["cue"] != "url"}
    out = []
    for r in recs:
        if r["cue"] == "interview" and any(x["kind"] == "person" for x in recs):
            continue
        if r["cue"] == "url" and r["url"] in named_urls:
            continue
        if via and r["kind"] == "person":
            r = {**r, "via": via}
        out.append(r)
    return out


def primary_source(
    witnesses: Sequence[tuple[int, str, Sequence[Any]]],
    index: CreditIndex | None = None,
) -> dict | None:
    """``witnesses``: (doc num, doc id, credits) in time order. The source most of them credit."""
    groups = _credit_groups(witnesses, index)
    if not groups:
        return None

    def rank(g: dict) -> tuple:
        named = [r for r in g["records"] if r["cue"] != "url"]
        weak = all(_unnamed(r["name"]) for r in named) if named else True
        return (-len(g["docs"]), weak, g["order"])

    return _source_record(min(groups.values(), key=rank), index)


def _unnamed(name: str) -> bool:
    """A credit by role: "officials", and as much "U.S. military officials" (the noun decides)."""
    words = norm_name(name).split()
    return " ".join(words) in _WEAK or (bool(words) and words[-1] in _WEAK)


def _credit_groups(witnesses: Sequence[tuple[int, str, Sequence[Any]]], index: CreditIndex | None) -> dict[str, dict]:
    """The witnesses' credits grouped by whom they name (a stored document's outlet, a site, a
    name), each group with the documents crediting it, in order of first mention."""
    groups: dict[str, dict] = {}
    for doc_num, doc_id, attrs in witnesses:
        for r in credit_records(attrs):
            name, url = r["name"], r["url"]
            if index is not None and index.is_own_outlet(doc_num, name, url):
                continue
            resolved = index.resolve(name, url, r["kind"]) if index is not None else []
            resolved = [(n, how) for n, how in resolved if n != doc_num]
            if resolved:
                target = index.docs[resolved[0][0]]
                key = "doc:" + (norm_name(target.source) or target.id)
            elif r["cue"] == "url":
                key = "host:" + url_host(url)
            else:
                key = "name:" + norm_name(name)
            g = groups.get(key)
            if g is None:
                g = groups[key] = {"records": [], "docs": [], "order": len(groups), "resolved": resolved}
            g["records"].append(r)
            if doc_id not in g["docs"]:
                g["docs"].append(doc_id)
            if resolved and not g["resolved"]:
                g["resolved"] = resolved
    return groups


def _source_record(best: dict, index: CreditIndex | None) -> dict:
    """The primary source as the report and trace give it: named by its most specific credit."""
    named = [r for r in best["records"] if r["cue"] not in {"url"}]
    top = named[0] if named else best["records"][0]
    url = next((r["url"] for r in best["records"] if r["url"]), None)
    stored = None
    if best["resolved"] and index is not None:
        target = index.docs[best["resolved"][0][0]]
        stored = target.id
        url = url or target.url
    name = top["name"]
    if stored and index is not None and top["kind"] != "person":
        # A credit of a stored document's outlet goes by the outlet's own name.
        name = index.docs[best["resolved"][0][0]].source or name
    out = {
        "name": name,
        "url": url,
        "kind": top["kind"],
        "cue": top["cue"],
        "document": top["document"],
        "credited_by": best["docs"],
        "doc_id": stored,
    }
    if top.get("via"):
        out["via"] = top["via"]
    if top.get("marker"):
        out["marker"] = top["marker"]
    return out

"""Small readings of the report and trace dicts that several formats share.

The dicts come from JSON-shaped data (a report may be hand-made or come from an older version), so
every helper tolerates a missing or ``None`` field. Nothing here escapes: each format escapes
the strings these helpers return for its own medium.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from ..records import ORIGIN, RELATIONS

_HTTP_URL = re.compile(r"^https?://[^\s<>\"'`]+$", re.IGNORECASE)


def text_of(value: Any) -> str:
    """A field as text, ``None`` as the empty string."""
    return "" if value is None else str(value)


def fmt_sim(value: Any, none: str = "") -> str:
    """A similarity to two decimals; ``none`` for a missing or unreadable one."""
    if value is None:
        return none
    try:
        return f"{float(value):.2f}"
    except (TypeError, ValueError):
        return none


def share(doc: dict) -> float:
    """The document's reuse share in [0, 1], from its claim counts when the report has none."""
    value = doc.get("reuse_share")
    if value is None:
        claims = doc.get("claims") or 0
        value = (doc.get("reused_claims") or 0) / claims if claims else 0.0
    try:
        value = float(value)
    except (TypeError, ValueError):
        return 0.0
    if value != value:  # NaN
        return 0.0
    return min(max(value, 0.0), 1.0)


def share_percent(doc: dict) -> str:
    return f"{share(doc) * 100:.0f}%"


def short_date(value: Any) -> str:
    """The date part of an ISO 8601 date-time (what a person needs in a list)."""
    text = text_of(value)
    if re.match(r"^\d{4}-\d{2}-\d{2}", text):
        return text[:10]
    return text


def is_http_url(value: Any) -> bool:
    """Only http(s) URLs become links: a ``javascript:`` or ``data:`` one stays text."""
    return isinstance(value, str) and bool(_HTTP_URL.match(value))


def shorten(text: str, limit: int = 100) -> str:
    """``text`` cut to ``limit`` characters at a word boundary where one is near, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:.") + "…"


def end_with_newline(text: str) -> str:
    return text.rstrip("\n") + "\n"


def summary_counts(report: dict) -> tuple[int, int, int, int, int]:
    """Documents, claims, clusters, reused claims and document edges: the report's summary, or
    counted from its lists when a hand-made report has no summary."""
    summary = report.get("summary") or {}
    documents = report.get("documents") or []
    return (
        summary.get("documents", len(documents)),
        summary.get("claims", sum(d.get("claims") or 0 for d in documents)),
        summary.get("clusters", len(report.get("clusters") or [])),
        summary.get("reused_claims", sum(d.get("reused_claims") or 0 for d in documents)),
        summary.get("document_edges", len(report.get("document_edges") or [])),
    )


def origin_member(members: list[dict]) -> dict | None:
    """The member marked as the origin, else the first (a report may not mark one)."""
    for member in members:
        if member.get("relation") == ORIGIN:
            return member
    return members[0] if members else None


def other_members(cluster: dict) -> list[dict]:
    members = cluster.get("members") or []
    origin = origin_member(members)
    return [m for m in members if m is not origin]


def relations_phrase(cluster: dict) -> str:
    """How the copies of a cluster were reused, strongest relation first: "2 verbatim, 1 paraphrase"."""
    counts = Counter(text_of(m.get("relation")) for m in other_members(cluster))
    parts = [f"{counts[r]} {r}" for r in RELATIONS if counts.get(r)]
    parts += [f"{n} {r}" for r, n in sorted(counts.items()) if r not in RELATIONS and n]
    return ", ".join(parts)


def differences_phrase(record: dict) -> str:
    """A member's (or trace match's) differences from the origin: "number: 3.5% → 4%; ..."."""
    out = []
    for diff in record.get("differences") or []:
        if not isinstance(diff, dict):
            continue
        kind = text_of(diff.get("kind")) or "change"
        out.append(f"{kind}: {text_of(diff.get('origin'))} → {text_of(diff.get('member'))}")
    return "; ".join(out)


# What each kind of hidden item is called in a sentence: (one, many).
_HIDDEN_NOUNS = {
    "boilerplate": ("boilerplate cluster", "boilerplate clusters"),
    "same-outlet-cluster": ("cluster within one outlet", "clusters within one outlet"),
    "same-outlet": ("copy from the origin's own outlet", "copies from the origin's own outlet"),
}


def hidden_phrase(report: dict) -> tuple[str, bool]:
    """What the report hides from its reuse figures ("1 boilerplate cluster, 2 copies from the
    origin's own outlet"; empty when nothing), and whether ``--show-hidden`` shows it anyway."""
    from ..wording import plural

    hidden = report.get("hidden") or {}
    counts = {k: v for k, v in hidden.items() if k != "shown" and isinstance(v, int) and v}
    order = [k for k in _HIDDEN_NOUNS if k in counts] + sorted(k for k in counts if k not in _HIDDEN_NOUNS)
    parts = [plural(counts[k], *_HIDDEN_NOUNS.get(k, (k, k))) for k in order]
    return ", ".join(parts), bool(hidden.get("shown"))


def doc_name(doc: dict) -> str:
    """A document as a person reads it: the report's readable name, else its title, else its id."""
    return text_of(doc.get("name") or doc.get("title") or doc.get("id"))


def source_phrase(source: dict) -> str:
    """One credited source as read: "Sam Cooper (told, to Iran International)", "The Jerusalem
    Post (footnote [1], https://...)", "Clarion Project (report, according to)"."""
    bits = []
    if source.get("document") and source.get("cue") != "footnote":
        bits.append(text_of(source.get("document")))
    cue = text_of(source.get("cue"))
    if cue == "footnote" and source.get("marker"):
        bits.append(f"footnote [{text_of(source.get('marker'))}]")
    elif cue:
        bits.append(cue)
    if source.get("via"):
        bits.append(f"to {text_of(source.get('via'))}")
    if source.get("url"):
        bits.append(text_of(source.get("url")))
    name = text_of(source.get("name")) or text_of(source.get("url"))
    return f"{name} ({', '.join(bits)})" if bits else name


def sources_phrase(credit: dict) -> str:
    """Every source a credited claim names, joined."""
    return "; ".join(source_phrase(s) for s in credit.get("sources") or [] if isinstance(s, dict))


def tied_phrase(cluster_or_origin: dict, members: list[dict] | None = None) -> str:
    """The witnesses a tied origin could be, as "Outlet (date), Outlet (date)", from the origin's
    ``tied`` list (trace) or matched to the cluster's members (report)."""
    origin = cluster_or_origin.get("origin", cluster_or_origin) or {}
    by_claim = {m.get("claim_id"): m for m in members or []}
    out = []
    for t in origin.get("tied") or []:
        if not isinstance(t, dict):
            continue
        m = {**by_claim.get(t.get("claim_id"), {}), **{k: v for k, v in t.items() if v is not None}}
        name = text_of(m.get("source")) or text_of(m.get("doc_id"))
        out.append(f"{name} ({short_date(m.get('published')) or 'undated'})")
    return ", ".join(out)

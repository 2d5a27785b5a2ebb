"""The report as Markdown for notes and tickets: summary, documents table, every cluster with its
members and differences, witness chains, passages and document edges.

Document values are untrusted: each goes through :func:`_md`, which keeps it on one line and
escapes what CommonMark/GFM would read as syntax, raw HTML or a table-cell break; only http(s)
URLs become autolinks.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from ..records import RELATIONS
from .common import (
    differences_phrase,
    doc_name,
    end_with_newline,
    fmt_sim,
    hidden_phrase,
    is_http_url,
    origin_member,
    relations_phrase,
    share_percent,
    shorten,
    sources_phrase,
    summary_counts,
    text_of,
    tied_phrase,
)

__all__ = ["render_markdown"]

# Characters that Markdown (CommonMark/GFM) would read as syntax or raw HTML inside running text.
_MD_SPECIAL = re.compile(r"([\\`\[\]<|])")


def _md(value: Any) -> str:
    """Escape a value for a Markdown table cell or inline text: one line, no live syntax, no
    raw HTML, no cell breaks."""
    text = text_of(value)
    text = re.sub(r"\r\n|\r|\n|\u2028|\u2029", " ", text)
    text = "".join(ch for ch in text if ch == "\t" or unicodedata.category(ch) != "Cc")
    text = text.replace("\t", " ")
    return _MD_SPECIAL.sub(r"\\\1", text)


def _md_quote(value: Any) -> str:
    return f"“{_md(value)}”" if value is not None else ""


def _md_url(value: Any) -> str:
    if is_http_url(value):
        return f"<{value}>"
    return _md(value)


def _md_table(headers: list[str], rows: list[list[str]], align: str | None = None) -> list[str]:
    align = align or "l" * len(headers)
    sep = ["---:" if a == "r" else "---" for a in align]
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(sep) + " |"]
    for row in rows:
        lines.append("| " + " | ".join(row) + " |")
    return lines


def render_markdown(report: dict) -> str:
    """Markdown for notes and tickets: summary, documents table, one section per cluster with
    its origin and members, and the document edges table."""
    documents = report.get("documents") or []
    clusters = report.get("clusters") or []
    doc_titles = {d.get("id"): d.get("title") for d in documents}

    out = _markdown_header(report) + _markdown_summary(report) + _markdown_documents(documents)
    out += _markdown_credits(documents)
    out += ["## Clusters", ""]
    if not clusters:
        out += ["No claim is shared between documents.", ""]
    for cluster in clusters:
        out += _markdown_cluster(cluster, doc_titles)
    out += _markdown_passages(report)
    out += _markdown_edges(report.get("document_edges") or [])
    return end_with_newline("\n".join(out))


def _markdown_header(report: dict) -> list[str]:
    """The title, then when, by which version and from which store the report was made."""
    store = report.get("store") or {}
    out = ["# Provenance report", ""]
    meta = []
    if report.get("generated_at"):
        meta.append(f"Generated {_md(report['generated_at'])}")
    if report.get("provenance_version"):
        meta.append(f"provenance {_md(report['provenance_version'])}")
    if store.get("path"):
        model = f" (model {_md(store.get('model'))}" + (
            f", dimension {_md(store.get('dimension'))})" if store.get("dimension") else ")"
        ) if store.get("model") else ""
        meta.append(f"store {_md(store['path'])}{model}")
    if meta:
        out += [" · ".join(meta), ""]
    return out


def _markdown_summary(report: dict) -> list[str]:
    n_docs, n_claims, n_clusters, n_reused, n_edges = summary_counts(report)
    return [
        "## Summary",
        "",
        f"- Documents: {n_docs}",
        f"- Claims: {n_claims}",
        f"- Clusters: {n_clusters}",
        f"- Reused claims: {n_reused}",
        f"- Document edges: {n_edges}",
        *_tie_summary(report, n_clusters),
        "",
    ]


def _tie_summary(report: dict, n_clusters: int) -> list[str]:
    tied = (report.get("summary") or {}).get("origins_tied")
    if tied is None:
        return []
    return [f"- Origins resting on a tie: {tied} of {n_clusters} (the witnesses' dates cannot say which came first)"]


def _markdown_documents(documents: list[dict]) -> list[str]:
    out = ["## Documents", ""]
    if documents:
        rows = [
            [
                _md(doc_name(d)),
                _md_url(d.get("url")) or _md(d.get("path")),
                _md(d.get("source")),
                _md(d.get("published")) or "undated",
                str(d.get("claims") or 0),
                str(d.get("reused_claims") or 0),
                share_percent(d),
                str(len(d.get("credits") or [])),
                _md(d.get("id")),
            ]
            for d in documents
        ]
        out += _md_table(["document", "url or path", "source", "published", "claims", "reused", "share", "credited claims", "id"], rows, "llllrrrrl")
    else:
        out.append("No documents.")
    out.append("")
    return out


def _markdown_credits(documents: list[dict]) -> list[str]:
    """Who each document credits, for what: one table per document that credits anyone."""
    out = ["## Credits", ""]
    credited = [d for d in documents if d.get("credits")]
    if not credited:
        return out + ["No document credits a source.", ""]
    for d in credited:
        where = _md_url(d.get("url")) or _md(d.get("path"))
        out += [f"### {_md(doc_name(d))}", "", f"{_md(d.get('source')) or 'no outlet'} · {_md(d.get('published')) or 'undated'} · {where}", ""]
        rows = [[_md_quote(c.get("text")), _md(sources_phrase(c))] for c in d["credits"]]
        out += _md_table(["claim", "credits (cue, link or footnote)"], rows) + [""]
    silent = [d for d in documents if not d.get("credits")]
    if silent:
        out += ["No credits in: " + ", ".join(_md(doc_name(d)) for d in silent), ""]
    return out


def _markdown_cluster(cluster: dict, doc_titles: dict) -> list[str]:
    """One cluster's section: heading, origin, primary source, relations, the origin's text,
    the members table and the witness chain."""
    om = origin_member(cluster.get("members") or []) or {}
    n_members = cluster.get("size") or len(cluster.get("members") or [])
    n_docs = cluster.get("documents")
    heading = f"### Cluster {_md(cluster.get('id'))}: {n_members} members"
    if n_docs is not None:
        heading += f" in {n_docs} documents"
    out = [heading, "", _markdown_origin_line(cluster, om, doc_titles)]
    ps = cluster.get("primary_source")
    if ps and (ps.get("name") or ps.get("url")):
        parts = [p for p in (_md(ps.get("name")), _md_url(ps.get("url"))) if p]
        out.append(f"- **Primary source:** {' '.join(parts)}")
    counts = relations_phrase(cluster)
    if counts:
        out.append(f"- **Relations:** {counts}")
    out += ["", f"> {_md_quote(om.get('text'))}", ""]
    out += _markdown_members(cluster)
    out.append("")
    return out + _markdown_chain(cluster)


def _markdown_origin_line(cluster: dict, om: dict, doc_titles: dict) -> str:
    origin = cluster.get("origin") or {}
    origin_doc = origin.get("doc_id", om.get("doc_id"))
    title = om.get("title") or doc_titles.get(origin_doc)
    line = f"- **Origin:** {_md(origin_doc)}"
    if om.get("source"):
        line += f", {_md(om.get('source'))}"
    if title:
        line += f", {_md_quote(title)}"
    line += f", published {_md(om.get('published')) or 'unknown'}"
    if origin.get("basis"):
        line += f" (basis: {_md(origin.get('basis'))})"
    if origin.get("basis") == "tie" and origin.get("tied"):
        line += (f"\n- **Tie:** {_md(tied_phrase(cluster, cluster.get('members') or []))} could each be first; "
                 "no copying is drawn between them, and the first listed stands as the origin the others are compared with")
    return line


def _markdown_members(cluster: dict) -> list[str]:
    rows = [
        [
            _md(m.get("relation")),
            fmt_sim(m.get("similarity"), "—"),
            _md(m.get("doc_id")),
            _md(m.get("source")),
            _md(m.get("published")),
            _md_quote(m.get("text")),
            _md(differences_phrase(m)),
        ]
        for m in cluster.get("members") or []
    ]
    return _md_table(
        ["relation", "similarity", "doc", "source", "published", "text", "differences"], rows, "lrlllll"
    )


def _credit_phrase(link: dict) -> str:
    credit = link.get("credit")
    names = ", ".join(text_of(n) for n in link.get("credits") or [])
    if credit == "earlier":
        return f"credits {names or 'the earlier document'}"
    if credit == "outside":
        return f"credits {names or 'an outside source'}"
    if link.get("order") not in (None, "published", "credit"):
        return "no credit, order unknown"
    return "uncredited"


def _words_phrase(words: dict) -> str:
    added = [w for w in words.get("added") or [] if w]
    dropped = [w for w in words.get("dropped") or [] if w]
    parts = [f"{words.get('kept', 0)} kept"]
    if dropped:
        parts.append("dropped “" + "”, “".join(shorten(text_of(w), 60) for w in dropped) + "”")
    if added:
        parts.append("added “" + "”, “".join(shorten(text_of(w), 60) for w in added) + "”")
    return "; ".join(parts)


def _gap_phrase(days: Any) -> str:
    if days is None:
        return "undated"
    return f"+{float(days):.1f} d" if float(days) >= 0 else f"{float(days):.1f} d"


def _markdown_chain(cluster: dict) -> list[str]:
    """The witness chain (issue 3): who copied whom, how long after, crediting whom."""
    chain = cluster.get("chain") or []
    if not chain:
        return _markdown_unordered(cluster)
    rows = [
        [
            f"{_md(link.get('from_doc'))} → {_md(link.get('to_doc'))}",
            _md(_gap_phrase(link.get("gap_days"))),
            fmt_sim(link.get("similarity"), "—"),
            _md(link.get("relation")),
            _md(_credit_phrase(link)),
            _md(_words_phrase(link.get("words") or {})),
        ]
        for link in chain
    ]
    out = ["**Witness chain**", ""] + _md_table(["link", "gap", "similarity", "relation", "credit", "words"], rows, "lrrlll") + [""]
    return out + _markdown_unordered(cluster)


def _markdown_unordered(cluster: dict) -> list[str]:
    """The witnesses no link reaches: the data cannot say who came first."""
    unordered = [u for u in cluster.get("unordered") or [] if isinstance(u, dict)]
    if not unordered:
        return []
    items = ", ".join(f"{_md(u.get('doc_id'))} ({_md(u.get('why'))})" for u in unordered)
    return [f"_Not linked, order unknown: {items}. The same claim, but the data does not say who came first._", ""]


def _markdown_passages(report: dict) -> list[str]:
    """Passages (consecutive claims reused together), then what the figures leave out."""
    out = []
    passages = report.get("passages") or []
    if passages:
        out += ["## Passages", "", "Consecutive claims of one document reused, in order, by another.", ""]
        rows = [
            [
                _md(p.get("source_doc")),
                f"{_md(p.get('source_start'))}–{_md(p.get('source_end'))}",
                _md(p.get("target_doc")),
                f"{_md(p.get('target_start'))}–{_md(p.get('target_end'))}",
                str(p.get("claims") or 0),
                _md(p.get("relation")),
                "yes" if p.get("credited") else ("no" if p.get("ordered", True) else "no (order unknown)"),
                _md_quote(shorten(text_of(p.get("text")), 200)),
            ]
            for p in passages
        ]
        out += _md_table(["from", "chars", "to", "chars", "claims", "relation", "credited", "text"], rows, "llllrlll") + [""]
    what, shown = hidden_phrase(report)
    if what:
        out += [f"_Hidden from reuse figures: {what}" + (" (shown above, marked)._" if shown else "; `report --show-hidden` shows them._"), ""]
    return out


def _markdown_edges(edges: list[dict]) -> list[str]:
    out = ["## Document edges", ""]
    if not edges:
        return out + ["No document reuses another."]
    rows = []
    for e in edges:
        rel = e.get("relations") or {}
        rows.append(
            [
                _md(e.get("source_doc")),
                _md(e.get("target_doc")),
                str(e.get("shared_claims") or 0),
                *(str(rel.get(r) or 0) for r in RELATIONS),
            ]
        )
    return out + _md_table(["from (earlier)", "to (reuses)", "shared claims", *RELATIONS], rows, "ll" + "r" * (1 + len(RELATIONS)))

"""Plain text for a person at a terminal: the one-screen report summary (the answer to a trace
is :mod:`.trace_text`, which shares :func:`_plain` and :func:`_wrap`).

A document's text must not reach the terminal as escape sequences: every value from a document
goes through :func:`_plain`, which drops control and format characters (ESC, BEL, bidi
overrides, zero-width) and folds line breaks to spaces. rich lays out the tables with colour and
markup off; it is imported only when a report is drawn, so ``trace`` does not pay for it.
"""

from __future__ import annotations

import io
import re
import textwrap
import unicodedata
from collections import Counter
from typing import Any

from ..wording import plural
from .common import (
    differences_phrase,
    doc_name,
    end_with_newline,
    hidden_phrase,
    origin_member,
    relations_phrase,
    share,
    share_percent,
    short_date,
    shorten,
    source_phrase,
    summary_counts,
    text_of,
    tied_phrase,
)

__all__ = ["TEXT_TOP_CLUSTERS", "TEXT_TOP_DOCUMENTS", "render_text"]

TEXT_TOP_CLUSTERS = 10
TEXT_TOP_DOCUMENTS = 5
# Credits on one screen: this many documents, this many credited claims each (md, html and json
# list them all).
TEXT_CREDIT_DOCUMENTS = 10
TEXT_CREDITS_PER_DOCUMENT = 4


# Terminal output must not carry escape sequences from documents: drop C0/C1 controls (ESC,
# BEL, ...) and format characters (bidi overrides, zero-width), fold line breaks to spaces.
def _plain(value: Any) -> str:
    text = text_of(value)
    out = []
    for ch in text:
        if ch in "\n\r\t\v\f\u2028\u2029\x85":
            out.append(" ")
        elif unicodedata.category(ch) in ("Cc", "Cf"):
            continue
        else:
            out.append(ch)
    return re.sub(r" {2,}", " ", "".join(out)).strip()


# --------------------------------------------------------------------------------------------
# the report (rich, rendered to a string)


def _console(width: int):
    from rich.console import Console

    return Console(
        file=io.StringIO(),
        width=width,
        color_system=None,
        force_terminal=False,
        force_interactive=False,
        no_color=True,
        markup=False,
        emoji=False,
        highlight=False,
        legacy_windows=False,
        soft_wrap=False,
    )


def _console_text(console) -> str:
    value = console.file.getvalue()
    return end_with_newline("\n".join(line.rstrip() for line in value.splitlines()))


def render_text(report: dict, width: int = 100) -> str:
    """A one-screen summary for a person in the terminal (plain text, no colour codes)."""
    console = _console(width)
    _print_summary(console, report)
    console.print()
    _print_top_documents(console, report.get("documents") or [])
    console.print()
    _print_top_clusters(console, report.get("clusters") or [], width)
    for extra in _text_passages(report):
        _print_wrapped(console, extra, width)
    console.print()
    for extra in _text_credits(report.get("documents") or []):
        _print_wrapped(console, extra, width)
    return _console_text(console)


def _print_wrapped(console, extra: str, width: int) -> None:
    """A line of the report, wrapped under a four-space indent where it is too long."""
    from rich.text import Text

    for line in _wrap(extra, "", width, "    ") if extra.strip() else [""]:
        console.print(Text(line))


def _print_summary(console, report: dict) -> None:
    from rich.text import Text

    n_docs, n_claims, n_clusters, n_reused, n_edges = summary_counts(report)
    console.print(Text("Provenance report"))
    console.print(
        Text(
            f"{plural(n_docs, 'document')} · {plural(n_claims, 'claim')} · {plural(n_clusters, 'cluster')} · "
            f"{plural(n_reused, 'reused claim')} · {plural(n_edges, 'document edge')}"
        )
    )
    tied = (report.get("summary") or {}).get("origins_tied")
    if tied:
        console.print(Text(f"{tied} of {n_clusters} origins rest on a tie: their witnesses' dates cannot say which came first (basis: tie)"))
    generated = _plain(report.get("generated_at"))
    store = report.get("store") or {}
    if generated or store.get("path"):
        bits = []
        if store.get("path"):
            bits.append(f"store {_plain(store.get('path'))}")
        if generated:
            bits.append(f"generated {generated}")
        console.print(Text(" · ".join(bits)))


def _doc_rank_key(doc: dict) -> tuple:
    return (-(doc.get("reused_claims") or 0), -share(doc), text_of(doc.get("id")))


def _print_top_documents(console, documents: list[dict]) -> None:
    """The documents that reuse most, as a table."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    reused_docs = sorted((d for d in documents if (d.get("reused_claims") or 0) > 0), key=_doc_rank_key)
    if not reused_docs:
        console.print(Text("No document shares a claim with another."))
        return
    table = Table(
        title="Top documents by reuse", title_justify="left", box=box.SIMPLE_HEAD,
        pad_edge=False, show_edge=False,
    )
    table.add_column("document", overflow="ellipsis", no_wrap=True, max_width=30)
    table.add_column("source", overflow="ellipsis", no_wrap=True, max_width=24)
    table.add_column("published", no_wrap=True)
    table.add_column("reused", justify="right", no_wrap=True)
    table.add_column("share", justify="right", no_wrap=True)
    for d in reused_docs[:TEXT_TOP_DOCUMENTS]:
        table.add_row(
            Text(_plain(doc_name(d))),
            Text(_plain(d.get("source")) or "-"),
            Text(short_date(_plain(d.get("published"))) or "-"),
            Text(f"{d.get('reused_claims') or 0}/{d.get('claims') or 0}"),
            Text(share_percent(d)),
        )
    console.print(table)
    if len(reused_docs) > TEXT_TOP_DOCUMENTS:
        more = len(reused_docs) - TEXT_TOP_DOCUMENTS
        console.print(Text(f"... and {more} more {'document' if more == 1 else 'documents'} with reused claims"))


def _cluster_rank_key(cluster: dict) -> tuple:
    return (-(cluster.get("documents") or 0), -(cluster.get("size") or len(cluster.get("members") or [])))


def _print_top_clusters(console, clusters: list[dict], width: int) -> None:
    """The clusters spread over most documents: a head line, the origin's text and one summary
    line each (md and html list them all); a line too long for the width wraps under its own
    indentation."""
    from rich.text import Text

    if not clusters:
        console.print(Text("No clusters: no claim appears in more than one document."))
        return
    console.print(Text("Top clusters"))
    for cluster in sorted(clusters, key=_cluster_rank_key)[:TEXT_TOP_CLUSTERS]:
        om = origin_member(cluster.get("members") or []) or {}
        lines = _wrap(_cluster_head(cluster, om), "", width, "    ")
        lines += _wrap(f"“{shorten(_plain(om.get('text')), 100)}”", "    ", width, "     ")
        for extra in _text_cluster_extras(cluster):
            lines += _wrap(extra, "    ", width)
        for line in lines:
            console.print(Text(line))
    more = len(clusters) - TEXT_TOP_CLUSTERS
    if more > 0:
        console.print(Text(f"... and {plural(more, 'more cluster')} (use --format md or html for all)"))


def _cluster_head(cluster: dict, om: dict) -> str:
    """"#3  The Harbor Ledger, 2025-03-03: origin + 4 copies across 5 documents (2 verbatim, ...)"."""
    origin = cluster.get("origin") or {}
    copies = max(len(cluster.get("members") or []) - 1, 0)
    n_cdocs = cluster.get("documents")
    source = _plain(om.get("source")) or _plain(origin.get("doc_id")) or "unknown source"
    date = short_date(_plain(om.get("published"))) or "undated"
    if origin.get("basis") == "tie" and origin.get("tied"):
        first = f"tie between {_plain(tied_phrase(cluster, cluster.get('members') or []))}"
    else:
        first = f"{source}, {date}"
    head = f"#{_plain(cluster.get('id'))}  {first}: origin + {plural(copies, 'copy')}"
    if n_cdocs is not None:
        head += f" across {_count_of(n_cdocs, 'document')}"
    rel = relations_phrase(cluster)
    if rel:
        head += f" ({rel})"
    return head


def _text_cluster_extras(cluster: dict) -> list[str]:
    """One summary line per cluster (the terminal view is one screen; md and html have it all)."""
    ps = cluster.get("primary_source") or {}
    parts = []
    if ps.get("name") or ps.get("url"):
        parts.append(f"source: {_plain(ps.get('name')) or _plain(ps.get('url'))}" + (f" (to {_plain(ps.get('via'))})" if ps.get("via") else ""))
    chain = cluster.get("chain") or []
    if chain:
        credit = Counter(link.get("credit") for link in chain)
        parts.append(
            f"chain: {plural(len(chain), 'link')}, "
            + ", ".join(f"{credit[k]} {label}" for k, label in (("earlier", "credit the earlier"), ("outside", "credit an outside source"), ("none", "uncredited")) if credit.get(k))
        )
    unordered = cluster.get("unordered") or []
    if unordered:
        parts.append(f"{len(unordered)} not linked (order unknown: {', '.join(sorted({_plain(u.get('why')) for u in unordered}))})")
    changed = [m for m in cluster.get("members") or [] if m.get("differences")]
    for m in changed[:2]:
        parts.append(f"{_plain(m.get('doc_id'))}: {_plain(differences_phrase(m))}")
    return [shorten(" · ".join(parts), 150)] if parts else []


def _text_passages(report: dict) -> list[str]:
    """What the figures hide (unless shown), then the passages reused together."""
    out = []
    what, shown = hidden_phrase(report)
    if what and not shown:
        out += ["", f"Hidden from reuse figures: {what} (--show-hidden shows them)"]
    passages = report.get("passages") or []
    if not passages:
        return out
    out += ["", "Passages (consecutive claims reused together)"]
    for p in passages:
        out.append(
            f"  {_plain(p.get('source_doc'))} [{p.get('source_start')}:{p.get('source_end')}] → "
            f"{_plain(p.get('target_doc'))} [{p.get('target_start')}:{p.get('target_end')}]: "
            f"{_count_of(p.get('claims'), 'claim')}, {_plain(p.get('relation'))}, {'credited' if p.get('credited') else 'uncredited'}"
        )
    return out


def _text_credits(documents: list[dict]) -> list[str]:
    """Who each document credits, for what: the first documents and credits (one screen)."""
    credited = [d for d in documents if d.get("credits")]
    silent = [d for d in documents if not d.get("credits")]
    if not credited:
        return ["No document credits a source." if documents else ""]
    out = ["Credits by document (who each document credits, for what)"]
    for d in credited[:TEXT_CREDIT_DOCUMENTS]:
        where = _plain(d.get("url")) or _plain(d.get("path")) or _plain(d.get("id"))
        out.append(shorten(_plain(doc_name(d)), 98))
        out.append(f"  {_plain(d.get('source')) or 'no outlet'} · {short_date(_plain(d.get('published'))) or 'undated'} · {where}")
        for c in d["credits"][:TEXT_CREDITS_PER_DOCUMENT]:
            who = "; ".join(_plain(source_phrase(x)) for x in c.get("sources") or [] if isinstance(x, dict))
            out.append(f"    {shorten(who, 60)}: “{shorten(_plain(c.get('text')), 96 - min(len(who), 60) - 8)}”")
        if len(d["credits"]) > TEXT_CREDITS_PER_DOCUMENT:
            out.append(f"    ... and {len(d['credits']) - TEXT_CREDITS_PER_DOCUMENT} more credited claims")
    if len(credited) > TEXT_CREDIT_DOCUMENTS:
        out.append(f"... and {len(credited) - TEXT_CREDIT_DOCUMENTS} more documents with credits (use --format md or html for all)")
    if silent:
        out.append(f"No credits in: {shorten(', '.join(_plain(doc_name(d)) for d in silent), 140)}")
    return out


# --------------------------------------------------------------------------------------------
# the answer to a trace


def _wrap(text: str, indent: str, width: int, more: str | None = None) -> list[str]:
    """``text`` wrapped to ``width`` after ``indent``; its next lines start with ``more``
    (default: the same indent), so a wrapped line stays under what it belongs to."""
    return textwrap.wrap(
        text, width=max(width, 40), initial_indent=indent, subsequent_indent=indent if more is None else more,
        break_long_words=True, break_on_hyphens=False,
    ) or [indent.rstrip()]


def _count_of(value: Any, noun: str) -> str:
    """A count from a report field (which a hand-made report may leave out) with its noun."""
    return plural(value, noun) if isinstance(value, int) else f"{_plain(value)} {noun}s"

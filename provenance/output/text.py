"""Plain text for a person at a terminal: the one-screen report summary and the answer to a trace.

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

from ..records import RELATED
from .common import (
    differences_phrase,
    end_with_newline,
    fmt_sim,
    origin_member,
    relations_phrase,
    share,
    short_date,
    shorten,
    text_of,
)

__all__ = ["TEXT_TOP_CLUSTERS", "TEXT_TOP_DOCUMENTS", "render_text", "render_trace_text"]

TEXT_TOP_CLUSTERS = 10
TEXT_TOP_DOCUMENTS = 5


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
    from rich import box
    from rich.table import Table
    from rich.text import Text

    console = _console(width)
    summary = report.get("summary") or {}
    documents = report.get("documents") or []
    clusters = report.get("clusters") or []
    edges = report.get("document_edges") or []

    n_docs = summary.get("documents", len(documents))
    n_claims = summary.get("claims", sum(d.get("claims") or 0 for d in documents))
    n_clusters = summary.get("clusters", len(clusters))
    n_reused = summary.get("reused_claims", sum(d.get("reused_claims") or 0 for d in documents))
    n_edges = summary.get("document_edges", len(edges))

    console.print(Text("Provenance report"))
    console.print(
        Text(
            f"{n_docs} documents · {n_claims} claims · {n_clusters} clusters · "
            f"{n_reused} reused claims · {n_edges} document edges"
        )
    )
    generated = _plain(report.get("generated_at"))
    store = report.get("store") or {}
    if generated or store.get("path"):
        bits = []
        if store.get("path"):
            bits.append(f"store {_plain(store.get('path'))}")
        if generated:
            bits.append(f"generated {generated}")
        console.print(Text(" · ".join(bits)))

    reused_docs = sorted((d for d in documents if (d.get("reused_claims") or 0) > 0), key=_doc_rank_key)
    console.print()
    if reused_docs:
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
                Text(_plain(d.get("title")) or _plain(d.get("id"))),
                Text(_plain(d.get("source")) or "-"),
                Text(short_date(_plain(d.get("published"))) or "-"),
                Text(f"{d.get('reused_claims') or 0}/{d.get('claims') or 0}"),
                Text(f"{share(d) * 100:.0f}%"),
            )
        console.print(table)
        if len(reused_docs) > TEXT_TOP_DOCUMENTS:
            console.print(Text(f"... and {len(reused_docs) - TEXT_TOP_DOCUMENTS} more documents with reused claims"))
    else:
        console.print(Text("No document shares a claim with another."))

    console.print()
    if clusters:
        console.print(Text("Top clusters"))
        ranked = sorted(clusters, key=_cluster_rank_key)
        for cluster in ranked[:TEXT_TOP_CLUSTERS]:
            om = origin_member(cluster.get("members") or []) or {}
            origin = cluster.get("origin") or {}
            members = cluster.get("members") or []
            copies = max(len(members) - 1, 0)
            n_cdocs = cluster.get("documents")
            source = _plain(om.get("source")) or _plain(origin.get("doc_id")) or "unknown source"
            date = short_date(_plain(om.get("published"))) or "undated"
            head = f"#{_plain(cluster.get('id'))}  {source}, {date}: origin + {copies} cop{'ies' if copies != 1 else 'y'}"
            if n_cdocs is not None:
                head += f" across {n_cdocs} documents"
            rel = relations_phrase(cluster)
            if rel:
                head += f" ({rel})"
            console.print(Text(head, overflow="ellipsis", no_wrap=True))
            console.print(
                Text(f"    “{shorten(_plain(om.get('text')), 100)}”", overflow="ellipsis", no_wrap=True)
            )
            for extra in _text_cluster_extras(cluster):
                console.print(Text(extra, overflow="ellipsis", no_wrap=True))
        more = len(clusters) - TEXT_TOP_CLUSTERS
        if more > 0:
            console.print(Text(f"... and {more} more clusters (use --format md or html for all)"))
    else:
        console.print(Text("No clusters: no claim appears in more than one document."))
    for extra in _text_passages(report):
        console.print(Text(extra, overflow="ellipsis", no_wrap=True))
    return _console_text(console)


def _cluster_rank_key(cluster: dict) -> tuple:
    return (-(cluster.get("documents") or 0), -(cluster.get("size") or len(cluster.get("members") or [])))


def _doc_rank_key(doc: dict) -> tuple:
    return (-(doc.get("reused_claims") or 0), -share(doc), text_of(doc.get("id")))


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
            f"chain: {len(chain)} link{'s' if len(chain) != 1 else ''}, "
            + ", ".join(f"{credit[k]} {label}" for k, label in (("earlier", "credit the earlier"), ("outside", "credit an outside source"), ("none", "uncredited")) if credit.get(k))
        )
    changed = [m for m in cluster.get("members") or [] if m.get("differences")]
    for m in changed[:2]:
        parts.append(f"{_plain(m.get('doc_id'))}: {_plain(differences_phrase(m))}")
    return ["    " + shorten(" · ".join(parts), 150)] if parts else []


def _text_passages(report: dict) -> list[str]:
    out = []
    hidden = {k: v for k, v in (report.get("hidden") or {}).items() if k != "shown" and v}
    if hidden and not (report.get("hidden") or {}).get("shown"):
        what = ", ".join(f"{v} {k}" for k, v in sorted(hidden.items()))
        out += ["", f"Hidden from reuse figures: {what} (--show-hidden shows them)"]
    passages = report.get("passages") or []
    if not passages:
        return out
    out += ["", "Passages (consecutive claims reused together)"]
    for p in passages:
        out.append(
            f"  {_plain(p.get('source_doc'))} [{p.get('source_start')}:{p.get('source_end')}] → "
            f"{_plain(p.get('target_doc'))} [{p.get('target_start')}:{p.get('target_end')}]: "
            f"{p.get('claims')} claims, {_plain(p.get('relation'))}, {'credited' if p.get('credited') else 'uncredited'}"
        )
    return out


# --------------------------------------------------------------------------------------------
# the answer to a trace


def _wrap(text: str, indent: str, width: int) -> list[str]:
    return textwrap.wrap(
        text, width=max(width, 40), initial_indent=indent, subsequent_indent=indent,
        break_long_words=True, break_on_hyphens=False,
    ) or [indent.rstrip()]


def _spread_line(result: dict) -> str:
    """The documents that carry the claim: the origin, then the real matches of its cluster (not
    the related ones), earliest first: the chain a reader follows from the origin to the latest
    copy."""
    origin = result.get("origin") or {}
    cluster_id = result.get("cluster_id")
    seen: dict[str, dict] = {}
    for m in result.get("matches") or []:
        if m.get("relation") == RELATED or m.get("doc_id") is None:
            continue
        if cluster_id is not None and m.get("cluster_id") != cluster_id:
            continue
        if origin and m.get("doc_id") == origin.get("doc_id"):
            continue
        seen.setdefault(_plain(m.get("doc_id")), m)
    if not seen or not origin.get("doc_id"):
        return ""

    def key(m: dict) -> tuple:
        date = short_date(_plain(m.get("published")))
        return (date == "", date)

    def step(m: dict) -> str:
        return f"{_plain(m.get('source')) or _plain(m.get('doc_id'))} ({short_date(_plain(m.get('published'))) or 'undated'})"

    return "Chain from the origin: " + " → ".join([step(origin)] + [step(m) for m in sorted(seen.values(), key=key)])


def render_trace_text(result: dict, width: int = 100) -> str:
    """A readable terminal answer for one trace result."""
    lines: list[str] = []
    if result.get("id") is not None:
        lines.append(f"Query {_plain(result.get('id'))}:")
        lines += _wrap(f"“{_plain(result.get('query'))}”", "  ", width)
    else:
        lines += _wrap(f"Query: “{_plain(result.get('query'))}”", "", width)
    claims = [c for c in result.get("query_claims") or [] if _plain(c)]
    if len(claims) > 1:
        lines.append(f"  (split into {len(claims)} claims)")

    matches = result.get("matches") or []
    lines.append("")
    if not matches:
        lines.append("No match in the store.")
        return end_with_newline("\n".join(lines))

    origin = result.get("origin")
    if origin:
        source = _plain(origin.get("source")) or "unknown source"
        date = _plain(origin.get("published")) or "undated"
        head = f"Origin: {source}, {date} (doc {_plain(origin.get('doc_id'))}"
        if origin.get("basis"):
            head += f", basis: {_plain(origin.get('basis'))}"
        head += ")"
        if result.get("cluster_id") is not None:
            head += f", cluster {_plain(result.get('cluster_id'))}"
        lines += _wrap(head, "", width)
        if origin.get("text"):
            lines += _wrap(f"“{_plain(origin.get('text'))}”", "  ", width)
        lines += _trace_differences_lines(origin, "  Your text differs: ", width)
    else:
        lines.append("Origin: not traced (no match is shared with another document).")
    ps = result.get("primary_source")
    if ps and (ps.get("name") or ps.get("url")):
        parts = [p for p in (_plain(ps.get("name")), _plain(ps.get("url"))) if p]
        if len(parts) == 2:
            lines.append(f"Primary source: {parts[0]} <{parts[1]}>")
        else:
            lines.append(f"Primary source: {parts[0]}")
        lines += _trace_source_detail(ps)
    spread = _spread_line(result)
    if spread:
        lines += _wrap(spread, "", width)

    strong = [m for m in matches if m.get("relation") != RELATED]
    related = [m for m in matches if m.get("relation") == RELATED]
    lines.append("")
    n = 0

    def add(m: dict) -> None:
        nonlocal n
        n += 1
        source = _plain(m.get("source")) or "unknown source"
        date = short_date(_plain(m.get("published"))) or "undated"
        head = (
            f"{n:>2}. {_plain(m.get('relation')):<13} {fmt_sim(m.get('similarity'), '-'):>5}  "
            f"{source}, {date}  [doc {_plain(m.get('doc_id'))}]"
        )
        lines.extend(_wrap(head, "", width))
        lines.extend(_wrap(f"“{_plain(m.get('text'))}”", "    ", width))
        lines.extend(_trace_differences_lines(m, "    Differs from the origin: ", width))

    if strong:
        lines.append("Matches:")
        for m in strong:
            add(m)
    else:
        lines.append("No close match; related claims only.")
    if related:
        lines.append("--- related ---")
        for m in related:
            add(m)
    return end_with_newline("\n".join(lines))


def _trace_differences_lines(record: dict, prefix: str, width: int) -> list[str]:
    phrase = differences_phrase(record)
    return _wrap(prefix + _plain(phrase), "    ", width) if phrase else []


def _trace_source_detail(ps: dict) -> list[str]:
    bits = []
    if ps.get("document") and ps.get("cue") != "footnote":
        bits.append(_plain(ps.get("document")))
    elif ps.get("marker"):
        bits.append(f"footnote [{_plain(ps.get('marker'))}]" + (f": {shorten(_plain(ps.get('document')), 80)}" if ps.get("document") else ""))
    if ps.get("via"):
        bits.append(f"given to {_plain(ps.get('via'))}")
    if ps.get("cue"):
        bits.append(f"cue “{_plain(ps.get('cue'))}”")
    if ps.get("credited_by"):
        bits.append("credited by " + ", ".join(_plain(d) for d in ps.get("credited_by")))
    return [f"  ({'; '.join(bits)})"] if bits else []

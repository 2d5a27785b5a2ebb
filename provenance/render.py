"""Render reuse reports and trace results as text.

Pure functions from the plain report / trace dicts (built elsewhere) to strings. Every field that
comes from a document (text, title, source, url, ids) is untrusted: each format escapes it for
its own medium (HTML autoescaping, Markdown table cells, CSV formula injection, terminal control
characters).

Every renderer returns a string that ends with exactly one newline, so callers write it as is
(``click.echo(out, nl=False)`` or ``Path.write_text(out)``).
"""

from __future__ import annotations

import csv
import io
import re
import textwrap
import unicodedata
from collections import Counter
from typing import Any, Callable

import orjson

from .errors import UsageProblem
from .formats import FORMATS as _FORMATS
from .records import RELATIONS

__all__ = [
    "REPORT_FORMATS",
    "render_report",
    "render_trace_text",
    "report_formats",
    "render_json",
    "render_markdown",
    "render_csv",
    "render_text",
    "render_html",
]

_HTTP_URL = re.compile(r"^https?://[^\s<>\"'`]+$", re.IGNORECASE)


# --------------------------------------------------------------------------------------------
# small shared helpers


def _str(value: Any) -> str:
    return "" if value is None else str(value)


def _fmt_sim(value: Any, none: str = "") -> str:
    if value is None:
        return none
    try:
        return f"{float(value):.2f}"
    except (TypeError, ValueError):
        return none


def _share(doc: dict) -> float:
    share = doc.get("reuse_share")
    if share is None:
        claims = doc.get("claims") or 0
        share = (doc.get("reused_claims") or 0) / claims if claims else 0.0
    try:
        share = float(share)
    except (TypeError, ValueError):
        return 0.0
    if share != share:  # NaN
        return 0.0
    return min(max(share, 0.0), 1.0)


def _short_date(value: Any) -> str:
    """The date part of an ISO 8601 date-time (what a person needs in a list)."""
    text = _str(value)
    if re.match(r"^\d{4}-\d{2}-\d{2}", text):
        return text[:10]
    return text


def _is_http_url(value: Any) -> bool:
    return isinstance(value, str) and bool(_HTTP_URL.match(value))


def _origin_member(cluster: dict) -> dict | None:
    members = cluster.get("members") or []
    for member in members:
        if member.get("relation") == "origin":
            return member
    return members[0] if members else None


def _other_members(cluster: dict) -> list[dict]:
    origin = _origin_member(cluster)
    return [m for m in cluster.get("members") or [] if m is not origin]


def _relation_counts(cluster: dict) -> Counter:
    return Counter(_str(m.get("relation")) for m in _other_members(cluster))


def _relations_phrase(counts: Counter) -> str:
    parts = [f"{counts[r]} {r}" for r in RELATIONS if counts.get(r)]
    parts += [f"{n} {r}" for r, n in sorted(counts.items()) if r not in RELATIONS and n]
    return ", ".join(parts)


def _differences_phrase(member: dict) -> str:
    out = []
    for diff in member.get("differences") or []:
        if not isinstance(diff, dict):
            continue
        kind = _str(diff.get("kind")) or "change"
        out.append(f"{kind}: {_str(diff.get('origin'))} → {_str(diff.get('member'))}")
    return "; ".join(out)


def _cluster_rank_key(cluster: dict) -> tuple:
    return (-(cluster.get("documents") or 0), -(cluster.get("size") or len(cluster.get("members") or [])))


def _doc_rank_key(doc: dict) -> tuple:
    return (-(doc.get("reused_claims") or 0), -_share(doc), _str(doc.get("id")))


# Terminal output must not carry escape sequences from documents: drop C0/C1 controls (ESC,
# BEL, ...) and format characters (bidi overrides, zero-width), fold line breaks to spaces.
def _plain(value: Any) -> str:
    text = _str(value)
    out = []
    for ch in text:
        if ch in "\n\r\t\v\f\u2028\u2029\x85":
            out.append(" ")
        elif unicodedata.category(ch) in ("Cc", "Cf"):
            continue
        else:
            out.append(ch)
    return re.sub(r" {2,}", " ", "".join(out)).strip()


def _shorten(text: str, limit: int = 100) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:.") + "…"


def _end_with_newline(text: str) -> str:
    return text.rstrip("\n") + "\n"


# --------------------------------------------------------------------------------------------
# json


def render_json(report: dict) -> str:
    """The report as indented JSON (keys in the order given), ending with a newline."""
    data = orjson.dumps(report, option=orjson.OPT_INDENT_2 | orjson.OPT_SERIALIZE_NUMPY)
    return data.decode("utf-8") + "\n"


# --------------------------------------------------------------------------------------------
# markdown

# Characters that Markdown (CommonMark/GFM) would read as syntax or raw HTML inside running text.
_MD_SPECIAL = re.compile(r"([\\`\[\]<|])")


def _md(value: Any) -> str:
    """Escape a value for a Markdown table cell or inline text: one line, no live syntax, no
    raw HTML, no cell breaks."""
    text = _str(value)
    text = re.sub(r"\r\n|\r|\n|\u2028|\u2029", " ", text)
    text = "".join(ch for ch in text if ch == "\t" or unicodedata.category(ch) != "Cc")
    text = text.replace("\t", " ")
    return _MD_SPECIAL.sub(r"\\\1", text)


def _md_quote(value: Any) -> str:
    return f"“{_md(value)}”" if value is not None else ""


def _md_url(value: Any) -> str:
    if _is_http_url(value):
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
    summary = report.get("summary") or {}
    store = report.get("store") or {}
    documents = report.get("documents") or []
    clusters = report.get("clusters") or []
    edges = report.get("document_edges") or []
    doc_titles = {d.get("id"): d.get("title") for d in documents}

    out: list[str] = ["# Provenance report", ""]
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

    out += [
        "## Summary",
        "",
        f"- Documents: {summary.get('documents', len(documents))}",
        f"- Claims: {summary.get('claims', sum(d.get('claims') or 0 for d in documents))}",
        f"- Clusters: {summary.get('clusters', len(clusters))}",
        f"- Reused claims: {summary.get('reused_claims', sum(d.get('reused_claims') or 0 for d in documents))}",
        f"- Document edges: {summary.get('document_edges', len(edges))}",
        "",
        "## Documents",
        "",
    ]
    if documents:
        rows = [
            [
                _md(d.get("id")),
                _md(d.get("source")),
                _md(d.get("published")),
                str(d.get("claims") or 0),
                str(d.get("reused_claims") or 0),
                f"{_share(d) * 100:.0f}%",
            ]
            for d in documents
        ]
        out += _md_table(["id", "source", "published", "claims", "reused", "share"], rows, "lllrrr")
    else:
        out.append("No documents.")
    out.append("")

    out += ["## Clusters", ""]
    if not clusters:
        out += ["No claim is shared between documents.", ""]
    for cluster in clusters:
        origin = cluster.get("origin") or {}
        om = _origin_member(cluster) or {}
        n_members = cluster.get("size") or len(cluster.get("members") or [])
        n_docs = cluster.get("documents")
        heading = f"### Cluster {_md(cluster.get('id'))}: {n_members} members"
        if n_docs is not None:
            heading += f" in {n_docs} documents"
        out += [heading, ""]
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
        out.append(line)
        ps = cluster.get("primary_source")
        if ps and (ps.get("name") or ps.get("url")):
            parts = [p for p in (_md(ps.get("name")), _md_url(ps.get("url"))) if p]
            out.append(f"- **Primary source:** {' '.join(parts)}")
        counts = _relations_phrase(_relation_counts(cluster))
        if counts:
            out.append(f"- **Relations:** {counts}")
        out += ["", f"> {_md_quote(om.get('text'))}", ""]
        rows = []
        for m in cluster.get("members") or []:
            rows.append(
                [
                    _md(m.get("relation")),
                    _fmt_sim(m.get("similarity"), "—"),
                    _md(m.get("doc_id")),
                    _md(m.get("source")),
                    _md(m.get("published")),
                    _md_quote(m.get("text")),
                    _md(_differences_phrase(m)),
                ]
            )
        out += _md_table(
            ["relation", "similarity", "doc", "source", "published", "text", "differences"],
            rows,
            "lrlllll",
        )
        out.append("")
        out += _md_chain(cluster)

    out += _md_passages(report)
    out += ["## Document edges", ""]
    if edges:
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
        out += _md_table(
            ["from (earlier)", "to (reuses)", "shared claims", *RELATIONS], rows, "llrrrr"
        )
    else:
        out.append("No document reuses another.")
    return _end_with_newline("\n".join(out))


# --------------------------------------------------------------------------------------------
# csv

CSV_COLUMNS = [
    "cluster_id",
    "origin_doc",
    "origin_claim",
    "origin_published",
    "member_doc",
    "member_claim",
    "member_published",
    "relation",
    "similarity",
    "lexical",
    "origin_text",
    "member_text",
]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: Any) -> Any:
    """Numbers as numbers; strings guarded against spreadsheet formula injection."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, int):
        return value
    text = str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


def render_csv(report: dict) -> str:
    """One row per (origin member, other member) pair of each cluster."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(CSV_COLUMNS)
    for cluster in report.get("clusters") or []:
        origin = _origin_member(cluster)
        if origin is None:
            continue
        for m in _other_members(cluster):
            row = [
                cluster.get("id"),
                origin.get("doc_id"),
                origin.get("claim_id"),
                origin.get("published"),
                m.get("doc_id"),
                m.get("claim_id"),
                m.get("published"),
                m.get("relation"),
                m.get("similarity"),
                m.get("lexical"),
                origin.get("text"),
                m.get("text"),
            ]
            writer.writerow([_csv_cell(v) for v in row])
    return buf.getvalue()


# --------------------------------------------------------------------------------------------
# text (rich, rendered to a string)

TEXT_TOP_CLUSTERS = 10
TEXT_TOP_DOCUMENTS = 5


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
    return _end_with_newline("\n".join(line.rstrip() for line in value.splitlines()))


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
                Text(_short_date(_plain(d.get("published"))) or "-"),
                Text(f"{d.get('reused_claims') or 0}/{d.get('claims') or 0}"),
                Text(f"{_share(d) * 100:.0f}%"),
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
            om = _origin_member(cluster) or {}
            origin = cluster.get("origin") or {}
            members = cluster.get("members") or []
            copies = max(len(members) - 1, 0)
            n_cdocs = cluster.get("documents")
            source = _plain(om.get("source")) or _plain(origin.get("doc_id")) or "unknown source"
            date = _short_date(_plain(om.get("published"))) or "undated"
            head = f"#{_plain(cluster.get('id'))}  {source}, {date}: origin + {copies} cop{'ies' if copies != 1 else 'y'}"
            if n_cdocs is not None:
                head += f" across {n_cdocs} documents"
            rel = _relations_phrase(_relation_counts(cluster))
            if rel:
                head += f" ({rel})"
            console.print(Text(head, overflow="ellipsis", no_wrap=True))
            console.print(
                Text(f"    “{_shorten(_plain(om.get('text')), 100)}”", overflow="ellipsis", no_wrap=True)
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


# --------------------------------------------------------------------------------------------
# html: the interactive page lives in html_report (jinja2, autoescape on, strict CSP)


def render_html(report: dict) -> str:
    """A self-contained interactive HTML page (see :mod:`provenance.html_report`)."""
    from .html_report import render_html as _render_html

    return _render_html(report)


# --------------------------------------------------------------------------------------------
# registry: the formats themselves are listed in provenance.formats (renderers load when used)

REPORT_FORMATS: dict[str, Callable[[dict], str]] = dict(_FORMATS)


def report_formats() -> list[str]:
    """The format names, sorted (for ``click.Choice``)."""
    return sorted(REPORT_FORMATS)


def render_report(report: dict, fmt: str) -> str:
    """Render ``report`` in format ``fmt``; an unknown format raises :class:`UsageProblem`."""
    renderer = REPORT_FORMATS.get(fmt) if isinstance(fmt, str) else None
    if renderer is None:
        raise UsageProblem(
            f"unknown report format {fmt!r}; choose one of: {', '.join(report_formats())}"
        )
    return renderer(report)


# --------------------------------------------------------------------------------------------
# trace


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
        if m.get("relation") == "related" or m.get("doc_id") is None:
            continue
        if cluster_id is not None and m.get("cluster_id") != cluster_id:
            continue
        if origin and m.get("doc_id") == origin.get("doc_id"):
            continue
        seen.setdefault(_plain(m.get("doc_id")), m)
    if not seen or not origin.get("doc_id"):
        return ""

    def key(m: dict) -> tuple:
        date = _short_date(_plain(m.get("published")))
        return (date == "", date)

    def step(m: dict) -> str:
        return f"{_plain(m.get('source')) or _plain(m.get('doc_id'))} ({_short_date(_plain(m.get('published'))) or 'undated'})"

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
        return _end_with_newline("\n".join(lines))

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

    strong = [m for m in matches if m.get("relation") != "related"]
    related = [m for m in matches if m.get("relation") == "related"]
    lines.append("")
    n = 0

    def add(m: dict) -> None:
        nonlocal n
        n += 1
        source = _plain(m.get("source")) or "unknown source"
        date = _short_date(_plain(m.get("published"))) or "undated"
        head = (
            f"{n:>2}. {_plain(m.get('relation')):<13} {_fmt_sim(m.get('similarity'), '-'):>5}  "
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
    return _end_with_newline("\n".join(lines))


# --------------------------------------------------------------------------------------------
# issue 3: witness chains, passages and differences in Markdown and terminal text


def _credit_phrase(link: dict) -> str:
    credit = link.get("credit")
    names = ", ".join(_str(n) for n in link.get("credits") or [])
    if credit == "earlier":
        return f"credits {names or 'the earlier document'}"
    if credit == "outside":
        return f"credits {names or 'an outside source'}"
    return "uncredited"


def _words_phrase(words: dict) -> str:
    added = [w for w in words.get("added") or [] if w]
    dropped = [w for w in words.get("dropped") or [] if w]
    parts = [f"{words.get('kept', 0)} kept"]
    if dropped:
        parts.append("dropped “" + "”, “".join(_shorten(_str(w), 60) for w in dropped) + "”")
    if added:
        parts.append("added “" + "”, “".join(_shorten(_str(w), 60) for w in added) + "”")
    return "; ".join(parts)


def _gap_phrase(days: Any) -> str:
    if days is None:
        return "undated"
    return f"+{float(days):.1f} d" if float(days) >= 0 else f"{float(days):.1f} d"


def _md_chain(cluster: dict) -> list[str]:
    chain = cluster.get("chain") or []
    if not chain:
        return []
    rows = [
        [
            f"{_md(link.get('from_doc'))} → {_md(link.get('to_doc'))}",
            _md(_gap_phrase(link.get("gap_days"))),
            _fmt_sim(link.get("similarity"), "—"),
            _md(link.get("relation")),
            _md(_credit_phrase(link)),
            _md(_words_phrase(link.get("words") or {})),
        ]
        for link in chain
    ]
    return ["**Witness chain**", ""] + _md_table(["link", "gap", "similarity", "relation", "credit", "words"], rows, "lrrlll") + [""]


def _md_passages(report: dict) -> list[str]:
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
                "yes" if p.get("credited") else "no",
                _md_quote(_shorten(_str(p.get("text")), 200)),
            ]
            for p in passages
        ]
        out += _md_table(["from", "chars", "to", "chars", "claims", "relation", "credited", "text"], rows, "llllrlll") + [""]
    hidden = {k: v for k, v in (report.get("hidden") or {}).items() if k != "shown" and v}
    if hidden:
        shown = (report.get("hidden") or {}).get("shown")
        what = ", ".join(f"{v} {k}" for k, v in sorted(hidden.items()))
        out += [f"_Hidden from reuse figures: {what}" + (" (shown above, marked)._" if shown else "; `report --show-hidden` shows them._"), ""]
    return out


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
        parts.append(f"{_plain(m.get('doc_id'))}: {_plain(_differences_phrase(m))}")
    return ["    " + _shorten(" · ".join(parts), 150)] if parts else []


def _text_cluster_parts(cluster: dict) -> list[str]:
    out = []
    ps = cluster.get("primary_source")
    if ps and (ps.get("name") or ps.get("url")):
        line = f"    primary source: {_plain(ps.get('name')) or _plain(ps.get('url'))}"
        if ps.get("via"):
            line += f" (to {_plain(ps.get('via'))})"
        if ps.get("url") and ps.get("name"):
            line += f" <{_plain(ps.get('url'))}>"
        out.append(line)
    for m in cluster.get("members") or []:
        phrase = _differences_phrase(m)
        if phrase:
            out.append(f"    changed in {_plain(m.get('doc_id'))}: {_plain(phrase)}")
    chain = cluster.get("chain") or []
    if chain:
        steps = [f"{_plain(link.get('to_doc'))} ({_gap_phrase(link.get('gap_days'))}, {_credit_phrase(link)})" for link in chain]
        out.append(f"    chain: {_plain(chain[0].get('from_doc'))} → " + " → ".join(steps))
    return out


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


def _trace_differences_lines(record: dict, prefix: str, width: int) -> list[str]:
    phrase = _differences_phrase(record)
    return _wrap(prefix + _plain(phrase), "    ", width) if phrase else []


def _trace_source_detail(ps: dict) -> list[str]:
    bits = []
    if ps.get("document") and ps.get("cue") != "footnote":
        bits.append(_plain(ps.get("document")))
    elif ps.get("marker"):
        bits.append(f"footnote [{_plain(ps.get('marker'))}]" + (f": {_shorten(_plain(ps.get('document')), 80)}" if ps.get("document") else ""))
    if ps.get("via"):
        bits.append(f"given to {_plain(ps.get('via'))}")
    if ps.get("cue"):
        bits.append(f"cue “{_plain(ps.get('cue'))}”")
    if ps.get("credited_by"):
        bits.append("credited by " + ", ".join(_plain(d) for d in ps.get("credited_by")))
    return [f"  ({'; '.join(bits)})"] if bits else []

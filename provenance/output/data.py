"""The report as data for other programs: JSON (the whole report, report.schema.json) and CSV
(one row per origin and copy, then one row per credit a document gives, for spreadsheets).

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula, so every
text cell that does is defused with a leading ``'``; numbers we computed stay numbers.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import orjson

from .common import doc_name, origin_member, other_members

__all__ = ["CSV_COLUMNS", "render_json", "render_csv"]


def render_json(report: dict) -> str:
    """The report as indented JSON (keys in the order given), ending with a newline."""
    data = orjson.dumps(report, option=orjson.OPT_INDENT_2 | orjson.OPT_SERIALIZE_NUMPY)
    return data.decode("utf-8") + "\n"


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
    # Added after the pair columns, so their positions stay: what kind of row ("reuse": an
    # origin and a copy; "credit": a claim of a document and one source it credits), the
    # member's document as a person reads it, and the credit.
    "row",
    "member_name",
    "member_path",
    "credited_source",
    "credit_kind",
    "credit_cue",
    "credit_url",
    "credit_marker",
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


def _join(values: list) -> str | None:
    return "; ".join(str(v) for v in values if v) or None


def _csv_row(cluster: dict, origin: dict, member: dict, doc: dict) -> list:
    credits = [c for c in member.get("credits") or [] if isinstance(c, dict)]
    return [
        cluster.get("id"),
        origin.get("doc_id"),
        origin.get("claim_id"),
        origin.get("published"),
        member.get("doc_id"),
        member.get("claim_id"),
        member.get("published"),
        member.get("relation"),
        member.get("similarity"),
        member.get("lexical"),
        origin.get("text"),
        member.get("text"),
        "reuse",
        doc_name(doc) if doc else None,
        doc.get("path"),
        _join([c.get("name") for c in credits]),
        _join([c.get("kind") for c in credits]),
        _join([c.get("cue") for c in credits]),
        _join([c.get("url") for c in credits]),
        _join([c.get("marker") for c in credits]),
    ]


def _credit_rows(doc: dict) -> list[list]:
    """One row per (credited claim, source) of a document: who it credits, for what."""
    rows = []
    for credit in doc.get("credits") or []:
        for src in credit.get("sources") or []:
            rows.append([
                None, None, None, None, doc.get("id"), credit.get("claim_id"), doc.get("published"), None, None, None,
                None, credit.get("text"), "credit", doc_name(doc), doc.get("path"), src.get("name"), src.get("kind"),
                src.get("cue"), src.get("url"), src.get("marker"),
            ])
    return rows


def render_csv(report: dict) -> str:
    """One row per (origin member, other member) pair of each cluster, then one per credit."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(CSV_COLUMNS)
    documents = [d for d in report.get("documents") or [] if isinstance(d, dict)]
    doc_of = {d.get("id"): d for d in documents}
    for cluster in report.get("clusters") or []:
        origin = origin_member(cluster.get("members") or [])
        if origin is None:
            continue
        for m in other_members(cluster):
            writer.writerow([_csv_cell(v) for v in _csv_row(cluster, origin, m, doc_of.get(m.get("doc_id")) or {})])
    for doc in documents:
        for row in _credit_rows(doc):
            writer.writerow([_csv_cell(v) for v in row])
    return buf.getvalue()

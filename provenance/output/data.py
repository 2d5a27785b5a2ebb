"""The report as data for other programs: JSON (the whole report, report.schema.json) and CSV
(one row per origin and copy, for spreadsheets).

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula, so every
text cell that does is defused with a leading ``'``; numbers we computed stay numbers.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import orjson

from .common import origin_member, other_members

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


def _csv_row(cluster: dict, origin: dict, member: dict) -> list:
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
    ]


def render_csv(report: dict) -> str:
    """One row per (origin member, other member) pair of each cluster."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(CSV_COLUMNS)
    for cluster in report.get("clusters") or []:
        origin = origin_member(cluster.get("members") or [])
        if origin is None:
            continue
        for m in other_members(cluster):
            writer.writerow([_csv_cell(v) for v in _csv_row(cluster, origin, m)])
    return buf.getvalue()

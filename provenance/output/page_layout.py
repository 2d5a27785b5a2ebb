"""The reuse graph's layout for the HTML page: time runs left to right, one lane per outlet.

Python places the nodes so the page's script only draws them, and the same report always draws
the same picture. Past :data:`MAX_GRAPH_NODES` documents only the most connected are drawn (the
page says so); every document stays reachable from the page's lists.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import date
from typing import Any, Callable

from ..records import ORIGIN, RELATIONS

__all__ = ["PAGE_RELATIONS", "MAX_GRAPH_NODES", "MAX_GRAPH_LANES", "publication_day", "graph_layout"]

# The origin first, then the reuse relations: the page's data refers to them by index.
PAGE_RELATIONS = (ORIGIN, *RELATIONS)
MAX_GRAPH_NODES = 250
MAX_GRAPH_LANES = 12
_OTHER_OUTLETS = -2  # the lane of every outlet past the first MAX_GRAPH_LANES - 1
_WIDTH, _LEFT, _TOP = 1100, 150, 30


def publication_day(value: Any) -> str:
    """The YYYY-MM-DD a date names, "" when it names no real day."""
    text = value if isinstance(value, str) else ""
    m = re.match(r"^(\d{4})-(\d{2})-(\d{2})", text)
    if not m:
        return ""
    try:
        date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return ""
    return m[0]


def graph_layout(documents: list[dict], edges: list[dict], outlet_of: dict[str, int]) -> dict:
    """Place the documents that take part in reuse: x by publication day (undated ones in a
    column at the right), y by outlet lane, documents of one lane and day stacked. Deterministic:
    the same report always draws the same picture."""
    pairs, degree = _weighted_edges(documents, edges)
    keep = {n for n, _ in sorted(degree.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_GRAPH_NODES]}
    pairs = [p for p in pairs if p[0] in keep and p[1] in keep]
    lane_outlets, lane_of = _lanes(documents, keep, outlet_of)
    day_of = {n: publication_day(documents[n].get("published")) for n in keep}
    # Small graphs carry a label beside each dot; the axis leaves room for the rightmost ones.
    labels = len(keep) <= 40
    x_of_day, ticks = _time_axis(sorted(set(day_of.values()) - {""}), labels, "" in day_of.values())
    nodes, lane_tops, lane_heights = _place_nodes({n: x_of_day(d) for n, d in day_of.items()}, lane_of, len(lane_outlets), labels)
    return {
        "width": _WIDTH,
        "height": lane_tops[-1] + lane_heights[-1] + 10 if lane_outlets else _TOP + 46,
        "nodes": nodes,
        "edges": [list(p) for p in pairs],
        "lanes": [[o, lane_tops[i], lane_heights[i]] for i, o in enumerate(lane_outlets)],
        "ticks": ticks,
        "labels": labels,
        "shown": len(keep),
        "total": len(degree),
    }


def _weighted_edges(documents: list[dict], edges: list[dict]) -> tuple[list[tuple], Counter[int]]:
    """Each document edge as (source, target, shared claims, its strongest relation's index in
    PAGE_RELATIONS), and each document's degree weighted by shared claims."""
    doc_index = {d["id"]: i for i, d in enumerate(documents)}
    degree: Counter[int] = Counter()
    pairs = []
    for e in edges:
        s, t = doc_index.get(e.get("source_doc")), doc_index.get(e.get("target_doc"))
        if s is None or t is None or s == t:
            continue
        w = int(e.get("shared_claims") or 1)
        rels = e.get("relations") or {}
        top = max(RELATIONS, key=lambda r: (rels.get(r) or 0, -RELATIONS.index(r)))
        # An edge without relation counts is drawn as the weakest relation (paraphrase).
        pairs.append((s, t, w, PAGE_RELATIONS.index(top if rels.get(top) else "paraphrase")))
        degree[s] += w
        degree[t] += w
    return pairs, degree


def _lanes(documents: list[dict], keep: set[int], outlet_of: dict[str, int]) -> tuple[list[int], dict[int, int]]:
    """The outlets with most drawn documents get a lane each, then one lane for all the others;
    returns the lanes' outlets and each drawn document's lane."""
    outlet = {n: outlet_of.get(documents[n].get("source") or "", -1) for n in keep}
    lane_count = Counter(outlet.values())
    lane_outlets = [o for o, _ in sorted(lane_count.items(), key=lambda kv: (-kv[1], kv[0]))]
    if len(lane_outlets) > MAX_GRAPH_LANES:
        lane_outlets = lane_outlets[: MAX_GRAPH_LANES - 1] + [_OTHER_OUTLETS]
    lane_of_outlet = {o: i for i, o in enumerate(lane_outlets)}
    other_lane = lane_of_outlet.get(_OTHER_OUTLETS, 0)
    return lane_outlets, {n: lane_of_outlet.get(o, other_lane) for n, o in outlet.items()}


def _time_axis(days: list[str], labels: bool, undated: bool) -> tuple[Callable[[str], float], list[list]]:
    """x of a publication day (the days evenly spaced by rank, "" in the undated column at the
    right), and the axis ticks: at most about eight days, then "undated"."""
    right = 170 if labels else 40
    undated_col = 120 if undated else 0
    span = _WIDTH - _LEFT - right - undated_col
    rank = {d: i for i, d in enumerate(days)}

    def x_of(day: str) -> float:
        if not day:
            return _WIDTH - right - undated_col / 2
        if len(days) == 1:
            return _LEFT + span / 2
        return _LEFT + span * rank[day] / (len(days) - 1)

    ticks = [[round(x_of(d), 1), d] for d in days[:: max(1, len(days) // 8)]]
    if undated_col:
        ticks.append([round(x_of(""), 1), "undated"])
    return x_of, ticks


def _place_nodes(
    x_of: dict[int, float], lane_of: dict[int, int], lanes: int, labels: bool
) -> tuple[list[list], list[int], list[int]]:
    """[document, x, y] for each drawn document, and each lane's top and height.

    Documents of one lane and day stack in a column. With labels (a small graph) the column
    holds them all, each label on its own line, so documents that share a day (all of them, in
    a one-day story) never pile their labels on each other; without labels it is at most five
    high and steps sideways, so every dot stays visible. Each lane is as tall as its tallest
    column."""
    cells: dict[tuple[int, float], list[int]] = defaultdict(list)
    for n in sorted(x_of):
        cells[(lane_of[n], x_of[n])].append(n)
    cap = None if labels else 5
    rows = [1] * max(lanes, 1)
    for (ln, _), members in cells.items():
        rows[ln] = max(rows[ln], min(len(members), cap or len(members)))
    heights = [22 + 14 * r for r in rows]
    tops = [_TOP]
    for h in heights[:-1]:
        tops.append(tops[-1] + h)
    nodes = []
    for (ln, x), members in sorted(cells.items()):
        for k, n in enumerate(members):
            dx = (k // rows[ln]) * 9
            y = tops[ln] + 14 + (k % rows[ln]) * 14
            nodes.append([n, round(x + dx, 1), round(y, 1)])
    nodes.sort()
    return nodes, tops, heights

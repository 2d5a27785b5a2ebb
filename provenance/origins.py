"""Which witness of a claim is its origin, and why; and which witnesses the data can order.

Two witnesses are ordered only when the data says so for certain (:class:`WitnessOrder`): their
dates (:func:`provenance.dates.certainly_before`: same day at day precision is no order, an
undated witness or one whose text contradicts its date is ordered by nothing), or a credit (a
witness that credits another's document came after it), followed through chains of both. The
origin is the one witness nothing precedes (basis ``earliest-published``, or ``attribution`` /
``citation`` when a credit decided it); when several could each be first the basis is ``tie``
and they are listed (``Cluster.tied``), the first by :func:`origin_key` standing as the one
the others are compared with. Undated witnesses never stand against dated ones unless a credit
names them; a cluster of undated, uncredited witnesses is a tie.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from . import dates
from .credits.resolve import CreditIndex
from .records import ClaimNode, Cluster, Credit

__all__ = [
    "origin_key", "dated_before", "WitnessOrder", "credit_edges", "order_origin", "credited_origins",
    "EARLIEST", "TIE",
]

EARLIEST = "earliest-published"
TIE = "tie"


def origin_key(node: ClaimNode) -> tuple:
    """Sort key for "earliest": dated before undated, then date, ingest order, claim id, so
    ties are broken the same way every time."""
    dated = node.published_ts is not None
    return (0 if dated else 1, node.published_ts if dated else 0.0, node.doc_num, node.id)


def dated_before(a: ClaimNode, b: ClaimNode) -> bool:
    """``a``'s date certainly comes before ``b``'s."""
    return dates.certainly_before(a.published_ts, a.precision, a.offset, b.published_ts, b.precision, b.offset)


def _get(a: Any, key: str) -> Any:
    return a.get(key) if isinstance(a, dict) else getattr(a, key, None)


def credit_edges(
    members: Sequence[int],
    doc_of: Mapping[int, int],
    credits_by_claim: Mapping[int, Sequence[Any]],
    index: CreditIndex | None,
) -> list[tuple[int, int, str]]:
    """(credited member, crediting member, "attribution" | "citation") for each member whose
    credits (stored :class:`Credit` records or the report's dicts) name another member's
    document, by outlet, URL or the outlet a quote was given to."""
    if index is None:
        return []
    member_of_doc = {doc_of[m]: m for m in members}
    out: list[tuple[int, int, str]] = []
    seen: set[tuple[int, int]] = set()
    for m in members:
        for a in credits_by_claim.get(m, []):
            hits = index.resolve(_get(a, "name"), _get(a, "url"), _get(a, "kind"))
            if _get(a, "via"):
                hits = hits + index.resolve(_get(a, "via"), None, "outlet")
            for num, how in hits:
                target = member_of_doc.get(num)
                if target is not None and target != m and (target, m) not in seen:
                    seen.add((target, m))
                    out.append((target, m, how))
    return out


class WitnessOrder:
    """What the data says about the order of one claim's witnesses: dates, then credits (a
    witness that credits another came after it), followed through each other."""

    def __init__(self, nodes: Mapping[int, ClaimNode], edges: Iterable[tuple[int, int, str]] = ()) -> None:
        self.nodes = dict(nodes)
        self.credited: dict[int, list[int]] = {}   # crediting member -> the members it credits
        self.how: dict[tuple[int, int], str] = {}
        for earlier, later, how in edges:
            # A credit of an outlet whose document here is certainly later than the crediting
            # one names another of that outlet's stories, not this one: it orders nothing.
            if earlier in self.nodes and later in self.nodes and not dated_before(self.nodes[later], self.nodes[earlier]):
                self.credited.setdefault(later, []).append(earlier)
                self.how.setdefault((earlier, later), how)
        self._dated = [n for n in self.nodes.values() if n.published_ts is not None]
        self._ancestors: dict[int, set[int]] = {}

    def _dated_ancestors(self, cid: int) -> set[int]:
        node = self.nodes[cid]
        if node.published_ts is None:
            return set()
        return {m.id for m in self._dated if m.id != cid and dated_before(m, node)}

    def ancestors(self, cid: int) -> set[int]:
        """Every witness certainly earlier than ``cid``. Dates are transitive by themselves, so
        a witness reached through a date needs only its credits followed; one reached through a
        credit needs its dates looked at too."""
        if cid in self._ancestors:
            return self._ancestors[cid]
        found: set[int] = set()
        stack = [(cid, True)]
        while stack:
            y, with_dates = stack.pop()
            if with_dates:
                for x in self._dated_ancestors(y) - found - {cid}:
                    found.add(x)
                    if x in self.credited:
                        stack.append((x, False))
            for x in self.credited.get(y, []):
                if x not in found and x != cid:
                    found.add(x)
                    stack.append((x, True))
        self._ancestors[cid] = found
        return found

    def before(self, a: int, b: int) -> bool:
        return a in self.ancestors(b)

    def firsts(self) -> list[int]:
        """The witnesses that could each be first, by :func:`origin_key`: among the dated and
        the credited, those nothing is known to precede; every witness when none is either."""
        credited_by_someone = {x for xs in self.credited.values() for x in xs}
        pool = [n for n in self.nodes.values() if n.published_ts is not None or n.id in credited_by_someone]
        if not pool:
            pool = list(self.nodes.values())
        first = [n for n in pool if not self._preceded(n)]
        if not first:  # credits in a circle: the dates alone
            first = [n for n in pool if n.published_ts is None or not any(m.id != n.id and dated_before(m, n) for m in self._dated)]
        return [n.id for n in sorted(first, key=origin_key)]

    def _preceded(self, node: ClaimNode) -> bool:
        if self.credited.get(node.id):
            return True
        return node.published_ts is not None and any(m.id != node.id and dated_before(m, node) for m in self._dated)


def order_origin(nodes: Mapping[int, ClaimNode], edges: Iterable[tuple[int, int, str]] = ()) -> tuple[int, str, tuple[int, ...]]:
    """(origin claim id, basis, tied claim ids) for one claim's witnesses."""
    edges = list(edges)
    order = WitnessOrder(nodes, edges)
    firsts = order.firsts()
    if len(firsts) > 1:
        return firsts[0], TIE, tuple(firsts)
    origin = firsts[0]
    if len(order.nodes) == 1 and order.nodes[origin].published_ts is None:
        return origin, "only-witness", ()  # one undated witness: "earliest" would say too much
    if edges:
        by_dates = WitnessOrder(nodes).firsts()
        if by_dates != [origin]:
            # A credit, not the dates alone, makes it the origin.
            how = next((h for (e, _), h in order.how.items() if e == origin), None)
            return origin, how or "attribution", ()
    return origin, EARLIEST, ()


def credited_origins(
    clusters: Sequence[Cluster],
    nodes: Mapping[int, ClaimNode],
    doc_of: Mapping[int, int],
    credits_by_claim: Mapping[int, Sequence[Credit]],
    index: CreditIndex | None,
) -> list[Cluster]:
    """Each cluster with its origin decided by dates and credits together (:func:`order_origin`),
    sorted by origin. ``index`` may be None when no member credits anyone."""
    out: list[Cluster] = []
    for cl in clusters:
        members = list(cl.members)
        edges = credit_edges(members, doc_of, credits_by_claim, index)
        origin, basis, tied = order_origin({m: nodes[m] for m in members}, edges)
        members = [origin] + [m for m in members if m != origin]
        out.append(Cluster(origin=origin, basis=basis, members=tuple(members), tied=tied))
    out.sort(key=lambda c: c.origin)
    return out

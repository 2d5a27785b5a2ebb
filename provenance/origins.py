"""Which witness of a claim is its origin, and why.

By default the earliest dated witness (:func:`origin_key`: dated before undated, then date,
ingest order, claim id, so ties break the same way every time). When the other witnesses credit
one witness's document (by outlet name or URL), that one is the origin (basis ``attribution`` or
``citation``) even when an undated or later copy came first: the documents say who was first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .credits.resolve import CreditIndex
from .records import ClaimNode, Cluster, Credit

__all__ = ["origin_key", "origin_basis", "credited_member", "credited_origins"]


def origin_key(node: ClaimNode) -> tuple:
    """Sort key for "earliest": dated before undated, then date, ingest order, claim id, so
    ties are broken the same way every time."""
    dated = node.published_ts is not None
    return (0 if dated else 1, node.published_ts if dated else 0.0, node.doc_num, node.id)


def origin_basis(node: ClaimNode) -> str:
    return "earliest-published" if node.published_ts is not None else "ingest-order"


def credited_member(
    members: Sequence[int],
    doc_of: Mapping[int, int],
    credits_by_claim: Mapping[int, Sequence[Credit]],
    index: CreditIndex | None,
) -> tuple[int, str] | None:
    """The member whose document the other members credit, followed to the end of the chain
    ("C credits B, B credits A" gives A): (claim id, "attribution" | "citation"), else None."""
    if index is None:  # no member credits anyone (see credited_origins)
        return None
    members = list(members)
    member_of_doc = {doc_of[m]: m for m in members}
    credited: dict[int, tuple[int, str]] = {}
    for m in members:
        for a in credits_by_claim.get(m, []):
            for num, how in index.resolve(a.name, a.url, a.kind):
                target = member_of_doc.get(num)
                if target is not None and target != m and m not in credited:
                    credited[m] = (target, how)
    if not credited:
        return None
    # Start from the member credited most often, then follow its own credits.
    counts: dict[int, int] = {}
    for target, _ in credited.values():
        counts[target] = counts.get(target, 0) + 1
    current = max(counts, key=lambda t: (counts[t], -members.index(t)))
    basis = next(how for t, how in credited.values() if t == current)
    seen = {current}
    while current in credited and credited[current][0] not in seen:
        current, basis = credited[current]
        seen.add(current)
    return current, basis


def credited_origins(
    clusters: Sequence[Cluster],
    doc_of: Mapping[int, int],
    credits_by_claim: Mapping[int, Sequence[Credit]],
    index: CreditIndex | None,
) -> list[Cluster]:
    """Each cluster with the member its other members credit as origin (when there is one),
    sorted by origin. ``index`` may be None when no member credits anyone."""
    out: list[Cluster] = []
    for cl in clusters:
        origin, basis, members = cl.origin, cl.basis, list(cl.members)
        credited = credited_member(members, doc_of, credits_by_claim, index)
        if credited is not None and credited[0] != origin:
            origin, basis = credited
            members = [origin] + [m for m in members if m != origin]
        out.append(Cluster(origin=origin, basis=basis, members=tuple(members)))
    out.sort(key=lambda c: c.origin)
    return out

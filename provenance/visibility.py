"""What counts as reuse in the figures, and what is hidden: one rule for every count.

A stored cluster is every document that carries a claim. Readers are shown reuse *between*
outlets: a member from the origin's own outlet (a site republishing itself) is hidden, a
cluster left with one document after that is hidden, and so is site furniture repeated across
documents (sign-up lines, bylines: :func:`provenance.lineage.boilerplate`). ``report`` shows
what this module decides, and ``index``, ``info`` and ``documents`` count with it, so they all
give the same number of clusters and say what is hidden.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .lineage import boilerplate
from .wording import plural

SAME_OUTLET = "same-outlet"
SAME_OUTLET_CLUSTER = "same-outlet-cluster"
BOILERPLATE = "boilerplate"


@dataclass(frozen=True)
class Verdict:
    """What is hidden of one cluster: the whole cluster (``reason``) and which of the members
    after the origin come from the origin's own outlet (``same_outlet``, one flag each)."""

    reason: str | None
    same_outlet: tuple[bool, ...]


def judge_cluster(origin_text: str, witnesses: Sequence[tuple[str, str | None]]) -> Verdict:
    """The verdict on a cluster whose members are ``witnesses`` (document id, outlet), the
    origin first."""
    documents = len({doc for doc, _ in witnesses})
    origin_source = witnesses[0][1] if witnesses else None
    if boilerplate(origin_text, documents):
        return Verdict(BOILERPLATE, (False,) * (len(witnesses) - 1))
    same = tuple(bool(origin_source) and source == origin_source for _, source in witnesses[1:])
    shown = {witnesses[0][0]} | {doc for (doc, _), hidden in zip(witnesses[1:], same) if not hidden}
    return Verdict(SAME_OUTLET_CLUSTER if len(shown) < 2 else None, same)


@dataclass
class Shown:
    """The clusters a report shows, what it hides, and each document's reused claims."""

    clusters: int = 0
    hidden: Counter[str] = field(default_factory=Counter)
    reused: Counter[str] = field(default_factory=Counter)  # by document id

    @property
    def hidden_clusters(self) -> int:
        return self.hidden[BOILERPLATE] + self.hidden[SAME_OUTLET_CLUSTER]


def shown(clusters: Iterable[tuple[str, Sequence[tuple[str, str | None]]]]) -> Shown:
    """Count what the report shows of ``clusters`` (each: origin text, witnesses origin first)."""
    out = Shown()
    for origin_text, witnesses in clusters:
        verdict = judge_cluster(origin_text, witnesses)
        if any(verdict.same_outlet):
            out.hidden[SAME_OUTLET] += sum(verdict.same_outlet)
        if verdict.reason:
            out.hidden[verdict.reason] += 1
            continue
        out.clusters += 1
        out.reused[witnesses[0][0]] += 1
        for (doc, _), hidden in zip(witnesses[1:], verdict.same_outlet):
            if not hidden:
                out.reused[doc] += 1
    return out


def hidden_sentence(hidden: Counter[str]) -> str:
    """"2 clusters hidden: 1 within one outlet, 1 boilerplate", or "" when none is."""
    parts = [
        f"{n} {label}"
        for n, label in ((hidden[SAME_OUTLET_CLUSTER], "within one outlet"), (hidden[BOILERPLATE], "boilerplate"))
        if n
    ]
    clusters = hidden[SAME_OUTLET_CLUSTER] + hidden[BOILERPLATE]
    return f"{plural(clusters, 'cluster')} hidden: {', '.join(parts)}" if clusters else ""

"""Why a close stored claim was not taken as the same claim as a traced text.

When ``trace`` finds only ``related`` claims, a reader still wants to know where the nearest
ones came from and what keeps them apart: a changed figure, a negation, a date, other names,
or simply other words. :func:`why_not` answers with the differences :mod:`provenance.mutations`
reads (the same ones a member of a cluster carries) and, when none of those is the cause, the
content words only one side has; then the score that decided, so the reason given is the one
the matcher applied, never a guess.
"""

from __future__ import annotations

import re

from .figures import figures_conflict, negation_differs
from .judge import default_judge
from .match import DEFAULT_SETTINGS, MatchSettings, same_claim_probability
from .mutations import differences
from .textnorm import normalise

__all__ = ["why_not", "why_not_phrase"]

# Content words listed per side: enough to see what differs, short enough to read.
MAX_WORDS = 6
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’.-]*[A-Za-z0-9]|[A-Za-z0-9]")
_STOP = frozenset(
    "a an the and or but of to in on at for by with from as that this these those is are was were be been "
    "being has have had it its it's he she they we you i his her their our your not no".split()
)


def why_not(query: str, stored: str, cosine: float, settings: MatchSettings = DEFAULT_SETTINGS) -> dict:
    """What keeps ``stored`` from being the same claim as ``query``: ``differences`` (kind,
    query's, stored claim's: figure, date, negation, hedge, quantifier, name), ``query_only`` /
    ``stored_only`` (content words one side has, when no such difference explains it), and the
    decision's figures (``similarity``, ``same_claim_probability``, ``needed``, ``floor``)."""
    found = [{"kind": d["kind"], "query": d.get("member"), "stored": d.get("origin")}
             for d in differences(stored, query)]
    out: dict = {"differences": found}
    if not found:
        q, s = _content(query), _content(stored)
        out["query_only"] = [w for w in q if w not in s][:MAX_WORDS]
        out["stored_only"] = [w for w in s if w not in q][:MAX_WORDS]
    p = same_claim_probability(query, stored, cosine)
    out.update(similarity=round(float(cosine), 4), floor=settings.same_min_cosine,
               same_claim_probability=round(p, 4), needed=settings.same_probability)
    out["decided_by"] = "floor" if cosine < settings.same_min_cosine else "rule"
    judge = default_judge() if cosine >= settings.same_min_cosine else None
    if judge is not None and abs(p - settings.same_probability) < judge.band:
        # As match.judge_decision: the judge decided this pair, or its refusal of a changed fact.
        if figures_conflict(query, stored) or negation_differs(query, stored):
            out["decided_by"] = "figures or negation"
        else:
            out.update(decided_by="judge", judge_probability=round(judge.probability(query, stored), 4),
                       judge_needed=judge.threshold)
    return out


def why_not_phrase(reason: dict) -> str:
    """One line for a reader: what differs, then the score that decided."""
    parts = []
    for d in reason.get("differences") or []:
        q, s = d.get("query"), d.get("stored")
        if q and s:
            parts.append(f"{d['kind']} differs: “{q}” here, “{s}” there")
        elif q:
            parts.append(f"{d['kind']} only here: “{q}”")
        elif s:
            parts.append(f"{d['kind']} only there: “{s}”")
    if reason.get("query_only") or reason.get("stored_only"):
        words = []
        if reason.get("query_only"):
            words.append("only here: " + ", ".join(reason["query_only"]))
        if reason.get("stored_only"):
            words.append("only there: " + ", ".join(reason["stored_only"]))
        parts.append("other words (" + "; ".join(words) + ")")
    by = reason.get("decided_by")
    if by == "floor":
        parts.append(f"similarity {reason['similarity']:.2f} is below the same-claim floor {reason['floor']:.2f}")
    elif by == "judge":
        parts.append(f"the same-claim judge gives {reason['judge_probability']:.2f} (needs {reason['judge_needed']:.2f}) "
                     f"at similarity {reason['similarity']:.2f}")
    elif by == "figures or negation":
        parts.append("a changed figure or negation is never the same claim")
    else:
        parts.append(f"same-claim probability {reason['same_claim_probability']:.2f} "
                     f"(needs {reason['needed']:.2f}) at similarity {reason['similarity']:.2f}")
    return "; ".join(parts)


def _content(text: str) -> list[str]:
    """The text's content words, lower-cased, in order, each once."""
    words = [w.lower() for w in _WORD.findall(normalise(text))]
    return list(dict.fromkeys(w for w in words if w not in _STOP))

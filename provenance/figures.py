"""What a claim states beyond its words' meaning: figures, negation and hedges.

Sentence embeddings barely move when "40,000 gallons" becomes "400,000 gallons" or "did" becomes
"did not", so these cheap surface checks stand beside the cosine: they feed the same-claim
decision (a reworded sentence with other figures is another claim) and the mutation report (a
near copy whose figure changed is the same claim, mutated).
"""

from __future__ import annotations

import re

_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "k": 1e3, "m": 1e6, "bn": 1e9}
_NUMBER = re.compile(
    r"(?<![\w.])(?P<cur>[$€£¥])?\s?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s?(?P<scale>thousand|million|billion|trillion|bn|k|m)\b)?(?:\s?(?P<unit>%|percent|per cent))?",
    re.IGNORECASE,
)
_MARKER = re.compile(r"\[\d{1,3}\]")
# Words that negate what they stand beside; the mutation report reads the same list, so "a claim
# negates" means one thing in both.
NEGATIONS = frozenset({"not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "without", "cannot",
                       "n't", "deny", "denies", "denied", "denying"})
# The same-claim check reads "refused" as negating alone ("refused the deal" / "accepted the
# deal"; the mutation report only before "to") and not "denying", which joined the mutation
# report's list later: the same-claim figures (MRPC, CheckThat) were measured with this list.
_NEGATION = re.compile(
    r"\b(?:" + "|".join(sorted((NEGATIONS - {"n't", "denying"}) | {"refused", "refuses"})) + r")\b|n't\b",
    re.IGNORECASE,
)
_HEDGES = (
    "allegedly", "reportedly", "apparently", "possibly", "probably", "likely", "may", "might",
    "could", "perhaps", "suspected", "appears", "appeared", "seems", "seemed", "claimed", "claims",
    "estimated", "about", "around", "roughly", "approximately", "nearly", "almost", "more than",
    "less than", "up to", "at least",
)
_HEDGE = re.compile(r"\b(?:" + "|".join(re.escape(h) for h in _HEDGES) + r")\b", re.IGNORECASE)


def figures(text: str) -> list[str]:
    """The figures a text states, each in a canonical form ("40000", "$1000000000", "30%"), in
    order of appearance. "$1 billion" and "$1,000,000,000" give the same figure."""
    out = []
    # A footnote marker ("...a year.[20]") is no figure.
    text = _MARKER.sub(" ", text)
    for m in _NUMBER.finditer(text):
        value = float(m.group("num").replace(",", ""))
        scale = m.group("scale")
        if scale:
            value *= _SCALE[scale.lower()]
        number = f"{value:.6f}".rstrip("0").rstrip(".")
        cur = m.group("cur") or ""
        unit = "%" if m.group("unit") else ""
        out.append(f"{cur}{number}{unit}")
    return out


def figures_conflict(a: str, b: str) -> bool:
    """True when each text states a figure the other does not: a changed figure, not merely a
    figure one of them leaves out."""
    fa, fb = set(figures(a)), set(figures(b))
    return bool(fa - fb) and bool(fb - fa)


def negated(text: str) -> bool:
    return _NEGATION.search(text) is not None


def negation_count(text: str) -> int:
    return len(_NEGATION.findall(text))


def negation_differs(a: str, b: str) -> bool:
    """One text negates and the other does not (counted, so "not ... not" cancels nothing)."""
    return negation_count(a) % 2 != negation_count(b) % 2


def hedges(text: str) -> set[str]:
    return {h.lower() for h in _HEDGE.findall(text)}

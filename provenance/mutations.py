"""How a claim changed on its way from the origin: figures, dates, negation, hedges, names.

Pure functions over two texts. ``figures.py`` gives the canonical figures and the negation and
hedge words; here they become ``differences`` records ``{"kind", "origin", "member"}`` holding the
words as each text has them, so a reader sees "About 40,000 gallons" -> "More than 400,000
gallons" rather than two canonical numbers.
"""

from __future__ import annotations

import re

from .figures import _NEGATION, figures, hedges, negation_differs

__all__ = ["differences", "figure_phrases"]

_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December"
           "|Jan\\.|Feb\\.|Mar\\.|Apr\\.|Aug\\.|Sept?\\.|Oct\\.|Nov\\.|Dec\\.")
_QUALIFIER = r"(?:(?:about|around|roughly|approximately|nearly|almost|more than|less than|fewer than|over|under|up to|at least|some)\s+)?"
_FIGURE = re.compile(
    rf"(?P<q>{_QUALIFIER})(?P<fig>[$€£¥]?\s?\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|[$€£¥]?\s?\d+(?:\.\d+)?)"
    r"(?:\s?(?:thousand|million|billion|trillion|bn|k|m)\b)?(?:\s?(?:%|percent|per cent))?"
    r"(?P<unit>\s+(?!(?:of|to|and|in|on|at|the|a|an)\b)[a-z][a-z\-]+)?",
    re.IGNORECASE,
)
_VAGUE = re.compile(r"\b(?:(?:tens of |hundreds of )?(?:thousands|hundreds|millions|billions|dozens)|several|many|scores)\s+of\s+[a-z\-]+", re.IGNORECASE)
_DATE = re.compile(rf"\b(?:{_MONTHS})(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?(?:,?\s+\d{{4}})?|\b(?:19|20)\d{{2}}\b")
_ENTITY = re.compile(r"(?<![\w’'])[A-Z][\w\-’']*(?:\s+(?:of\s+|the\s+)?[A-Z][\w\-’']*)*")
_NOT_ENTITY = set(("I A An The This That These Those It He She They We You In On At As But And Or So If When While "
                   "After Before Since Some Many Most About More Less Nearly Almost Over Under").split())


def figure_phrases(text: str) -> list[tuple[str, str]]:
    """(canonical figure, words as written) for each figure of a text that is not part of a date."""
    dates = [m.span() for m in _DATE.finditer(text)]
    out = []
    for m in _FIGURE.finditer(text):
        s, e = m.span("fig")
        if any(ds <= s < de for ds, de in dates):
            continue
        canon = figures(text[s:m.end()])
        if not canon:
            continue
        out.append((canon[0], text[m.start():m.end()].strip()))
    return out


def _dates(text: str) -> list[str]:
    return [m.group(0) for m in _DATE.finditer(text)]


def _entities(text: str) -> set[str]:
    out = set()
    for m in _ENTITY.finditer(text):
        words = m.group(0).split()
        # The first word of a sentence is capitalised whatever it is.
        if m.start() == 0 or re.search(r"[.!?“\"]\s*$", text[: m.start()]):
            words = words[1:]
        while words and words[0] in _NOT_ENTITY:
            words = words[1:]
        if words and not re.fullmatch(rf"(?:{_MONTHS})", words[0]):
            out.add(" ".join(words))
    return out


# Qualifiers of a number ("about 40,000") show in the figure's own words, not as hedges.
_NUMBER_QUALIFIERS = {"about", "around", "roughly", "approximately", "nearly", "almost", "more than", "less than", "up to", "at least"}


def _word_hedges(text: str) -> set[str]:
    return hedges(text) - _NUMBER_QUALIFIERS


def differences(origin: str, member: str, relation: str | None = None) -> list[dict]:
    """What the member states differently from the origin (empty when nothing does).

    For a paraphrase, negation and hedges are left out: rewording turns "did not notify until"
    into "waited before telling" without changing the claim; figures, dates and names still count.
    """
    out: list[dict] = []
    fo, fm = figure_phrases(origin), figure_phrases(member)
    co, cm = {c for c, _ in fo}, {c for c, _ in fm}
    vague = [m.group(0) for m in _VAGUE.finditer(member)] if co - cm and not cm - co else []
    # A figure replaced by another, or by a vague amount ("Thousands of"), is a mutation; a
    # figure merely left out of a shorter text is not.
    if (co - cm and cm - co) or vague or (cm - co and not co - cm and _VAGUE.search(origin)):
        out.append(
            {
                "kind": "figure",
                "origin": "; ".join(p for c, p in fo if c not in cm) or None,
                "member": "; ".join(p for c, p in fm if c not in co) or ("; ".join(vague) if vague else None),
            }
        )
    do, dm = _dates(origin), _dates(member)
    if {d.lower() for d in do} != {d.lower() for d in dm} and do and dm:
        out.append({"kind": "date", "origin": "; ".join(d for d in do if d not in dm), "member": "; ".join(d for d in dm if d not in do)})
    close = relation != "paraphrase"
    if close and negation_differs(origin, member):
        out.append(
            {
                "kind": "negation",
                "origin": ", ".join(_NEGATION.findall(origin)) or None,
                "member": ", ".join(_NEGATION.findall(member)) or None,
            }
        )
    ho, hm = _word_hedges(origin), _word_hedges(member)
    if close and ho != hm:
        out.append({"kind": "hedge", "origin": ", ".join(sorted(ho - hm)) or None, "member": ", ".join(sorted(hm - ho)) or None})
    eo, em = _entities(origin), _entities(member)
    lo, lm = {e.lower() for e in eo}, {e.lower() for e in em}
    gone = sorted(e for e in eo if e.lower() not in lm and not any(e.lower() in x for x in lm))
    new = sorted(e for e in em if e.lower() not in lo and not any(e.lower() in x for x in lo))
    if gone and new:
        out.append({"kind": "entity", "origin": ", ".join(gone), "member": ", ".join(new)})
    return out

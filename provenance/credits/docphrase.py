"""Where a document's noun phrase stands in its sentence: where the phrase begins (its
determiner, "A new report from") and whether it opens a clause (a document there speaks,
"Amnesty's report found"; as the object of someone's act it is their topic, "Tusk held up Mrs
May's letter"). Moved out of :mod:`.extract`, its reader, unchanged.
"""

from __future__ import annotations

import re

from .patterns import sentence_start

__all__ = ["phrase_start", "opens_clause"]

# A determiner and up to two modifiers before a document noun ("A new report from", "The 2014 study by").
_DETERMINED = re.compile(r"(?<![\w])(?:[Aa]n?|[Tt]he|[Ii]ts|[Tt]heir|[Hh]is|[Hh]er)[ \t]+"
                         r"(?:(?!(?:of|on|in|by|from|to|for|with|at|about|based)\b)[\w\-]+[ \t]+){0,2}$")


def phrase_start(text: str, pos: int) -> int:
    """Where the noun phrase of the document noun at ``pos`` begins (its determiner)."""
    m = _DETERMINED.search(text, max(0, pos - 40), pos)
    return m.start() if m else pos


def opens_clause(text: str, pos: int) -> bool:
    """``pos`` begins a sentence or clause: after punctuation, a quotation mark, or "that",
    "as", "while", "but", or "In" or "The <noun> of" at a sentence's start, or after "according
    to" (a document there is the clause's subject or its frame: "The point of X's report is
    ...", not "in the context of the UN's analysis", nor "findings delivered in a WADA
    commission's report", nor "reports based on testimony from Rodchenkov")."""
    before = text[max(0, pos - 12):pos]
    if re.search(r"(?:^|[.!?][\"”’]?\s+)The[ \t]+[a-z]+[ \t]+of[ \t]+$", text[max(0, pos - 30):pos]):
        return True
    if re.search(r"(?:^|[.!?][\"”’]?\s+)In[ \t]+$", text[max(0, pos - 6):pos]):
        return True
    if re.search(r"\b[Aa]ccording[ \t]+to[ \t]+(?:[\w\-]+[ \t]+){0,3}$", text[max(0, pos - 50):pos]):
        # ("according to a 2014 report from the Economic Policy Institute")
        return True
    return sentence_start(text, pos) or bool(re.search(r"(?:[,;:(\"“—–]|\b(?:that|[Aa]s|[Ww]hile|[Bb]ut))[ \t]*$", before))

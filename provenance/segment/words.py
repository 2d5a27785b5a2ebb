"""Words, abbreviations, URLs and white space: what every segmentation step measures text by."""

from __future__ import annotations

import re

_Span = tuple[int, int, str]  # (start, end, kind)

_WORD = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*")
_FOOTNOTE = re.compile(r"\[\d{1,3}\]")
_URL = re.compile(r"(?:https?://|ftp://|www\.)[^\s<>\"“”‘’]+", re.IGNORECASE)
_LAST_WS = re.compile(r".*\s", re.DOTALL)

# Abbreviations that (almost) never end a sentence in news text: a name or number follows.
_TITLES = frozenset(
    "mr mrs ms messrs mmes dr prof rep reps sen sens gov govs gen gens lt col maj capt cpt sgt "
    "cmdr adm rev hon pres supt det insp st mt ft sr jr".split()
)
# Abbreviations that precede a number: "No. 1", "Jan. 6", "Sept. 11", "Vol. 3".
_BEFORE_NUMBER = frozenset(
    "no nos vol art fig pp ch sec jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
# Further abbreviations the built-in rules never cut after (pysbd decides these itself).
_OTHER_ABBREVIATIONS = frozenset(
    "inc corp co ltd llc plc bros vs approx est dept univ assn ave blvd rd al".split()
)
_NO_CUT_AFTER = _TITLES | _BEFORE_NUMBER | _OTHER_ABBREVIATIONS
_DOTTED = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]\Z")  # U.S, a.m, D.C, e.g (final dot removed)


def _word_before(text: str, pos: int) -> str:
    """The token ending at *pos* (looking back at most 24 characters), opening quotes and
    brackets removed."""
    window = text[max(0, pos - 24) : pos]
    token = window.rsplit(None, 1)[-1] if window.strip() else ""
    return token.lstrip("\"'“‘([{")


def _abbreviation_before(text: str, dot: int) -> bool:
    """Is the word that ends with the full stop at *dot* an abbreviation or an initial?"""
    token = _word_before(text, dot)
    if not token:
        return False
    if len(token) == 1 and token.isalpha():
        return True  # an initial: "Michael J. Fox"
    return token.lower() in _NO_CUT_AFTER or bool(_DOTTED.match(token))


def _count_words(s: str) -> int:
    return len(_WORD.findall(s))


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) so that it neither starts nor ends with white space (str.isspace)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end

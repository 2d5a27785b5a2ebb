"""Cut points repaired where pysbd (or chunking) is wrong for news text.

Never inside a URL, never before a footnote marker (``.[13]`` stays with its sentence), never
before a lowercase continuation (``"Stop!" he said.``), never after a title (``Dr.``,
``Sen.``), ``Jan.`` before a day number, or ``p.m.`` before ``Tuesday``.
"""

from __future__ import annotations

import re

from .words import _BEFORE_NUMBER, _TITLES, _URL, _WORD, _abbreviation_before, _count_words, _word_before

_URL_TRAILING = ".,;:!?)]}'\"’”"

# What must stay attached to the sentence before it: closing quotes/brackets, footnotes.
_ATTACH_LEFT = re.compile(r"\s*(?:[”’)\]}»]|\[\d{1,3}\])+")

_TIME_FOLLOWERS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday today tomorrow yesterday tonight "
    "et est edt ct cst cdt mt mst mdt pt pst pdt gmt utc bst cet local".split()
)


def _fix_cuts(text: str, start: int, end: int, cuts: list[int]) -> list[int]:
    """Repair cut points where pysbd (or chunking) is wrong for news text."""
    urls = _url_spans(text, start, end) if cuts else []
    ui = 0
    kept: list[int] = []
    for cut in cuts:
        # Never inside a URL ("https://example.com/a.b?c=d. Then" is cut after "d.").
        while ui < len(urls) and urls[ui][1] <= cut:
            ui += 1
        if ui < len(urls) and urls[ui][0] < cut < urls[ui][1]:
            continue
        # Closing quotes/brackets and footnote markers belong to the sentence they follow.
        m = _ATTACH_LEFT.match(text, cut, end)
        if m:
            cut = m.end()
        nxt = cut
        while nxt < end and text[nxt].isspace():
            nxt += 1
        if nxt >= end or (kept and cut <= kept[-1]) or cut <= start:
            continue
        # A lowercase continuation is not a new sentence ('"Stop!" he said.', "approx. five"),
        # and neither is a named speaker after a quotation ended by "!" or "?" ('"... will be
        # overturned!" Trump tweeted'): the quotation and its frame are one claim.
        if text[nxt].islower() or _speaker_follows(text, cut, nxt, end):
            continue
        if _joins_next(text, cut, nxt, end):
            continue
        # A fragment of one or two words ending in an abbreviation ("Acme Corp." before
        # "Chief Executive Bob Jones said no.") is not a sentence: keep it with what follows.
        prev = kept[-1] if kept else start
        if cut - prev < 40 and _count_words(text[prev:cut]) < 3:
            dot = text[prev:cut].rstrip()
            if dot.endswith(".") and _abbreviation_before(text, prev + len(dot) - 1):
                continue
        kept.append(cut)
    return kept


# One to three capitalised words, then a verb of saying: the frame of the quotation before it.
_NAMED_SPEAKER = re.compile(
    r"(?:[A-Z][\w.'’\-]*\s+){1,3}(?:said|says|tweeted|wrote|writes|told|tells|added|asked|replied|shouted"
    r"|posted|declared|insisted|warned|explained|stated|exclaimed|responded)\b"
)


def _speaker_follows(text: str, cut: int, nxt: int, end: int) -> bool:
    before = text[max(0, cut - 2) : cut]
    return len(before) == 2 and before[0] in "!?" and before[1] in "\"”’" and bool(_NAMED_SPEAKER.match(text, nxt, end))


def _joins_next(text: str, cut: int, nxt: int, end: int) -> bool:
    """Does the text before *cut* end with an abbreviation that continues into *nxt*?"""
    before = text[max(0, cut - 32) : cut].rstrip()
    if not before.endswith("."):
        return False
    token = _word_before(before, len(before) - 1)
    low = token.lower()
    if len(token) == 1 and token.isupper():
        return True  # an initial: "Michael J. Fox"
    if low in _TITLES:
        return True  # "Dr. Walid Phares", "Sen. Jane Doe"
    following = text[nxt : min(end, nxt + 16)]
    if low in _BEFORE_NUMBER:
        return following[:1].isdigit()  # "Jan. 6", "No. 1"
    if low in ("a.m", "p.m"):
        word = _WORD.match(following)
        return bool(word) and word.group().lower() in _TIME_FOLLOWERS  # "5 p.m. Tuesday"
    return False


def _url_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """URLs in [start, end), trailing punctuation excluded (a sentence may end after one)."""
    spans = []
    for m in _URL.finditer(text, start, end):
        s, e = m.span()
        while e > s and text[e - 1] in _URL_TRAILING:
            e -= 1
        spans.append((s, e))
    return spans

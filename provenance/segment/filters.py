"""What ``split_claims`` drops or cuts: URL-only and date-only segments, over-long ones."""

from __future__ import annotations

import re
from typing import Iterator

from .words import _LAST_WS, _URL, _trim

_DATE_TOKEN = re.compile(r"[^\W\d_]+|\d+")
_DATE_WORDS = frozenset(
    "mon tue tues wed thu thur thurs fri sat sun monday tuesday wednesday thursday friday "
    "saturday sunday jan feb mar apr may jun jul aug sep sept oct nov dec january february "
    "march april june july august september october november december am pm a m p at on "
    "updated published posted last modified utc gmt est edt cst cdt pst pdt bst cet et".split()
)


def _limit_length(text: str, start: int, end: int, max_chars: int) -> Iterator[tuple[int, int]]:
    """Pieces of [start, end) no longer than *max_chars*, cut at the last "; ", else ", "
    (either only in the second half of the window, so pieces stay substantial), else white
    space, else hard.  Each window is scanned a bounded number of times: linear overall."""
    pos = start
    while end - pos > max_chars:
        limit = pos + max_chars
        half = pos + max_chars // 2
        cut = -1
        for sep in ("; ", ", "):
            at = text.rfind(sep, half, limit + 1)
            if at >= 0 and at + 1 > pos:
                cut = at + 1  # keep the separator's punctuation with the left piece
                break
        if cut < 0:
            m = _LAST_WS.match(text, pos + 1, limit + 1)
            cut = m.end() - 1 if m else limit
        s, e = _trim(text, pos, cut)
        if s < e:
            yield s, e
        pos = cut
        while pos < end and text[pos].isspace():
            pos += 1
    s, e = _trim(text, pos, end)
    if s < e:
        yield s, e


def _is_url_only(segment: str) -> bool:
    """Nothing but URLs and punctuation (a reference list's link lines)."""
    if "://" not in segment and "www." not in segment.lower():
        return False
    rest = _URL.sub(" ", segment)
    return not any(ch.isalnum() for ch in rest)


def _is_date_only(segment: str) -> bool:
    """A bare date/time line such as "Tue, 10/22/2024 - 8:19pm" or "Updated June 9, 2022"."""
    if len(segment) > 80:
        return False
    tokens = _DATE_TOKEN.findall(segment)
    if not tokens or not any(t.isdigit() for t in tokens):
        return False
    for t in tokens:
        if t.isdigit():
            continue
        low = t.lower()
        if low not in _DATE_WORDS and low not in ("th", "st", "nd", "rd"):
            return False
    return True

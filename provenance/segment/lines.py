"""Lines and their structure (list items, reference entries, headlines, datelines), then the
sentences of each line: a newline always ends a segment, because pysbd on its own happily glues
a headline to the paragraph under it."""

from __future__ import annotations

import re
from typing import Iterator

from .cuts import _raw_cuts
from .debris import debris_spans
from .quotes import _split_quotations
from .repair import _fix_cuts
from .words import _Span, _count_words, _trim

# Beyond this much text even chunked pysbd costs seconds (~8 us/char), so a huge document is
# segmented by the built-in rules alone.  Web articles are far below this.
_PYSBD_TEXT_LIMIT = 300_000
# A line without final punctuation is a headline only if it is short; a long unpunctuated
# line is more likely a paragraph that lost its full stop (or an author bio).
_HEADLINE_MAX_WORDS = 20
# A reference-list entry ("[25] Jane Esberg, “Why ...,” Modern War Institute, June 9, 2022,")
# is kept whole: pysbd would cut it after a title ending in "?" or "." and leave fragments.
_REFERENCE_MAX_CHARS = 400

# Every character str.splitlines() treats as a line boundary; "\r\n" counts once.
_LINE_BREAK = re.compile(r"\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")

# "- item", "* item", "• item", "1. item", "2) item", "a) item".
_LIST_MARKER = re.compile(r"(?:[-*•‣◦▪–—]|\d{1,3}[.)]|[a-z]\))\s+(?=\S)")
_REFERENCE_MARKER = re.compile(r"\[\d{1,3}\]\s*(?=\S)")
# "WASHINGTON (Reuters) - ", "NEW YORK, Oct. 5 (AP) — ", "LONDON — ". Validated in code.
_DATELINE = re.compile(
    r"(?P<place>[A-Z][A-Za-z.'’\-]*(?:[ ,]+[A-Za-z0-9.'’\-]+){0,5}?)\s*"
    r"(?P<agency>\([^()\n]{1,30}\))?"
    r"(?:\s+-{1,2}\s+|\s*[–—]\s*)(?=\S)"
)

# Line ends with sentence-final (or clause) punctuation, possibly followed by closing quotes,
# brackets and footnote markers.  ",;:" count too: such a line is not a headline.
_ENDS_PUNCTUATED = re.compile(r"[.!?…。！？．:;,][\"'”’»)\]]*(?:\[\d{1,3}\])*\s*\Z")


def _segments(text: str) -> list[_Span]:
    """All segments of *text* (trimmed, ordered, non-overlapping), with their kinds."""
    if not text:
        return []
    use_pysbd = len(text) <= _PYSBD_TEXT_LIMIT
    out: list[_Span] = []
    for start, end in _lines(text):
        for s, e in _without_debris(text, start, end):
            out.extend(_segment_line(text, s, e, use_pysbd))
    return out


def _without_debris(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The line [start, end) less its web debris (segment/debris.py), as trimmed pieces, each
    then segmented as a line of its own: a caption glued to a sentence leaves the sentence."""
    holes = debris_spans(text, start, end)
    if not holes:
        return [(start, end)]
    pieces = []
    pos = start
    for s, e in [*holes, (end, end)]:
        a, b = _trim(text, pos, s)
        if a < b:
            pieces.append((a, b))
        pos = e
    return pieces


def _lines(text: str) -> Iterator[tuple[int, int]]:
    """Trimmed, non-blank lines as (start, end)."""
    pos = 0
    for m in _LINE_BREAK.finditer(text):
        s, e = _trim(text, pos, m.start())
        if s < e:
            yield s, e
        pos = m.end()
    s, e = _trim(text, pos, len(text))
    if s < e:
        yield s, e


def _segment_line(text: str, start: int, end: int, use_pysbd: bool) -> list[_Span]:
    """Segments of one trimmed line [start, end): structure rules first, then sentences."""
    kind = "sentence"
    out: list[_Span] = []

    m = _REFERENCE_MARKER.match(text, start, end)
    if m:
        # A reference entry: the marker is not part of the claim (it would start it), and the
        # entry is kept whole when it is short (it is a citation, not prose to be cut up).
        start = m.end()
        if end - start <= _REFERENCE_MAX_CHARS:
            return [(start, end, kind)]
    else:
        m = _LIST_MARKER.match(text, start, end)
        if m:
            kind = "list-item"
            start = m.end()

    if _is_headline(text, start, end):
        return [(start, end, "headline" if kind == "sentence" else kind)]

    if kind == "sentence":
        dl = _dateline_end(text, start, end)
        if dl:
            s, e = _trim(text, start, dl)
            out.append((s, e, "dateline"))
            start = dl

    cuts = _fix_cuts(text, start, end, _raw_cuts(text, start, end, use_pysbd))
    bounds = [start, *cuts, end]
    for a, b in zip(bounds, bounds[1:]):
        s, e = _trim(text, a, b)
        if s < e:
            out.extend(_split_quotations(text, s, e, kind))
    return out


def _is_headline(text: str, start: int, end: int) -> bool:
    """A short line with no sentence-final punctuation: a title, section head or byline."""
    if end - start > 400:
        return False
    line = text[start:end]
    if _ENDS_PUNCTUATED.search(line):
        return False
    return _count_words(line) <= _HEADLINE_MAX_WORDS


def _dateline_end(text: str, start: int, end: int) -> int:
    """End of a leading news dateline ("WASHINGTON (Reuters) - "), or 0 if there is none."""
    m = _DATELINE.match(text, start, min(end, start + 80))
    if not m:
        return 0
    place = m.group("place")
    head = place.split(",")[0]
    letters = sum(ch.isalpha() for ch in head)
    # An agency in parentheses makes it a dateline; otherwise the place must be in capitals
    # ("LONDON —"), so an ordinary sentence with a dash ("Iran - the state ...") is left alone.
    if letters < 2 or (not m.group("agency") and head.upper() != head):
        return 0
    return m.end()

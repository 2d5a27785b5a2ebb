"""Split a document into claims (sentences) with exact character offsets.

The pipeline, for each line of the text (a newline always ends a segment, because pysbd on
its own happily glues a headline to the paragraph under it):

1. Line-level structure is recognised with simple rules: list items (``- x``, ``* x``,
   ``1. x``), reference-list entries (``[13] Author, "Title," Site, date,``), headlines (a
   short line without sentence-final punctuation) and datelines (``WASHINGTON (Reuters) -``).
2. The rest of the line is pre-chunked into pieces of at most ``_CHUNK`` characters at
   probable sentence ends (pysbd's abbreviation pass is quadratic in its input, so it must
   never see a huge string) and each piece is segmented by pysbd.  pysbd is only used to
   *choose cut points*: its sentences are located again in the original, so offsets are
   exact whatever pysbd does to its copy of the text.
3. Cut points are repaired where pysbd is known to be wrong for news text: never inside a
   URL, never before a footnote marker (``.[13]`` stays with its sentence), never before a
   lowercase continuation (``"Stop!" he said.``), never after a title (``Dr.``, ``Sen.``),
   ``Jan.`` before a day number, or ``p.m.`` before ``Tuesday``.
4. A multi-sentence quotation that pysbd kept whole is split at its inner sentence ends when
   every piece is still a claim of at least four words; those pieces get kind ``"quote"``.

Cut points are found on ``textnorm.readable_quotes(text)``, a copy at the same offsets in
which the mis-decoded quotation marks of some feeds (``border."?King`` for ``border.” King``)
read as what they were; the claims are slices of the original.

Before step 2, web debris (share widgets, "READ MORE: <headline>" captions, sign-up and
newsletter lines) is cut out of each line (``debris``), so it is part of no segment.

``split_claims`` then drops what is not a claim (datelines, URL-only and date-only lines,
segments with fewer than ``min_words`` words) and splits segments longer than ``max_chars``
at a clause boundary. ``quote_units`` adds, on top of those claims, each quoted sentence inside
a longer claim as a claim of its own that overlaps it (kind ``"quote-unit"``, ``parent`` the
enclosing claim's ordinal).

One module per step: ``lines`` (1), ``debris``, ``cuts`` (2), ``repair`` (3), ``quotes`` (4 and
the quote units), ``filters`` (what ``split_claims`` drops or cuts); ``words`` holds the word,
abbreviation and white-space helpers they share.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..textnorm import normalise, readable_quotes
from .filters import _is_date_only, _is_url_only, _limit_length
from .debris import debris_spans
from .lines import _lines, _segments
from .quotes import QUOTE_UNIT_MIN_WORDS, quote_unit_spans
from .words import _count_words

__all__ = ["Claim", "QUOTE_UNIT_MIN_WORDS", "quote_units", "split_claims", "split_sentences", "web_debris"]


@dataclass(frozen=True)
class Claim:
    ordinal: int  # 0-based position among the claims returned for this text
    start: int  # character offsets into the ORIGINAL text passed in
    end: int  # text[start:end] == claim.text exactly
    text: str  # original slice, trimmed of white space (offsets trimmed accordingly)
    norm: str  # textnorm.normalise(text)
    kind: str  # "sentence" | "headline" | "list-item" | "quote" | "quote-unit"
    parent: int | None = None  # a quote unit's enclosing claim, by ordinal


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Raw sentence spans ``(start, end)`` of *text*, in order, trimmed of white space.

    These are the segments :func:`split_claims` starts from, before it drops short or non-claim
    segments and splits over-long ones.  List bullets, leading reference markers ``[n]`` and
    news datelines ("WASHINGTON (Reuters) -") are not sentences and are in no span.
    """
    return [(s, e) for s, e, kind in _segments(readable_quotes(text)) if kind != "dateline"]


def split_claims(text: str, *, min_words: int = 4, max_chars: int = 2000) -> list[Claim]:
    """The claims of *text*: sentences, headlines and list items with exact offsets.

    Dropped: datelines, segments that are only URLs or only a date/time, and segments with
    fewer than *min_words* words (footnote markers do not count).  A segment longer than
    *max_chars* is split at the last ``"; "``, else ``", "``, else white space before the
    limit (a hard cut if there is none), so no claim is longer than *max_chars*.
    """
    if max_chars < 1:
        raise ValueError("max_chars must be at least 1")
    if min_words < 0:
        raise ValueError("min_words must not be negative")
    claims: list[Claim] = []
    # Cut where the mis-decoded punctuation of some feeds really ends a sentence (``border."?King``
    # is ``border.” King``), on a copy of the text at the same offsets: the claims keep the original.
    for start, end, kind in _segments(readable_quotes(text)):
        if kind == "dateline" or _is_url_only(text[start:end]) or _is_date_only(text[start:end]):
            continue
        for s, e in _limit_length(text, start, end, max_chars):
            piece = text[s:e]
            norm = normalise(piece)
            if not norm or _count_words(norm) < min_words:
                continue
            claims.append(Claim(len(claims), s, e, piece, norm, kind))
    return claims


def quote_units(text: str, claims: Sequence[Claim], min_words: int = QUOTE_UNIT_MIN_WORDS) -> list[Claim]:
    """Each quoted sentence inside a longer claim of *text*, as a claim of its own.

    ``"The opinion of this so-called judge ... will be overturned!" Trump tweeted`` yields the
    quotation alone; a claim holding several quoted sentences yields each of them; a claim that
    is nothing but its quotation yields nothing, and neither does a quoted phrase of fewer than
    *min_words* words (a scare quote, a title). Offsets are exact (the quotation marks, the comma
    handing over to the frame and an ellipsis at either end left out); ``parent`` is the
    enclosing claim's ordinal; ordinals continue after the last claim, so the claims' own
    numbering (and the passages built on it) is unchanged. Another outlet that quotes one of
    these sentences bare, or in a frame of its own, then matches it word for word.
    """
    spans = quote_unit_spans(text, [(c.start, c.end) for c in claims], min_words)
    return [
        Claim(len(claims) + i, s, e, text[s:e], normalise(text[s:e]), "quote-unit", claims[ci].ordinal)
        for i, (s, e, ci) in enumerate(spans)
    ]


def web_debris(text: str) -> list[tuple[int, int]]:
    """The spans of *text* that segmentation leaves out as web debris (segment/debris.py)."""
    return [span for start, end in _lines(text) for span in debris_spans(text, start, end)]

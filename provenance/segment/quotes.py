"""Quotations: multi-sentence ones that pysbd kept whole, split at their inner sentence ends
(:func:`_split_quotations`, part of segmentation), and the quoted sentences inside longer claims
as claims of their own (:func:`quote_units`, run on the claims)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..textnorm import verbatim_key
from .cuts import _rule_cuts
from .words import _FOOTNOTE, _Span, _count_words, _trim

# Each piece of a split quotation must stay a claim on its own (never a bare "he said.").
_QUOTE_PIECE_MIN_WORDS = 4

_QUOTED = re.compile(r"[\"“][^\"“”\n]*[\"”]")


def _split_quotations(text: str, start: int, end: int, kind: str) -> list[_Span]:
    """Split a segment at sentence ends *inside* a quotation that pysbd kept whole.

    ``“We will not stop. We will win,” he said.`` becomes ``“We will not stop.`` and ``We will
    win,” he said.``: another outlet may quote only one of the sentences, so finer claims match
    better.  A cut is made only where both sides keep at least _QUOTE_PIECE_MIN_WORDS words,
    so the attribution is never left on its own.  Pieces get kind "quote".
    """
    candidates: list[int] = []
    for q in _QUOTED.finditer(text, start, end):
        qs, qe = q.span()
        for c in _rule_cuts(text, qs + 1, qe - 1):
            if qs + 1 < c < qe - 1:
                candidates.append(c)
    if not candidates:
        return [(start, end, kind)]
    total = _count_words(_FOOTNOTE.sub(" ", text[start:end]))
    cuts: list[int] = []
    words_before_last = 0  # words before the last cut
    scanned, words_scanned = start, 0  # words in [start, scanned), counted incrementally
    for c in candidates:
        words_scanned += _count_words(_FOOTNOTE.sub(" ", text[scanned:c]))
        scanned = c
        left = words_scanned - words_before_last
        right = total - words_scanned
        if left >= _QUOTE_PIECE_MIN_WORDS and right >= _QUOTE_PIECE_MIN_WORDS:
            cuts.append(c)
            words_before_last = words_scanned
    if not cuts:
        return [(start, end, kind)]
    out: list[_Span] = []
    bounds = [start, *cuts, end]
    for a, b in zip(bounds, bounds[1:]):
        s, e = _trim(text, a, b)
        if s < e:
            out.append((s, e, "quote"))
    return out


# A quote unit must read as a claim, not a scare-quoted phrase or a title ("so-called", "the
# Fair Access Act"): at least this many words.
QUOTE_UNIT_MIN_WORDS = 6

# Quotation marks by direction. A straight mark opens after white space or an opening bracket
# (or at the start) and closes otherwise.
_MARK = re.compile(r"[\"“”]")
_UNIT_EDGES = "\"“”‘’'«» \t,;:-–—…"
_UNIT_START_EDGES = _UNIT_EDGES + "?"  # '"?' is how some scraped pages spell a dash or quotation mark


def quote_unit_spans(text: str, claims: Sequence[tuple[int, int]], min_words: int = QUOTE_UNIT_MIN_WORDS) -> list[tuple[int, int, int]]:
    """(start, end, index of the enclosing claim) of each quoted sentence inside a longer claim
    (``claims`` are the claims' spans, in order): see :func:`provenance.segment.quote_units`."""
    units: list[tuple[int, int, int]] = []
    lines = _LineStarts(text)
    for ci, (start, end) in enumerate(claims):
        own = verbatim_key(text[start:end])
        for qs, qe in _quoted_regions(text, start, end, lines):
            for s, e in _sentences(text, qs, qe):
                s, e = _unit_edges(text, s, e)
                piece = text[s:e]
                if _count_words(piece) >= min_words and verbatim_key(piece) != own:
                    units.append((s, e, ci))
    return units


class _LineStarts:
    """Where the line holding a position starts (a quotation never spans a line break here)."""

    def __init__(self, text: str) -> None:
        self._text = text

    def of(self, pos: int) -> int:
        return self._text.rfind("\n", 0, pos) + 1


def _opening(text: str, i: int) -> bool:
    ch = text[i]
    if ch != '"':
        return ch == "“"
    return i == 0 or text[i - 1].isspace() or text[i - 1] in "([{—–-"


def _open_at(text: str, line_start: int, pos: int) -> bool:
    """Does a quotation opened earlier on the line run on at ``pos`` (a quotation split across
    claims: ``"That is not a problem.`` | ``It is a failure," she said.``)?"""
    depth = 0
    for m in _MARK.finditer(text, line_start, pos):
        depth = 1 if _opening(text, m.start()) else 0
    return depth == 1


def _quoted_regions(text: str, start: int, end: int, lines: _LineStarts) -> list[tuple[int, int]]:
    """The inside of each quotation within [start, end): a quotation open at ``start`` runs from
    there, one still open at ``end`` runs to it, and one still open where the next opens ends
    there (a quotation of several paragraphs flattened into one line opens each paragraph but
    closes only the last: '"His skilful management ... Leicester City. "His warmth ...')."""
    regions = []
    marks = list(_MARK.finditer(text, start, end))
    # A continuation shows it by closing a quotation before opening any; counting marks from the
    # line's start alone is fooled by a stray mark earlier in a long line.
    continues = bool(marks) and not _opening(text, marks[0].start())
    open_at = start if continues and _open_at(text, lines.of(start), start) else None
    for m in marks:
        i = m.start()
        if _opening(text, i):
            if open_at is not None:
                regions.append((open_at, i))
            open_at = i + 1
        elif open_at is not None:
            regions.append((open_at, i))
            open_at = None
    if open_at is not None:
        regions.append((open_at, end))
    return regions


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    bounds = [start, *(c for c in _rule_cuts(text, start, end) if start < c < end), end]
    return [(a, b) for a, b in zip(bounds, bounds[1:]) if a < b]


def _unit_edges(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim white space, quotation marks, a handing-over comma or colon, dashes and ellipses."""
    while start < end and (text[start] in _UNIT_START_EDGES or text.startswith("...", start)):
        start += 3 if text.startswith("...", start) else 1
    while end > start and (text[end - 1] in _UNIT_EDGES or text.endswith("...", start, end)):
        end -= 3 if text.endswith("...", start, end) else 1
    return start, end

"""Multi-sentence quotations that pysbd kept whole, split at their inner sentence ends."""

from __future__ import annotations

import re

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
    last = start
    words_before_last = 0  # words in [start, last)
    scanned, words_scanned = start, 0  # words in [start, scanned), counted incrementally
    for c in candidates:
        words_scanned += _count_words(_FOOTNOTE.sub(" ", text[scanned:c]))
        scanned = c
        left = words_scanned - words_before_last
        right = total - words_scanned
        if left >= _QUOTE_PIECE_MIN_WORDS and right >= _QUOTE_PIECE_MIN_WORDS:
            cuts.append(c)
            last, words_before_last = c, words_scanned
    if not cuts:
        return [(start, end, kind)]
    out: list[_Span] = []
    bounds = [start, *cuts, end]
    for a, b in zip(bounds, bounds[1:]):
        s, e = _trim(text, a, b)
        if s < e:
            out.append((s, e, "quote"))
    return out

"""Which claim each credit belongs to: its own sentence's, or a neighbouring sentence's that it
continues ("The campaign, dubbed ..." after "... according to a POLITICO investigation"; a bare
quotation after the sentence that names its speaker)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import replace

from ..records import Credit
from .extract import find_attributions
from .patterns import Q_CLOSE, Q_OPEN

__all__ = ["credits_for_claims", "unit_credits"]

_ANAPHOR_START = re.compile(r"^[\"“]?(?:(?P<pron>He|She|They|It)|This|That|These|Those|Such|The\s+(?P<noun>[a-z]+))\b")


class _QuoteCounts:
    """Quote marks by position, so "is a quotation open here?" costs a bisect, not a rescan of
    the paragraph (a document may be one huge line)."""

    def __init__(self, text: str) -> None:
        self.open = [m.start() for m in re.finditer("“", text)]
        self.close = [m.start() for m in re.finditer("”", text)]
        self.straight = [m.start() for m in re.finditer('"', text)]

    @staticmethod
    def _count(positions: list[int], start: int, end: int) -> int:
        return bisect.bisect_left(positions, end) - bisect.bisect_left(positions, start)

    def opens(self, para_start: int, end: int) -> bool:
        """The text from ``para_start`` to ``end`` leaves a quotation open."""
        curly = self._count(self.open, para_start, end) - self._count(self.close, para_start, end)
        return curly > 0 or self._count(self.straight, para_start, end) % 2 == 1


def credits_for_claims(text: str, spans: Sequence[tuple[int, int]], attrs: Sequence[Credit] | None = None) -> list[list[Credit]]:
    """Each claim's credits: those inside its span, else those of the sentence it continues.

    From the next sentence of its paragraph, when this one leaves a quotation open (the speaker
    comes at the quote's end), when the next starts with an anaphor and credits ("That estimate
    is drawn from ..., according to ..."), or when the next credits with a backward-looking cue
    ("X broke this story", a URL). From the previous sentence of its paragraph, when this one is
    a bare quotation or starts with a pronoun; and across a paragraph break when it starts with
    "The <noun>" naming something the previous sentence mentions ("The campaign, dubbed ...").
    """
    if attrs is None:
        attrs = find_attributions(text)
    attrs = sorted(attrs, key=lambda a: a.start)
    starts = [a.start for a in attrs]
    own: list[list[Credit]] = [attrs[bisect.bisect_left(starts, s):bisect.bisect_left(starts, e)] for s, e in spans]
    out = [list(x) for x in own]
    layout = _Layout(text)
    # Right to left: a quotation's speaker lends itself to the quotation's earlier sentences.
    for i in range(len(spans) - 2, -1, -1):
        if not out[i] and out[i + 1]:
            out[i] = _from_next(layout, spans[i], spans[i + 1], own[i + 1], out[i + 1])
    # Left to right: continuations of the previous sentence.
    for i in range(1, len(spans)):
        if not out[i] and out[i - 1] and _continues(layout, spans[i], spans[i - 1]):
            out[i] = [replace(a, scope="previous") for a in _inheritable(out[i - 1])]
    return out


def _inheritable(credits: list[Credit]) -> list[Credit]:
    # A footnote marker belongs to the sentence it sits in.
    return [a for a in credits if a.cue != "footnote"]


class _Layout:
    """Where a document's lines start and end, and its quotation marks."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.quotes = _QuoteCounts(text)
        self._newlines = [m.start() for m in re.finditer("\n", text)]

    def line_start(self, pos: int) -> int:
        i = bisect.bisect_left(self._newlines, pos)
        return self._newlines[i - 1] + 1 if i else 0

    def line_end(self, pos: int) -> int:
        i = bisect.bisect_left(self._newlines, pos)
        return self._newlines[i] if i < len(self._newlines) else len(self.text)


def _from_next(layout: _Layout, span: tuple[int, int], nspan: tuple[int, int], next_own: list[Credit], next_all: list[Credit]) -> list[Credit]:
    """What a sentence inherits from the next one of its paragraph (nothing across a break)."""
    text = layout.text
    (s, e), (ns, ne) = span, nspan
    if "\n" in text[e:ns]:
        return []
    nxt = text[ns:ne]
    m = _ANAPHOR_START.match(nxt)
    if layout.quotes.opens(layout.line_start(s), e):
        return [replace(a, scope="next") for a in _inheritable(next_all)]
    if next_own and m and re.search(r"\baccording to\b|\bcited\b|\bdrawn from\b|\bbased on\b", nxt):
        return [replace(a, scope="next") for a in _inheritable(next_own)]
    return [replace(a, scope="next") for a in next_own if a.cue in {"broke the story", "url", "reported by"}]


def _continues(layout: _Layout, span: tuple[int, int], pspan: tuple[int, int]) -> bool:
    """Does the sentence at ``span`` continue the previous one's credit?"""
    text = layout.text
    (s, e), (ps, pe) = span, pspan
    sentence = text[s:e]
    same_para = "\n" not in text[pe:s]
    m = _ANAPHOR_START.match(sentence)
    repeats = bool(m and m.group("noun") and re.search(rf"\b{re.escape(m.group('noun'))}", text[ps:pe], re.IGNORECASE))
    bare_quote = sentence[:1] in Q_OPEN and sentence.rstrip()[-1:] in Q_CLOSE
    in_quote = same_para and layout.quotes.opens(layout.line_start(s), s)
    # A paragraph that is only a quotation goes on quoting whoever the paragraph before quoted.
    para_tail = text[s:layout.line_end(s)].rstrip()
    quote_para = (not same_para and sentence[:1] in Q_OPEN and any(c in text[ps:pe] for c in Q_CLOSE)
                  and para_tail[-1:] in Q_CLOSE + ".!?")
    demonstrative = bool(m and not m.group("noun") and not m.group("pron"))
    return repeats or quote_para or (same_para and (demonstrative or bare_quote or in_quote))


def unit_credits(text: str, unit: tuple[int, int], parent: tuple[int, int], parent_credits: Sequence[Credit]) -> list[Credit]:
    """A quote unit's credits (segment.quote_units): those its own words hold, and the speaker
    its enclosing claim credits around the quotation ("...," Trump tweeted; "She added:"; a
    quotation's speaker named in the next sentence). Credits inside another quotation of the
    enclosing claim are that quotation's words, not this one's speaker, and are left out."""
    (us, ue), (ps, pe) = unit, parent
    quotes = _QuoteCounts(text) if parent_credits else None
    out = []
    for a in parent_credits:
        if us <= a.start and a.end <= ue:
            out.append(a)
        elif not (ps <= a.start < pe) or not quotes.opens(text.rfind("\n", 0, a.start) + 1, a.start):  # type: ignore[union-attr]
            out.append(replace(a, scope="enclosing") if a.cue != "footnote" else a)
    return out

"""Which claim each credit belongs to: its own sentence's, or a neighbouring sentence's that it
continues ("The campaign, dubbed ..." after "... according to a POLITICO investigation"; a bare
quotation after the sentence that names its speaker)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import replace

from ..records import Credit
from ..textnorm import readable_quotes
from .marks import lost_openings, opens_quotation
from .extract import find_attributions
from .patterns import ANAPHORS, Q_CLOSE, Q_OPEN, SAY

__all__ = ["credits_for_claims", "unit_credits"]

_ANAPHOR_START = re.compile(r"^[\"“]?(?:(?P<pron>He|She|They|It)|This|That|These|Those|Such|The\s+(?P<noun>[a-z]+))\b")


class _QuoteCounts:
    """Quote marks by position and by which way they face, so "is a quotation open here?"
    costs a bisect, not a rescan of the paragraph (a document may be one huge line).

    A quotation is open where the last quote mark before faces forward: a curly “, or a
    straight one after a space or a bracket and before a word. Counting marks instead (odd is
    open) let one stray mark in a one-line article turn every later sentence into a quotation."""

    def __init__(self, text: str, opened: frozenset[int] = frozenset()) -> None:
        self.marks: list[int] = []
        self.opening: list[bool] = []
        for m in re.finditer("[“”\"]", text):
            c, i = m.group(0), m.start()
            if i in opened:
                forward = True
            elif c == '"':
                forward = opens_quotation(text, i)
            else:
                forward = c == "“"
            self.marks.append(i)
            self.opening.append(forward)

    def opens(self, para_start: int, end: int) -> bool:
        """A quotation opened after ``para_start`` is still open at ``end``."""
        i = bisect.bisect_left(self.marks, end) - 1
        return i >= 0 and self.marks[i] >= para_start and end - self.marks[i] <= _QUOTE_REACH and self.opening[i]


# A quotation runs a few sentences at most: a forward mark further back than this opened
# something that a lost closing mark never ended.
_QUOTE_REACH = 1500


def credits_for_claims(text: str, spans: Sequence[tuple[int, int]], attrs: Sequence[Credit] | None = None) -> list[list[Credit]]:
    """Each claim's credits: those inside its span, else those of the sentence it continues.

    From the next sentence of its paragraph, when this one leaves a quotation open (the speaker
    comes at the quote's end), when the next starts with an anaphor and credits ("That estimate
    is drawn from ..., according to ..."), or when the next credits with a backward-looking cue
    ("X broke this story", a URL). From the previous sentence of its paragraph, when this one is
    a bare quotation or starts with a pronoun; and across a paragraph break when it starts with
    "The <noun>" naming something the previous sentence mentions ("The campaign, dubbed ...").
    """
    opened = lost_openings(text)
    text = readable_quotes(text)
    if attrs is None:
        attrs = find_attributions(text)
    attrs = sorted(attrs, key=lambda a: a.start)
    starts = [a.start for a in attrs]
    own: list[list[Credit]] = [attrs[bisect.bisect_left(starts, s):bisect.bisect_left(starts, e)] for s, e in spans]
    _lend_fragments(text, spans, attrs, own)
    out = [list(x) for x in own]
    layout = _Layout(text, opened)
    # Right to left: a quotation's speaker lends itself to the quotation's earlier sentences.
    for i in range(len(spans) - 2, -1, -1):
        if not out[i] and out[i + 1]:
            out[i] = _from_next(layout, spans[i], spans[i + 1], own[i + 1], out[i + 1])
    # Left to right: continuations of the previous sentence.
    for i in range(1, len(spans)):
        if not out[i] and out[i - 1] and _continues(layout, spans[i], spans[i - 1]):
            out[i] = [replace(a, scope="previous") for a in _inheritable(out[i - 1])]
    return out


# How far after a claim a credit in no claim may lie and still be that claim's.
_FRAGMENT_REACH = 40


def _lend_fragments(text: str, spans: Sequence[tuple[int, int]], attrs: Sequence[Credit], own: list[list[Credit]]) -> None:
    """A credit in a fragment too short to be a claim ("...be done,"?Collins said." cut after
    the question mark) belongs to the claim just before it on the same line."""
    ends = [e for _, e in spans]
    for a in attrs:
        i = bisect.bisect_right(ends, a.start) - 1
        if a.cue == "credit line" and i + 1 < len(spans) and a.start < spans[i + 1][0] \
                and len(text[a.end:spans[i + 1][0]]) <= _FRAGMENT_REACH and "\n" not in text[a.end:spans[i + 1][0]] \
                and (i < 0 or "\n" in text[spans[i][1]:a.start]):
            # A wire dateline, "BERLIN, March 18 (Reuters) - ...", is cut off the claim it opens.
            own[i + 1] = [a, *own[i + 1]]
            continue
        if i < 0 or (i + 1 < len(spans) and spans[i + 1][0] <= a.start < spans[i + 1][1]):
            continue
        if spans[i][0] <= a.start < spans[i][1]:
            continue
        gap = text[spans[i][1]:a.start]
        if len(gap) <= _FRAGMENT_REACH and "\n" not in gap and a not in own[i]:
            own[i] = [*own[i], a]


def _inheritable(credits: list[Credit]) -> list[Credit]:
    # A footnote marker, and an agency credit line, belong to the sentence they sit in.
    return [a for a in credits if a.cue not in ("footnote", "credit line")]


class _Layout:
    """Where a document's lines start and end, and its quotation marks."""

    def __init__(self, text: str, opened: frozenset[int] = frozenset()) -> None:
        self.text = text
        self.quotes = _QuoteCounts(text, opened)
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
    if layout.quotes.opens(layout.line_start(s), e) or _leaves_open(text[s:e]):
        if _closed_by_full_stop(nxt, [a.start - ns for a in next_own]) or (text[s:e].rstrip().endswith(".") and e == ns and nxt[:1] in "\"”"):
            # (the splitter may hand the closing mark to the next sentence: `intake."If you`)
            return []
        return [replace(a, scope="next") for a in _inheritable(next_all)]
    # ("The current flu vaccine ..., according to a report" is about something new, not this
    # sentence's: a "The <noun>" start refers back only to a noun this sentence holds)
    back = m and (not m.group("noun") or re.search(rf"\b{re.escape(m.group('noun'))}", text[s:e], re.IGNORECASE))
    if next_own and back and re.search(r"\baccording to\b|\bcited\b|\bdrawn from\b|\bbased on\b", nxt):
        return [replace(a, scope="next") for a in _inheritable(next_own)]
    if next_own and re.search(r",[ \t]*[\"”][ \t]*$", text[s:e]) and text[s:e].lstrip()[:1] in Q_OPEN:
        # A quotation cut off by the sentence splitter after its comma (",\"?Rami Abdulrahman,
        # director ..., told ABC News"): its speaker is the next fragment's.
        return [replace(a, scope="next") for a in _inheritable(next_own)]
    quoting = text[s:e].lstrip("-–— \t")[:1] in "\"“" or layout.quotes.opens(layout.line_start(s), s)
    if next_own and quoting and _SPEAKER_TAG.match(nxt) and text[s:e].rstrip()[-1:] in "\"”":
        # A sentence that only names who spoke ('Owens said in an interview with the Miami
        # Herald.' after a quotation): the quotation's speaker (only a quotation's: a sentence
        # glued before the quotation is the writer's).
        return [replace(a, scope="next") for a in _inheritable(next_own)]
    return [replace(a, scope="next") for a in next_own if a.cue in {"broke the story", "url", "reported by"}]


# A speaker's name and a speech verb, then at most where or to whom they spoke: a sentence that
# says nothing but who said the quotation before it.
_SPEAKER_TAG = re.compile(
    r"[ \t]*(?:[A-Z][\w.'’\-]*[ \t]+){1,4}(?:(?:also|later|reportedly|then)[ \t]+)?(?:said|says|added|told|wrote|explained)"
    r"(?:[ \t]+(?:reporters|journalists|(?:the[ \t]+)?[A-Z][\w'’\-]*(?:[ \t]+[A-Z][\w'’\-]*){0,3}))?"
    r"(?:[ \t]+(?:in|during|on|at|to|after|before|while|when|with|from)[ \t][^.!?\"“”\n]{0,80})?[ \t]*[.!?]?[ \t]*$")


def _closed_by_full_stop(sentence: str, credit_offsets: list[int]) -> bool:
    """The quotation left open ends in ``sentence`` with a full stop (`...if not most." Lisa
    Perriera, ..., said she believes`), and its credits all come after: a speaker's tag follows
    a quotation's comma, question or exclamation mark; after a full stop a new sentence, whose
    subject is not the quotation's speaker."""
    m = re.search(r"[^\s][\"”]", sentence)
    if m is None or sentence[m.start()] != "." or not credit_offsets:
        return False
    return all(off >= m.end() for off in credit_offsets)


def _leaves_open(sentence: str) -> bool:
    """The sentence opens a quotation it does not close (counted in the sentence alone, so a
    stray quote mark earlier in a one-line article does not turn every sentence after it)."""
    s = sentence.strip()
    if s[:1] not in Q_OPEN or s[:1] == "'" or s[1:2].isspace():
        # ('" The Trump Organization declined ...': the closing mark of the sentence before.)
        return False
    curly = s.count("“") - s.count("”")
    return curly > 0 or (s.count('"') % 2 == 1 and "“" not in s)


def _continues(layout: _Layout, span: tuple[int, int], pspan: tuple[int, int]) -> bool:
    """Does the sentence at ``span`` continue the previous one's credit?"""
    text = layout.text
    (s, e), (ps, pe) = span, pspan
    sentence = text[s:e]
    same_para = "\n" not in text[pe:s]
    m = _ANAPHOR_START.match(sentence)
    # "The campaign, dubbed ..." after "... according to a POLITICO investigation" goes on with
    # what was credited; "The group didn't identify ..." after "The group apologized, saying"
    # speaks of the source itself, in the writer's voice.
    # ("The complaint said ...", "The legislation's supporters argue ...": a sentence whose own
    # subject speaks has a source of its own, unnamed here, not the previous sentence's.)
    repeats = bool(m and m.group("noun") and m.group("noun").lower() not in ANAPHORS
                   and re.search(rf"\b{re.escape(m.group('noun'))}", text[ps:pe], re.IGNORECASE)
                   and not _SPEAKS.match(sentence))
    # A quotation that no cue of its own (nor of the sentences that close it, read before)
    # gives a speaker goes on quoting the one just credited: "...," Collins said. "I don't know
    # ... people. I do believe he owes us that explanation."
    # (a dash glued before it is noise: `said Boyle.- "It's a heck of a lot easier ...`)
    opening = sentence.lstrip("-–— \t")
    bare_quote = opening[:1] in "\"“" and not opening[1:2].isspace()
    # ('" Comic Relief has raised ...' begins with the closing mark of the quotation before it.)
    lead = 1 if sentence[:1] in "\"”" and sentence[1:2].isspace() else 0
    in_quote = same_para and (layout.quotes.opens(layout.line_start(s), s + lead) or _leaves_open(text[ps:pe]))
    # A paragraph that is only a quotation goes on quoting whoever the paragraph before quoted.
    para_tail = text[s:layout.line_end(s)].rstrip()
    quote_para = (not same_para and sentence[:1] in Q_OPEN and any(c in text[ps:pe] for c in Q_CLOSE)
                  and para_tail[-1:] in Q_CLOSE + ".!?")
    demonstrative = bool(m and not m.group("noun") and not m.group("pron"))
    return repeats or quote_para or (same_para and (demonstrative or bare_quote or in_quote))


# A sentence that opens with its own speaker: "The <noun>['s <noun>] [also] said / argue ...".
_SPEAKS = re.compile(rf"[\"“]?The[ \t]+[a-z]+(?:['’]s[ \t]+[a-z]+)?[ \t]+(?:also[ \t]+)?(?:{SAY}|argue|argues|say)\b")


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

"""Where sentences end inside a line: unambiguous ends by rule, pysbd only where in doubt.

pysbd is only used to *choose cut points*: its sentences are located again in the original, so
offsets are exact whatever pysbd does to its copy of the text. Long lines are pre-chunked first
(pysbd's abbreviation pass is quadratic in its input).
"""

from __future__ import annotations

import functools
import re
from typing import Any

from .words import _LAST_WS, _NO_CUT_AFTER, _abbreviation_before

# pysbd's AbbreviationReplacer runs one re.sub over the whole input per abbreviation-like
# token, i.e. it is quadratic: ~10 ms for 1,000 characters, ~1 s for 20,000.  Real
# paragraphs are rarely longer than this, and longer ones are cut at probable sentence ends.
_CHUNK = 1000

_TERMINAL_CHARS = re.compile(r"[.!?…。！？．]")

# A probable sentence end, for pre-chunking, quotations and huge texts.  The next character
# must be an uppercase letter (checked in code, Python's re has no \p{Lu}).
_RULE_BOUNDARY = re.compile(
    r"(?P<punct>[.!?…]+|[。！？])(?P<close>[\"'”’»)\]]*)(?P<notes>(?:\[\d{1,3}\])*)\s+"
    r"(?=[\"'“‘«(\[]?(?P<first>[^\W\d_]))"
)

# An unambiguous sentence end: a word of at least two letters (hyphens and apostrophes inside
# allowed, no dots) or a number of three or more digits ("2017.", "11,057."; shorter ones may
# number a list), one . ! or ? with perhaps a closing quotation mark or bracket on either side,
# spaces, then a capital letter, perhaps after an opening quotation mark.  The word must start
# after white space or an opening mark, so "U.S." or "3.5" never qualifies.
_CLEAN_END = re.compile(
    r"(?<![^\s\"“‘(\[])(?P<word>[^\W\d_]{2,}(?:['’\-][^\W\d_]+)*|\d{1,3}(?:,\d{3})+|\d{3,})"
    r"[”\"’)]?(?P<punct>[.!?])[”\"’)]? +(?=[\"“‘]?[A-Z])"
)
_BRACKETING = re.compile(r"[\"“”‘’()\[\]]")
_SINGLE_QUOTE_OPEN = re.compile(r"(?:^|(?<=\s))'")
_CLOSERS = frozenset("”\"’)")
_PAIRS = {"”": "“", "’": "‘", ")": "(", "]": "["}  # closing mark -> its opening mark
# The spans pysbd's BetweenPunctuation masks (its patterns, without backslash escapes), each
# kind found on its own as pysbd does: a quotation may hold brackets and the reverse.
_PROTECTED = tuple(
    re.compile(p) for p in (r'"[^"\\]*"', r"“[^”\\]*”", r"\([^()\\]*\)", r"\[[^\]\\]*\]", r"«[^»\\]*»", r"--[^-]*--")
)
_FIRST_PERSON = re.compile(r"I(?:\s|'m|'ll)")
# Where pysbd may cut: terminal punctuation (closing marks and footnotes after it) followed by
# white space and anything but a lowercase letter, or directly by an opening mark or a dash
# ("year.- The bank", "left.(The"), or, after a closing quote, by a capital ('left."The',
# 'of words”.The basic idea').
_POSSIBLE_END = re.compile(
    r"[。！？]|(?<=[\"”’)])[.!?]+(?=[A-Z])|[.!?…．]+[\"'”’»)\]]*(?:\[\d{1,3}\])*(?:\s+(?![a-z])|(?=[-–—*(\[“«])|(?<=[\"”’)])(?=[A-Z]))"
)
# pysbd everywhere (False) is kept for scripts/bench_segment.py's agreement measurement.
_FAST_PATH = True

# Characters pysbd uses internally as placeholders; input containing them comes back mangled.
_PYSBD_PLACEHOLDERS = "∯♟♝ǃ♨☝ƪ⁃ᓴ✂☏ᓷ☉☈☇☄∮ȹȸ⎋⌬ᓸᓳᓱᓰ♭♬"
_PYSBD_SANITISE = str.maketrans({ch: "_" for ch in _PYSBD_PLACEHOLDERS})


def _raw_cuts(text: str, start: int, end: int, use_pysbd: bool) -> list[int]:
    """Candidate sentence cuts inside [start, end): chunk cuts plus the segmenter's cuts."""
    cuts: list[int] = []
    for cs, ce in _chunks(text, start, end):
        if cs > start:
            cuts.append(cs)
        if not _TERMINAL_CHARS.search(text, cs, ce):
            continue  # nothing could end a sentence here; pysbd would return it whole
        if use_pysbd:
            cuts.extend(_screened_cuts(text, cs, ce))
            # pysbd misses a sentence end followed by a footnote marker after a closing quote
            # ('...the same time.”[5] This is troubling'); such an end is unambiguous.
            cuts.extend(_rule_cuts(text, cs, ce, footnoted_only=True))
            cuts.extend(_glued_quote_cuts(text, cs, ce))
        else:
            cuts.extend(_rule_cuts(text, cs, ce))
    return sorted(set(cuts))


# A sentence end and a straight quotation mark with no space before the next sentence
# ('matters most."Guthrie and', 'in Davos."There's a few'): pysbd cuts neither side of it.
_GLUED_QUOTE = re.compile(r'(?<=[a-z][.!?])"(?=[A-Z][a-z])')


def _glued_quote_cuts(text: str, start: int, end: int) -> list[int]:
    """The cut at each glued quotation mark of [start, end): after it where it closes the
    quotation opened by the mark before it (one after white space), else before it."""
    cuts = []
    for m in _GLUED_QUOTE.finditer(text, start, end):
        prev = text.rfind('"', start, m.start())
        closes = prev >= 0 and (prev == start or text[prev - 1].isspace() or text[prev - 1] in "([")
        cuts.append(m.end() if closes else m.start())
    return cuts


def _chunks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split [start, end) into pieces of at most _CHUNK characters, preferring probable
    sentence ends, then white space, then a hard cut.  Linear: every window is scanned once."""
    pieces: list[tuple[int, int]] = []
    pos = start
    while end - pos > _CHUNK:
        limit = pos + _CHUNK
        cut = 0
        rule = _rule_cuts(text, pos + _CHUNK // 3, limit)
        if rule:
            cut = rule[-1]
        else:
            m = _LAST_WS.match(text, pos + 1, limit)
            cut = m.end() - 1 if m else limit
        pieces.append((pos, cut))
        pos = cut
        while pos < end and text[pos].isspace():
            pos += 1
    if pos < end:
        pieces.append((pos, end))
    return pieces


@functools.lru_cache(maxsize=1)
def _segmenter() -> Any:
    # Imported and built once, lazily: pysbd compiles many patterns on first use.
    import pysbd

    return pysbd.Segmenter(language="en", clean=False, char_span=False)


def _screened_cuts(text: str, start: int, end: int) -> list[int]:
    """pysbd's cuts in [start, end), with pysbd run only where a cut is in doubt.

    Most sentence ends in news text are unambiguous: a plain word of two or more letters that
    pysbd does not know as an abbreviation, one ``.``/``!``/``?``, a space, a capital letter,
    outside any quotation or brackets.  pysbd always cuts there, so the piece is cut here
    without it; pysbd then sees only the pieces that still hold terminal punctuation (an
    abbreviation, an initial, a quotation), which are short.  pysbd's cost grows faster than
    its input (one regex pass per abbreviation-like substring), so this is most of the
    segmentation time saved.  ``scripts/bench_segment.py`` measures the agreement with pysbd
    on whole chunks.
    """
    if not _FAST_PATH or _SINGLE_QUOTE_OPEN.search(text, start, end):
        # pysbd treats 'single-quoted' text as a unit; tracking straight single quotes against
        # apostrophes is not worth the risk, and such text is rare in news.
        return _pysbd_cuts(text, start, end)
    clean = _clean_cuts(text, start, end)
    cuts: list[int] = []
    bounds = [start, *clean, end]
    for a, b in zip(bounds, bounds[1:]):
        if b > a and _needs_segmenter(text, a, b):
            cuts.extend(_pysbd_cuts(text, a, b))
        if b < end:
            cuts.append(b)
    return cuts


def _clean_cuts(text: str, start: int, end: int) -> list[int]:
    """Unambiguous sentence ends in [start, end) (see :func:`_screened_cuts`), as the offset
    just after the punctuation and the closing mark that may follow it."""
    cuts: list[int] = []
    asides = [m.span() for m in _PROTECTED[-1].finditer(text, start, end)]  # "-- ... --"
    marks = _BRACKETING.finditer(text, start, end)
    mark = next(marks, None)
    straight = 0  # straight double quotes seen: odd means inside a quotation
    depth = dict.fromkeys(_PAIRS.values(), 0)  # open “ ‘ ( [ not yet closed
    for m in _CLEAN_END.finditer(text, start, end):
        cut = m.end("punct")
        if text[cut] in _CLOSERS:
            cut += 1  # pysbd keeps a closing mark with the sentence it ends
        while mark is not None and mark.start() < cut:
            ch = mark.group()
            if ch == '"':
                straight += 1
            elif ch in depth:
                depth[ch] += 1
            else:
                opener = _PAIRS[ch]
                depth[opener] = max(0, depth[opener] - 1)  # a stray closer ("don’t") is no opening
            mark = next(marks, None)
        if straight % 2 or any(depth.values()):
            continue
        if asides and any(a < cut < b for a, b in asides):
            continue
        word = m.group("word").lower()
        if not word[0].isdigit():
            if word in _NO_CUT_AFTER:
                continue
            prepositive, abbreviation = _pysbd_abbreviations()
            # pysbd never cuts after a "prepositive" abbreviation (a title), and after any other
            # abbreviation it knows it does not cut before "I" ("... as in Ill. I think").
            if word in prepositive or (word in abbreviation and _FIRST_PERSON.match(text, m.end())):
                continue
        cuts.append(cut)
    return cuts


def _needs_segmenter(text: str, start: int, end: int) -> bool:
    """Could pysbd cut [start, end) anywhere that survives?  Only at a :data:`_POSSIBLE_END`
    (a cut before a lowercase continuation is undone by :func:`.repair._fix_cuts` anyway, and
    "3.5" or "U.S.-led" is never cut) that pysbd does not mask as part of a quotation or aside."""
    while end > start and text[end - 1].isspace():
        end -= 1
    ends = list(_POSSIBLE_END.finditer(text, start, end))
    if not ends:
        return False
    if "\\" in text[start:end]:
        return True  # pysbd's quotation patterns treat backslashes specially
    # pysbd masks . ! ? inside quotations, brackets and "-- asides --" before it cuts, so an
    # end inside one of those is never cut: only ends outside them (or an ellipsis, which it
    # does not mask) need pysbd.
    regions = [m.span() for pattern in _PROTECTED for m in pattern.finditer(text, start, end)]
    for m in ends:
        at = m.start()
        # Masked only when the whole end, white space included, lies inside: '!" Then' ends
        # a quotation, and pysbd cuts after its closing mark.
        if "…" in m.group() or not any(s < at and m.end() < e for s, e in regions):
            return True
    return False


@functools.lru_cache(maxsize=1)
def _pysbd_abbreviations() -> tuple[frozenset[str], frozenset[str]]:
    """pysbd's (prepositive, all) English abbreviations, lower case, read on first use."""
    from pysbd.lang.english import English

    abbr = English.Abbreviation
    prepositive = frozenset(a.strip().lower() for a in abbr.PREPOSITIVE_ABBREVIATIONS)
    every = frozenset(
        a.strip().lower() for a in (*abbr.ABBREVIATIONS, *abbr.NUMBER_ABBREVIATIONS)
    )
    return prepositive, every | prepositive


def _pysbd_cuts(text: str, start: int, end: int) -> list[int]:
    """Sentence ends pysbd finds in [start, end), as offsets into *text*.

    ``Segmenter.segment`` is not used: its char-span step searches every sentence through the
    whole text (quadratic) and silently drops sentences it cannot find.  Its processor's
    sentences are located here with a bounded forward search instead; a sentence pysbd
    altered is simply not found, and its text joins the next one.
    """
    chunk = text[start:end].translate(_PYSBD_SANITISE)  # same length as the original
    try:
        sentences = _segmenter().processor(chunk).process()
    except Exception:  # pysbd is regex soup; a crash must not lose the document
        return []
    cuts: list[int] = []
    cursor = 0
    pending = 0
    for sent in sentences or ():
        piece = sent.strip()
        if not piece:
            continue
        at = chunk.find(piece, cursor, cursor + pending + len(piece) + 32)
        if at < 0:
            pending += len(sent)
            continue
        cursor = at + len(piece)
        pending = 0
        if cursor < len(chunk):
            cuts.append(start + cursor)
    return cuts


def _rule_cuts(text: str, start: int, end: int, *, footnoted_only: bool = False) -> list[int]:
    """Probable sentence starts in [start, end) by rule: terminal punctuation, white space,
    then an uppercase letter, unless the word before the full stop is an abbreviation or an
    initial (``U.S.`` followed by a capital is ambiguous and never cut here)."""
    cuts: list[int] = []
    for m in _RULE_BOUNDARY.finditer(text, start, end):
        if footnoted_only and not m.group("notes"):
            continue
        if not m.group("first").isupper():
            continue
        dot = m.group("punct") == "." and not m.group("close")
        if dot and _abbreviation_before(text, m.start()):
            continue
        cuts.append(m.end())
    return cuts

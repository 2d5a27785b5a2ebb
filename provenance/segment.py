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

``split_claims`` then drops what is not a claim (datelines, URL-only and date-only lines,
segments with fewer than ``min_words`` words) and splits segments longer than ``max_chars``
at a clause boundary.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any, Iterator

from .textnorm import normalise

__all__ = ["Claim", "split_claims", "split_sentences"]


@dataclass(frozen=True)
class Claim:
    ordinal: int  # 0-based position among the claims returned for this text
    start: int  # character offsets into the ORIGINAL text passed in
    end: int  # text[start:end] == claim.text exactly
    text: str  # original slice, trimmed of white space (offsets trimmed accordingly)
    norm: str  # textnorm.normalise(text)
    kind: str  # "sentence" | "headline" | "list-item" | "quote"


# --------------------------------------------------------------------------------------------
# Tunables (why each value: see the comments)

# pysbd's AbbreviationReplacer runs one re.sub over the whole input per abbreviation-like
# token, i.e. it is quadratic: ~10 ms for 1,000 characters, ~1 s for 20,000.  Real
# paragraphs are rarely longer than this, and longer ones are cut at probable sentence ends.
_CHUNK = 1000
# Beyond this much text even chunked pysbd costs seconds (~8 us/char), so a huge document is
# segmented by the built-in rules alone.  Web articles are far below this.
_PYSBD_TEXT_LIMIT = 300_000
# A line without final punctuation is a headline only if it is short; a long unpunctuated
# line is more likely a paragraph that lost its full stop (or an author bio).
_HEADLINE_MAX_WORDS = 20
# A reference-list entry ("[25] Jane Esberg, “Why ...,” Modern War Institute, June 9, 2022,")
# is kept whole: pysbd would cut it after a title ending in "?" or "." and leave fragments.
_REFERENCE_MAX_CHARS = 400
# Each piece of a split quotation must stay a claim on its own (never a bare "he said.").
_QUOTE_PIECE_MIN_WORDS = 4

_Span = tuple[int, int, str]  # (start, end, kind)

# --------------------------------------------------------------------------------------------
# Patterns

# Every character str.splitlines() treats as a line boundary; "\r\n" counts once.
_LINE_BREAK = re.compile(r"\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
_WORD = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*")
_FOOTNOTE = re.compile(r"\[\d{1,3}\]")
_URL = re.compile(r"(?:https?://|ftp://|www\.)[^\s<>\"“”‘’]+", re.IGNORECASE)
_URL_TRAILING = ".,;:!?)]}'\"’”"
# "- item", "* item", "• item", "1. item", "2) item", "a) item".
_LIST_MARKER = re.compile(r"(?:[-*•‣◦▪–—]|\d{1,3}[.)]|[a-z]\))\s+(?=\S)")
_REFERENCE_MARKER = re.compile(r"\[\d{1,3}\]\s*(?=\S)")
# "WASHINGTON (Reuters) - ", "NEW YORK, Oct. 5 (AP) — ", "LONDON — ". Validated in code.
_DATELINE = re.compile(
    r"(?P<place>[A-Z][A-Za-z.'’\-]*(?:[ ,]+[A-Za-z0-9.'’\-]+){0,5}?)\s*"
    r"(?P<agency>\([^()\n]{1,30}\))?"
    r"(?:\s+-{1,2}\s+|\s*[–—]\s*)(?=\S)"
)
_TERMINAL_CHARS = re.compile(r"[.!?…。！？．]")
# Line ends with sentence-final (or clause) punctuation, possibly followed by closing quotes,
# brackets and footnote markers.  ",;:" count too: such a line is not a headline.
_ENDS_PUNCTUATED = re.compile(r"[.!?…。！？．:;,][\"'”’»)\]]*(?:\[\d{1,3}\])*\s*\Z")
# A probable sentence end, for pre-chunking, quotations and huge texts.  The next character
# must be an uppercase letter (checked in code, Python's re has no \p{Lu}).
_RULE_BOUNDARY = re.compile(
    r"(?P<punct>[.!?…]+|[。！？])(?P<close>[\"'”’»)\]]*)(?P<notes>(?:\[\d{1,3}\])*)\s+"
    r"(?=[\"'“‘«(\[]?(?P<first>[^\W\d_]))"
)
# What must stay attached to the sentence before it: closing quotes/brackets, footnotes.
_ATTACH_LEFT = re.compile(r"\s*(?:[”’)\]}»]|\[\d{1,3}\])+")
_QUOTED = re.compile(r"[\"“][^\"“”\n]*[\"”]")
_DATE_TOKEN = re.compile(r"[^\W\d_]+|\d+")
_LAST_WS = re.compile(r".*\s", re.DOTALL)

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
_TIME_FOLLOWERS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday today tomorrow yesterday tonight "
    "et est edt ct cst cdt mt mst mdt pt pst pdt gmt utc bst cet local".split()
)
_DATE_WORDS = frozenset(
    "mon tue tues wed thu thur thurs fri sat sun monday tuesday wednesday thursday friday "
    "saturday sunday jan feb mar apr may jun jul aug sep sept oct nov dec january february "
    "march april june july august september october november december am pm a m p at on "
    "updated published posted last modified utc gmt est edt cst cdt pst pdt bst cet et".split()
)


# --------------------------------------------------------------------------------------------
# Public API


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Raw sentence spans ``(start, end)`` of *text*, in order, trimmed of white space.

    These are the segments :func:`split_claims` starts from, before it drops short or non-claim
    segments and splits over-long ones.  List bullets, leading reference markers ``[n]`` and
    news datelines ("WASHINGTON (Reuters) -") are not sentences and are in no span.
    """
    return [(s, e) for s, e, kind in _segments(text) if kind != "dateline"]


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
    for start, end, kind in _segments(text):
        if kind == "dateline" or _is_url_only(text[start:end]) or _is_date_only(text[start:end]):
            continue
        for s, e in _limit_length(text, start, end, max_chars):
            piece = text[s:e]
            norm = normalise(piece)
            if not norm or _count_words(norm) < min_words:
                continue
            claims.append(Claim(len(claims), s, e, piece, norm, kind))
    return claims


# --------------------------------------------------------------------------------------------
# Lines


def _segments(text: str) -> list[_Span]:
    """All segments of *text* (trimmed, ordered, non-overlapping), with their kinds."""
    if not text:
        return []
    use_pysbd = len(text) <= _PYSBD_TEXT_LIMIT
    out: list[_Span] = []
    for start, end in _lines(text):
        out.extend(_segment_line(text, start, end, use_pysbd))
    return out


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


# --------------------------------------------------------------------------------------------
# Cut points


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
        else:
            cuts.extend(_rule_cuts(text, cs, ce))
    return sorted(set(cuts))


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
    (a cut before a lowercase continuation is undone by :func:`_fix_cuts` anyway, and "3.5" or
    "U.S.-led" is never cut) that pysbd does not mask as part of a quotation or aside."""
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
        # A lowercase continuation is not a new sentence ('"Stop!" he said.', "approx. five").
        if text[nxt].islower():
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


# --------------------------------------------------------------------------------------------
# Quotations


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


# --------------------------------------------------------------------------------------------
# Claim filtering and length limit


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


def _count_words(s: str) -> int:
    return len(_WORD.findall(s))


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) so that it neither starts nor ends with white space (str.isspace)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end

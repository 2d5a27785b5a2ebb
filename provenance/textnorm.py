"""Text normalisation for matching.

Stored document text is never changed by this module: claims keep offsets into the original
text, and these functions produce the *comparison* forms: :func:`normalise` (lexical measures,
full-text search), :func:`embedding_text` (what the model reads), :func:`verbatim_key` (the
test for ``verbatim``) and :func:`readable_quotes` (mis-decoded quotation marks read as what they
were, at the same offsets, for segmentation and attribution).
"""

from __future__ import annotations

import re
import unicodedata

# Quotes, dashes and spaces that vary between outlets but never change a claim's meaning.
_TRANSLATE = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u00ab": '"', "\u00bb": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
        "\u00a0": " ", "\u2007": " ", "\u202f": " ",
    }
)
_WS = re.compile(r"\s+")
_FOOTNOTE = re.compile(r"\[\d{1,3}\]")
_NON_WORD = re.compile(r"[^\w]+")


# Format (Cf) and control (Cc) characters except newline and tab, as one character class: a
# per-character Python loop costs seconds on a 20 MB document. tests/test_textnorm.py checks
# this list against unicodedata for every code point.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2"
    "\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f]"
)


def strip_invisible(text: str) -> str:
    """Drop format characters (zero-width, bidi controls, soft hyphen, BOM), controls and NULs."""
    return _INVISIBLE.sub("", text)


# Past this many characters a text is normalised in pieces cut after a run of white space:
# re.sub builds a list of every piece between matches, so collapsing the white space of a 20 MB
# line of words in one call held 300 MB (4 M pieces); a piece of this size holds about 4 MB.
NORMALISE_PIECE = 1 << 18
_WS_RUN_END = re.compile(r"\s+")


def normalise(text: str, *, piece: int = NORMALISE_PIECE) -> str:
    """The comparison form of a claim: NFKC, invisible characters removed, typographic quotes
    and dashes folded, footnote markers like ``[13]`` dropped, white space collapsed.

    A text longer than ``piece`` characters is normalised piece by piece (the same result,
    with memory bounded by the piece rather than the text)."""
    if len(text) <= piece:
        return _normalise_piece(text).strip()
    out: list[str] = []
    for part in _pieces(text, piece):
        norm = _normalise_piece(part)
        if out and out[-1].endswith(" ") and norm.startswith(" "):
            # Each piece's white space is collapsed already; only the seam can hold two spaces.
            norm = norm[1:]
        if norm:
            out.append(norm)
    return "".join(out).strip()


def _normalise_piece(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = strip_invisible(text).translate(_TRANSLATE)
    text = _FOOTNOTE.sub("", text)
    return _WS.sub(" ", text)


def _pieces(text: str, size: int):
    """``text`` in consecutive pieces of about ``size`` characters, each ending after a run of
    white space (so no piece ends inside a word, a footnote marker or a combining sequence);
    a piece with no white space runs on to the next one."""
    start = 0
    while start < len(text):
        m = _WS_RUN_END.search(text, start + size) if start + size < len(text) else None
        end = m.end() if m else len(text)
        yield text[start:end]
        start = end


# What the model reads, by form; a store records the form its vectors were computed from.
#   1: the normalised text (provenance before issue 13; quote marks were embedded)
#   2: the normalised text without quotation marks, ending in one full stop (or its "?")
EMBEDDING_FORM = 2
EMBEDDING_FORMS = (1, 2)

# Double quotes are folded to '"' by normalise. Single quotes are quotation marks only in pairs
# whose opening mark follows no word character and whose closing mark precedes none, so the
# apostrophes of "don't" and "Jones' car" stay.
_SINGLE_QUOTED = re.compile(r"(?<!\w)'(?=\S)([^'\n]{1,300}?)(?<=\S)'(?!\w)")
_TRAILING = re.compile(r"[\s.,;:!…]+\Z")


def embedding_text(text: str, form: int = EMBEDDING_FORM) -> str:
    """What the model embeds for a claim: what it says, not its typography.

    all-MiniLM-L6-v2 moves a sentence's vector a long way for marks that do not change what it
    says: wrapped in straight quotes a sentence keeps cosine 0.81 to itself, and dropping its
    full stop costs 0.015 on average (0.08 at worst). So form 2 folds what :func:`normalise`
    folds, drops quotation marks, and ends every text the same way: whatever ends it (a comma
    handing over to a quote's frame, "!", an ellipsis, nothing at all) becomes one full stop,
    a question keeps its "?". A quote, the same words in another outlet's quotation marks and
    the same sentence cut before its comma all embed alike, while a sentence that ended in a
    full stop anyway is read exactly as before (stripping the stop instead would raise the
    cosine of unrelated sentences, by 0.04 at the 95th percentile on news sentences). Form 1
    is kept for stores built before form 2 (trace reads them in their form).
    """
    norm = normalise(text)
    if form == 1:
        return norm
    if form != 2:
        raise ValueError(f"unknown embedding form {form!r}")
    bare = _SINGLE_QUOTED.sub(r"\1", norm.replace('"', " ")) if "'" in norm else norm.replace('"', " ")
    bare = _TRAILING.sub("", _WS.sub(" ", bare).strip())
    if not bare:
        return norm
    return bare if bare.endswith("?") else bare + "."


def verbatim_key(text: str) -> str:
    """Equal for two texts that say the same words, up to case, punctuation and white space
    (the contract's meaning of ``verbatim``)."""
    return _NON_WORD.sub(" ", normalise(text).casefold()).strip()


_QUOTE_MOJIBAKE = re.compile(r'"\?|"\ufffd|(?<=[a-z])"(?=(?:t|s|re|ve|ll|d|m)\b)')


def readable_quotes(text: str) -> str:
    """The text with its mis-decoded punctuation read as what it was, at the same offsets:
    ``"?`` after a word or punctuation closes a quotation (``,"?Collins said``), after a space
    it was a dash (``Trump "?a man loath to``), ``"\ufffd`` opens one, and ``can"t`` is an
    apostrophe. Many articles of one feed carry these; read raw, every sentence after the
    first dash looks like a quotation's. A hyphen that stands for a lost space before a cue
    ("Davis-earlier said") is read as the space."""
    if '"' not in text:
        return _LOST_SPACE.sub(" ", text) if "-" in text else text

    def fix(m: re.Match[str]) -> str:
        s = m.group(0)
        if s == '"':
            return "'"
        if s[1] == "\ufffd":
            # an opening mark after a space ('hire "\ufffdexternal expertise'), else a dash
            # ("Temple Beth Zion"\ufffdBeth Israel")
            return '" ' if text[m.start() - 1:m.start()] in ("", " ", "\t", "\n", "(") else "--"
        before = text[m.start() - 1:m.start()]
        return "--" if before in ("", " ", "\t", "\n", "-") else '" '

    return _LOST_SPACE.sub(" ", _QUOTE_MOJIBAKE.sub(fix, text))


# A hyphen where the feed lost a space before a cue or an adverb: "Mr Davis-earlier said",
# "Mr Davis also-said" (no English compound ends in "-said" or "-told").
# Also after a comma ("Liberal Party,-said"), after a title ("Mr-Ross also said") and before
# "that" after a cue ("He stated-that").
# (every alternative begins with the hyphen, so the scan jumps from hyphen to hyphen)
_LOST_SPACE = re.compile(r"-(?:(?<=[A-Za-z,]-)(?=(?:said|says|told|highlighted|earlier|also)\b)|(?<=\b(?:Mr|Ms|Dr)-)(?=[A-Z])|(?<=\bMrs-)(?=[A-Z])|"
                         + "(?:" + "|".join(rf"(?<=\b{v}-)" for v in ("said", "says", "stated", "told", "added", "noted", "argued", "claimed", "warned", "insisted"))
                         + r")(?=that\b))")

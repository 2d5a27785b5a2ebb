"""Text normalisation for matching.

Stored document text is never changed by this module: claims keep offsets into the original
text, and these functions produce the *comparison* form used for hashing, embedding and
lexical measures.
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


def normalise(text: str) -> str:
    """The comparison form of a claim: NFKC, invisible characters removed, typographic quotes
    and dashes folded, footnote markers like ``[13]`` dropped, white space collapsed."""
    text = unicodedata.normalize("NFKC", text)
    text = strip_invisible(text).translate(_TRANSLATE)
    text = _FOOTNOTE.sub("", text)
    return _WS.sub(" ", text).strip()


def verbatim_key(text: str) -> str:
    """Equal for two texts that say the same words, up to case, punctuation and white space
    (the contract's meaning of ``verbatim``)."""
    return _NON_WORD.sub(" ", normalise(text).casefold()).strip()

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


def strip_invisible(text: str) -> str:
    """Drop format characters (zero-width, bidi controls, soft hyphen, BOM) and NULs."""
    return "".join(
        ch for ch in text if ch == "\n" or ch == "\t" or unicodedata.category(ch) not in ("Cf", "Cc")
    )


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

"""Noise in the feed's text read as what it was, at the same offsets: mis-decoded quotation
marks and apostrophes, and a hyphen where a space before a cue was lost. Used before any
pattern of :mod:`.patterns` reads a text."""

from __future__ import annotations

import re

__all__ = ["readable_quotes"]

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

"""The outlet a speaker told, when the text calls it by what it is: "Chaffetz told the newspaper",
'"...," Spicer told the magazine', "Sturgeon told the British broadcaster". It is the outlet the
text named last before ("The Salt Lake Tribune reported ... Chaffetz told the newspaper"), and
is credited with the speaker as the outlet the words were given to (GUIDELINES rules 1-2: the
most specific name the text gives); when the text named no outlet before, no one is guessed.
Used by :mod:`.extract`, after names are resolved.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from ..records import Credit

__all__ = ["lend_told_outlets"]

_TOLD_THE = re.compile(
    r"\b(?:told|tells|telling|said[ \t]+to|speaking[ \t]+to|in[ \t]+an[ \t]+interview[ \t]+with|interviewed[ \t]+by)[ \t]+"
    r"(?P<noun>the[ \t]+(?:(?:[a-z]+|[A-Z][a-z]+)[ \t]+)?(?:newspaper|paper|magazine|network|broadcaster|news[ \t]+agency|"
    r"agency|outlet|channel|website|publication|daily|tabloid|station))\b(?![ \t]+[A-Z])")
# (what a match begins with, tested as plain text first: the pattern tried at every word costs more)
_LEADS = ("told the", "tells the", "telling the", "said to the", "speaking to the", "interview with the", "interviewed by the")
# How far back the outlet named may be (an article names its outlets near where it quotes them).
_REACH = 2500


def lend_told_outlets(text: str, credits: Sequence[Credit]) -> list[Credit]:
    """``credits`` (in text order) with the outlet each "told the newspaper" refers to."""
    if not any(w in text for w in _LEADS) or not _TOLD_THE.search(text):
        return list(credits)
    # (an outlet by name: not "media", nor a URL)
    outlets = [a for a in credits if a.kind == "outlet" and a.cue != "url" and a.name[:1].isupper()]
    added = []
    for m in _TOLD_THE.finditer(text):
        s, e = m.span("noun")
        before = [a for a in outlets if m.start() - _REACH <= a.start < s]
        # ("told the Reuters news agency" names its outlet: the credit is already there)
        if before and not any(s <= a.start < e for a in credits):
            added.append(replace(before[-1], cue="interview", start=s, end=e, scope="sentence"))
    return sorted([*credits, *added], key=lambda a: a.start)

"""The attribution frame of a claim, and what is left without it.

Outlets restate a claim in their own frame: "..., according to a draft of the city auditor's
report obtained by the Courier", "..., the audit found", "The Courier reported on Friday that
...", "..., two people familiar with the process said". The frame says who is credited (that is
:mod:`provenance.credits`' job), not what is claimed, yet it weighs as much as the claim in
every measure of shared wording: the same claim in two frames looks like two claims, and a
sentence cut before its frame ("... that have not been delivered.") looks like less than an
excerpt. :func:`core` drops one leading and one trailing frame, conservatively: only frames
built on a verb of saying or finding, or "according to", with no figure or negation inside
(a figure or a "not" in a frame would be part of what is claimed).
"""

from __future__ import annotations

import re
from functools import lru_cache

from .figures import figures, negated
from .textnorm import normalise

_SAY = (
    r"(?:said|says|say|told|tells|reported|reports|found|finds|wrote|writes|write|estimated|estimates|"
    r"concluded|concludes|noted|notes|added|adds|stated|states|announced|announces|confirmed|confirms|"
    r"claimed|claims|argued|argues|warned|warns|believes|believe|show|shows|showed|revealed|reveals)"
)
_WHEN = r"(?:\s+(?:on|last|this|earlier|late|in)\s+[\w,]+(?:\s+\w+)?)?"
# "..., the audit found." / "..., two people familiar with the process said." / "..., said X."
_TRAILING = re.compile(
    rf",\s+(?:[^,;:\"]{{1,90}}?\s{_SAY}\b{_WHEN}(?:\s+in\s+an?\s+(?:statement|report|letter|interview))?"
    rf"|(?:said|says|added|wrote)\s+(?:the\s+|[A-Z])[^,;:\"]{{1,60}}"
    rf"|according\s+to\s+[^;:\"]{{1,160}}|as\s+(?:first\s+)?reported\s+by\s+[^;:\"]{{1,120}})\s*[.!?]?\s*$",
)
# "According to X, ..." / "The Courier reported on Friday that ..." / "Auditors said ..."
_LEADING = re.compile(
    rf"^(?:[Aa]ccording\s+to\s+[^,;:\"]{{1,160}},\s+|(?:[^,;:\"]{{1,90}}?\s)?{_SAY}{_WHEN}\s+that\s+)",
)
# A frame holds at most this many words: longer, the "frame" is a clause that claims something.
_MAX_FRAME_WORDS = 16
# What is left must still say something.
_MIN_CORE_WORDS = 5


@lru_cache(maxsize=1 << 15)
def core(text: str) -> str:
    """The normalised claim without its leading and trailing attribution frames (each dropped
    only when it is short, holds no figure and no negation, and leaves at least five words)."""
    t = normalise(text)
    m = _TRAILING.search(t)
    if m and _droppable(m.group(0)) and len(t[: m.start()].split()) >= _MIN_CORE_WORDS:
        t = t[: m.start()].rstrip() + "."
    m = _LEADING.match(t)
    if m and _droppable(m.group(0)) and len(t[m.end():].split()) >= _MIN_CORE_WORDS:
        rest = t[m.end():]
        t = rest[:1].upper() + rest[1:]
    return t


def _droppable(frame: str) -> bool:
    return len(frame.split()) <= _MAX_FRAME_WORDS and not figures(frame) and not negated(frame)

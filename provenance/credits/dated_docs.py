"""A document named by its author after a date or an age: "according to a 2014 Pew Research
Center survey", "according to a new Gallup poll", "according to the latest Ipsos MORI figures"
credit the author (GUIDELINES.md rule 2: "the report" is the organisation that wrote it). The
"according to X report" pattern of :mod:`.patterns` reads a name right after the article; a
year or "new" between them hid the author, and with it every "the survey" that referred back.

Used by :mod:`.extract`, whose readers turn the match into a credit as for "according to X".
"""

from __future__ import annotations

import re

from .patterns import _DOC, _NAME

__all__ = ["DATED_DOC_CUE", "DATED_DOC", "DATED_DOC_REQUIRED"]

DATED_DOC_CUE = "according to"

# (a year, a season or month with it, or a word of recency; then the author's name and the document)
_WHEN = (r"(?:(?:(?:[A-Z][a-z]+[ \t]+)?(?:19|20)\d\d(?:[-–/]\d\d)?|new|recent|latest|annual|previous|earlier|separate|"
         r"upcoming|forthcoming|nationwide|national|global|joint)[ \t]+){1,2}")
DATED_DOC = re.compile(rf"\b[Aa]ccording[ \t]+to[ \t]+(?P<art>(?:an?|the|[Tt]his|[Tt]hat)[ \t]+){_WHEN}(?P<name>{_NAME})[ \t]+(?P<doc>{_DOC})\b")
DATED_DOC_REQUIRED = re.compile(r"[Aa]ccording[ \t]+to[ \t]+(?:an?|the|this|that)[ \t]+(?:[A-Z][a-z]+[ \t]+)?(?:(?:19|20)\d\d|new|recent|latest|annual|previous|earlier|separate|upcoming|forthcoming|nationwide|national|global|joint)\b")

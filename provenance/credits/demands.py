"""A demand is a stated position: "China has called on North Korea to suspend ...", "Ms Pelosi
called for Mr Sessions to resign", "She also renewed calls for better relations with Russia"
credit the one who called (GUIDELINES.md rule 1: the source of the sentence's information is
the one whose position it states).

Only the subject of a sentence's main clause is read, matched from the sentence's start (after
an opening "On Monday," or "Meanwhile"): a call in a subordinate or reported clause ("she said
Amnesty is calling for ...", "a theory alleging that a preacher had called on ...",
"Fianna Fáil would call for ...") is the topic of someone else's words, and a call that no one
made ("calls for a special prosecutor grew") has no subject to credit.

Used by :mod:`.extract`, whose readers turn the match into a credit as for "X said".
"""

from __future__ import annotations

import re

from .patterns import _ANAPH, _ART, _JOB_BEFORE_NAME, _NAME

__all__ = ["DEMAND_CUE", "DEMAND", "DEMAND_REQUIRED"]

DEMAND_CUE = "called on"

# (perfect and present tenses, "has called for"; the modal "would call for" is a position not yet taken)
_CALL = (r"(?:(?:called|calls)[ \t]+(?:on|upon|for)"
         r"|renew(?:ed|s)[ \t]+(?:(?:his|her|its|their)[ \t]+)?calls?[ \t]+for)")
# What may open a sentence before its subject.
_OPENER = (r"(?:(?:Meanwhile|Separately|Earlier|Later|However|Yesterday|Today|Now|"
           r"On[ \t]+(?:[A-Z][a-z]+day|[A-Z][a-z]+[ \t]+\d{1,2})|Last[ \t]+(?:week|month|year|[A-Z][a-z]+day)),?[ \t]+)")

# A job in a body the text names before its holder: "US House Democratic leader Nancy Pelosi"
# (capitalised words, then one lowercase job word that a name follows).
_JOB_OF_BODY = r"(?:(?:[A-Z][\w.’'\-]*[ \t]+){1,3}(?:leader|chief|head|host|spokesman|spokeswoman|envoy|chairman|chairwoman)[ \t]+(?=[A-Z]))"

DEMAND = re.compile(
    rf"{_OPENER}?(?:(?P<pron>He|She|They)|{_ANAPH}|(?:{_JOB_BEFORE_NAME}|{_JOB_OF_BODY})?(?P<art>{_ART})?(?P<name>{_NAME}))"
    # (an appositive between: "Ms Pelosi, the top Democrat in the House, called for")
    r"(?:,[^,.;\n\"“”]{1,160},)?[ \t]+(?:(?:has|have|had)[ \t]+)?"
    r"(?:(?:also|again|repeatedly|then|later|previously|already|now|publicly|separately|today|yesterday)[ \t]+)?"
    rf"(?P<verb>{_CALL})\b")
DEMAND_REQUIRED = re.compile(rf"[ \t]{_CALL}\b")

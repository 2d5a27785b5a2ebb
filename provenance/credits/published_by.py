"""A document's author named by the participle that says who made it: "according to a report
issued by Amazon China", "The interim report, published on Friday by the Royal Commission ...,
found", "According to statistics provided by Tencent Holdings" credit the author (GUIDELINES.md
rule 2: a report is the organisation's that wrote it; "a report by X" is read by
:mod:`.patterns`, but a participle and a time between hid X).

Read as "a report by X" is: only where the document's phrase opens its clause or follows
"according to" (a document that is someone's topic, "Finucane says the review carried out by
..." is theirs).

Used by :mod:`.extract`, whose readers turn the match into a credit.
"""

from __future__ import annotations

import re

from .patterns import _DOC, _NAMED

__all__ = ["MADE_BY_CUE", "MADE_BY", "MADE_BY_REQUIRED"]

MADE_BY_CUE = "report by"

_MADE = (r"(?:published|released|issued|commissioned|compiled|conducted|carried[ \t]+out|prepared|produced|"
         r"provided|written|authored)")
MADE_BY = re.compile(rf"(?<![\w])(?P<doc2>{_DOC}),?[ \t]+{_MADE}"
                     # (when: "on Friday", "in the summer of 2016", "last week")
                     r"(?:[ \t]+(?:on|in|last|this|earlier|during)[ \t]+[^,.;\n\"“”]{1,30}?)?"
                     rf"[ \t]+by[ \t]+{_NAMED}"
                     # (the name ends its phrase: not "the Cypriot statistics agency", nor a longer
                     # name cut at a word the name pattern does not join, "Royal Commission into ...")
                     r"(?=[ \t]*[,.;:)]|[ \t]+(?:on|in|at|last|this|earlier|shows?|showed|found|finds|said|says|came|"
                     r"suggests?|suggested|revealed|reveals|and|which|that|was|is)\b)")
MADE_BY_REQUIRED = re.compile(rf"[ \t]{_MADE}[ \t]")

"""Whom a report cites: "Reuters reported, citing diplomatic sources", "Citing Justice
Department officials, the Post said ..." credit the cited sources as well as the reporter
(GUIDELINES.md rule 1, chains: each link the sentence names as a source).

"Citing" also gives reasons ("opposed the pick, citing her lack of qualifications", "citing a
law that blocks ..."): it is read only where its sentence reports words (a speech or report
verb, "reports", "quoted", in the same sentence) and what is cited is a source, people by role
("sources", "officials") or by name, its phrase ending there (", citing the deputy prime minister
Ahmad Zahid Hamidi."), not a thing named after a capitalised word ("citing an SNP manifesto
pledge").

Used by :mod:`.extract`, whose readers turn each match into a credit as for "according to X".
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .holders import SENTENCE_END
from .patterns import _NAMED, _ROLE, _ROLE_MODS, SAY

__all__ = ["CITING_CUE", "CITING", "CITING_REQUIRED", "citing_matches"]

CITING_CUE = "citing"

CITING = re.compile(rf"(?<![\w])[Cc]iting[ \t]+(?:(?:the|an?)[ \t]+)?(?:{_ROLE_MODS}{_ROLE}\b|{_NAMED})"
                    # (the cited phrase ends: a source, not a source's thing)
                    r"(?=[ \t]*[,.;]|[ \t]+(?:as[ \t]+saying|who|that|in|on|and)\b)")
CITING_REQUIRED = re.compile(r"[Cc]iting[ \t]")
# What the sentence must hold for "citing" to name a source: words reported.
_REPORTING = re.compile(rf"\b(?:{SAY}|reporting|report|quoted|quoting)\b")


def citing_matches(text: str) -> Iterator[re.Match[str]]:
    """Each "citing X" whose sentence reports words."""
    for m in CITING.finditer(text):
        ends = [e.end() for e in SENTENCE_END.finditer(text, max(0, m.start() - 400), m.start())]
        start = ends[-1] if ends else max(0, m.start() - 400)
        end = SENTENCE_END.search(text, m.end())
        sentence = text[start:end.start() if end else len(text)]
        if _REPORTING.search(sentence.replace(m.group(0), " ")):
            yield m

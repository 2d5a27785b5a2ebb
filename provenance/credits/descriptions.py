"""A politician referred to by party or seat: "The Rhode Island Democrat said", "the Texas
congressman told", "The Tory MP said". News writes these only for the lawmaker it has just
named ("Warner said ... The Virginia Democrat said"), as it writes "he said", so they are read as
a pronoun of either gender; a capitalised modifier (a place, a party) is required, which is what
sets them apart from descriptions that may name anyone ("the 57-year-old said", rejected in round
8: a victim's age is written as often as a speaker's). Resolved to a named person or dropped:
"Kentucky Republican" is nobody's name.

:func:`description_credits` reads those the patterns leave (:mod:`.extract`);
:func:`is_description` tells :mod:`.refer` which credits to resolve.
"""

from __future__ import annotations

import re

from ..records import Credit
from .holders import SENTENCE_END, ScanLike
from .patterns import NOT_NAMES, person_name, source_kind

__all__ = ["description_credits", "is_description"]

# Whose membership or seat a description names: a party's member or a legislator.
_NOUNS = ("Democrat|Republican|Conservative|Tory|MP|TD|MEP|MSP|MLA|senator|lawmaker|congressman|congresswoman|"
          "legislator|assemblyman|assemblywoman")
_DESCRIPTION = re.compile(rf"(?:[A-Z][\w.\-’']*[ \t]+){{1,3}}(?:{_NOUNS})")
# At a sentence's or a tag's start ('"...," the Texas congressman told'), before a verb of saying.
_DESCRIBED_SPEAKER = re.compile(
    rf"(?:^|(?<=[.!?:]\s)|(?<=[.!?][\"”]\s)|(?<=[,\"”]\s))[Tt]he[ \t]+(?P<desc>{_DESCRIPTION.pattern})[ \t]+"
    r"(?:(?:also|later|then|had|has)[ \t]+)?(?P<verb>said|says|told|tells|added|argued|noted|wrote|insisted|warned)\b")


def description_credits(scan: ScanLike) -> list[tuple[int, Credit]]:
    """(cue position, credit) for each described speaker no pattern read, left for
    :mod:`.refer` to resolve."""
    found = []
    for m in _DESCRIBED_SPEAKER.finditer(scan.text):
        s, e = m.span("desc")
        if scan.claim(s, e):
            found.append((m.start("verb"), Credit(m.group("verb"), m.group("desc"), "person", s, e)))
    return found


def is_description(text: str, a: Credit) -> bool:
    """The credit names a politician by party or seat, after "the"."""
    return (a.kind == "person" and _DESCRIPTION.fullmatch(a.name) is not None
            and text[max(0, a.start - 4):a.start].lower() == "the ")


_CAPITALISED_RUN = re.compile(r"(?<![\w’'\-])(?:(?:[A-Z][a-z]{1,3}\.|[A-Z][\w’'\-]*)[ \t]+){1,5}[A-Z][\w’'\-]*[a-z](?![\w’'\-])")


def newcomer(text: str, at: int) -> str | None:
    """The person the sentence before ``at`` names for the first time, if any: "Trump might not
    find a friend in Senate Majority Leader Mitch McConnell, either. The Kentucky Republican
    said" is McConnell, though Trump is the sentence's subject: a description re-identifies
    whom the text has just brought in."""
    ends = [m.end() for m in SENTENCE_END.finditer(text, max(0, at - 600), at)]
    if ends and re.fullmatch(r"[\"“]?[ \t]*(?:[Tt]he[ \t]+)?", text[ends[-1]:at]):
        ends = ends[:-1]  # (the description opens its sentence: the one before is the window)
    start = ends[-1] if ends else max(0, at - 600)
    for m in reversed(list(_CAPITALISED_RUN.finditer(text, start, at))):
        name = person_name(m.group(0))
        if len(name.split()) > 1 and source_kind(name) == "person" and not (set(name.split()) & NOT_NAMES) \
                and text.find(name.split()[-1]) >= m.start():
            return name
    return None

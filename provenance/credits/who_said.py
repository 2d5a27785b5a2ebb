"""A speaker named in a relative clause: "... and Deputy Commissioner John Twomey, who said he
would give a briefing", "That was the message from Defence Minister Avigdor Lieberman, who said
last week: ...". The name before ", who said" is whom the clause's words are credited to
(GUIDELINES rule 1: who said it), however the sentence's main clause reads; a later "He said"
then refers to that speaker as to any other credited one (:mod:`.refer`).

Only a name the text spells as a person's or a body's (a run of capitalised words, or a surname
the text also gives with a first name) counts: "the president of the coalition, who said" is
someone the patterns already read or no one, and is left alone. Used by :mod:`.extract`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..records import Credit
from .holders import ScanLike
from .patterns import NOT_NAMES, person_name, source_kind

__all__ = ["who_said_credits"]

# A verb of saying right after "who" (an adverb of time between them at most): "who told
# police", "who also said", not "who was told" nor "who said nothing" (what follows is said).
_WHO_SAID = re.compile(
    r"(?P<name>(?:[A-Z][\w’'.\-]*[ \t]+){0,3}[A-Z][\w’'\-]*[a-z])(?P<poss>['’]s)?,[ \t]+who[ \t]+"
    r"(?:(?:also|later|then|previously|earlier|has|had|have|last[ \t]+week)[ \t]+)?"
    r"(?P<verb>said|says|told|tells|added|wrote|tweeted|insisted|argued|warned|claimed|claims)\b"
    r"(?![ \t]+(?:nothing|little|no|goodbye|so\b))")
_AFTER_OF = re.compile(r"\b(?:of|for|in|at|from)[ \t]+$")
_WORD = re.compile(r"[A-Z][\w’'\-]*")


def who_said_credits(scan: ScanLike) -> list[tuple[int, Credit]]:
    """(cue position, credit) for each name a ", who said" clause credits."""
    if ", who " not in scan.text:
        return []
    return list(_credits(scan))


def _credits(scan: ScanLike) -> Iterator[tuple[int, Credit]]:
    for m in _WHO_SAID.finditer(scan.text):
        if m.group("poss"):
            continue  # ("Trump's lawyer, who said": the lawyer, not Trump)
        s, e = m.span("name")
        words = m.group("name").split()
        # (a sentence's opening word is no part of the name: "But Nunes, who said ...")
        while words and words[0].strip(".") in NOT_NAMES:
            s += len(words[0]) + 1
            words = words[1:]
            s = scan.text.index(words[0], s) if words else s
        if not words or not _a_name(scan, words):
            continue
        if len(words) > 2 and _AFTER_OF.search(scan.text, max(0, s - 6), s):
            # ("Mayor of Castlebar Brendan Heneghan": the place ends the title, the name is two words)
            s = scan.text.index(words[-2], s + len(" ".join(words[:-2])))
            words = words[-2:]
        name = " ".join(words)
        kind = source_kind(name)
        if kind == "person":
            full = person_name(name)
            s, name = s + name.rfind(full), full
        if name and scan.claim(s, s + len(name)):
            yield m.start("verb"), Credit(m.group("verb"), name, kind, s, s + len(name))


def _a_name(scan: ScanLike, words: list[str]) -> bool:
    """Two or more capitalised words, or one the text also gives as a surname ("Nunes" after
    "Devin Nunes"): not a lone capitalised noun ("Congress, who said" is a group left alone)."""
    if any(not _WORD.fullmatch(w.strip(".")) and not w.endswith(".") for w in words):
        return False
    return len(words) >= 2 or re.search(rf"[A-Z][\w’'\-]+[ \t]+{re.escape(words[0])}\b", scan.text) is not None

"""Who a quotation was taken from and who took it: "KCNA quoted Kim as saying", "the paper quoted
the senator as saying", "a police source quoted by Associated Press", "was quoted in the Daily
Maverick as saying". The one quoted speaks; the one who quoted them passed the words on and is
credited too (GUIDELINES rule 1: the outlet the words were given to). Used by :mod:`.extract`.

"quoted" alone is no cue ("the price quoted", "quoted a Fox News analyst's claim"): only "as
saying" (or "as telling") after the one quoted, or "quoted by/in" a name, make it one.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..records import Credit
from .holders import OFFICES
from .patterns import NAME, NATIONALITIES, NOT_NAMES, ROLE_NOUNS, clean_name, person_name, source_kind

if TYPE_CHECKING:
    from .extract import _Scan

__all__ = ["quoted_credits"]

# X quoted Y as saying: X (a name, "the AFP news agency", "Al Jazeera's Andrew Simmons, reporting
# from ..., ") may be absent or lower case ("the paper quoted"); Y is read on its own.
_QUOTED_AS = re.compile(
    rf"(?:(?<![\w])(?:[Tt]he[ \t]+)?(?P<x>{NAME})(?:[ \t]+(?:news[ \t]+agency|newspaper|press[ \t]+service))?"
    r"(?:,[^,.;\"“”\n]{1,80},)?[ \t]+(?:(?:on|last|this)[ \t]+[A-Z]?[a-z]+[ \t]+)?)?"
    r"\bquoted[ \t]+(?P<y>[^,.;:\"“”\n]{1,70}?)[ \t]+as[ \t]+(?:saying|telling)\b")
# Y (was) quoted by / in X ("in the South African newspaper Daily Maverick"), X ending its phrase
# (not "by the Donetsk rebels' news agency", "in a Facebook post").
_MEDIUM = r"(?:newspaper|news[ \t]+agency|agency|broadcaster|channel|paper|website|magazine|daily|TV|radio)"
_QUOTED_BY = re.compile(rf"\bquoted[ \t]+(?:by|in)[ \t]+(?:the[ \t]+|a[ \t]+)?(?:(?:[A-Z][a-z]+[ \t]+){{0,2}}{_MEDIUM}[ \t]+)?"
                        rf"(?P<x>{NAME})(?=[ \t]+{_MEDIUM}\b|[ \t]+as[ \t]+(?:saying|telling)\b|[ \t]*[.,;:)\n]|$)")
# What a name that quoted someone may follow: the start of its phrase, or the medium it is (not
# a longer lowercase phrase it ends: "Syrian state TV quoted").
_BEFORE_QUOTING = re.compile(rf"(?:^|[^a-z \t]|\b(?:[Tt]he|[Aa]nd|{_MEDIUM}|service|outlet|network|station))[ \t]*$")
_PRONOUNS = {"him": "he", "her": "she", "them": "they"}


def quoted_credits(scan: _Scan) -> list[tuple[int, Credit]]:
    """(cue position, credit) for the quoted and the quoting of every "quoted ... as saying"."""
    if "quoted" not in scan.text:
        return []
    found = []
    for m in _QUOTED_AS.finditer(scan.text):
        if m.group("x") and _BEFORE_QUOTING.search(scan.text, max(0, m.start("x") - 20), m.start("x")):
            found += _quoting(scan, m.start("x"), m.group("x"))
        found += _quoted(scan, m)
    for m in _QUOTED_BY.finditer(scan.text):
        found += _quoting(scan, m.start("x"), m.group("x"))
    return found


def _quoting(scan: _Scan, s: int, raw: str) -> list[tuple[int, Credit]]:
    """Who quoted the words: a named outlet, body or person."""
    name = clean_name(raw, "")
    if not name or name.split()[0] in NOT_NAMES or name in NATIONALITIES:
        return []
    kind = source_kind(name)
    if kind == "person":
        name = person_name(name)
    s += max(raw.find(name), 0)
    return [(s, Credit("quoted", name, kind, s, s + len(name)))] if scan.claim(s, s + len(name)) else []


def _quoted(scan: _Scan, m: re.Match[str]) -> list[tuple[int, Credit]]:
    """Who was quoted: a name, a role ("Turkish defence officials", "the senator") or a pronoun."""
    y, s = m.group("y"), m.start("y")
    words = y.split()
    if y in _PRONOUNS:
        credit = Credit("saying", _PRONOUNS[y], "person", s, s + len(y), scope="pronoun")
    elif words[0] in ("a", "an", "the", "one") and len(words) > 1 and words[-1].lower() in {*ROLE_NOUNS, *(n[:-1] for n in ROLE_NOUNS)}:
        # ("an unidentified British government source": the role with its modifiers)
        off = len(words[0]) + 1
        credit = Credit("saying", y[off:], ROLE_NOUNS.get(words[-1].lower(), "person"), s + off, s + len(y))
    elif words[-1].lower() in ROLE_NOUNS:
        credit = Credit("saying", y, ROLE_NOUNS.get(words[-1].lower(), "person"), s, s + len(y))
    elif words[0] == "the" and len(words) == 2 and words[1] in OFFICES:
        # "the paper quoted the senator as saying": the senator the text named, resolved by .refer
        credit = Credit("saying", words[1], "person", s + 4, s + len(y), scope="role")
    elif y[:1].isupper():
        name = clean_name(y, "")
        if not name or name.split()[0] in NOT_NAMES:
            return []
        kind = source_kind(name)
        name = person_name(name) if kind == "person" else name
        start = s + max(y.find(name), 0)
        credit = Credit("saying", name, kind, start, start + len(name))
    else:
        return []
    return [(credit.start, credit)] if scan.claim(credit.start, credit.end) else []

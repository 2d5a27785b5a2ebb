"""Whose team "the researchers" are: the one institution a text names a research team by
("researchers at the University of Queensland"). Used by :mod:`.refer`.
"""

from __future__ import annotations

import re

from .patterns import source_kind

__all__ = ["TEAM_NOUNS", "research_institution", "the_team"]

# What a research team is called, bare ("some researchers", "other scientists" are not the team:
# their modifiers stay in the credit's name and it is left alone).
TEAM_NOUNS = {"researchers", "scientists"}
_TEAM_OF = re.compile(r"\b(?:[Rr]esearchers|[Ss]cientists|[Tt]eam|[Aa]uthors)[ \t]+(?:at|from|of)[ \t]+(?:the[ \t]+)?"
                      r"(?P<org>[A-Z][\w’'\-]*(?:[ \t]+(?:(?:of|for|and)[ \t]+(?:the[ \t]+)?)?[A-Z][\w’'\-]*){0,6})")


_TEAM_OF_BODY = re.compile(r"\b(?:[Rr]esearchers|[Ss]cientists|[Tt]eam|[Aa]uthors)\b[^.;\n]{0,20}?\b(?:at|from|of)[ \t]+(?:the[ \t]+)?"
                           r"(?:[\w\-]+[ \t]+){0,5}?(?:body|agency|institute|institution|organi[sz]ation|laboratory|centre|center)"
                           r"[ \t]+(?P<org>[A-Z][\w\-]*(?:[ \t]+[A-Z][\w\-]*){0,4})")


def the_team(text: str, pos: int) -> bool:
    """The team noun at ``pos`` is definite or bare ("the researchers", "Researchers said",
    "the paper's authors"), not "some researchers" or "other scientists"."""
    words = text[max(0, pos - 30):pos].split()
    prev = words[-1] if words else ""
    return not prev or prev[-1] in ".!?\"”:;," or prev.lower() in ("the", "its", "their") or re.search(r"['’]s$", prev) is not None


def research_institution(text: str) -> str | None:
    """The one institution the text names a research team by ("researchers at the University of
    Queensland", "scientists, mostly from the official research body GNS Science"); None when it
    names none, or several (whose team "the researchers" are is then unknown)."""
    found = {m.group("org") for m in _TEAM_OF.finditer(text) if source_kind(m.group("org")) == "organisation"}
    # (a name its description calls a body or an institute is one, whatever its words)
    found |= {m.group("org") for m in _TEAM_OF_BODY.finditer(text)}
    return found.pop() if len(found) == 1 else None

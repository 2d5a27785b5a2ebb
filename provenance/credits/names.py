"""The names a text gives its sources: a credit by the most specific name the text gives
("Sessions" as the "Jeff Sessions" it named), and a bare noun by the name it refers to ("the
court" as "Lewes Crown Court"). Used by :mod:`.extract` once a document's credits are read."""

from __future__ import annotations

import re
from dataclasses import replace

from ..records import Credit
from .patterns import person_name, source_kind

__all__ = ["most_specific", "named_by_noun"]


# A name of one to five capitalised words (connectors allowed inside): the longer names a text
# gives, for crediting "Sessions" as the "Jeff Sessions" it named before.
_FULL_NAME = re.compile(r"(?<![\w])[A-Z][\w’'\-]*[\w](?:[ \t]+(?:(?:of|for|the|de)[ \t]+)?[A-Z][\w’'\-]*[\w]){1,4}")


def most_specific(text: str, credits: list[Credit]) -> list[Credit]:
    """Each person, organisation or outlet credited by the most specific name the text gives:
    a surname by the full name ("Sessions" -> "Jeff Sessions", "Mr Lane" -> "Michael Lane"), a
    short name by the longer one it begins or ends ("Amnesty" -> "Amnesty International",
    "the Post" -> "Washington Post"); the most frequent when several fit."""
    if not any(c.kind in ("person", "organisation", "outlet") for c in credits):
        return credits
    found: dict[str, int] = {}
    for m in _FULL_NAME.finditer(text):
        name = m.group(0).removeprefix("The ")
        found[name] = found.get(name, 0) + 1
    out = []
    for c in credits:
        if c.kind not in ("person", "organisation", "outlet") or not c.name[:1].isupper() or c.cue in ("url", "footnote"):
            out.append(c)
            continue
        out.append(replace(c, name=_longer_name(c, found)))
    return out


def _longer_name(c: Credit, found: dict[str, int]) -> str:
    short = person_name(c.name) if c.kind == "person" else c.name.removeprefix("the ").removeprefix("The ")
    words = short.split()
    if not words or len(words) > 2:
        return short
    best, best_key = short, (0, 0)
    for name, count in found.items():
        full = person_name(name) if c.kind == "person" else name
        fw = full.split()
        if len(fw) <= len(words) or (c.kind == "person" and len(fw) > 3):
            continue
        org = source_kind(full) != "person"
        fits = fw[-len(words):] == words or ((c.kind != "person" or org) and fw[:len(words)] == words)
        if fits and (source_kind(full) == source_kind(short) or c.kind != "person" or org):
            key = (count, len(fw))
            if key > best_key:
                best, best_key = full, key
    return best


def named_by_noun(text: str, a: Credit) -> Credit | None:
    """"The court" as the Court the text names ("Lewes Crown Court"): the last such name before
    it, else the first after; None when the text names none."""
    noun = a.name.split()[-1]
    if not noun.isalpha():
        return None
    names = [m for m in _FULL_NAME.finditer(text) if m.group(0).split()[-1] == noun.capitalize()]
    if not names:
        return None
    before = [m for m in names if m.start() < a.start]
    m = before[-1] if before else names[0]
    name = m.group(0).removeprefix("The ")
    return replace(a, name=name, kind=source_kind(name), scope="sentence")

"""The names a text gives its sources: a credit by the most specific name the text gives
("Sessions" as the "Jeff Sessions" it named), and a bare noun by the name it refers to ("the
court" as "Lewes Crown Court"). Used by :mod:`.extract` once a document's credits are read."""

from __future__ import annotations

import re
from dataclasses import replace

from ..records import Credit
from .namewords import FUNCTION_WORDS, defined_acronyms, follows_title, without_descriptor
from .patterns import NOT_NAMES, OUTLET_NAMES, PERSON_TITLES, person_name, source_kind

__all__ = ["most_specific", "named_by_noun"]


# A name of one to five capitalised words (connectors allowed inside): the longer names a text
# gives, for crediting "Sessions" as the "Jeff Sessions" it named before.
# (one space between words: a gap of two joins a caption to the text, "Getty Images  Ma, who")
_FULL_NAME = re.compile(r"(?<![\w])[A-Z][\w’'\-]*[\w](?:[ \t](?:(?:of|for|de)[ \t]+(?:(?:the|a|an)[ \t]+)?|the[ \t]+)?[A-Z][\w’'\-]*[\w]){1,5}")
# Words that begin a capitalised run without belonging to the name ("But Assad said").
# (the function words, "But", "Although", "The", and these others)
_LEADING = FUNCTION_WORDS | {"Then", "Now", "Also", "Still", "Meanwhile", "Speaking", "Asked", "According", "Citing",
                             "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Today", "Yesterday",
                             "Is", "Are", "Did", "Does", "Has", "Had", "Would", "Like", "Even", "Only", "Including"}


# A role and its named principal ("spokesman for the Taoiseach", "lawyers for the NBC").
_ROLE_FOR = re.compile(r"(?P<role>[a-z]+) for (?P<the>the )?(?P<owner>[A-Z].*)")
# What may follow a surname in a person's full name.
_SUFFIXES = {"Jr", "Sr", "II", "III", "IV"}


def most_specific(text: str, credits: list[Credit]) -> list[Credit]:
    """Each person, organisation or outlet credited by the most specific name the text gives:
    a surname by the full name ("Sessions" -> "Jeff Sessions", "Mr Lane" -> "Michael Lane"), a
    short name by the longer one it begins or ends ("Amnesty" -> "Amnesty International",
    "the Post" -> "Washington Post"); the most frequent when several fit."""
    if not any(c.kind in ("person", "organisation", "outlet") for c in credits):
        return credits
    found: dict[str, int] = {}
    for m in _FULL_NAME.finditer(text):
        words = re.sub(r"['’]s?$", "", m.group(0)).split()
        based = [i for i, w in enumerate(words[:-1]) if w.endswith(("-based", "-born")) or re.search(r"['’]s?$", w)]
        # ("Australia's ABC News" is ABC News; "Florida's Judicial Ethics Advisory Committee" the committee)
        words = words[based[-1] + 1:] if based else words
        while len(words) > 1 and (words[0] in _LEADING or words[0] in NOT_NAMES):
            words.pop(0)
        if len(words) >= 3 and follows_title(text[max(0, m.start() - 80):m.start()]):
            # "Ambassador to Cyprus Stanislav Osadchy": the run begins with where the title is held.
            held = person_name(" ".join(words)).split()
            words = held[1:] if len(held) == 3 else words
        words = without_descriptor(words, text)
        if len(words) > 1:
            name = " ".join(words)
            found[name] = found.get(name, 0) + 1
    # Surnames of the people the text names in full: "Trump" is Donald Trump, never the
    # "Trump White House" or "Trump Organization" that begins with the same word.
    surnames = {n.split()[-1] for n in found if 2 <= len(n.split()) <= 3 and source_kind(n) == "person"}
    acronyms = defined_acronyms(text) if "(" in text else {}
    out = []
    for c in credits:
        role = _ROLE_FOR.fullmatch(c.name)
        if role and c.scope not in ("pronoun", "anaphor", "role"):
            # "spokesman for May": the principal by the name the text gives in full.
            owner = role.group("owner")
            full = _longer_name(replace(c, name=owner, kind=source_kind(owner)), found, surnames)
            out.append(replace(c, name=f"{role.group('role')} for {role.group('the') or ''}{full}"))
            continue
        # (an agency's credit line is spelled as agencies spell themselves: "AP" is no "Anonymous PSD")
        if c.kind not in ("person", "organisation", "outlet") or not c.name[:1].isupper() or c.cue in ("url", "footnote", "credit line") \
                or c.scope in ("pronoun", "anaphor", "role"):
            out.append(c)
            continue
        if c.kind == "person":
            # ("Filmmaker Jason Pollock said": the descriptor is no part of the name)
            bare = " ".join(without_descriptor(c.name.split(), text))
            c = replace(c, name=bare, start=c.end - len(bare)) if bare != c.name else c
        name = _possessive_form(c, found) or _longer_name(c, found, surnames)
        if name == c.name and c.kind != "person" and c.name.removeprefix("the ") in acronyms:
            # "CRRC" as the "China Railway Rolling Stock Corp (CRRC)" the text spelled out.
            name = acronyms[c.name.removeprefix("the ")]
        kind = c.kind
        if name != c.name and kind == "person" and source_kind(name) != "person":
            # "Amnesty" read as a person's surname is the organisation "Amnesty International".
            kind = source_kind(name)
        if name == c.name and c.kind == "person" and " " not in name and f"-{name}" in text:
            name = _with_particle(text, name) or name
        out.append(replace(c, name=name, kind=kind))
    return out


def _possessive_form(c: Credit, found: dict[str, int]) -> str | None:
    """"the Attorney's Office" as the "Office of the Dutch Attorney General" the text names:
    "X's Y" is the "Y of ... X ..." that holds both."""
    m = re.fullmatch(r"(?:the |The )?(?P<owner>[A-Z][\w\-]*(?: [A-Z][\w\-]*)?)['’]s? (?P<head>[A-Z][\w\-]*)", c.name)
    if not m:
        return None
    owner, head = m.group("owner").split(), m.group("head")
    fits = [n for n in found if n.startswith(head + " of ") and all(w in n.split() for w in owner)]
    return max(fits, key=lambda n: (found[n], len(n))) if fits else None


def _longer_name(c: Credit, found: dict[str, int], surnames: frozenset[str] | set[str] = frozenset()) -> str:
    short = person_name(c.name) if c.kind == "person" else c.name.removeprefix("the ").removeprefix("The ")
    words = short.split()
    if re.fullmatch(r"[A-Z]{2,6}", short):
        # "the IFS" as the "Institute for Fiscal Studies" the text spells out.
        # (initials of hyphenated words too: "PSG" is "Paris Saint-Germain")
        spelled = [n for n in found if "".join(w[0] for w in re.split(r"[ \-]", n) if w[:1].isupper()) == short]
        if spelled:
            return max(spelled, key=lambda n: (found[n], len(n)))
    if not words or len(words) > 2:
        return short
    best, best_key = short, (0, 0)
    people: set[str] = set()
    for name, count in found.items():
        full = person_name(name) if c.kind == "person" else name
        fw = full.split()
        # "Perry" is the "Belvin Perry Jr." the text named: a generational suffix follows the
        # surname without being it.
        core = fw[:-1] if c.kind == "person" and len(fw) > 2 and fw[-1].rstrip(".") in _SUFFIXES else fw
        if len(fw) <= len(words) or (c.kind == "person" and len(core) > 3):
            continue
        org = source_kind(full) != "person"
        # (an acronym is spelled out by its initials above, never by a name it begins: "UK" is
        # not the "UK Liberal Democrat" the text names)
        # (an outlet known by its short name is whole: "Full BBC interview" is site furniture
        # before "BBC", not a longer name of it)
        ends = core[-len(words):] == words and not (c.kind == "outlet" and short.lower() in OUTLET_NAMES)
        fits = ends or ((c.kind != "person" or (org and short not in surnames)) and fw[:len(words)] == words
                                               and not re.fullmatch(r"[A-Z]{2,6}", short))
        if fits and (source_kind(full) == source_kind(short) or c.kind != "person" or org):
            if not org:
                people.add(" ".join(core[-2:]))
            key = (count, len(fw))
            if key > best_key:
                best, best_key = full, key
    if c.kind == "person" and len(words) == 1 and len(people) > 1:
        # "Mr Mills" (or "Partida") where the text names Maria Mills and Graham Mills: which one,
        # the surname does not say, and the wrong one is a false accusation; the text's own
        # words stay.
        return short
    if best == short and c.kind == "person" and len(words) == 1:
        best = _family_name_first(short, found)
    return best


def _with_particle(text: str, short: str) -> str | None:
    """"Selalee" as the "Mujahid al-Selalee" the text names: a surname the feed writes after a
    lowercase particle ("al-", "el-", "bin-") is no capitalised run, so the names above miss it;
    the one full name of that form, if there is one."""
    fits = set(re.findall(rf"(?<![\w\-])([A-Z][\w’'\-]*[a-z][ \t]+[a-z]{{1,3}}-{re.escape(short)})(?![\w\-])", text))
    return fits.pop() if len(fits) == 1 else None


def _family_name_first(short: str, found: dict[str, int]) -> str:
    """"Tu says" as the "Tu Guangshao" the text named: where no full name ends with the word,
    the one person's name that begins with it (names written family name first)."""
    if short in PERSON_TITLES:
        return short
    # (the two words that end a longer run: "China Investment Corp President Tu Guangshao")
    fits = {" ".join(w[-2:]) for w in (n.split() for n in found) if len(w) >= 2 and w[-2] == short and w[-1].rstrip(".") not in _SUFFIXES}
    fits = {n for n in fits if source_kind(n) == "person"}
    return fits.pop() if len(fits) == 1 else short


def named_by_noun(text: str, a: Credit) -> Credit | None:
    """"The court" as the Court the text names ("Lewes Crown Court", "High Court of London"),
    "the group" as the one it calls "the College Republicans group": the last such name before
    it, else the first after; None when the text names none."""
    noun = a.name.split()[-1]
    if not noun.isalpha():
        return None
    names = [(m.start(), m.group(0)) for m in _FULL_NAME.finditer(text) if noun.capitalize() in m.group(0).split()[1:]]
    # "the College Republicans group", "the IFS report": a name the text gives with that noun.
    names += [(m.start(1), m.group(1)) for m in re.finditer(
        rf"\b(?:the|The)[ \t]+([A-Z][\w’'\-]*(?:[ \t]+[A-Z][\w’'\-]*){{0,3}})[ \t]+{re.escape(noun.lower())}\b", text)]
    names = [(s, n) for s, n in names if not (a.start <= s < a.end)]
    if not names:
        return None
    names.sort()
    before = [x for x in names if x[0] < a.start]
    _, name = before[-1] if before else names[0]
    name = name.removeprefix("The ")
    return replace(a, name=name, kind=source_kind(name) if source_kind(name) != "person" else "organisation", scope="sentence")

"""Who a person referred to by office or pronoun is, where the text makes it clear.

Reads the references the cue patterns leave alone ("According to him, ...", "according to the
diplomat", "the chancellor told MPs") as pronoun and role credits, and resolves an office
("the ambassador said") that names no holder by title to the one person the text has just
credited or named as a subject. Two people in reach, or none: no one (a guess there is a false
accusation).

Used by :mod:`.extract` (the cues) and :mod:`.refer` (who an office is).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Protocol

from ..records import Credit
from .patterns import NATIONALITIES, PERSON_TITLES

__all__ = ["SENTENCE_END", "ScanLike", "reference_credits", "fits_office", "fuller_role", "role_owner", "sole_speaker", "surname_of_speaker",
           "unnamed_subject", "OFFICES"]

# Offices one person holds, unlike the many anonymous officials, sources or witnesses: "the
# ambassador" is someone the text names, or no one.
OFFICES = {"ambassador", "judge", "mayor", "governor", "president", "minister", "chairman", "chairwoman", "coach",
           "captain", "director", "senator", "congressman", "congresswoman", "sheriff", "founder", "commander",
           "editor", "manager", "secretary", "chancellor", "premier", "diplomat", "envoy", "taoiseach"}
# Offices the cue patterns do not read as a speaker ("the chancellor told MPs", "the Prime
# Minister said in a statement": they read lower-case roles only).
_UNREAD_OFFICES = ("chancellor", "diplomat", "envoy", "premier", "Taoiseach", "Prime Minister", "President", "Minister",
                   "Ambassador", "Chancellor", "Governor", "Mayor", "Premier", "Secretary", "Senator")
_SAY_AFTER = (r"(?:has[ \t]+|had[ \t]+|also[ \t]+|later[ \t]+)?(?:said|says|told|added|noted|stressed|insisted|warned|"
              r"pointed[ \t]+out|explained|argued|emphasi[sz]ed)\b")
_MODS = r"(?:(?:[A-Z][\w\-]*|(?!(?:the|a|an|and|of|to|in)\b)[a-z][a-z\-]+)[ \t]+){0,4}?"
# (each pattern opens with a literal, which the regex engine finds fast: scanning every "the" of
# every article cost a twentieth of attribution's time)
_ACCORDING = re.compile(
    rf"ccording[ \t]+to[ \t]+(?:(?P<pron>him|her|them)\b|the[ \t]+(?P<role>{_MODS}(?i:{'|'.join(sorted(OFFICES))}))\b)")
# (not the object of a preposition: "The three top advisers to the President said")
_OFFICE_SAID = re.compile(rf"(?<![\w])(?<!\bto )(?<!\bof )(?<!\bfor )(?<!\bwith )(?<!\bby )(?<!\bfrom )(?<!\bat )[Tt]he[ \t]+(?P<role2>{_MODS}(?:{'|'.join(_UNREAD_OFFICES)}))[ \t]+{_SAY_AFTER}")
_OFFICE_WORD = re.compile("|".join(_UNREAD_OFFICES))
# "Japan's top diplomat said": an office a country or body holds, which no cue pattern reads.
_OWNED_OFFICE_SAID = re.compile(rf"['’]s[ \t]+(?P<role2>{_MODS}(?:{'|'.join(sorted(OFFICES))}))[ \t]+{_SAY_AFTER}")
_OWNER_BEFORE = re.compile(r"(?<![\w'’])[A-Z][\w\-]*[a-zA-Z]$")
# How far before an office's noun its "the" and modifiers may begin.
_BEFORE = 80
_PRONOUN_NAME = {"him": "he", "her": "she", "them": "they"}


class ScanLike(Protocol):
    """What the readers here need of extract's scan: the text, and a span to claim."""

    text: str

    def claim(self, s: int, e: int) -> bool: ...


def reference_credits(scan: ScanLike) -> list[tuple[int, Credit]]:
    """(cue position, credit) for the pronouns and offices a sentence cites that no other cue
    read: resolved to a person later, by :mod:`.refer`."""
    found = []
    text = scan.text
    said = [m for w in _OFFICE_WORD.finditer(text)
            if (m := _OFFICE_SAID.search(text, max(0, w.start() - _BEFORE), w.end() + 40)) and m.end("role2") == w.end()]
    according = [m for m in _ACCORDING.finditer(text) if text[m.start() - 1:m.start()] in ("A", "a")]
    for m in _OWNED_OFFICE_SAID.finditer(text):
        # (named with its owner, so that .refer takes only someone the text says is theirs:
        # "Afghanistan's foreign minister" is not "Russian Foreign Minister Sergey Lavrov")
        owner = _OWNER_BEFORE.search(text, max(0, m.start() - 30), m.start())
        if owner and scan.claim(owner.start(), m.end("role2")):
            found.append((owner.start(), Credit("said", text[owner.start():m.end("role2")], "person", owner.start(), m.end("role2"), scope="role")))
    for m in [*according, *{m.span(): m for m in said}.values()]:
        cue = "according to" if m.re is _ACCORDING else "said"
        if m.groupdict().get("pron"):
            s, e = m.span("pron")
            credit = Credit(cue, _PRONOUN_NAME[m.group("pron")], "person", s, e, scope="pronoun")
        else:
            group = "role" if m.re is _ACCORDING else "role2"
            s, e = m.span(group)
            credit = Credit(cue, m.group(group), "person", s, e, scope="role")
        if scan.claim(s, e):
            found.append((m.start(), credit))
    return found


# How far back the last person credited may be for an office to refer to them.
_REACH = 1000
# Where a sentence ends: its stop (a closing mark after it) before the next one's capital, or a line break.
SENTENCE_END = re.compile(r"[.!?][\"”’]?[ \t]+(?=[\"“]?[A-Z])|\n")


def sole_speaker(text: str, a: Credit, out: list[Credit], named_subjects: Callable[[int, int], list[str]]) -> Credit | None:
    """The person credited last before ``a``, when no other person is credited or named as a
    subject from the sentence before theirs up to ``a``; with no one credited in reach, the one
    person named as a subject in the two sentences before ("Mark Zuckerberg has revealed ...
    the Facebook founder said"). None when there are several, or none."""
    def person(p: Credit) -> bool:
        return (p.kind == "person" and p.name[:1].isupper() and len(p.name.split()) >= 2
                and p.cue not in ("url", "footnote", "credit line"))
    last = next((p for p in reversed(out) if p.start < a.start and person(p)), None)
    if last is not None and last.start >= a.start - _REACH:
        lo = _sentence_start(text, last.start, back=1)
    else:
        lo, last = _sentence_start(text, a.start, back=2), None
    credited = {p.name for p in out if lo <= p.start < a.start and person(p)}
    surnames = {n.split()[-1] for n in credited}
    others = {n for n in named_subjects(lo, a.start) if n.split()[-1] not in surnames}
    people = credited or others
    if len(people) != 1 or (credited and others):
        return None
    name = people.pop()
    if not _a_name(name) or not fits_office(text, a.name, name):
        return None
    return replace(a, name=name, kind="person", scope="sentence")


def _a_name(name: str) -> bool:
    """A person's name as the text spells one ("CTS spokesman", "Other Russian" are not)."""
    return all(w[:1].isupper() and w not in NATIONALITIES and w not in ("Other", "Another") for w in name.split())


# Roles an appositive gives a person that no office is ("Charles Swift, Ms Salman's lawyer").
_OTHER_ROLES = {"lawyer", "attorney", "spokesman", "spokeswoman", "spokesperson", "prosecutor", "analyst", "expert",
                "professor", "researcher", "correspondent", "reporter", "adviser", "advisor", "aide", "witness"}


def fits_office(text: str, office: str, name: str) -> bool:
    """Nothing the text says of ``name`` contradicts the office: each capitalised word the office
    is qualified by ("the German foreign minister", "the Berlin mayor", "the First Minister") is
    said of them somewhere ("Berlin Mayor Michael Muller", not "Moscow Mayor Sergey Sobyanin"),
    and no appositive gives them another role ("Charles Swift, Ms Salman's lawyer" is no judge)."""
    surname = re.escape(name.split()[-1])
    if re.search(r"['’]s$", office.split()[0]):
        return _owned_office_fits(text, office, surname)
    # (what stands before a mention in the same phrase: "Berlin and Moscow Mayor Sergey Sobyanin"
    # does not make Sobyanin Berlin's)
    phrase = r"[,.;:()]|\band\b|\bwith\b"
    before = [re.split(phrase, text[max(0, m.start() - 80):m.start()].lower())[-1]
              + re.split(phrase, text[m.end():m.end() + 60].lower())[0]  # ("Mr Zuckerberg's manifesto on Facebook")
              for m in re.finditer(rf"\b{surname}\b", text)]
    head = office.split()[-1].lower()
    for word in office.split()[:-1]:
        # (by its stem: "the Russian diplomat" is "Russia's Permanent Representative ...")
        stem = word.lower()[:4] if len(word) > 4 else word.lower()
        if word[:1].isupper() and word.lower() not in ("the", "former") and not any(stem in b for b in before):
            return False
    for m in re.finditer(rf"\b{re.escape(name)},[ \t]+([^,.;\n]{{1,60}})", text):
        roles = set(re.findall(r"[a-z]+", m.group(1).lower()))
        if roles & _OTHER_ROLES and head not in roles:
            return False
    return True


# The titles by which the text names the holder of an office it calls otherwise.
_TITLED_AS = {"diplomat": r"foreign[ \t]+minister|secretary[ \t]+of[ \t]+state|diplomat", "envoy": r"envoy|ambassador|representative"}


def _owned_office_fits(text: str, office: str, surname: str) -> bool:
    """"Japan's top diplomat" is someone the text titles so in the phrase before their name:
    "Japanese Foreign Minister Fumio Kishida" (the owner by its stem, the office or its title)."""
    owner = office.split()[0][:4].lower()
    head = office.split()[-1].lower()
    title = _TITLED_AS.get(head, re.escape(head))
    return any(owner in p and re.search(rf"\b(?:{title})", p) for p in (
        re.split(r"[,.;:()\"“”]|\band\b", text[max(0, m.start() - 60):m.start()].lower())[-1]
        for m in re.finditer(rf"\b{surname}\b", text)))


def _sentence_start(text: str, pos: int, back: int) -> int:
    """Where the sentence ``back`` sentences before the one holding ``pos`` begins."""
    lo = max(0, pos - 1500)
    # (the boundary's look-ahead reads the first letter of the sentence at ``pos``)
    ends = [m.end() for m in SENTENCE_END.finditer(text, lo, pos + 2) if m.end() <= pos]
    return ends[-1 - back] if len(ends) > back else lo


def surname_of_speaker(text: str, a: Credit, out: list[Credit]) -> Credit:
    """"Partida said" after "Natalie's grandmother, Margaret Partida, told GMA" is the
    grandmother, credited last by that surname, not the Natalie Partida the article is about."""
    surname = text[a.start:a.end]
    if " " in surname or not surname[:1].isupper() or not (a.name.endswith(" " + surname) or a.name == surname):
        return a
    last = next((p for p in reversed(out) if p.kind == "person" and p.start < a.start and p.name.endswith(" " + surname)), None)
    # (a name that kept its title, "Rep. Steve King", is no better than the one found)
    if last is None or last.name == a.name or len(last.name.split()) < 2 \
            or any(w in PERSON_TITLES or w.endswith(".") and len(w) > 2 for w in last.name.split()):
        return a
    if a.name.endswith(" " + last.name) or a.name == surname:
        # ("Prosecutor Francois Molins" was found for "Molins", or "Titov" left as it was: the
        # name credited before it) unless a namesake was named in full since ("Nicole Olsen told
        # ... Chad Olsen ... Olsen said": left as written, as the names were)
        since = re.findall(rf"\b([A-Z][\w'’\-]*) {re.escape(surname)}\b", text[last.end:a.start])
        if any(first != last.name.split()[-2] for first in since):
            return a
        return replace(a, name=last.name)
    # Another person of that surname: only one who has just spoken, for a namesake the text
    # never credited before ("Natalie Partida" is who the article is about, not who speaks).
    # (nor a longer run the patterns took for a name: "Tell Gunnar Jonsson" for Gunnar Jonsson;
    # nor when the namesake was named in full since: "... asking Chad Oulson ... Oulson responded")
    if a.start - last.start > _SURNAME_REACH or any(p.name == a.name and p.start < a.start for p in out) \
            or last.name.endswith(" " + a.name) or text.rfind(a.name, 0, a.start) > last.start:
        return a
    return replace(a, name=last.name)


# How far after a person spoke a bare surname is still theirs rather than a namesake's.
_SURNAME_REACH = 600


# People the text does not name, by what they are ("One woman described ...").
_UNNAMED = {"woman": "she", "girl": "she", "mother": "she", "grandmother": "she", "daughter": "she", "wife": "she",
            "man": "he", "boy": "he", "father": "he", "grandfather": "he", "son": "he", "husband": "he",
            "resident": "", "witness": "", "survivor": "", "victim": "", "neighbour": "", "neighbor": "",
            "student": "", "teacher": "", "worker": "", "nurse": "", "passenger": "", "protester": ""}
# One unnamed person speaking for others, credited by role ("spokesman for the Taoiseach").
# ("official" is left out: an official credited in passing is seldom the "he" that follows)
_UNNAMED.update({"spokesman": "he", "spokeswoman": "she", "spokesperson": ""})


def _unnamed_head(name: str) -> str | None:
    """The noun an unnamed person is credited by ("woman", "spokesman for May", "White House
    official"), or None for a name."""
    words = name.split()
    return next((w for w in (words[0], words[-1]) if w in _UNNAMED), None)


_UNNAMED_START = re.compile(rf"[\"“]?(?:One|A|An|Another)[ \t]+(?:[a-z][\w\-]*[ \t]+){{0,2}}?(?P<noun>{'|'.join(_UNNAMED)})\b")


def unnamed_subject(text: str, a: Credit, out: list[Credit]) -> Credit | None:
    """"One woman described suffering that. She told the committee ...": the pronoun that opens a
    sentence is the unnamed person the sentence before is about, credited by what they are
    (GUIDELINES.md: unnamed people keep a role credit), not a person named further back; and so
    is a pronoun with no one else credited since ("...," she said)."""
    last = out[-1] if out else None
    head = _unnamed_head(last.name) if last is not None and last.kind == "person" else None
    if head is not None and _UNNAMED[head] in ("", a.name.lower()) and last.start >= _sentence_start(text, a.start, back=1):
        # ("a spokesman for the Taoiseach said he rejected the charge. He also said ...")
        return replace(a, name=last.name, kind="person", scope="sentence")
    ends = [m.end() for m in SENTENCE_END.finditer(text, max(0, a.start - 400), a.start + 2) if m.end() <= a.start]
    if len(ends) < 2 or ends[-1] != a.start:
        return None
    m = _UNNAMED_START.match(text, ends[-2])
    if m is None or _UNNAMED[m.group("noun")] not in ("", a.name.lower()):
        return None
    return replace(a, name=m.group("noun"), kind="person", scope="sentence")


def role_owner(trail: str) -> str | None:
    """The principal of a role's "for ..." phrase ("for the Taoiseach", "for May", "for the
    Department of Justice", "for the federal prosecutor's office": a public body unnamed)."""
    m = re.fullmatch(r"[ \t]+for[ \t]+((?:the[ \t]+)?[A-Z][\w'’\-]*(?:[ \t]+(?:(?:of|for|and)[ \t]+(?:the[ \t]+)?)?[A-Z][\w'’\-]*){0,4}"
                     r"|the[ \t]+(?:[a-z\-]+(?:['’]s)?[ \t]+){0,3}(?:office|ministry|department|agency|embassy|commission|prosecutor['’]s office))[ \t]*", trail)
    return m.group(1) if m else None


# Offices whose holder speaks where the text names the office ("The chairman of the committee
# said"): the body is where they work, not who speaks.
_HEADS = r"(?:[Cc]hair(?:man|woman|person)?|[Hh]ead|[Ll]eader|[Dd]irector|[Pp]resident|CEO|[Cc]hief(?:[ \t]+[Ee]xecutive)?|[Ss]ecretary|[Mm]inister|[Cc]ommissioner|[Gg]overnor|[Ss]pokes(?:man|woman|person))"
_HEAD_BEFORE = re.compile(rf"\b{_HEADS}[ \t]+(?:of|for)[ \t]+(?:the[ \t]+)?$")
_HEAD_NAME = re.compile(rf"(?:The[ \t]+)?{_HEADS}(?:[ \t]+(?:of|for|and)\b|$)")


def office_holder_speaks(text: str, start: int, name: str) -> bool:
    """The name read as a speaker is the body an unnamed office holder heads ("The chairman of
    the Public Accounts Committee has said"), or the office itself ("The Chairperson of the
    Policing Authority ... has confirmed", "The CEO of a ... company said"): a person speaks,
    whom this name does not give."""
    return bool(_HEAD_BEFORE.search(text, max(0, start - 40), start) or _HEAD_NAME.match(name))


def fuller_role(a: Credit, out: list[Credit]) -> Credit | None:
    """"the supervisor said" after "A former shift supervisor ... said": the unnamed person the
    text described more fully before, by the same noun (one source, not two)."""
    head = a.name.lower().split()[-1]
    for p in reversed(out):
        if p.start < a.start and p.kind == "person" and p.name[:1].islower() and len(p.name.split()) > len(a.name.split()) \
                and p.name.lower().split()[-1] == head:
            return replace(a, name=p.name, scope="sentence")
    return None

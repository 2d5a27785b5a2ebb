"""What a credit that names no one refers to: a pronoun ("he said") to the person speaking, a
bare noun ("the report", "the group", "the court") to the source of that sort the text names,
before it or, when it names none before, just after it ("The human rights group says ...
Amnesty's report ..."), and "the judge said" to the judge the text named. A reference that
refers to nothing is dropped: a bare common noun is never a source's name.

Used by :mod:`.extract` once a document's credits are read and named by their most specific
names (:mod:`.names`).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import replace

from ..records import Credit
from .antecedents import before_tagged_quotation
from .descriptions import is_description, newcomer
from .findings import agrees_with_modifier
from .holders import OFFICES, fits_office, fuller_role, sole_speaker, surname_of_speaker, unnamed_subject
from .names import named_by_noun
from .teams import TEAM_NOUNS, research_institution, the_team
from .namewords import FUNCTION_WORDS, follows_title, without_descriptor
from .patterns import ANAPHORS, NATIONALITIES, NOT_NAMES, PERSON_TITLES, ROLE_NOUNS, SAY, person_name, source_kind, title_only

__all__ = ["resolve_references"]

# Nouns that refer only to a source whose name holds them ("the court" is a Court, "the
# ministry" a Ministry); the other anaphors ("the group", "the company") to any organisation.
_NAMED_NOUNS = {"court", "ministry", "department", "committee", "commission", "council", "institute", "government",
                "university", "bureau"}
# How far after a bare noun with nothing before it the source it names may be (cataphora).
_CATAPHORA_REACH = 400
# How far back a plural "they" looks for the organisation or group it stands for.
_THEY_REACH = 600
# (a conjunction that opens the sentence leaves its subject a subject: "But Ms Davidson cited")
_SUBJECT_BEFORE = re.compile(r"(?:^|[.!?:;,—–]\s+|\s-\s+|[\"“]\s*|\bFor\s+)(?:(?:But|And|Yet|So|Still|However,?|Meanwhile,?)\s+)?(?:(?:[Ff]ormer|[Tt]hen|[Aa]cting|[Dd]eputy|[Tt]he)\s+)?"
                             r"(?:(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+)?$")


def resolve_references(text: str, attrs: list[Credit]) -> list[Credit]:
    """``attrs`` in text order, with pronouns, bare nouns and definite roles resolved (or dropped)."""
    out: list[Credit] = []
    people = _People(text)
    team = research_institution(text)
    named = [a for a in attrs if a.scope not in ("pronoun", "anaphor", "role")]
    # Who "he" and "she" were found to be: a later "she" is not someone an earlier "he" was.
    gender: dict[str, str] = {}
    for a in attrs:
        if is_description(text, a):
            resolved = _described(text, a, out, people)
        elif a.scope == "pronoun":
            resolved = _resolve_pronoun(text, a, out, people, gender)
            if resolved is not None and a.name.lower() in ("he", "she"):
                gender.setdefault(resolved.name, a.name.lower())
        elif a.scope == "anaphor":
            resolved = _resolve_anaphor(text, a, out, named)
            if resolved is not None and a.document and not agrees_with_modifier(a.name, resolved.name):
                resolved = None  # ("the CDC report" is no other body's)
        elif a.scope == "role":
            resolved = _spoke_for(a, out) or _resolve_role(text, a, out, people)
        else:
            resolved = _titled(text, a, out, people)
            if resolved is not None and resolved.kind == "person":
                resolved = surname_of_speaker(text, resolved, out)
        if resolved is not None and team and resolved.name.lower().removeprefix("the ") in TEAM_NOUNS and the_team(text, a.start):
            # "The researchers noted": the institution whose team the text says they are.
            resolved = replace(resolved, name=team, kind="organisation")
        if resolved is not None:
            out.append(resolved)
    return out


class _People:
    """Capitalised two- to four-word names that read as people's: who a pronoun may refer to
    when no credited person came before it, or when one was named as a subject since."""

    def __init__(self, text: str) -> None:
        # (a full stop only after a title's abbreviation: "Christmas. Cubicles" is two sentences)
        # (one space between words: a gap of two joins a caption or a heading to the text)
        pattern = r"(?<![\w])(?:[A-Z][a-z]{1,3}\.|[A-Z][a-z]+)(?:[ \t](?:[A-Z]\.?[ \t]+)?[A-Z][a-z]+(?:-[A-Z][a-z]+)?){1,5}(?![\w])"
        self.text = text
        self.named = [(m.start(), m.group(0)) for m in re.finditer(pattern, text)]
        self.starts = [p[0] for p in self.named]
        self._alone_cache: dict[str, bool] = {}
        self._first_cache: dict[str, tuple[str, ...]] = {}

    def before(self, pos: int, reach: int = 50, alone: bool = True) -> list[tuple[int, str]]:
        """(position, person's name) of the names before ``pos``, nearest first (with ``alone``,
        only those the text also calls by surname alone)."""
        i = bisect.bisect_left(self.starts, pos)
        out = []
        for k in range(i - 1, max(-1, i - reach), -1):
            start, raw = self.named[k]
            name = " ".join(without_descriptor(person_name(raw).split(), self.text))
            if len(name.split()) == 3 and follows_title(self.text[max(0, start - 80):start]):
                # ("Ambassador to Turkey Marc Pierini": the run begins with where the title is held)
                name = " ".join(name.split()[1:])
                start += raw.rfind(name)
            # A person's title before the name ("President Michael D Higgins") says it is one.
            titled = any(t in PERSON_TITLES for t in raw.split()[:-len(name.split())])
            if len(name.split()) >= 2 and source_kind(name) == "person" and name.split()[0] not in _NOT_FIRST \
                    and not title_only(name) \
                    and (not alone or titled or self.alone(name)):
                # Where the run begins (a title included: "Attorney General Jeff Sessions").
                out.append((start, name))
        return out

    def called_by_first(self, name: str) -> tuple[str, ...]:
        """The first word of a name the text calls its speaker by ("Lin says" for Lin
        Shengjie, "says Trevor"): family names written first, and first names."""
        if name not in self._first_cache:
            first = name.split()[0]
            said = len(name.split()) >= 2 and re.search(
                rf"\b{re.escape(first)}[ \t]+(?:says|said|adds|added|told)\b|\b(?:says|said)[ \t]+{re.escape(first)}\b", self.text)
            self._first_cache[name] = (first,) if said else ()
        return self._first_cache[name]

    def alone(self, name: str) -> bool:
        """The text also calls them by surname alone ("Waldman said"), as it does people and
        not places ("North Korea")."""
        surname = name.split()[-1]
        if surname not in self._alone_cache:
            first = name.split()[-2]
            self._alone_cache[surname] = any(
                not self.text[max(0, m.start() - len(first) - 1):m.start()].startswith(first)
                for m in re.finditer(rf"(?<![\w\-]){re.escape(surname)}(?![\w\-])", self.text))
        return self._alone_cache[surname]


# Capitalised words that begin a run without being a first name ("But Assad", "Yesterday Mr").
# (the function words, "But", "Although Nunes", "More Cypriots have been visiting", and these others)
_NOT_FIRST = FUNCTION_WORDS | {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Speaking", "Asked",
                               "Is", "Are", "Did", "Does", "Do", "Has", "Have", "Had", "Would", "Could", "Should", "Like",
                               "Even", "Only", "His", "Her", "One", "All"}


def _gender_clash(text: str, pronoun: str, name: str) -> bool:
    """"He" cannot be a person the text calls Miss, Mrs or Ms; "she" not one it calls Mr."""
    surname = re.escape(name.split()[-1])
    if pronoun.lower() == "he":
        return re.search(rf"\b(?:Miss|Mrs|Ms)\.?[ \t]+{surname}\b", text) is not None
    if pronoun.lower() == "she":
        return re.search(rf"\bMr\.?[ \t]+{surname}\b", text) is not None
    return False


def _as_subject(text: str, pos: int) -> bool:
    """A mention that begins a sentence or clause ("For Cooper, ..." he said; "Cooper ...
    stressed"), not an object mentioned in passing ("injuries to Ms Shortall's brain")."""
    return bool(_SUBJECT_BEFORE.search(text[max(0, pos - 24):pos]) or _TITLED_SUBJECT.search(text[max(0, pos - 60):pos])
                or _NAMED_AS_SPEAKER.search(text[max(0, pos - 24):pos]))


# A speaker named after the words they said ("..., explained Andrew Cohen, a professor"): the
# last person speaking, whom a "he said" that follows refers to, as much as a sentence's subject.
_NAMED_AS_SPEAKER = re.compile(rf"[,\"”][ \t]*(?:{SAY}|explained|added)[ \t]+$")


# A sentence that opens with a person's title and where they hold it ("Former EU Ambassador to
# Turkey Marc Pierini, ..., is a believer"): the name that follows is the sentence's subject.
_TITLED_SUBJECT = re.compile(r"(?:^|[.!?][\"”]?\s+)(?:(?:Former|The|Then)\s+)?(?:[A-Z][\w.\-]*\s+){0,3}(?:"
                             + "|".join(re.escape(t) for t in sorted(PERSON_TITLES)) + r")\)?\s+(?:to|of|for|at|on)\s+(?:(?:the|of|and|[A-Z][\w\-]*)\s+){0,4}$")


# A finite verb or an auxiliary: what follows a clause's subject ("Shane Ross has rejected",
# "adviser Kellyanne Conway came under fire").
_FINITE = re.compile(r"[ \t]+(?:(?:also|later|then|now|has|have|had|is|was|were|will|would|can|could|did|does|may|might|must|should)\b"
                     r"|(?:came|went|made|gave|took|told|said|says|spoke|wrote|met|left|won|lost|ran|sent|became|[a-z]+ed|[a-z]+[^s]s)\b)")


def _verb_follows(text: str, end: int) -> bool:
    return _FINITE.match(text, end) is not None


# The subject of a clause that says when or why something happened ("when the Taoiseach told").
_SUBORDINATE_SUBJECT = re.compile(r"\b(?:when|after|before|because|although|though|while|since|until|unless|once)[ \t]+"
                                  r"(?:the[ \t]+)?(?:[A-Z][\w.’'\-]*[ \t]+){0,3}$")


def _resolve_pronoun(text: str, a: Credit, out: list[Credit], people: _People, gender: dict[str, str]) -> Credit | None:
    if a.name.lower() == "they":
        return _resolve_they(a, out)
    if (unnamed := unnamed_subject(text, a, out)) is not None:
        return unnamed

    def clash(name: str) -> bool:
        return _gender_clash(text, a.name, name) or gender.get(name, a.name.lower()) != a.name.lower()

    at = before_tagged_quotation(text, a.start)  # (not a name inside the quotation "he" tags)
    prior = [p for p in out[-200:] if p.kind == "person" and p.start < at and p.name[:1].isupper()
             and len(p.name.split()) <= 4 and not clash(p.name)][-20:]
    # ("Mr Shatter agreed he was sacked when the Taoiseach told the Dáil ... He said": a speaker
    # in a clause about what happened is not whom the next sentence's "he" refers to, when
    # someone was credited before them)
    last = prior[-2] if len(prior) > 1 and _SUBORDINATE_SUBJECT.search(text, max(0, prior[-1].start - 40), prior[-1].start) else prior[-1] if prior else None
    best, best_pos = (last.name, last.start) if last else (None, -1)
    # The person mentioned last as a subject before the pronoun, among those credited (by full
    # name or surname) and those the text names as people: "Nicolette Waldman, an Amnesty
    # researcher, elaborated ... "...," she told CNN" is Waldman's, though she had no cue.
    # Ties (two credited names sharing a surname, "Isabel Ettedgui" / "Mrs Ettedgui") go to the
    # one credited last: a set's iteration order decided before, and changed from run to run.
    for p in dict.fromkeys(x.name for x in reversed(prior)):
        for form in (p, p.split()[-1], *people.called_by_first(p)):
            pos = text.rfind(form, max(0, at - 5000), at)
            if pos > best_pos and _as_subject(text, pos):
                best, best_pos = p, pos
    for pos, name in people.before(at):
        if pos <= best_pos:
            break
        if _as_subject(text, pos) and not clash(name):
            best, best_pos = name, pos
            break
    if best is None:
        # No one credited or named as a subject before: the person named last, if any.
        nearest = [(pos, n) for pos, n in people.before(at, alone=False) if not clash(n)]
        # A person the text also calls by surname alone ("Conway said") before a place that
        # reads like a name ("a Bowling Green massacre"): no one calls a place by its last word.
        nearest = [x for x in nearest if people.alone(x[1])] or nearest
        # Only a subject: a name mentioned in passing ("the Commission for Western Asia") is no
        # one's antecedent, and a guess there is a false accusation.
        subjects = [n for pos, n in nearest if _as_subject(text, pos) or _verb_follows(text, pos + len(n))]
        if not subjects:
            return None
        best = subjects[0]
    return replace(a, name=best, kind="person", scope="sentence")


def _described(text: str, a: Credit, out: list[Credit], people: _People) -> Credit | None:
    """"The Virginia Democrat said": the lawmaker just named, of either gender, or no one."""
    fresh = newcomer(text, before_tagged_quotation(text, a.start - 4))  # (from its "the")
    resolved = _resolve_pronoun(text, a, out, people, {})
    if resolved is None or len(resolved.name.split()) < 2 or is_description(text, resolved):
        return None
    # (someone the sentence before brings in may be whom it re-identifies: not known, dropped)
    return resolved if fresh is None or fresh.split()[-1] == resolved.name.split()[-1] else None


def _resolve_they(a: Credit, out: list[Credit]) -> Credit | None:
    """"They said": the group or organisation credited just before, never one person."""
    for p in reversed(out[-20:]):
        if p.start < a.start - _THEY_REACH:
            break
        if p.cue in ("url", "footnote", "interview"):
            continue
        plural = p.name.split()[-1].lower() in ROLE_NOUNS or p.kind == "organisation"
        return replace(a, name=p.name, kind=p.kind, scope="sentence") if plural else None
    return None


def _resolve_anaphor(text: str, a: Credit, out: list[Credit], named: list[Credit]) -> Credit | None:
    """"The report", "the company", "the court": the source of that sort named last before it,
    else the first named just after it, else the name the text gives with that noun; None when
    the text names none."""
    if a.name.lower() == "it" and re.search(r",[ \t]+(?:but|and|yet)[ \t]+$", text[max(0, a.start - 8):a.start]):
        return _clause_subject(text, a)
    if a.name == "It" and _after_uncredited_noun(text, a, out):
        return None
    noun = a.name.split()[-1].lower()
    if noun in _AUTHORED_BY:
        # "According to the indictment": an indictment is the prosecution's, whoever spoke last.
        author, cue = _AUTHORED_BY[noun]
        return replace(a, name=author, kind="organisation", scope="sentence") if re.search(cue, text) else None
    want = a.kind
    indefinite = a.name.split()[0].lower() in ("a", "an")
    # (an outlet someone gave an interview to wrote no report, nor said what a bare noun says)
    usable = [p for p in out[-200:] if p.start < a.start and p.cue not in {"url", "footnote", "interview"} and p.name[:1].isupper()]
    if noun in _NAMED_NOUNS:
        prior = [p for p in usable if noun in p.name.lower().replace("’", "'").split()]
        if not prior:
            return named_by_noun(text, a)
    elif want == "document":
        # "The report argues" is a report's, not the statement someone issued about it.
        docs = [p for p in usable if p.document and (noun not in _REPORT_NOUNS or p.document.lower() not in _WORDS_OF_ONE)]
        # ("the statement" is whoever issued it, not a paper that reported it)
        prior = docs or _most_credited([p for p in usable if p.kind == "organisation" or p.kind == "outlet" and noun not in _WORDS_OF_ONE])
    else:
        prior = [p for p in usable if p.kind == want and not _says_otherwise(noun, p.name)]
    if indefinite or not prior:
        # "according to a think tank. ... the Institute for Fiscal Studies": named just after.
        later = _named_after(a, named, want)
        if later is not None:
            return later
        return None if indefinite else named_by_noun(text, a)
    p = prior[-1]
    return replace(a, name=p.name, kind=p.kind, document=a.document or p.document, url=p.url, scope="sentence")


# Businesses, and the words by which a name says it is no business ("the company said" is not
# the "US Chamber of Commerce" credited before).
_BUSINESS_NOUNS = {"company", "firm", "lender", "bank", "insurer", "retailer", "airline"}
_PUBLIC_WORDS = {"chamber", "committee", "ministry", "court", "university", "government", "council", "commission",
                 "institute", "department", "agency", "police", "parliament", "senate", "office", "bureau", "union",
                 "association", "federation", "league", "party", "army", "school", "hospital"}


def _says_otherwise(noun: str, name: str) -> bool:
    words = name.lower().split()  # ("the company said" is not "Local officials" before it: a role names no body)
    return (noun in _BUSINESS_NOUNS and bool(_PUBLIC_WORDS & set(words))) or (noun != "it" and words[-1] in ROLE_NOUNS)


# Documents whose author their kind names, and the word by which the text must mention that author.
_AUTHORED_BY = {"indictment": ("prosecutors", r"\b[Pp]rosecut")}
# Documents that a report is not: a person's or body's own words about something.
_REPORT_NOUNS = {"report", "study", "analysis", "survey", "investigation", "paper"}
_WORDS_OF_ONE = {"statement", "letter", "interview", "email", "post", "tweet", "speech", "video", "remarks", "comments"}


_SENTENCE_END = re.compile(r"[.!?][\"”’]?\s+")


def _after_uncredited_noun(text: str, a: Credit, out: list[Credit]) -> bool:
    """"The government said ... . It said ...": a sentence's "It" is the subject of the
    sentence before; when that subject is a bare noun that referred to no named source, so
    does "It" (not to whichever organisation was credited before that)."""
    ends = [m.end() for m in _SENTENCE_END.finditer(text, max(0, a.start - 600), a.start)]
    if not ends or ends[-1] != a.start:
        return False
    start = ends[-2] if len(ends) > 1 else max(0, a.start - 600)
    m = re.match(r"(?:The|the)[ \t]+(?P<noun>[a-z]+)[ \t]", text[start:a.start])
    return bool(m and m.group("noun") in ANAPHORS and not any(start <= p.start < a.start for p in out))


def _clause_subject(text: str, a: Credit) -> Credit | None:
    """"Florida's Code of Judicial Conduct prohibits ..., but it says ...": an "it" in the second
    clause of a sentence is the sentence's subject, not a source credited sentences before; a
    subject that is no capitalised name (or is a person) credits no one."""
    lo = max(0, a.start - 400)
    start = max((m.end() for m in _SENTENCE_END.finditer(text, lo, a.start)), default=lo)
    m = re.match(r"(?:(?:The|A|An)[ \t]+)?(?:[A-Z][\w\-]*['’]s?[ \t]+)?(?P<name>[A-Z][\w\-]*(?:[ \t]+(?:(?:of|for|and|on)[ \t]+(?:the[ \t]+)?)?[A-Z][\w\-]*){0,6})",
                 text[start:a.start])
    if m is None or source_kind(m.group("name")) == "person":
        return None
    name = m.group("name")
    return replace(a, name=name, kind=source_kind(name), document=a.document, scope="sentence")


def _most_credited(credits: list[Credit]) -> list[Credit]:
    """The credits of the source credited most often (the last of them last): "the report" with
    no document named before is the report of the article's main source, not of whoever was
    quoted last ("Forecasts by Oxford Economics, which contributed to the report")."""
    if not credits:
        return []
    counts: dict[str, int] = {}
    for c in credits:
        counts[c.name] = counts.get(c.name, 0) + 1
    top = max(counts.values())
    best = [c for c in credits if counts[c.name] == top][-1].name
    return [c for c in credits if c.name == best]


def _named_after(a: Credit, named: list[Credit], want: str) -> Credit | None:
    # ("the group" is no newspaper; a report may be an outlet's)
    kinds = ("organisation", "outlet") if want == "document" else (want,)
    for p in named:
        if p.start <= a.end or p.cue in ("url", "footnote"):
            continue
        if p.start > a.end + _CATAPHORA_REACH:
            break
        if p.kind in kinds and p.name[:1].isupper():
            return replace(a, name=p.name, kind=p.kind, document=a.document or p.document, scope="sentence")
    return None


# Nouns for a people's members that are no adjective ("the Briton", "the Frenchman").
_DEMONYMS = {"Briton", "Brit", "Frenchman", "Frenchwoman", "Englishman", "Englishwoman", "Scot", "Swede", "Dane",
             "Finn", "Pole", "Spaniard", "Dutchman", "Welshman", "Irishman", "Irishwoman", "Kiwi", "Aussie"}
# The titles a role's holder is named with, where they differ from the role.
_ROLE_TITLES = {"judge": ("judge", "justice")}
# Words no person's name holds: times and sentence openers ("Earlier Friday").
_NOT_PERSON_WORDS = NOT_NAMES - {"May", "June", "April", "August"}


def _titled(text: str, a: Credit, out: list[Credit], people: _People) -> Credit | None:
    """"The Taoiseach said" as the person the text named with that title before ("Taoiseach
    Enda Kenny"): a one-word title used as a name stands for its holder. "The Briton believes"
    names no one: a nationality is no one's name (and, kept, "she says" would take it)."""
    name = a.name
    if " " in name or not name[:1].isupper() or a.cue in ("url", "footnote", "credit line") \
            or text[max(0, a.start - 4):a.start].lower() != "the ":
        return a
    holders = [person_name(m.group(1)) for m in re.finditer(
        rf"\b{re.escape(name)}[ \t]+([A-Z][a-z]+(?:[ \t]+[A-Z][a-z]+){{1,2}})\b", text[:a.start])]
    holders = [h for h in holders if len(h.split()) >= 2 and source_kind(h) == "person"
               and not set(h.split()) & (PERSON_TITLES | _NOT_PERSON_WORDS)]
    if holders:
        return replace(a, name=holders[-1], kind="person")
    if name in NATIONALITIES or name in _DEMONYMS:
        return None
    # ("The Taoiseach said" with no "Taoiseach Enda Kenny": the one person just credited)
    return (name.lower() in OFFICES and _sole_speaker(text, a, out, people)) or a


def _sole_speaker(text: str, a: Credit, out: list[Credit], people: _People) -> Credit | None:
    def subjects(lo: int, hi: int) -> list[str]:
        return [n for pos, n in people.before(hi) if pos >= lo and _as_subject(text, pos)]
    return sole_speaker(text, a, out, subjects)


def _spoke_for(a: Credit, out: list[Credit]) -> Credit | None:
    """"The spokesman also said" after "a spokesman for the Taoiseach said": that spokesman."""
    role = a.name.split()[-1].lower()
    if a.name.lower() != role:
        # ("the Downing Street spokesman" is that one, not the spokesman for May before)
        return None
    for p in reversed(out[-50:]):
        if p.name.startswith(role + " for "):
            return replace(a, name=p.name, kind=p.kind, scope="sentence")
    return None


def _resolve_role(text: str, a: Credit, out: list[Credit], people: _People) -> Credit | None:
    """"The judge said": the person the text named as judge before ("Judge William Blair",
    "William Blair, the judge"); the role itself when it named none, unless the role is an office
    one person holds ("the ambassador", "the coach"): that is someone the text does not name
    here, and a bare common noun is no one's name."""
    role = a.name.split()[-1]
    name = r"((?:[A-Z][\w'’\-]+\.?[ \t]+){0,3}[A-Z][\w'’\-]+)"
    # (a judge is titled "Justice" in much of the world: "Justice Adedayo Oyebanji ... the judge")
    titles = "|".join(re.escape(t) for t in _ROLE_TITLES.get(role.lower(), (role,)))
    # ("Minister for Transport Shane Ross ... The minister also said": the portfolio is no name)
    found = [(m.start(), person_name(m.group(1))) for m in re.finditer(
        rf"\b(?i:{titles})\.?[ \t]+(?:(?:for|of)[ \t]+(?:the[ \t]+)?[A-Z][\w'’\-]+(?:[ \t]+(?:and[ \t]+)?[A-Z][\w'’\-]+){{0,2}}?[ \t]+)?"
        rf"(?:[A-Z][a-z]{{0,3}}\.[ \t]+)?{name}", text[:a.start])]
    found += [(m.start(), person_name(m.group(1))) for m in re.finditer(
        rf"{name},[ \t]+(?:the|a|an)[ \t]+[^,.;\n]{{0,60}}?\b(?i:{re.escape(role)})\b", text[:a.start])]
    # ("Earlier Friday, a spokesman for May said": a time, not the spokesman's name)
    found = [(pos, n) for pos, n in found if not set(n.split()) & _NOT_PERSON_WORDS]
    # (an office with no holder titled: the one person the text has just credited, or no one)
    unnamed = _sole_speaker(text, a, out, people) if role.lower() in OFFICES else fuller_role(a, out) or replace(a, scope="sentence")
    if not found:
        return unnamed
    best = max(found)[1]
    if len(best.split()) == 1:
        # "Judge Blair presided ... the judge said": Blair as the text named him in full.
        best = next((n for _, n in sorted(found, reverse=True) if n.split()[-1] == best and len(n.split()) > 1), best)
    if len(best.split()) < 2 or source_kind(best) != "person" or not fits_office(text, a.name, best):
        return unnamed
    return replace(a, name=best, scope="sentence")

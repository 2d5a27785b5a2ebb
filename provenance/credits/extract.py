"""Who a document's sentences credit: "according to X", "X said", "told Iran International", a
quote's speaker, "a report by X", "X's investigation", "as first reported by X", footnotes and
links.

A tested pattern set over the text (:mod:`.patterns`), not a statistical model: the cue
("according to", "told", a quote mark) says who is *credited*, and the cues of news attribution
are few and regular. A dependency parser (spaCy's small English pipeline) was measured and not
adopted: it named none of the credits these patterns miss on the labelled real news and cost
four times all of attribution (``scripts/spacy_probe.py``). Precision and recall on labelled
sets: ``scripts/attribution_eval.py``. Pronouns and bare nouns are resolved by :mod:`.refer`.

Each :class:`~provenance.records.Credit` names the credited source as written, its kind
(person, organisation, outlet, document), the cue and the span of the name in the document's
text. :mod:`.claims` then gives each claim its own credits, or those of a neighbouring sentence
that it continues.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator

from ..records import Credit
from ..textnorm import readable_quotes
from .links import credit_line_credits, footnote_credits, interview_credits, lend_urls, reference_entries, url_credits
from .names import most_specific
from .patterns import (
    ANAPHORS,
    NOT_NAMES,
    OUTLET_NAMES,
    PATTERNS,
    REQUIRED,
    ROLE_MODIFIERS,
    ROLE_NOUNS,
    SUBJECT_SAID,
    clean_name,
    person_name,
    sentence_start,
    source_kind,
    title_only,
)
from .citing import CITING, CITING_CUE, CITING_REQUIRED, citing_matches
from .coordinated import coordinated_credits
from .dated_docs import DATED_DOC, DATED_DOC_CUE, DATED_DOC_REQUIRED
from .demands import DEMAND, DEMAND_CUE, DEMAND_REQUIRED
from .descriptions import description_credits
from .docphrase import opens_clause, phrase_start
from .findings import finding_credits
from .goes_on import plain_speech_verbs
from .holders import office_holder_speaks, reference_credits, role_owner
from .published_by import MADE_BY, MADE_BY_CUE, MADE_BY_REQUIRED
from .quoted import quoted_credits
from .told_outlet import lend_told_outlets
from .who_said import who_said_credits
from .refer import resolve_references

__all__ = ["find_attributions", "reference_entries", "source_kind"]

# Only a speech verb reaches past a relative phrase ("a supervisor on the day it is found ...").
_SPEECH_VERBS = {"said", "says", "say", "told", "added", "wrote"}
# Verbs that credit only when what follows is said ("that ...", a quotation), not done.
_ACT_OR_SAY = {"confirmed", "confirms", "announced", "announces", "revealed", "reveals", "disclosed", "admitted", "admits",
               "declared", "declares", "maintained", "maintains", "highlighted", "highlights", "concurs", "concurred", "indicated"}
# What follows such a verb when it reports words: "that ...", a quotation, or the same after when
# or where ("announced Friday it would hold a hearing", "announced on Twitter that"), or a
# noun of what someone thinks ("has revealed deep-seated concerns that").
_WHAT_WAS_SAID = re.compile(
    r"[ \t]*(?:(?:on[ \t]+)?(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|the[ \t]+weekend|Twitter|Facebook)[ \t]+|"
    r"(?:today|yesterday|earlier|later|last[ \t]+(?:week|month|year|night))[ \t]+)?"
    r"(?:that\b|how\b|[,:\"“]|(?:it|he|she|they|we)[ \t]+(?:would|will|had|has|was|were|is|are|could|planned|plans|intends)\b"
    r"|(?:[a-z][a-z\-]+[ \t]+){0,2}(?:concerns|fears|plans|hopes|doubts|details|worries)[ \t]+that\b)")
# "wrote" and a lowercase object other than where, when, how or "that" ("wrote big checks").
_WRITTEN_OBJECT = re.compile(r"[ \t]+(?!(?:that|in|on|via|to|for|from|at|of|about|how|last|this|earlier|later|recently|"
                             r"yesterday|today|back|also|then|separately|once|previously|online|and|but|as|when|while)\b)[a-z]")
_DATELINE = re.compile(r",[ \t]*(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?[ \t]+\d")
_SUBJECT_FORM = {"him": "he", "her": "she", "them": "they"}
_SUBJECT_PRONOUNS = {"He", "She", "They", "It", "We", "I"}
# Verbs spelled like a plural noun ("G20 states", "Arab states", "Wiretap claims are"): a credit
# only where what follows is plainly what was said ("the CDC reports that ...", "states:").
_NOUN_OR_SAY = {"states", "claims", "reports", "notes", "estimates"}


class _Scan:
    """One document's text while credits are read from it: the spans already credited (a
    per-character mask, so overlap tests stay O(span length)) and its reference list."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._covered = bytearray(len(text) + 1)
        # (names with an inner capital too: "where McMaster described")
        self.capitalised_mid = {m.group(0) for m in re.finditer(r"(?<=[a-z,;] )[A-Z][a-zA-Z]*[a-z]", text)}
        self.surnames = {m.group(1) for m in re.finditer(r"(?<![\w])[A-Z][a-z]+[ \t]+(?:[A-Z]\.[ \t]+)?([A-Z][a-z]{2,})(?![\w])", text)}
        self.refs = reference_entries(text)
        self.ref_lines = {(e["line_start"], e["line_end"]) for e in self.refs.values()}
        self._ref_sorted = sorted(self.ref_lines)
        self._ref_starts = [r[0] for r in self._ref_sorted]

    def take(self, s: int, e: int) -> None:
        self._covered[s:e] = b"\x01" * (e - s)

    def claim(self, s: int, e: int) -> bool:
        """Take the span unless an earlier credit already holds part of it."""
        if 1 in self._covered[s:e]:
            return False
        self.take(s, e)
        return True

    def in_reference_list(self, pos: int) -> bool:
        i = bisect.bisect_right(self._ref_starts, pos) - 1
        return i >= 0 and pos < self._ref_sorted[i][1]


def find_attributions(text: str) -> list[Credit]:
    """Every credit in a document's text, in text order (names resolved where they were
    pronouns or "the report"), plus footnote markers linked to their reference entries and
    inline URLs."""
    text = plain_speech_verbs(readable_quotes(text))
    scan = _Scan(text)
    found = [*coordinated_credits(scan, _plausible_name), *_cue_credits(scan), *interview_credits(scan), *credit_line_credits(scan),
             *footnote_credits(scan), *url_credits(scan), *reference_credits(scan),
             *finding_credits(scan), *quoted_credits(scan), *who_said_credits(scan),
             *description_credits(scan)]
    found.sort(key=lambda x: (x[1].start, x[0]))
    # Names first, so that "he", "the group" and "the judge" take the most specific name.
    out = lend_told_outlets(text, resolve_references(text, most_specific(text, [a for _, a in found])))
    lend_urls(text, out)
    return out


def _cue_credits(scan: _Scan) -> list[tuple[int, Credit]]:
    """(cue position, credit) for every cue the patterns read."""
    found = []
    cue_starts: set[int] = set()
    for (cue, pattern), required in zip([*PATTERNS, (DEMAND_CUE, DEMAND), (CITING_CUE, CITING), (DATED_DOC_CUE, DATED_DOC),
                                         (MADE_BY_CUE, MADE_BY)],
                                        [*REQUIRED, DEMAND_REQUIRED, CITING_REQUIRED, DATED_DOC_REQUIRED, MADE_BY_REQUIRED]):
        if required is not None and not required.search(scan.text):
            continue
        matches = citing_matches(scan.text) if cue == CITING_CUE else pattern.finditer(scan.text)
        if cue in (SUBJECT_SAID, DEMAND_CUE) and required is not None:
            # (both read only a sentence's subject)
            matches = _from_sentence_starts(scan.text, pattern, required)
            cue = "said" if cue == SUBJECT_SAID else cue
        for m in matches:
            # One cue, one credit: the first (most specific) pattern that read it wins.
            if scan.in_reference_list(m.start()) or m.start() in cue_starts:
                continue
            credit = _credit_of(scan, cue, m)
            if credit is not None:
                # A cue read by a pattern that found no one ("He said" read as a name) is
                # left to the next pattern (the pronoun's).
                cue_starts.add(m.start())
                found.append((m.start(), credit))
    return found


# A sentence's end: not the full stop of "U.S.", "Mr." or "Sen.".
_BOUNDARY = re.compile(r"(?:(?:[!?]|(?<!\b[A-Z])(?<!\bMrs)(?<!\b(?:Mr|Ms|Dr|St|Jr|Lt))(?<!\b(?:Sen|Rep|Gov|Gen|Col))\.)[\"”’']?[ \t]+|\n)(?=\S)")
# How far back from its cue a sentence's subject may begin.
_SUBJECT_REACH = 240


def _from_sentence_starts(text: str, pattern: re.Pattern[str], cue: re.Pattern[str]) -> Iterator[re.Match[str]]:
    """``pattern`` matched at the start of each sentence that holds ``cue``."""
    tried: set[int] = set()
    for c in cue.finditer(text):
        lo = max(0, c.start() - _SUBJECT_REACH)
        ends = [b.end() for b in _BOUNDARY.finditer(text, lo, c.start())]
        if not ends and lo > 0:
            continue
        start = ends[-1] if ends else 0
        if start in tried:
            continue
        tried.add(start)
        m = pattern.match(text, start)
        if m is not None:
            yield m


def _credit_of(scan: _Scan, cue: str, m: re.Match[str]) -> Credit | None:
    groups = m.groupdict()
    if groups.get("trail") and groups.get("verb") not in _SPEECH_VERBS:
        return None
    if (groups.get("part") or groups.get("part2")) and not sentence_start(scan.text, m.start()):
        # "..., saying": only the subject of the sentence is the one speaking.
        return None
    if groups.get("verb") in _ACT_OR_SAY and not _WHAT_WAS_SAID.match(scan.text, m.end(), m.end() + 80):
        # "The Senate confirmed Ms DeVos" is an act, "the ministry confirmed that ..." a credit.
        return None
    if groups.get("verb") in ("wrote", "writes") and _WRITTEN_OBJECT.match(scan.text, m.end(), m.end() + 40):
        # "Huawei wrote big checks", "she wrote a novel": what was written is a thing, not words.
        return None
    if groups.get("verb") in _NOUN_OR_SAY and not re.match(r"[ \t]*(?:that\b|[:\"“])", scan.text[m.end():m.end() + 8]) \
            and not _reporting_tail(scan.text, m):
        return None
    if cue == "reported by" and re.search(r"\b(?:not|never)[ \t]+(?:\w+[ \t]+)?$", scan.text[max(0, m.start() - 30):m.start()]):
        # "remarks not initially published by Cosmopolitan.com": what X did not publish.
        return None
    if (cue == "possessive" or groups.get("doc2")) and not opens_clause(scan.text, phrase_start(scan.text, m.start())):
        # "Moscow believes Amnesty International's report to be a provocation", "Tusk held up
        # Mrs May's letter": a document that is the object of someone's act or words is their
        # topic; it is a source where it speaks ("Amnesty's report found", "In X's report, ...").
        return None
    if m.group(0).startswith(",") and "verb" in groups and groups.get("verb") and _reported_subject(scan.text, m):
        # ", said the new report differs from ...": the report is what was spoken of.
        return None
    for group, read in _READERS:
        if groups.get(group):
            return read(scan, cue, m, groups)
    return _named(scan, cue, m, groups) if groups.get("name") else None


# What may follow the speaker of an inverted ", said X" besides the end of the clause.
_AFTER_SPEAKER = re.compile(r"[ \t]+(?!(?:on|in|at|by|of|for|from|to|with|published|released|issued|which|who|whose|last|this|earlier|later|late|early|when|while|and|but|as|after|before|during|yesterday|today|tonight)\b)[a-z]")


def _reported_subject(text: str, m: re.Match[str]) -> bool:
    """In ", said X ..." (no quotation before the comma), X goes straight on into a verb
    phrase: X is the subject of what was said ("..., said the new report differs")."""
    if m.start("verb") > m.end() - 1 or not any(m.groupdict().get(k) for k in ("anaph", "person", "name")):
        return False
    who = max(m.end(k) for k in ("anaph", "person", "name") if m.groupdict().get(k))
    return who > m.start("verb") and _AFTER_SPEAKER.match(text, who) is not None


def _reporting_tail(text: str, m: re.Match[str]) -> bool:
    """"..., research firm IDC estimates.": the verb ends the sentence, its subject follows a
    comma, so the clause before is what was said (not "G20 states." ending a list)."""
    if not re.match(r"[.!?]", text[m.end():m.end() + 1]):
        return False
    return re.search(r",[ \t]+(?:[a-z]+[ \t]+){0,2}$", text[max(0, m.start("name") - 40):m.start("name")]) is not None \
        if m.groupdict().get("name") else False


def _pronoun(scan: _Scan, cue: str, m: re.Match[str], g: dict) -> Credit | None:
    s, e = m.span("pron")
    if _SUBORDINATE.search(scan.text, max(0, s - 12), s):
        # "Republicans struggled to defend Trump after he insisted ...", "after she said she
        # would tell his wife": a pronoun in a clause about what happened is a person the
        # sentence mentions in passing, whom a guess would as often get wrong.
        return None
    # Resolved to the person named before it by _resolve ("according to him" as "he said").
    pron = _SUBJECT_FORM.get(g["pron"], g["pron"])
    return Credit(cue, pron, "person", s, e, scope="pronoun") if scan.claim(s, e) else None


# A subordinating conjunction just before a pronoun: the pronoun speaks inside a clause.
_SUBORDINATE = re.compile(r"(?<=[a-z,])[ \t]+(?:after|before|when|since|until|because|although|though|unless|once)[ \t]+$")


def _anaphor(scan: _Scan, cue: str, m: re.Match[str], g: dict) -> Credit | None:
    s, e = m.span("anaph")
    if not scan.claim(s, e):
        return None
    noun = g["anaph"].split()[-1].lower()
    kind = ANAPHORS.get(noun, "organisation")  # "it said": an organisation
    return Credit(cue, g["anaph"], kind, s, e, document=noun if kind == "document" else None, scope="anaphor")


def _jurors(scan: _Scan, cue: str, m: re.Match[str], g: dict) -> Credit | None:
    # "Jurors heard": the court that heard it, named where the text names a Court.
    s, e = m.span("anaph2")
    return Credit(cue, "the court", "organisation", s, e, scope="anaphor") if scan.claim(s, e) else None


def _document_source(scan: _Scan, cue: str, m: re.Match[str], g: dict) -> Credit | None:
    s, e = m.span("docsrc")
    if g["docsrc"].split()[0] in NOT_NAMES - {"Maintenance"} or not scan.claim(s, e):
        return None
    return Credit(cue, g["docsrc"], "document", s, e, document=g["docsrc"].split()[-1])


def _person_by_role(scan: _Scan, cue: str, m: re.Match[str], g: dict) -> Credit | None:
    if g.get("name"):
        s, e = m.span("name")
        label = person_name(g["name"])
    else:
        s, e = m.span("person")
        label = g["person"]
        # "a spokesman for May", "May's spokesman": whose spokesman is who the reader needs
        # (named by .names as the text names them in full: "spokesman for Theresa May").
        owner = g.get("owner") or role_owner(g.get("trail") or "")
        if owner is None and g.get("verb") and m.start("verb") < s:
            # ('..., said a spokesman for the federal prosecutor's office.': the phrase after it)
            after = re.match(r"[ \t]+for[ \t][^,.;:\"“”\n]{0,80}(?=[,.;:\"“”\n]|$)", scan.text[e:e + 90])
            owner = role_owner(after.group(0)) if after else None
        if owner:
            return Credit(g.get("verb") or cue, f"{label.split()[-1]} for {owner}", "person", s, e) if scan.claim(s, e) else None
        if (g.get("art") or "").lower() == "the":
            # "the judge said": the judge the text named, resolved by .refer.
            return Credit(g.get("verb") or cue, label, "person", s, e, scope="role") if scan.claim(s, e) else None
    return Credit(g.get("verb") or cue, label, "person", s, e) if scan.claim(s, e) else None


# Words that end the name of a thing someone owns ("...'s Morbidity and Mortality Weekly Report").
_OWNED_WORDS = {"report", "weekly", "journal", "review", "magazine", "newsletter", "bulletin", "website", "paper", "study"}
# People who speak for someone else, named by whom they speak for ("Lawyers for the NBC").
_AGENTS = {"spokesman", "spokeswoman", "spokesperson", "spokespeople", "lawyer", "lawyers", "attorney", "attorneys"}


def _role(scan: _Scan, cue: str, m: re.Match[str], g: dict) -> Credit | None:
    s, e = m.span("role")
    if not scan.claim(s, e):
        return None
    role = g["role"]
    # (what "Citing" opens is read from after it: the cue is no modifier)
    mods = ROLE_MODIFIERS.search(scan.text, max(0, s - 80, m.start() + 7 if cue == CITING_CUE else 0), s)
    if mods is not None and mods.start() < s and not any(scan.text[mods.start():s].split()[0] == w for w in _NOT_MODIFIERS):
        # "U.S. military officials", "White House officials": the role with its modifiers.
        s, role = mods.start(), scan.text[mods.start():e]
    return Credit(cue, role, ROLE_NOUNS.get(role.split()[-1].lower(), "person"), s, e)


# Capitalised words that begin a sentence before a role without qualifying it ("Some officials").
_NOT_MODIFIERS = ("Several", "Two", "Three", "Many", "Some", "Other", "Local", "State", "Federal", "City", "County",
                  "The", "But", "And", "Now", "Meanwhile", "However")


def _bare_document(scan: _Scan, cue: str, m: re.Match[str], g: dict) -> Credit | None:
    s, e = m.span("bare")
    scan.take(s, e)
    return Credit(cue, g["bare"], "document", s, e, document=g["bare"], scope="anaphor")


# Which group of a pattern's match says what kind of credit it is, most specific first.
_READERS: tuple[tuple[str, Callable[[_Scan, str, re.Match[str], dict], Credit | None]], ...] = (
    ("pron", _pronoun),
    ("anaph", _anaphor),
    ("anaph2", _jurors),
    ("docsrc", _document_source),
    ("person", _person_by_role),
    ("role", _role),
    ("bare", _bare_document),
)


def _named(scan: _Scan, cue: str, m: re.Match[str], g: dict) -> Credit | None:
    doc = g.get("doc") or g.get("doc2") or g.get("doc3")
    s, e = m.span("name")
    raw = g["name"]
    if not doc and re.search(r"['’]s?$", raw):
        # "Russia's alleged role": a possessive before an adjective, not a speaker.
        return None
    name = clean_name(raw, scan.text[e:e + 40] if not doc else "")
    if not name:
        return None
    if _DATELINE.match(scan.text, s + len(raw), s + len(raw) + 20) and raw.isupper():
        # "MOSCOW, February 9 /TASS/. Russia is ready ..., the envoy said": where the story
        # was filed, not who speaks.
        return None
    if title_only(name) or name.split()[-1] in _SUBJECT_PRONOUNS:
        # ("READ MORE: Circle of Poison He highlighted how": a heading glued to a sentence whose
        # subject is the pronoun, left to the pronoun's pattern)
        return None
    s = s + max(raw.find(name), 0)
    e = s + len(name)
    if not g.get("art") and not doc and re.search(r"(?<![.!?\"“])[ \t][A-Z][\w’'\-]*[a-z][ \t]+(?:(?:of|for|and)[ \t]+)?$", scan.text[max(0, m.start("name") - 40):m.start("name")]):
        # "a spokesperson for the Baghdad Operations Command said": a match that begins inside a
        # longer capitalised name (its start refused as a preposition's object) is no speaker.
        return None
    if not _plausible_name(scan, name, s, bool(g.get("art")), doc) or not scan.claim(s, e):
        return None
    owner = re.match(r"(?P<owner>.+?[a-z])['’]s (?=[A-Z])", name)
    if owner and len(owner.group("owner").split()) > 1 and name.split()[-1].lower() in _OWNED_WORDS:
        # "the U.S. Centers for Disease Control and Prevention's Morbidity and Mortality Weekly
        # Report": whose it is, is who is credited (not "Director of Russia's State Historical
        # Museum Alexei Levykin": a name that ends in a person's is that person's).
        name = owner.group("owner")
        e = s + len(name)
    verb = g.get("verb")
    agent = re.fullmatch(r"(?P<role>[A-Z][a-z]+) for (?P<owner>.+)", name)
    if agent and agent.group("role").lower() in _AGENTS:
        # "Lawyers for the NBC argued": the lawyers speak, for the company.
        return Credit(verb if cue == "said" and verb else cue, f"{agent.group('role').lower()} for {agent.group('owner')}", "person", s, e)
    # ("The Amaq news agency, which ..., reported": an outlet by the words after its name)
    kind = "outlet" if g.get("agency") else source_kind(name, doc)
    if (g.get("appositive") is not None or office_holder_speaks(scan.text, s, name)) and kind != "person":
        return None
    titled = re.search(r"['’]s[ \t]+(?P<who>(?:(?:Mr|Mrs|Ms|Miss|Dr)\.?[ \t]+)[A-Z].*)$", name)
    if titled and not doc:
        # "the US Chamber of Commerce's Mr Brilliant": the titled person after the possessive.
        kind = "person"
    if kind == "person":
        # The span is the person's name, not their title: "Sen. Susan Collins" after a quote
        # whose sentence the splitter ended at "Sen." belongs to the sentence that names her.
        person = person_name(name)
        s, name = s + max(name.rfind(person), 0), person
    return Credit(verb if cue == "said" and verb else cue, name, kind, s, e, document=doc)


def _plausible_name(scan: _Scan, name: str, s: int, article: bool, doc: str | None) -> bool:
    if name.split()[0] in NOT_NAMES and not article:
        return False
    if len(name.split()) == 1 and sentence_start(scan.text, s) and not article and not doc and name.lower() not in OUTLET_NAMES:
        # A lone capitalised first word is a name only if the text uses it mid-sentence too, or
        # as the surname of someone it names ("Rep. Will Hurd ... Hurd said").
        return name in scan.capitalised_mid or (name.isupper() and len(name) > 1) or name in scan.surnames
    return True

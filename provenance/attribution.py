"""Who a sentence credits: "according to X", "X said", "told Iran International", a quote's
speaker, "a report by X", "X's investigation", "as first reported by X".

A tested pattern set over the text, not a statistical model. The spaCy pipelines that PyPI
carries (``en-core-web-sm-*``) are third-party re-uploads of the official model, and NER alone
does not say who is *credited*: the cue ("according to", "told", a quote mark) carries that, and
the cues of news attribution are few and regular. Precision and recall on a labelled set:
``scripts/attribution_eval.py``.

Each :class:`Attribution` names the credited source as written, its kind (person, organisation,
outlet, document), the cue and the span of the name in the document's text. :func:`credits_for_claims`
then gives each claim its own credits, or those of a neighbouring sentence that it continues
("The campaign, dubbed ..." after "... according to a POLITICO investigation").
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

__all__ = ["Attribution", "find_attributions", "credits_for_claims", "source_kind"]


@dataclass(frozen=True)
class Attribution:
    cue: str                 # "according to", "said", "told", "interview", "report by", "footnote", "url", ...
    name: str                # the credited source as written (titles and articles trimmed)
    kind: str                # "person" | "organisation" | "outlet" | "document"
    start: int               # span of the name (or marker / URL) in the document text
    end: int
    document: str | None = None   # "report", "investigation", "news release" when a document is named
    url: str | None = None
    marker: str | None = None     # footnote marker, e.g. "13"
    scope: str = "sentence"       # "sentence", or "previous" / "next" when inherited from a neighbour


# ------------------------------------------------------------------------------ vocabulary

_Q_OPEN = "\"“‘'"
_Q_CLOSE = "\"”’'"
# One capitalised token: a word, an acronym, an initial ("U.S.", "Dr."), a possessive-free name.
_CAP = r"(?:[A-Z][a-z]{0,3}\.(?:[A-Z]\.)*|[A-Z][\w\-’'&]*[\w])"
_CONNECT = r"(?:of|for|and|the|de|del|la|on|at|&)"
_NAME = rf"{_CAP}(?:[ \t]+(?:{_CONNECT}[ \t]+)?{_CAP}){{0,7}}"
_ART = r"(?:(?:the|The|a|A|an|An)[ \t]+)"

_DOC_NOUNS = (
    "news release", "press release", "report", "reports", "investigation", "study", "analysis", "survey",
    "release", "statement", "records", "logs", "data", "documents", "filing", "memo", "review",
    "testimony", "findings", "estimate", "estimates", "figures", "poll", "audit", "complaint",
    "indictment", "lawsuit", "article", "story", "interview", "letter", "paper", "briefing",
    "assessment", "database", "investigations", "reporting",
)
_DOC = r"(?:" + "|".join(re.escape(n) for n in sorted(_DOC_NOUNS, key=len, reverse=True)) + r")"

_SAY_VERBS = (
    "said", "says", "told", "tells", "reported", "reports", "wrote", "writes", "found", "finds",
    "estimated", "estimates", "stated", "states", "added", "noted", "notes", "claimed", "claims",
    "alleged", "alleges", "testified", "announced", "announces", "warned", "warns", "contends",
    "contended", "stressed", "argued", "argues", "explained", "confirmed", "confirms", "concluded",
    "concludes", "acknowledged", "insisted", "revealed", "reveals", "disclosed", "asserted",
    "maintains", "maintained", "observed", "recalled", "believes", "believed",
)
_SAY = r"(?:" + "|".join(_SAY_VERBS) + r")"

# Generic sources named by role, not by name ("according to prosecutors", "officials said").
_ROLE_NOUNS = {
    "prosecutors": "organisation", "officials": "organisation", "authorities": "organisation",
    "police": "organisation", "regulators": "organisation", "investigators": "organisation",
    "experts": "person", "analysts": "person", "researchers": "person", "sources": "person",
    "witnesses": "person", "residents": "person", "scientists": "person", "economists": "person",
    "observers": "person", "critics": "person", "officers": "organisation", "agents": "organisation",
    "specialists": "person", "operators": "organisation", "underwriters": "organisation",
    "others": "person", "organisers": "person", "organizers": "person", "lawmakers": "person",
}
# "the nonprofit", "the report": resolved to the last source of that sort named before.
_ANAPHORS = {
    "nonprofit": "organisation", "company": "organisation", "agency": "organisation",
    "group": "organisation", "organization": "organisation", "organisation": "organisation",
    "department": "organisation", "ministry": "organisation", "government": "organisation",
    "firm": "organisation", "committee": "organisation", "charity": "organisation",
    "newspaper": "outlet", "paper": "outlet", "outlet": "outlet", "magazine": "outlet",
    "report": "document", "release": "document", "study": "document", "investigation": "document",
    "document": "document", "analysis": "document", "statement": "document",
}
_PRONOUNS = {"he", "she", "they", "He", "She", "They"}

_TITLES = {
    "Republican", "Democratic", "Democrat", "Congressman", "Congresswoman", "Senator", "Sen.",
    "Rep.", "Representative", "Dr.", "Mr.", "Mrs.", "Ms.", "Prof.", "Professor", "President",
    "Secretary", "Director", "Chief", "Judge", "Justice", "Governor", "Gov.", "Mayor", "Sheriff",
    "General", "Gen.", "Col.", "Minister", "Ambassador", "Commissioner", "Chairman", "Chairwoman",
    "Agency", "Spokesperson", "Spokesman", "Spokeswoman", "Former", "Then",
}
_PERSON_TITLES = _TITLES - {"Republican", "Democratic", "Democrat", "Agency", "Former", "Then"}

_ORG_WORDS = {
    "department", "agency", "project", "committee", "council", "institute", "university", "bureau",
    "administration", "office", "court", "police", "corps", "company", "inc", "inc.", "corp", "corp.",
    "association", "center", "centre", "forum", "foundation", "commission", "ministry", "service",
    "services", "group", "party", "congress", "senate", "house", "government", "army", "navy",
    "fbi", "dea", "cbp", "cia", "dhs", "doj", "irgc", "un", "nato", "who", "rand", "cato", "cfr",
    "chemical", "associates", "bank", "fund", "board", "authority", "network", "coalition",
    "organization", "organisation", "union", "state", "states", "county", "city", "republic",
    "nations", "watch", "international", "laboratory", "lab", "trust", "alliance", "partners",
}
_OUTLET_WORDS = {
    "news", "post", "times", "journal", "wire", "ledger", "gazette", "herald", "tribune", "reuters",
    "ap", "afp", "politico", "cnn", "fox", "nbc", "cbs", "abc", "bbc", "npr", "msnbc", "bloomberg",
    "axios", "buzz", "weekly", "daily", "magazine", "press", "media", "radio", "tv", "channel",
    "telegraph", "guardian", "economist", "chronicle", "observer", "examiner", "courier", "review",
    "newsweek", "newsnation", "tipsheet", "townhall", "breitbart", "intercept", "sun", "star",
    "mirror", "independent", "atlantic", "hill", "insider", "monitor", "dispatch", "bulletin",
    "broadcasting", "network", "agency", "wsj", "nyt", "opslens", "report", "register", "record",
}
# Words that end a department's name, never part of a person's ("Homeland Security John Kelly").
_NAME_STOP = {"security", "homeland", "defense", "defence", "justice", "treasury", "intelligence",
              "affairs", "energy", "commerce", "labor", "health", "interior", "transportation"}
# Outlets whose name is one of these words alone (an interview with "Iran International").
_OUTLET_NAMES = {"politico", "reuters", "axios", "bloomberg", "cnn", "bbc", "npr", "ap", "afp",
                 "iran international", "newsnation", "tipsheet", "townhall", "breitbart"}


def source_kind(name: str, document: str | None = None) -> str:
    """person / organisation / outlet / document, from the name's words."""
    low = name.lower().removeprefix("the ").strip()
    words = [w.strip(".,'’") for w in low.split()]
    if low in _OUTLET_NAMES or (words and words[-1] in _OUTLET_WORDS and words[-1] not in {"agency", "network", "review", "report", "record"}):
        return "outlet"
    if any(t in _PERSON_TITLES for t in name.split()) and _person_name(name) != name:
        return "person"
    if any(w in _ORG_WORDS for w in words) or (name.isupper() and len(name) > 1 and " " not in name):
        return "organisation"
    caps = [w for w in name.split() if w[:1].isupper()]
    if 1 <= len(caps) <= 4 and len(caps) == len(name.split()):
        return "person"
    return "document" if document else "organisation"


# ------------------------------------------------------------------------------ patterns

_NAMED = rf"(?P<art>{_ART})?(?P<name>{_NAME})(?:['’]s?)?(?:[ \t]+(?P<doc>{_DOC}))?"
# People named by their job ("the mayor said", "a former shift supervisor told ...").
_PERSON_ROLES = "|".join((
    "mayor", "spokesperson", "spokesman", "spokeswoman", "official", "supervisor", "director",
    "manager", "minister", "president", "secretary", "senator", "congressman", "congresswoman",
    "employee", "worker", "engineer", "lawyer", "attorney", "prosecutor", "judge", "sheriff",
    "chief", "inspector", "resident", "witness", "source", "analyst", "expert", "researcher",
    "scientist", "professor", "doctor", "nurse", "teacher", "officer", "agent", "owner",
    "founder", "executive", "chairman", "chairwoman", "governor", "ambassador", "activist",
))
# A relative or participial phrase between a role and its verb ("Two underwriters that cover bulk
# liquid terminals said", "A worker leaving the site at the end of his shift said").
_TRAIL = r"(?P<trail>[ \t]+(?:that|who|contacted|leaving|at|in|from|for|with|on|near|across)[ \t][^,.;\"“”\n]{0,80}?)"
_ROLE = r"(?P<role>" + "|".join(_ROLE_NOUNS) + r")"
_ANAPH = r"(?P<anaph>(?:the|this|that|its|The)[ \t]+(?:" + "|".join(_ANAPHORS) + r"))"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # according to an investigation by X
    ("according to", re.compile(rf"\b[Aa]ccording[ \t]+to[ \t]+{_ART}?(?:[a-z]+[ \t]+)?(?P<doc>{_DOC})[ \t]+(?:by|from|of)[ \t]+(?P<art>{_ART})?(?P<name>{_NAME})")),
    # according to X / according to a X report / according to prosecutors / according to the report
    ("according to", re.compile(rf"\b[Aa]ccording[ \t]+to[ \t]+(?:{_ANAPH}\b|{_ROLE}\b|{_NAMED}|(?P<docart>{_ART})(?P<bare>{_DOC})\b)")),
    # as first reported by X / cited by X / a report by X / an investigation from X
    ("reported by", re.compile(rf"\b(?:first[ \t]+)?(?:reported|cited|published|revealed|obtained|broken)[ \t]+by[ \t]+{_NAMED}")),
    ("report by", re.compile(rf"\b(?P<doc2>{_DOC})[ \t]+(?:by|from)[ \t]+{_NAMED}")),
    # X's investigation
    ("possessive", re.compile(rf"(?<![\w])(?P<art>{_ART})?(?P<name>{_NAME})['’]s?[ \t]+(?:own[ \t]+|latest[ \t]+|new[ \t]+|recent[ \t]+)?(?P<doc>{_DOC})\b")),
    # X published / released a report
    ("published", re.compile(rf"(?<![\w])(?P<art>{_ART})?(?P<name>{_NAME})(?:,[^,\n]{{1,160}},[”\"]?)?[ \t]+(?:published|released|issued)[ \t]+(?:a|an|its|the)[ \t]+(?:\w+[ \t]+)?(?P<doc>{_DOC})\b")),
    # X broke the story
    ("broke the story", re.compile(rf"(?<![\w])(?P<art>{_ART})?(?P<name>{_NAME})[ \t]+(?:first[ \t]+)?broke[ \t]+(?:this|the)[ \t]+(?:story|news)")),
    # the mayor, Ana Ruiz, said / a former shift supervisor, who asked not to be named, said / told
    ("said", re.compile(rf"(?<![\w])(?P<art>[Tt]he|[Aa]n?|[Aa]nother)[ \t]+(?P<person>(?:[a-z][a-z\-]+[ \t]+){{0,3}}(?:{_PERSON_ROLES}))(?:,[ \t]+(?P<name>{_NAME}),|,[^,\n{_Q_OPEN}{_Q_CLOSE}]{{1,160}},|{_TRAIL})?[ \t]+(?:also[ \t]+|later[ \t]+)?(?P<verb>{_SAY})\b")),
    # "...," said X  /  "...," says X
    ("said", re.compile(rf"[,.!?][{_Q_CLOSE}][ \t]*(?P<verb>said|says|added|asked|wrote)[ \t]+(?!(?:he|she|they)\b)(?:{_ROLE}\b|{_NAMED})")),
    # X said / X told Y / X, a ..., said / X who ..., stressed
    ("said", re.compile(rf"(?<![\w])(?P<art>{_ART})?(?P<name>{_NAME})(?:,[^,\n{_Q_OPEN}{_Q_CLOSE}]{{1,160}},|[ \t]+who[ \t][^.;\n{_Q_OPEN}{_Q_CLOSE}]{{1,160}}?,)?[ \t]+(?:also[ \t]+|then[ \t]+|later[ \t]+|previously[ \t]+|has[ \t]+|have[ \t]+|had[ \t]+)?(?P<verb>{_SAY})\b")),
    ("said", re.compile(rf"(?<![\w])(?P<art>[Tt]he[ \t]+)?(?:(?:[Ss]everal|[Tt]wo|[Tt]hree|[Mm]any|[Ss]ome|[Oo]ther|[Ll]ocal|[Ss]tate|[Ff]ederal|[Cc]ity|[Cc]ounty)[ \t]+)?(?P<role>(?i:{'|'.join(_ROLE_NOUNS)})|(?i:security|industry|military|legal|foreign[ \t]+policy)[ \t]+(?:analysts|experts|officials|specialists))(?:{_TRAIL})?[ \t]+(?:also[ \t]+)?(?P<verb>say|said|told|believe|warn|warned|estimate|estimated|found|reported)\b")),
    # the nonprofit reports / the company said
    ("said", re.compile(rf"(?<![\w]){_ANAPH}[ \t]+(?:later[ \t]+|also[ \t]+|has[ \t]+|had[ \t]+)?(?P<verb>{_SAY}|say|contend|allege|points[ \t]+to)\b")),
    # X show: records and logs as sources ("shift records show")
    ("show", re.compile(rf"(?<![\w])(?P<docsrc>(?:[A-Za-z][a-z\-]+[ \t]+)?(?:logs|records|documents|data|filings|emails|minutes|figures|statistics|tests|files))[ \t]+(?:show|showed|shows|indicate|indicated|reveal|revealed)\b")),
    # , said Bernadette Ruiz-Calloway, a corrosion engineer
    ("said", re.compile(rf",[ \t]+(?P<verb>said|says|added|wrote)[ \t]+(?!(?:he|she|they)\b)(?P<name>{_NAME})")),
    # she said the agency was reviewing (no quotation)
    ("said", re.compile(rf"(?<![\w])(?P<pron>he|she|they|He|She|They)[ \t]+(?:also[ \t]+|later[ \t]+)?(?P<verb>said|told|added|wrote|explained|stressed|warned|noted)\b")),
    # "...," he said.  (speaker named earlier)
    ("said", re.compile(rf"[,.!?…][{_Q_CLOSE}][ \t]*(?P<pron>he|she|they)[ \t]+(?P<verb>said|says|added|told|wrote|explained|stressed|warned)\b")),
    ("said", re.compile(rf"[,.!?…][{_Q_CLOSE}][ \t]*(?P<verb>said|says|added)[ \t]+(?P<pron>he|she|they)\b")),
]

# What each pattern above cannot match without (None: a word nearly every article holds).
# A pattern whose required words are missing is not run at all: for the rarer cues that is most
# of the scan, and the result is the same, since every match contains its required text.
_REQUIRED: list[re.Pattern[str] | None] = [
    re.compile(r"[Aa]ccording[ \t]+to[ \t]"),
    re.compile(r"[Aa]ccording[ \t]+to[ \t]"),
    re.compile(r"(?:reported|cited|published|revealed|obtained|broken)[ \t]+by[ \t]"),
    None,
    re.compile(rf"['’]s?[ \t]+(?:own[ \t]+|latest[ \t]+|new[ \t]+|recent[ \t]+)?{_DOC}\b"),
    re.compile(r"[ \t](?:published|released|issued)[ \t]+(?:a|an|its|the)[ \t]"),
    re.compile(r"[ \t](?:first[ \t]+)?broke[ \t]+(?:this|the)[ \t]+(?:story|news)"),
    None,
    None,
    None,
    None,
    None,
    re.compile(r"(?:logs|records|documents|data|filings|emails|minutes|figures|statistics|tests|files)[ \t]+(?:show|showed|shows|indicate|indicated|reveal|revealed)\b"),
    None,
    None,
    None,
    None,
]
assert len(_REQUIRED) == len(_PATTERNS)

# X told <outlet>: the outlet conducted the interview.
_TOLD = re.compile(rf"\b(?:told|tells|said[ \t]+to|speaking[ \t]+to|in[ \t]+an[ \t]+interview[ \t]+with)[ \t]+{_ART}?(?P<outlet>{_NAME})")
_URL = re.compile(r"https?://[^\s<>\"”’)\]]+[^\s<>\"”’)\].,;:!?]")
_MARKER = re.compile(r"(?<=[\w.,;:!?”\"’)])\[(?P<n>\d{1,3})\]|(?P<sup>[¹²³⁴⁵⁶⁷⁸⁹⁰]+)")
_REF_LINE = re.compile(r"^[ \t]*\[(?P<n>\d{1,3})\][ \t]*(?P<body>.+)$", re.MULTILINE)
_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")

# Capitalised words that start a sentence without naming anyone.
_NOT_NAMES = {
    "It", "This", "That", "These", "Those", "There", "Here", "He", "She", "They", "We", "I", "You",
    "In", "On", "At", "As", "But", "And", "Or", "So", "If", "When", "While", "After", "Before",
    "Since", "Some", "Many", "Most", "Others", "Other", "Both", "Each", "All", "Any", "No", "One",
    "Two", "Three", "Several", "Workers", "Crews", "People", "Neighbors", "Locals", "Anyone",
    "Nobody", "Everyone", "Generally", "Meanwhile", "Further", "Furthermore", "Moreover", "However",
    "Naturally", "Undoubtedly", "Apparently", "Also", "Yet", "Still", "Now", "Then", "Asked",
    "For", "With", "By", "From", "Of", "To", "A", "An", "The", "What", "Who", "Why", "How",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Earlier",
    "Later", "Last", "Next", "Today", "Yesterday", "Officials", "Company", "Maintenance",
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December", "Jan.", "Feb.", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.",
}


def _clean_name(name: str, followed_by: str) -> str:
    """Trim leading titles' party labels, a trailing adjective that belongs to the next noun
    phrase ("Michael Waltz Mexican cartels"), and trailing connectors."""
    tokens = name.split()
    while tokens and tokens[0] in {"Republican", "Democratic", "Democrat", "Former", "Then", "Agency"}:
        tokens.pop(0)
    # "According to Congressman Michael Waltz Mexican cartels have ...": a run that runs into a
    # lowercase noun without punctuation has swallowed the next subject's adjective.
    nxt = followed_by.lstrip()[:1]
    if len(tokens) >= 3 and nxt.islower() and not re.match(rf"[ \t]*(?:{_DOC}|{_SAY})\b", followed_by):
        tokens.pop()
    while tokens and tokens[-1].lower() in {"of", "for", "and", "the", "de", "on", "at", "&"}:
        tokens.pop()
    return " ".join(tokens)


def _person_name(name: str) -> str:
    """"Secretary of Homeland Security John Kelly" -> "John Kelly": the trailing run of
    capitalised words that are neither titles nor organisation words, at most three."""
    keep: list[str] = []
    for t in reversed(name.split()):
        if t in _PERSON_TITLES or t.lower().strip(".") in _ORG_WORDS | _NAME_STOP or not t[:1].isupper() or len(keep) == 3:
            break
        keep.insert(0, t)
    return " ".join(keep) or name


def _sentence_start(text: str, pos: int) -> bool:
    before = text[max(0, pos - 3):pos]
    return pos == 0 or before.endswith("\n") or bool(re.search(r"[.!?][\"”’]?\s+$", before)) or before.strip() in {"", "“", '"'}


def find_attributions(text: str) -> list[Attribution]:
    """Every credit in a document's text, in text order (names resolved where they were
    pronouns or "the report"), plus footnote markers linked to their reference entries and
    inline URLs."""
    found: list[tuple[int, Attribution]] = []   # (cue position, attribution)

    covered = bytearray(len(text) + 1)

    # Spans already credited, as a per-character mask: overlap tests stay O(span length).
    def take(s: int, e: int) -> None:
        covered[s:e] = b"\x01" * (e - s)

    def overlaps(s: int, e: int) -> bool:
        return 1 in covered[s:e]

    capitalised_mid = {m.group(0) for m in re.finditer(r"(?<=[a-z,;] )[A-Z][a-z]+", text)}
    refs = reference_entries(text)
    ref_lines = {(e["line_start"], e["line_end"]) for e in refs.values()}
    ref_sorted = sorted(ref_lines)
    ref_starts = [r[0] for r in ref_sorted]

    def in_reference_list(pos: int) -> bool:
        i = bisect.bisect_right(ref_starts, pos) - 1
        return i >= 0 and pos < ref_sorted[i][1]

    cue_starts: set[int] = set()
    for (cue, pattern), required in zip(_PATTERNS, _REQUIRED):
        if required is not None and not required.search(text):
            continue
        for m in pattern.finditer(text):
            # One cue, one credit: the first (most specific) pattern that read it wins.
            if in_reference_list(m.start()) or m.start() in cue_starts:
                continue
            cue_starts.add(m.start())
            groups = m.groupdict()
            if groups.get("trail") and groups.get("verb") not in {"said", "says", "say", "told", "added", "wrote"}:
                # "a supervisor on the day it is found": only a speech verb reaches past a phrase.
                continue
            doc = groups.get("doc") or groups.get("doc2")
            if groups.get("pron"):
                s, e = m.span("pron")
                if overlaps(s, e):
                    continue
                take(s, e)
                found.append((m.start(), Attribution(cue, groups["pron"], "person", s, e, scope="pronoun")))
                continue
            if groups.get("anaph"):
                s, e = m.span("anaph")
                if overlaps(s, e):
                    continue
                take(s, e)
                noun = groups["anaph"].split()[-1].lower()
                found.append((m.start(), Attribution(cue, groups["anaph"], _ANAPHORS[noun], s, e, document=noun if _ANAPHORS[noun] == "document" else None, scope="anaphor")))
                continue
            if groups.get("docsrc"):
                s, e = m.span("docsrc")
                if overlaps(s, e) or groups["docsrc"].split()[0] in _NOT_NAMES - {"Maintenance"}:
                    continue
                take(s, e)
                found.append((m.start(), Attribution(cue, groups["docsrc"], "document", s, e, document=groups["docsrc"].split()[-1])))
                continue
            if groups.get("person"):
                if groups.get("name"):
                    s, e = m.span("name")
                    label = _person_name(groups["name"])
                else:
                    s, e = m.span("person")
                    label = groups["person"]
                if overlaps(s, e):
                    continue
                take(s, e)
                found.append((m.start(), Attribution(groups.get("verb") or cue, label, "person", s, e)))
                continue
            if groups.get("role"):
                s, e = m.span("role")
                if overlaps(s, e):
                    continue
                take(s, e)
                role = groups["role"]
                found.append((m.start(), Attribution(cue, role, _ROLE_NOUNS.get(role.split()[-1].lower(), "person"), s, e)))
                continue
            if groups.get("bare"):
                s, e = m.span("bare")
                take(s, e)
                found.append((m.start(), Attribution(cue, groups["bare"], "document", s, e, document=groups["bare"], scope="anaphor")))
                continue
            if not groups.get("name"):
                continue
            s, e = m.span("name")
            raw = groups["name"]
            name = _clean_name(raw, text[e:e + 40] if not doc else "")
            if not name:
                continue
            first = name.split()[0]
            shift = raw.find(name)
            s = s + max(shift, 0)
            e = s + len(name)
            if first in _NOT_NAMES and not groups.get("art"):
                continue
            if len(name.split()) == 1 and _sentence_start(text, s) and not groups.get("art") and not doc and name.lower() not in _OUTLET_NAMES:
                # A lone capitalised first word is a name only if the text uses it mid-sentence too.
                if name not in capitalised_mid and not (name.isupper() and len(name) > 1):
                    continue
            if overlaps(s, e):
                continue
            take(s, e)
            verb = groups.get("verb")
            this_cue = verb if cue == "said" and verb else cue
            kind = source_kind(name, doc)
            if kind == "person":
                name = _person_name(name)
            found.append((m.start(), Attribution(this_cue, name, kind, s, e, document=doc)))

    # Interviews: "X told Iran International" credits the speaker (above) and the outlet.
    for m in _TOLD.finditer(text):
        s, e = m.span("outlet")
        outlet = _clean_name(m.group("outlet"), text[e:e + 40])
        if not outlet or outlet.split()[0] in _NOT_NAMES or in_reference_list(m.start()):
            continue
        if source_kind(outlet) != "outlet":
            continue
        e = s + len(outlet)
        found.append((m.start(), Attribution("interview", outlet, "outlet", s, e)))

    # Footnote markers linked to their reference entries.
    for m in _MARKER.finditer(text):
        if in_reference_list(m.start()):
            continue
        n = m.group("n") or m.group("sup").translate(_SUPERSCRIPT)
        entry = refs.get(n)
        if entry is None:
            continue
        found.append((m.start(), Attribution("footnote", entry["name"], "document", m.start(), m.end(), document=entry["title"], url=entry["url"], marker=n)))

    # Inline URLs (not those of reference entries: their markers carry them).
    for m in _URL.finditer(text):
        if in_reference_list(m.start()) or _url_line_of_reference(text, m.start(), ref_lines):
            continue
        found.append((m.start(), Attribution("url", _host(m.group(0)), "document", m.start(), m.end(), url=m.group(0))))

    found.sort(key=lambda x: (x[1].start, x[0]))
    return _resolve(text, [a for _, a in found])


def _url_line_of_reference(text: str, pos: int, ref_lines: set[tuple[int, int]]) -> bool:
    if not ref_lines:
        return False
    line_start = text.rfind("\n", 0, pos) + 1
    prev_end = line_start - 1
    return any(e == prev_end or e == line_start for _, e in ref_lines)


def _host(url: str) -> str:
    m = re.match(r"https?://(?:www\.)?([^/:?#]+)", url)
    return m.group(1) if m else url


def _resolve(text: str, attrs: list[Attribution]) -> list[Attribution]:
    """Pronouns to the last person named before; "the report"/"the nonprofit" to the last
    document / organisation named before; a URL next to a named credit lends it its address."""
    out: list[Attribution] = []
    people_named = [(m.start(), m.group(0)) for m in re.finditer(r"(?<![\w])[A-Z][a-z]+(?:[ \t]+[A-Z][a-z]+){1,2}(?=[ \t]*(?:,|\bsaid|\btold|\bwho))", text)]
    named_starts = [p[0] for p in people_named]
    for a in attrs:
        if a.scope == "pronoun":
            prior = [p for p in out[-200:] if p.kind == "person" and p.start < a.start and p.scope != "pronoun" and p.name[:1].isupper()][-20:]
            if prior:
                # The person mentioned last before the pronoun ("For Cooper, ... " he said), among
                # those already credited, by full name or surname.
                # Ties (two credited names sharing a surname, "Isabel Ettedgui" / "Mrs
                # Ettedgui") go to the one credited last: a set's iteration order decided
                # before, and the result changed with Python's hash seed from run to run.
                best, best_pos = prior[-1].name, prior[-1].start
                for p in dict.fromkeys(x.name for x in reversed(prior)):
                    for form in (p, p.split()[-1]):
                        pos = text.rfind(form, max(0, a.start - 5000), a.start)
                        if pos > best_pos:
                            best, best_pos = p, pos
                out.append(replace(a, name=best, scope="sentence", cue=a.cue))
            else:
                i = bisect.bisect_left(named_starts, a.start)
                named = next((people_named[k][1] for k in range(i - 1, max(-1, i - 50), -1) if source_kind(people_named[k][1]) == "person"), None)
                if named:
                    out.append(replace(a, name=_person_name(named), scope="sentence"))
            continue
        if a.scope == "anaphor":
            want = a.kind
            prior = [
                p for p in out[-200:]
                if p.start < a.start and p.cue not in {"url", "footnote"}
                and (p.document if want == "document" else p.kind == want)
            ]
            if prior:
                p = prior[-1]
                out.append(replace(a, name=p.name, kind=p.kind, document=a.document or p.document, url=p.url, scope="sentence"))
            else:
                out.append(replace(a, scope="sentence"))
            continue
        out.append(a)
    # A URL in the same sentence as a named credit is that credit's address (same line only:
    # a sentence never spans a line break here).
    starts = [a.start for a in out]
    for a in [x for x in out if x.cue == "url"]:
        # Within the URL's line and a sentence's reach of it.
        line_start = max(text.rfind("\n", max(0, a.start - _SENTENCE_REACH), a.start) + 1, a.start - _SENTENCE_REACH)
        line_end = text.find("\n", a.start, a.start + _SENTENCE_REACH)
        line_end = min(len(text), a.start + _SENTENCE_REACH) if line_end < 0 else line_end
        for j in range(bisect.bisect_left(starts, line_start), bisect.bisect_left(starts, line_end)):
            b = out[j]
            if b.url is None and b.cue not in {"url", "footnote"} and _same_sentence(text, a.start, b.start):
                out[j] = replace(b, url=a.url)
    return out


# How far a credit and a URL of the same sentence can lie apart.
_SENTENCE_REACH = 1000


def _same_sentence(text: str, a: int, b: int) -> bool:
    lo, hi = min(a, b), max(a, b)
    between = text[lo:hi]
    return "\n" not in between and not re.search(r"[.!?][\"”’]?\s+[A-Z“\"]", between)


def reference_entries(text: str) -> dict[str, dict]:
    """Reference-list entries ``[13] Author, "Title," Outlet, date,`` with the URL on the same
    or the next line: number -> {name, title, url, line_start, line_end}."""
    out: dict[str, dict] = {}
    for m in _REF_LINE.finditer(text):
        body = m.group("body").strip()
        url_m = _URL.search(body)
        line_end = m.end()
        url = url_m.group(0) if url_m else None
        if url is None:
            nxt = text[m.end() + 1:].split("\n", 1)[0]
            url_n = _URL.match(nxt.strip())
            if url_n:
                url = url_n.group(0)
                line_end = m.end() + 1 + len(nxt)
        title_m = re.search(r"[“\"](?P<t>[^”\"]+?)[,.]?[”\"]", body)
        title = title_m.group("t").strip(" ,.") if title_m else None
        name = None
        if title_m:
            after = body[title_m.end():].lstrip(" ,")
            outlet = re.split(r",|\s\d{4}\b", after, maxsplit=1)[0].strip()
            if outlet and not re.match(r"(?:January|February|March|April|May|June|July|August|September|October|November|December)\b", outlet) and not outlet.startswith("http"):
                name = outlet
            if name is None:
                before = body[:title_m.start()].strip(" ,")
                name = before or None
        if name is None:
            name = re.split(r",", body, maxsplit=1)[0].strip() or _host(url or "")
        out[m.group("n")] = {"name": name, "title": title, "url": url, "line_start": m.start(), "line_end": line_end}
    return out


# ------------------------------------------------------------------------------ per claim

_ANAPHOR_START = re.compile(r"^[\"“]?(?:(?P<pron>He|She|They|It)|This|That|These|Those|Such|The\s+(?P<noun>[a-z]+))\b")


class _QuoteCounts:
    """Quote marks by position, so "is a quotation open here?" costs a bisect, not a rescan of
    the paragraph (a document may be one huge line)."""

    def __init__(self, text: str) -> None:
        self.open = [m.start() for m in re.finditer("“", text)]
        self.close = [m.start() for m in re.finditer("”", text)]
        self.straight = [m.start() for m in re.finditer('"', text)]

    @staticmethod
    def _count(positions: list[int], start: int, end: int) -> int:
        return bisect.bisect_left(positions, end) - bisect.bisect_left(positions, start)

    def opens(self, para_start: int, end: int) -> bool:
        """The text from ``para_start`` to ``end`` leaves a quotation open."""
        curly = self._count(self.open, para_start, end) - self._count(self.close, para_start, end)
        return curly > 0 or self._count(self.straight, para_start, end) % 2 == 1


def credits_for_claims(text: str, spans: Sequence[tuple[int, int]], attrs: Sequence[Attribution] | None = None) -> list[list[Attribution]]:
    """Each claim's credits: those inside its span, else those of the sentence it continues.

    From the next sentence of its paragraph, when this one leaves a quotation open (the speaker
    comes at the quote's end), when the next starts with an anaphor and credits ("That estimate
    is drawn from ..., according to ..."), or when the next credits with a backward-looking cue
    ("X broke this story", a URL). From the previous sentence of its paragraph, when this one is
    a bare quotation or starts with a pronoun; and across a paragraph break when it starts with
    "The <noun>" naming something the previous sentence mentions ("The campaign, dubbed ...").
    """
    if attrs is None:
        attrs = find_attributions(text)
    attrs = sorted(attrs, key=lambda a: a.start)
    starts = [a.start for a in attrs]
    own: list[list[Attribution]] = [attrs[bisect.bisect_left(starts, s):bisect.bisect_left(starts, e)] for s, e in spans]
    out = [list(x) for x in own]
    quotes = _QuoteCounts(text)
    newlines = [m.start() for m in re.finditer("\n", text)]

    def line_start_of(pos: int) -> int:
        i = bisect.bisect_left(newlines, pos)
        return newlines[i - 1] + 1 if i else 0

    def line_end_of(pos: int) -> int:
        i = bisect.bisect_left(newlines, pos)
        return newlines[i] if i < len(newlines) else len(text)
    inheritable = lambda xs: [a for a in xs if a.cue != "footnote"]  # noqa: E731
    # Right to left: a quotation's speaker lends itself to the quotation's earlier sentences.
    for i in range(len(spans) - 2, -1, -1):
        if out[i] or not out[i + 1]:
            continue
        s, e = spans[i]
        ns, ne = spans[i + 1]
        if "\n" in text[e:ns]:
            continue
        para_start = line_start_of(s)
        nxt = text[ns:ne]
        m = _ANAPHOR_START.match(nxt)
        if quotes.opens(para_start, e):
            out[i] = [replace(a, scope="next") for a in inheritable(out[i + 1])]
        elif own[i + 1] and m and re.search(r"\baccording to\b|\bcited\b|\bdrawn from\b|\bbased on\b", nxt):
            out[i] = [replace(a, scope="next") for a in inheritable(own[i + 1])]
        else:
            backward = [a for a in own[i + 1] if a.cue in {"broke the story", "url", "reported by"}]
            if backward:
                out[i] = [replace(a, scope="next") for a in backward]
    # Left to right: continuations of the previous sentence.
    for i in range(1, len(spans)):
        if out[i] or not out[i - 1]:
            continue
        s, e = spans[i]
        ps, pe = spans[i - 1]
        sentence = text[s:e]
        same_para = "\n" not in text[pe:s]
        m = _ANAPHOR_START.match(sentence)
        repeats = bool(m and m.group("noun") and re.search(rf"\b{re.escape(m.group('noun'))}", text[ps:pe], re.IGNORECASE))
        bare_quote = sentence[:1] in _Q_OPEN and sentence.rstrip()[-1:] in _Q_CLOSE
        para_start = line_start_of(s)
        in_quote = same_para and quotes.opens(para_start, s)
        # A paragraph that is only a quotation goes on quoting whoever the paragraph before quoted.
        para_tail = text[s:line_end_of(s)].rstrip()
        quote_para = (not same_para and sentence[:1] in _Q_OPEN and any(c in text[ps:pe] for c in _Q_CLOSE)
                      and para_tail[-1:] in _Q_CLOSE + ".!?")
        demonstrative = bool(m and not m.group("noun") and not m.group("pron"))
        if repeats or quote_para or (same_para and (demonstrative or bare_quote or in_quote)):
            out[i] = [replace(a, scope="previous") for a in inheritable(out[i - 1])]
    return out

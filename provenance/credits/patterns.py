"""The vocabulary and patterns of news attribution: cue verbs, document nouns, titles, roles,
the regular expressions that read "according to X", "X said", "told <outlet>", a quote's
speaker, "a report by X", and how a matched name is trimmed and typed.

A tested pattern set, not a statistical model: the cues of news attribution are few and
regular, and the cue, not a named-entity tag, says who is *credited*. :mod:`.extract` applies
them.
"""

from __future__ import annotations

import functools
import re

from .namewords import FUNCTION_WORDS, without_where_held


# ------------------------------------------------------------------------------ vocabulary

Q_OPEN = "\"“‘'"
Q_CLOSE = "\"”’'"
# One capitalised token: a word, an acronym, an initial ("U.S.", "Dr."), a possessive-free name.
# (A word of two or three letters and a full stop is an abbreviation only when it is one:
# "according to Tu. Jiang Guorong, ..." is two sentences, "Gen. McMaster" one name.)
_ABBREVIATED = r"(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Gen|Sen|Rep|Gov|Col|Lt|Sgt|Mt|Ft|Co|Maj|Adm|Rev|Hon|Det|Cpl|Pvt|Inc|Ltd|Ave|No|Vol|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
_CAP = rf"(?:(?:[A-Z]|{_ABBREVIATED})\.(?:[A-Z]\.)*|[A-Z][\w\-’'&]*[\w])"
_CONNECT = r"(?:of|for|and|the|de|del|la|on|at|&)"
_NAME = rf"{_CAP}(?:[ \t]+(?:(?:of|for|on)[ \t]+(?:the|a|an)[ \t]+|{_CONNECT}[ \t]+)?{_CAP}){{0,7}}"
_ART = r"(?:(?:the|The|a|A|an|An)[ \t]+(?:the[ \t]+)?)"

_DOC_NOUNS = (
    "news release", "press release", "report", "reports", "investigation", "study", "analysis", "survey",
    "release", "statement", "records", "logs", "data", "documents", "filing", "memo", "review",
    "testimony", "findings", "estimate", "estimates", "figures", "poll", "audit", "complaint",
    "indictment", "lawsuit", "article", "story", "interview", "letter", "paper", "briefing",
    "assessment", "database", "investigations", "reporting", "forecasts", "forecast", "projections", "research",
)
_DOC = r"(?:" + "|".join(re.escape(n) for n in sorted(_DOC_NOUNS, key=len, reverse=True)) + r")"

_SAY_VERBS = (
    "said", "says", "told", "tells", "reported", "reports", "wrote", "writes", "found", "finds",
    "estimated", "estimates", "stated", "states", "added", "noted", "notes", "claimed", "claims",
    "alleged", "alleges", "testified", "announced", "announces", "warned", "warns", "contends",
    "contended", "stressed", "argued", "argues", "explained", "confirmed", "confirms", "concluded",
    "concludes", "acknowledged", "insisted", "revealed", "reveals", "disclosed", "asserted",
    "maintains", "maintained", "observed", "recalled", "believes", "believed", "emphasized", "emphasised",
    "tweeted", "responded", "replied", "suggested", "predicted", "cautioned", "conceded", "denied", "joked",
    "described", "describes", "elaborated", "admitted", "admits", "accused", "accuses", "reiterated", "recounted",
    "complained", "remarked", "commented", "declared", "declares", "predicts", "recalls", "urged",
    "pointed[ \t]+out", "points[ \t]+out", "highlighted", "highlights", "concurs", "concurred", "indicated",
)
_SAY = r"(?:" + "|".join(_SAY_VERBS) + r")"
SAY = _SAY  # (the speech verbs, for the modules that read a sentence's own speaker)
NAME = _NAME  # (a capitalised name, for the modules that read cues of their own)
# After a pronoun, verbs that are about as often acts ("he found the door open") are left out.
_PRON_SAY = (r"(?:" + "|".join(v for v in _SAY_VERBS if v not in {"found", "finds", "observed", "believes", "believed", "recalled", "recalls", "urged"})
             + r"|adds|explains|insists|tells)")

# Generic sources named by role, not by name ("according to prosecutors", "officials said").
ROLE_NOUNS = {
    "prosecutors": "organisation", "officials": "organisation", "authorities": "organisation",
    "police": "organisation", "regulators": "organisation", "investigators": "organisation",
    "experts": "person", "analysts": "person", "researchers": "person", "sources": "person",
    "witnesses": "person", "residents": "person", "scientists": "person", "economists": "person",
    "observers": "person", "critics": "person", "officers": "organisation", "agents": "organisation",
    "specialists": "person", "operators": "organisation", "underwriters": "organisation",
    "others": "person", "organisers": "person", "organizers": "person", "lawmakers": "person",
    "eyewitnesses": "person", "diplomats": "person", "activists": "person", "aides": "person",
    "doctors": "person", "medics": "person", "campaigners": "person", "historians": "person",
    "spokespeople": "person", "insiders": "person", "monitors": "organisation", "groups": "organisation",
    "villagers": "person", "survivors": "person", "protesters": "person", "demonstrators": "person",
    "professionals": "person", "backbenchers": "person", "scholars": "person", "supporters": "person", "relatives": "person",
    "media": "outlet",
}
# "the nonprofit", "the report": resolved to the last source of that sort named before.
ANAPHORS = {
    "nonprofit": "organisation", "company": "organisation", "agency": "organisation",
    "group": "organisation", "organization": "organisation", "organisation": "organisation",
    "department": "organisation", "ministry": "organisation", "government": "organisation",
    "firm": "organisation", "committee": "organisation", "charity": "organisation",
    "newspaper": "outlet", "paper": "outlet", "outlet": "outlet", "magazine": "outlet",
    "report": "document", "release": "document", "study": "document", "investigation": "document",
    "document": "document", "analysis": "document", "statement": "document", "court": "organisation",
    "think tank": "organisation", "watchdog": "organisation", "body": "organisation", "institute": "organisation",
    "council": "organisation", "commission": "organisation", "union": "organisation", "survey": "document",
    "broadcaster": "outlet", "network": "outlet", "lender": "organisation", "bank": "organisation",
    "insurer": "organisation", "retailer": "organisation", "airline": "organisation", "club": "organisation",
}
_PRONOUNS = {"he", "she", "they", "He", "She", "They"}

_TITLES = {
    "Republican", "Democratic", "Democrat", "Congressman", "Congresswoman", "Senator", "Sen.",
    "Rep.", "Representative", "Dr.", "Mr.", "Mrs.", "Ms.", "Prof.", "Professor", "President",
    "Secretary", "Director", "Chief", "Judge", "Justice", "Governor", "Gov.", "Mayor", "Sheriff",
    "General", "Gen.", "Col.", "Minister", "Ambassador", "Commissioner", "Chairman", "Chairwoman",
    "Agency", "Spokesperson", "Spokesman", "Spokeswoman", "Former", "Then", "Mr", "Mrs", "Ms", "Miss", "Dr", "Sir",
    "Dame", "Lord", "Lady", "CEO", "Capt.", "Capt", "Captain", "Lt.", "Sgt.", "Det.", "Supt.", "Detective", "Inspector",
    "Superintendent", "Constable", "Rev.", "Reverend", "Bishop", "Archbishop", "Cardinal", "Pope", "King", "Queen",
    "Prince", "Princess", "Sheikh", "Chancellor", "Premier", "Speaker", "Coach", "Author", "Writer", "Novelist",
    "Actor", "Actress", "Comedian", "Singer", "Rapper", "Producer", "Journalist", "Reporter", "Analyst", "Economist",
    "Lawyer", "Attorney", "Activist", "Blogger", "Pathologist", "Leader", "Deputy",
}
_PERSON_TITLES = PERSON_TITLES = _TITLES - {"Republican", "Democratic", "Democrat", "Agency", "Former", "Then"}

# A title ends a name only as a role ("The Tory MP said", "Sorry, Mr. President"): its holder is
# for the reader to work out. (Only titles that are no one's surname, "Steve King", and end no
# body's name, "Office of the Attorney General".)
_ROLE_TITLES = {"President", "Minister", "MP", "MEP", "MSP", "TD", "Premier", "Mayor", "Governor", "Senator", "Ambassador"}


def title_only(name: str) -> bool:
    """The name is a title held by someone ("Tory MP"), not the holder's name."""
    return name.split()[-1].rstrip(".") in _ROLE_TITLES


_ORG_WORDS = {
    "department", "agency", "project", "committee", "council", "institute", "university", "bureau",
    "administration", "office", "court", "police", "corps", "company", "inc", "inc.", "corp", "corp.",
    "association", "center", "centre", "forum", "foundation", "commission", "ministry", "service",
    "services", "group", "party", "congress", "senate", "house", "government", "army", "navy",
    "fbi", "dea", "cbp", "cia", "dhs", "doj", "irgc", "un", "nato", "who", "rand", "cato", "cfr",
    "chemical", "associates", "bank", "fund", "board", "authority", "network", "coalition",
    "organization", "organisation", "union", "state", "states", "county", "city", "republic",
    "nations", "watch", "international", "laboratory", "lab", "trust", "alliance", "partners",
    "command", "forces", "guard", "military", "force", "ministry", "parliament", "assembly", "observatory",
    "partnership", "economics", "treasury", "chancellery", "chamber", "kremlin", "pentagon", "prosecution", "secretariat",
    "cabinet", "consortium", "federation", "society", "club", "league", "ngo", "tank", "institution", "helmets",
    "reserve", "fed", "census", "secretariat", "directorate", "inspectorate", "tribunal", "academy", "college",
    "fire", "rescue",
}
# Nationalities before a person's name ("Ukrainian Pyotr Poroshenko"): no part of it.
NATIONALITIES = _NATIONALITIES = {
    "American", "British", "Russian", "Ukrainian", "Chinese", "French", "German", "Italian", "Spanish", "Syrian",
    "Iranian", "Iraqi", "Israeli", "Palestinian", "Turkish", "Egyptian", "Saudi", "Afghan", "Pakistani", "Indian",
    "Japanese", "Korean", "Mexican", "Canadian", "Australian", "Irish", "Scottish", "Welsh", "Dutch", "Belgian",
    "Swiss", "Austrian", "Polish", "Greek", "Nigerian", "Kenyan", "Libyan", "Lebanese", "Jordanian", "Qatari",
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
              "affairs", "energy", "commerce", "labor", "health", "interior", "transportation", "transport",
              "education", "environment", "finance", "agriculture", "housing", "culture", "tourism", "employment"}
DEPARTMENT_WORDS = _NAME_STOP
# Outlets whose name is one of these words alone (an interview with "Iran International").
OUTLET_NAMES = {"politico", "reuters", "axios", "bloomberg", "cnn", "bbc", "npr", "ap", "afp",
                 "iran international", "newsnation", "tipsheet", "townhall", "breitbart",
                 # broadcasters and agencies known by their initials or one word
                 "espn", "itv", "tmz", "cnbc", "pbs", "cbc", "ctv", "rte", "dw", "rt", "tass", "xinhua", "interfax",
                 "efe", "ansa", "kyodo", "yonhap", "dpa", "aap", "upi", "sky", "abc", "nbc", "cbs", "msnbc", "c-span",
                 "al jazeera", "euronews", "france 24", "ria novosti", "sputnik", "anadolu", "irna", "nhk"}


@functools.lru_cache(maxsize=8192)
def source_kind(name: str, document: str | None = None) -> str:
    """person / organisation / outlet / document, from the name's words."""
    low = name.lower().removeprefix("the ").strip()
    words = [w.strip(".,'’") for w in low.split()]
    if "of" in words[1:] and words[words.index("of") - 1] in _ORG_WORDS:
        # "Office of the Dutch Attorney General", "Department of Justice": the head decides.
        return "organisation"
    if low in OUTLET_NAMES or (words and words[-1] in _OUTLET_WORDS and words[-1] not in {"agency", "network", "review", "report", "record"}):
        return "outlet"
    if any(t in _PERSON_TITLES for t in name.split()) and person_name(name) != name:
        return "person"
    # (not where a possessive follows: "US Chamber of Commerce's Mr Brilliant" is Brilliant)
    m = re.fullmatch(r"(?P<who>[A-Z][\w\-]+(?: [A-Z][\w\-]+){1,2}) of (?:the )?(?!.*['’]s )[A-Z].*", name)
    if m and not any(w.lower() in _ORG_WORDS for w in m.group("who").split()):
        # "Moreau Defarges of IFRI", "Jiang Zhimin of the China Coal Association": a person.
        return "person"
    if any(w in _ORG_WORDS for w in words) or (name.isupper() and len(name) > 1 and " " not in name):
        return "organisation"
    caps = [w for w in name.split() if w[:1].isupper()]
    if 1 <= len(caps) <= 4 and len(caps) == len(name.split()):
        return "person"
    return "document" if document else "organisation"


# ------------------------------------------------------------------------------ patterns

_NAMED = rf"(?P<art>{_ART})?(?:(?:[A-Z][\w.]*[ \t]+)?[A-Z][\w.]*-based[ \t]+)?(?P<name>{_NAME})(?:['’]s?)?(?:[ \t]+(?P<doc>{_DOC}))?"
# People named by their job ("the mayor said", "a former shift supervisor told ...").
_PERSON_ROLES = "|".join((
    "mayor", "spokesperson", "spokesman", "spokeswoman", "official", "supervisor", "director",
    "manager", "minister", "president", "secretary", "senator", "congressman", "congresswoman",
    "employee", "worker", "engineer", "lawyer", "attorney", "prosecutor", "judge", "sheriff",
    "chief", "inspector", "resident", "witness", "source", "analyst", "expert", "researcher",
    "scientist", "professor", "doctor", "nurse", "teacher", "officer", "agent", "owner",
    "founder", "executive", "chairman", "chairwoman", "governor", "ambassador", "activist", "coach",
    "captain", "striker", "player", "midfielder", "defender", "goalkeeper", "economist", "adviser", "advisor",
    "pathologist", "surgeon", "physician", "cardiologist", "author", "editor", "correspondent", "commander",
))
# A relative or participial phrase between a role and its verb ("Two underwriters that cover bulk
# liquid terminals said", "A worker leaving the site at the end of his shift said").
_TRAIL = r"(?P<trail>[ \t]+(?:that|who|contacted|leaving|at|in|from|for|with|on|near|across)[ \t][^,.;\"“”\n]{0,80}?)"
_ROLE = r"(?P<role>" + "|".join(ROLE_NOUNS) + r")"
# What an appositive between a name and its verb may hold: no quotation, no sentence's end
# (a full stop only inside "U.S." or after "St", "Dr"), a possessive's apostrophe.
_APPOSITIVE_CHAR = (r"(?:[^,.\n\"“”‘’']|(?<=\w)['’]|\.(?![ \t]+[A-Z“\"])|(?<=\b[A-Z])\.|(?<=\b[A-Z][a-z])\."
                    r"|(?<=\b[A-Z][a-z][a-z])\.)")
# What may stand before a role noun: "U.S. military officials", "White House officials",
# "senior administration officials" (capitalised words, or adjectives a newsroom uses of them).
_ROLE_MODS = (r"(?:(?:(?:(?:[A-Z]\.){1,3}|(?!(?:Its|Their|His|Her|Our|My|Your|This|That|These|Those|The|An?|Some|Many|Most|Other|Both|All)\b)[A-Z][\w\-]*\w|senior|top|former|local|military|intelligence|administration|government|"
              r"health|election|campaign|party|police|defen[cs]e|security|industry|legal|economic|western|foreign|"
              r"[a-z]+(?:al|ic|ian|ese|ish))[ \t]+){0,3})")
# "officials" or "Officials" (an explicit alternation: a case-insensitive one is much slower)
_ROLE_EITHER_CASE = "(?:" + "|".join(
    f"[{first.upper()}{first}](?:" + "|".join(sorted((n[1:] for n in ROLE_NOUNS if n[0] == first), key=len, reverse=True)) + ")"
    for first in sorted({n[0] for n in ROLE_NOUNS})) + ")"
ROLE_MODIFIERS = re.compile(rf"(?<![\w.\-]){_ROLE_MODS}\Z")
# "the report", "The human rights group", "a think tank" (an indefinite one is named just after)
_LOWER = r"(?!(?:the|a|an|this|that|its|and|or|of|to|in|on|by|for|who|which|as|at|with)\b)[a-z][a-z\-]+"
_MODIFIER = rf"(?:(?:{_LOWER}|[A-Z][\w]*-based)[ \t]+)"  # ("the Edinburgh-based lender")
_ANAPH = (r"(?P<anaph>(?:the|this|that|its|The|This|That|Its|a|an|A|An)[ \t]+" + _MODIFIER + "{0,2}(?:"
          + "|".join(n.replace(" ", r"[ \t]+") for n in sorted(ANAPHORS, key=len, reverse=True)) + r"))")

# A job written before a name at a sentence's start ("Former justice minister Alan Shatter",
# "Apple's chief executive Tim Cook"): no part of the name, which follows.
# (only words that qualify a job between them: "Police arrested worker John Smith and said" is
# the police speaking)
_JOB_BEFORE_NAME = (rf"(?:[A-Z][\w’'\-]*[ \t]+)?(?:(?:former|chief|deputy|senior|junior|acting|assistant|vice|prime|foreign|justice|"
                    rf"finance|defen[cs]e|health|interior|home|education|transport|trade|energy|state|federal|regional|local|top|"
                    rf"lead|head|general|managing|executive|press|police|military|government|party|opposition)[ \t]+){{0,2}}"
                    rf"(?:{_PERSON_ROLES})[ \t]+(?=[A-Z])")

# A finite verb right after a name: the name is a clause's subject ("said Zealandia was ...").
_FINITE_AFTER = r"[\w.\-]*[ \t]+(?:is|was|were|are|had|has|have|would|could|will|should|might|must|can|did|does|do|[a-z]+ed)\b"

# The cue of the pattern whose speaker is its sentence's subject, matched only at the start of
# a sentence that holds its required words (scanning from every capitalised word was most of
# attribution's time).
SUBJECT_SAID = "subject said"

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # according to an investigation by X
    ("according to", re.compile(rf"\b[Aa]ccording[ \t]+to[ \t]+{_ART}?(?:[a-z]+[ \t]+)?(?P<doc>{_DOC})[ \t]+(?:by|from|of|in)[ \t]+(?P<art>{_ART})?(?P<name>{_NAME})")),
    # according to X / according to a X report / according to prosecutors / according to the report
    # ("according to him, ...": the person named before, as "he said")
    ("according to", re.compile(rf"\b[Aa]ccording[ \t]+to[ \t]+(?:(?P<pron>him|her|them)(?=[ \t]*[,.;])|{_ANAPH}\b|{_ROLE_MODS}{_ROLE}\b|{_NAMED}|(?P<docart>{_ART})(?P<bare>{_DOC})\b)")),
    # as first reported by X / cited by X / a report by X / an investigation from X
    ("reported by", re.compile(rf"\b(?:first[ \t]+)?(?:reported|cited|published|revealed|obtained|broken)[ \t]+by[ \t]+{_NAMED}")),
    # (not "contributed to this report from New York City": this report is the article itself)
    # (nor "reporting from the UN headquarters": where a correspondent stands)
    ("report by", re.compile(rf"(?<![Tt]his )\b(?P<doc2>{_DOC})[ \t]+(?:by|(?<!reporting )from)[ \t]+{_NAMED}")),
    # X's investigation
    ("possessive", re.compile(rf"(?<![\w])(?P<art>{_ART})?(?P<name>{_NAME})['’]s?[ \t]+(?:own[ \t]+|latest[ \t]+|new[ \t]+|recent[ \t]+)?(?P<doc>{_DOC})\b")),
    # X published / released a report
    ("published", re.compile(rf"(?<![\w])(?P<art>{_ART})?(?P<name>{_NAME})(?:,[^,\n]{{1,160}},[”\"]?)?[ \t]+(?:published|released|issued)[ \t]+(?:a|an|its|the)[ \t]+(?:\w+[ \t]+)?(?P<doc>{_DOC})\b")),
    # X broke the story
    ("broke the story", re.compile(rf"(?<![\w])(?P<art>{_ART})?(?P<name>{_NAME})[ \t]+(?:first[ \t]+)?broke[ \t]+(?:this|the)[ \t]+(?:story|news)")),
    # the mayor, Ana Ruiz, said / a former shift supervisor, who asked not to be named, said / told
    # ("one official said" among officials: one of them)
    ("said", re.compile(rf"(?<![\w])(?P<art>[Tt]he|[Aa]n?|[Aa]nother|[Oo]ne)[ \t]+(?P<person>(?:(?:[A-Z][\w.\-]*|{_LOWER}|of)[ \t]+){{0,4}}(?:{_PERSON_ROLES}))(?:,[ \t]+(?P<name>{_NAME}),|,[^,\n{Q_OPEN}{Q_CLOSE}]{{1,160}},|{_TRAIL})?[ \t]+(?:also[ \t]+|later[ \t]+)?(?P<verb>{_SAY})\b")),
    # May's spokesman said / Sessions' spokeswoman told
    ("said", re.compile(rf"(?<![\w])(?P<owner>{_NAME})['’]s?[ \t]+(?:(?:official|chief|senior|deputy|former)[ \t]+)?(?P<person>spokesman|spokeswoman|spokesperson|lawyer|lawyers|attorney|attorneys)[ \t]+(?:also[ \t]+|later[ \t]+)?(?P<verb>{_SAY})\b")),
    # "...," said X  /  "...," says X
    ("said", re.compile(rf"[,.!?][{Q_CLOSE}][ \t]*(?P<verb>said|says|added|asked|wrote)[ \t]+(?!(?:he|she|they)\b)(?:{_ROLE}\b|{_NAMED})")),
    # "...," said USGS scientist Patrick Barnard: the person after the job
    ("said", re.compile(rf"[,.!?][{Q_CLOSE}][ \t]*(?P<verb>said|says|added|wrote)[ \t]+(?:{_CAP}[ \t]+){{0,5}}?(?:(?!(?:that|on|in|at|of|to|he|she|they|it|we|and|but|when|after|before|during)\b)[a-z][a-z\-]+[ \t]+){{1,3}}"
                        rf"(?P<name>[A-Z][a-z]+(?:[ \t]+[A-Z]\.)?[ \t]+[A-Z][\w'’\-]+)(?=[ \t]*[.,;]|[ \t]+(?:of|at|from|in|who)\b)")),
    # X said / X told Y / X, a ..., said / X who ..., stressed
    # (an appositive may hold a possessive's apostrophe, "Sessions' spokeswoman", not a quotation;
    # a party and state in brackets may follow the name, "Rep. Tom Cole (R-Okla.) said")
    # (never a name that is a preposition's object: "A news report in France described ...")
    # (nor the principal of "a spokesman for the Taoiseach said")
    ("said", re.compile(rf"(?<![\w])(?<!\bin )(?<!\bfor )(?<!\bfor the )(?<!\bfrom the )(?<!\bof the )(?<!\bat the )(?<!\bwith the )(?<!\bto the )(?<!\bat )(?<!\bon )(?<!\bfrom )(?<!\bwith )(?<!\binto )(?<!\babout )(?<!\bto )(?P<art>{_ART})?(?P<name>{_NAME})(?:[ \t]+\([^()\n]{{1,30}}\)|[ \t]+(?P<agency>news[ \t]+agency))?(?:(?:,(?![ \t]+(?:and|but|or|then)\b){_APPOSITIVE_CHAR}" + r"{1,160}){1,4}" + rf",|[ \t]+who[ \t][^.;\n{Q_OPEN}{Q_CLOSE}]{{1,160}}?,)?(?:[ \t]+in[ \t]+(?:a|an|his|her|its|their)[ \t]+(?:[a-z]+[ \t]+)?(?P<doc3>statement|letter|interview|email|post|tweet|speech|video|filing|report))?[ \t]+(?:(?:has|have|had)[ \t]+)?(?:(?:also|then|later|earlier|previously|always|repeatedly|further|again|recently|separately|publicly|already|once|first|subsequently)[ \t]+)?(?P<verb>{_SAY})\b")),
    # A person named with where they are from ("Nils Jansen from the Bonn Youth Movement told
    # DW"): the person speaks, not the body (first and last name only, so "Officials from the
    # Treasury said" and a place are left to the rules that read roles)
    ("said", re.compile(rf"(?<![\w\-])(?P<name>[A-Z][a-z]+[ \t]+[A-Z][a-z]+(?:-[A-Z][a-z]+)?)[ \t]+(?:from|of|at)[ \t]+the[ \t]+{_CAP}(?:[ \t]+(?:of[ \t]+|for[ \t]+|and[ \t]+)?{_CAP}){{0,5}}[ \t]+(?P<verb>said|says|told|added)\b")),
    # "Ahmad is quoted as saying": the report's quotation names its speaker
    ("said", re.compile(rf"(?<![\w])(?P<name>{_NAME})[ \t]+(?:is|was|were|are)[ \t]+(?P<verb>quoted)[ \t]+as[ \t]+(?:saying|telling)\b")),
    # Sessions held a press conference ..., saying that ...: the sentence's subject speaks
    # (matched only from the start of a sentence that holds the cue: see SUBJECT_SAID)
    # (or "U.S. military officials confirmed the airstrike but said ...")
    (SUBJECT_SAID, re.compile(rf"(?<![\w])(?:{_ANAPH}|(?P<pron>He|She|They)|(?P<role>{_ROLE_MODS}(?i:{'|'.join(ROLE_NOUNS)}))|(?:{_JOB_BEFORE_NAME})?(?P<art>{_ART})?(?P<name>{_NAME}))[ \t]+(?:[a-z][^.;!?\n\"“”]{{0,160}}?)(?:,[ \t]+(?P<part>saying|adding|telling|writing|calling(?=[ \t]+(?:the|it|him|her|them|this|that|his|its|their)\b[^.;!?\n\"“”]{{0,60}}?[ \t]+[\"“])|(?:arguing|insisting|noting|warning|claiming|explaining|stressing|declaring|asserting)(?=[ \t]+that\b|:|[ \t]*[\"“]))|[ \t]+(?:but|and)[ \t]+(?:also[ \t]+|later[ \t]+)?(?P<part2>said|says|told|added|insisted|warned|argued|claimed))\b")),
    # the CDC report found / the McLaren report said: the body or person that wrote it
    ("report by", re.compile(rf"(?<![\w])(?P<art>[Tt]he)[ \t]+(?P<name>{_NAME})[ \t]+(?P<doc>report|study|analysis|survey|investigation|review|audit)[ \t]+(?:also[ \t]+)?(?P<verb>{_SAY}|suggests|shows|showed)\b")),
    # "...," it said: the organisation last credited
    ("said", re.compile(r"(?<![\w])(?P<anaph>it|It)[ \t]+(?:also[ \t]+|later[ \t]+)?(?P<verb>said|says|added|adds|stated|noted|notes|argues|argued|warns|warned|concluded|concludes|estimates|estimated|claims|claimed|contends|predicts|predicted|found|finds)\b")),
    # ("Officials, speaking on condition of anonymity, said": an appositive may stand between)
    # (the role's modifiers, "U.S. military officials", are read back from the noun by
    # ROLE_MODIFIERS: matching them forward from every word was most of attribution's time)
    ("said", re.compile(rf"(?<![\w\-])(?P<role>{_ROLE_EITHER_CASE})(?:{_TRAIL}|,[^,.\n{Q_OPEN}{Q_CLOSE}]{{1,100}},)?[ \t]+(?:also[ \t]+|later[ \t]+|have[ \t]+|had[ \t]+)?(?P<verb>say|said|told|believe|warn|warned|estimate|estimated|found|reported|concluded|noted|added|confirmed|described|accused|insisted|insist|claim|claimed|allege|alleged|argue|argued)\b")),
    # the nonprofit reports / the company said
    # (not the object of a preposition: "Sessions in a statement denied" is Sessions speaking)
    ("said", re.compile(rf"(?<![\w])(?<!in )(?<!of )(?<!to )(?<!on )(?<!by )(?<!at )(?<!for )(?<!with )(?<!from ){_ANAPH}(?:,[^,\n{Q_OPEN}{Q_CLOSE}]{{1,80}},)?[ \t]+(?:later[ \t]+|also[ \t]+|has[ \t]+|had[ \t]+)?(?P<verb>{_SAY}|say|contend|allege|points[ \t]+to|read|reads|recommends|recommended|suggests)\b")),
    # Lewes Crown Court has been told / heard
    ("court", re.compile(rf"(?<![\w])(?:the[ \t]+)?(?P<name>(?:{_CAP}[ \t]+){{0,4}}Court)[ \t]+(?:has[ \t]+been[ \t]+told|was[ \t]+told|heard)\b")),
    # the court was told / heard, jurors heard: the court, as the record of the evidence
    ("court", re.compile(r"(?<![\w])(?P<anaph>(?:the|The)[ \t]+court)[ \t]+(?:was[ \t]+told|has[ \t]+been[ \t]+told|heard)\b|(?<![\w])(?:[Jj]urors|[Tt]he[ \t]+jury)[ \t]+(?P<anaph2>heard|were[ \t]+told)\b")),
    # X show: records and logs as sources ("shift records show")
    ("show", re.compile(r"(?<![\w])(?P<docsrc>(?:[A-Za-z][a-z\-]+[ \t]+)?(?:logs|records|documents|data|filings|emails|minutes|figures|statistics|tests|files))[ \t]+(?:show|showed|shows|indicate|indicated|reveal|revealed)\b")),
    # ..., said the report / "...," added the strangely prophetic Barca coach
    ("said", re.compile(rf"(?:,[{Q_CLOSE}]?|[.!?][{Q_CLOSE}])[ \t]*(?P<verb>said|says|added|wrote|explained|noted)[ \t]+(?:{_ANAPH}\b|(?P<art>the|a|an)[ \t]+(?P<person>(?:(?:[A-Z][\w\-]*\w|{_LOWER})[ \t]+){{0,4}}(?:{_PERSON_ROLES}))\b)")),
    # , said Bernadette Ruiz-Calloway, a corrosion engineer
    # (not "The scientists, mostly from GNS Science, said Zealandia was once part of ...": a name
    # that a verb follows is what was said, not who said it; the whole capitalised run is the
    # name, so "said Mr Bercow was" is not read as "said Mr")
    ("said", re.compile(rf",[ \t]+(?P<verb>said|says|added|wrote)[ \t]+(?!(?:he|she|they)\b)(?P<name>{_NAME})(?![\w\-]*[ \t]+[A-Z])(?!{_FINITE_AFTER})")),
    # one of her attorneys, Cheney Mason, said: the name that a role phrase's appositive gives
    # (a person's: "one of the leading enterprises, Beifa Group, says" is the sentence's subject speaking)
    ("said", re.compile(r",[ \t]+(?P<appositive>)(?P<name>[A-Z][\w’'\-]+(?:[ \t]+[A-Z][\w’'\-]+){1,2}),[ \t]+(?P<verb>said|says|told|added|wrote)\b")),
    # she said the agency was reviewing (no quotation)
    ("said", re.compile(rf"(?<![\w])(?P<pron>he|she|they|He|She|They)[ \t]+(?:also[ \t]+|later[ \t]+|then[ \t]+|previously[ \t]+|has[ \t]+|had[ \t]+)?(?P<verb>{_PRON_SAY})\b")),
    # "...," he said.  (speaker named earlier)
    ("said", re.compile(rf"[,.!?…][{Q_CLOSE}][ \t]*(?P<pron>he|she|they)[ \t]+(?P<verb>said|says|added|told|wrote|explained|stressed|warned)\b")),
    ("said", re.compile(rf"[,.!?…][{Q_CLOSE}][ \t]*(?P<verb>said|says|added)[ \t]+(?P<pron>he|she|they)\b")),
    # Labour called the climb-down "shocking": words quoted as the subject's (not "called for")
    # ("with Jeremy Corbyn calling the appointment a "joke"": the absolute phrase's subject speaks)
    ("said", re.compile(rf"(?<![\w])(?<!\bin )(?<!\bof )(?<!\bto )(?<!\bfor )(?<!\bby )(?:(?P<pron>He|She|They)|(?P<art>{_ART})?(?P<name>{_NAME}))"
                        rf"(?:,(?![ \t]+(?:and|but|or|then)\b){_APPOSITIVE_CHAR}{{1,160}},)?[ \t]+(?:(?:has|had|have)[ \t]+)?(?:also[ \t]+)?(?P<verb>called|calls|calling)[ \t]+(?:the|it|him|her|them|this|that|his|its|their)\b"
                        rf"[^.;!?\n{Q_OPEN}{Q_CLOSE}]{{0,60}}?[ \t]+[\"“]")),
]

# What each pattern above cannot match without (None: a word nearly every article holds).
# A pattern whose required words are missing is not run at all: for the rarer cues that is most
# of the scan, and the result is the same, since every match contains its required text.
REQUIRED: list[re.Pattern[str] | None] = [
    re.compile(r"[Aa]ccording[ \t]+to[ \t]"),
    re.compile(r"[Aa]ccording[ \t]+to[ \t]"),
    re.compile(r"(?:reported|cited|published|revealed|obtained|broken)[ \t]+by[ \t]"),
    None,
    re.compile(rf"['’]s?[ \t]+(?:own[ \t]+|latest[ \t]+|new[ \t]+|recent[ \t]+)?{_DOC}\b"),
    re.compile(r"[ \t](?:published|released|issued)[ \t]+(?:a|an|its|the)[ \t]"),
    re.compile(r"[ \t](?:first[ \t]+)?broke[ \t]+(?:this|the)[ \t]+(?:story|news)"),
    None,
    re.compile(r"['’]s?[ \t]+(?:(?:official|chief|senior|deputy|former)[ \t]+)?(?:spokes|lawyer|attorney)"),
    None,
    re.compile(r"[,.!?][\"”’']?[ \t]*(?:said|says|added|wrote)[ \t]"),
    None,
    re.compile(r"[ \t](?:from|of|at)[ \t]+the[ \t]"),
    re.compile(r"[ \t]quoted[ \t]+as[ \t]"),
    re.compile(r",[ \t]+(?:saying|adding|calling|arguing|insisting|noting|warning|claiming|explaining|stressing|telling|writing|declaring|asserting)\b|[ \t](?:but|and)[ \t]+(?:also[ \t]+|later[ \t]+)?(?:said|says|told|added|insisted|warned|argued|claimed)\b"),
    re.compile(r"[ \t](?:report|study|analysis|survey|investigation|review|audit)[ \t]+(?:also[ \t]+)?[a-z]"),
    re.compile(r"(?<![\w])[Ii]t[ \t]+(?:also[ \t]+|later[ \t]+)?(?:said|says|add|stated|note|argue|warn|conclude|estimate|claim|contends|predict|f(?:ou|i)nd)"),
    None,
    None,
    re.compile(r"Court[ \t]+(?:has|was|heard)"),
    re.compile(r"(?:court|[Jj]urors|[Jj]ury)[ \t]+(?:was|has|heard|were)"),
    re.compile(r"(?:logs|records|documents|data|filings|emails|minutes|figures|statistics|tests|files)[ \t]+(?:show|showed|shows|indicate|indicated|reveal|revealed)\b"),
    re.compile(r"[,.!?][\"”’']?[ \t]*(?:said|says|added|wrote|explained|noted)[ \t]+(?:the|this|that|its|a|an)[ \t]"),
    None,
    re.compile(r",[ \t]+(?:said|says|told|added|wrote)\b"),
    None,
    None,
    None,
    re.compile(r"\bcall(?:ed|s|ing)[ \t]+(?:the|it|him|her|them|this|that|his|its|their)\b"),
]
assert len(REQUIRED) == len(PATTERNS)

# Observer groups and eyewitnesses said / the Syrian Observatory for Human Rights and eyewitnesses said
_PARTY = rf"(?:[Tt]he[ \t]+)?(?:{_ROLE_MODS}(?:{'|'.join(ROLE_NOUNS)})\b|{_NAME})"
_COORDINATED_VERBS = r"(?:said|say|told|reported|report|alleged|allege|warned|warn|confirmed|estimated|estimate|stated|argued|argue|claimed|claim|insisted|insist|denied|deny)"
COORDINATED_VERB = re.compile(rf"\b{_COORDINATED_VERBS}\b")
# (not inside a longer name: "Deputy Chairman of the Justice and Development Party ... said";
# the first may carry its initials: "The European Roma Rights Centre (ERRC) and Amnesty said")
COORDINATED = re.compile(rf"(?<![\w])(?<!of )(?<!of the )(?<!for )(?<!for the )(?:[Bb]oth[ \t]+)?(?P<a>{_PARTY})(?:[ \t]+\([A-Z]{{2,8}}\))?[ \t]+and[ \t]+(?P<b>{_PARTY})[ \t]+(?:(?:have|has|had)[ \t]+)?(?:(?:also|both|already|repeatedly|previously)[ \t]+)?(?:(?:have|has|had)[ \t]+)?(?P<verb>{_COORDINATED_VERBS})\b")
# X told <outlet>: the outlet conducted the interview ("told broadcaster ITV", "told Mount
# Pleasant's local paper, The Morning Sun": the word before the name says it is an outlet).
# X said on NBC's "Meet the Press": the outlet that aired it. "Writing in The Sun, he said", "In
# his letter to readers of The Sun": the outlet that published the column (GUIDELINES rule 1).
TOLD = re.compile(rf"\b(?:told|tells|telling|said[ \t]+to|speaking[ \t]+to|[Ww]riting[ \t]+(?:in|for)|(?:[Ii]n)[ \t]+(?:an|a|his|her|their|its)[ \t]+(?:[a-z]+[ \t]+)?(?:letter|column|article|op-ed|piece)[ \t]+(?:to[ \t]+(?:the[ \t]+)?readers[ \t]+of|in|for)|(?:[Ii]n|[Dd]uring)[ \t]+(?:an|a|his|her|their|its)[ \t]+(?:[A-Z][a-z]{{0,3}}\.?[ \t]+\d{{1,2}}[ \t]+|[a-z]+[ \t]+)?interview[ \t]+with|(?:said|says|told|speaking|appearing)(?:[ \t]+[A-Z][a-z]+day)?[ \t]+on)[ \t]+{_ART}?(?:(?:{_CAP}(?:[ \t]+{_CAP})*['’]s?[ \t]+)?(?:[a-z]+[ \t]+)?(?P<medium>broadcaster|newspaper|paper|channel|station|radio|magazine|network|website|tabloid|daily|TV),?[ \t]+{_ART}?)?(?P<outlet>{_NAME})")

# Capitalised words that start a sentence without naming anyone.
NOT_NAMES = {
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
    # A participle or an imperative opens a clause or a site's furniture, never a name
    # ("Speaking on ITV's Peston programme, she said", "Watch the Transport Committee session").
    "Speaking", "Writing", "Talking", "Responding", "Commenting", "Addressing", "Following", "According",
    "Watch", "Read", "Listen", "Click", "See",
}


# A capitalised word that qualifies the next noun rather than ending a name ("Mexican cartels").
_ADJECTIVE = re.compile(r"[A-Z][a-z]+(?:an|ese|ish|ic|i)|Dutch|French|Swiss|Thai|Greek|Irish|Welsh|Scottish|British")


def clean_name(name: str, followed_by: str) -> str:
    """Trim leading titles' party labels, a trailing adjective that belongs to the next noun
    phrase ("Michael Waltz Mexican cartels"), and trailing connectors."""
    # (a name never spans a gap of two spaces: "Drew Angerer / Getty Images  Ma, who ...")
    tokens = re.sub(r"['’]s?$", "", re.split(r"[ \t]{2,}", name)[-1]).split()
    based = [i for i, t in enumerate(tokens) if t.endswith(("-based", "-born"))]
    if based:
        # "New York-based HRW", "Ohio-born Leigh Redemer": where it is based or they were born
        # is no part of the name (nor a name alone).
        tokens = tokens[based[-1] + 1:]
    while tokens and tokens[0] in {"Republican", "Democratic", "Democrat", "Former", "Then", "Agency"} | _OPENERS:
        tokens.pop(0)
        if tokens and tokens[0] == "the":
            # ("Earlier the US Chamber of Commerce's Mr Brilliant told": the run's "the" too)
            tokens.pop(0)
    # "According to Congressman Michael Waltz Mexican cartels have ...": a run that runs into a
    # lowercase noun without punctuation has swallowed the next subject's adjective.
    nxt = followed_by.lstrip()[:1]
    if len(tokens) >= 3 and nxt.islower() and not re.match(rf"[ \t]*(?:{_DOC}|{_SAY})\b", followed_by) and _ADJECTIVE.fullmatch(tokens[-1]):
        tokens.pop()
    while tokens and (tokens[-1].lower() in {"of", "for", "and", "the", "de", "on", "at", "&"} or tokens[-1] in _WHEN_WORDS):
        # "in northwestern Syria Thursday": the day is no part of the name.
        tokens.pop()
    if len(tokens) == 1 and (tokens[0] in NATIONALITIES or re.fullmatch(
            r"[A-Z][a-z]+(?:ian|ese|ish|ean)|Dutch|French|German|American|Mexican|Korean|African|Philippine|Argentine|Filipino|Thai", tokens[0])):
        # "Dutch", "Russian": an adjective of nationality alone names no one.
        return ""
    return " ".join(tokens)


# Words that open a sentence before its subject's name ("But Guy Verhofstadt ... said").
# (and function words, "Although Nunes"; not those that open no credit, "As Unite has stated")
_OPENERS = {"But", "And", "So", "Yet", "Meanwhile", "However", "Now", "Still", "Instead", "Earlier", "Later", "Separately"} \
    | (FUNCTION_WORDS - NOT_NAMES)
_WHEN_WORDS = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Today", "Tonight",
               "January", "February", "March", "April", "June", "July", "August", "September", "October", "November", "December"}


@functools.lru_cache(maxsize=8192)
def person_name(name: str) -> str:
    """"Secretary of Homeland Security John Kelly" -> "John Kelly": the trailing run of
    capitalised words that are neither titles nor organisation words, at most three."""
    # (not where a possessive follows: "US Chamber of Commerce's Mr Brilliant" is Brilliant)
    m = re.fullmatch(r"(?P<who>[A-Z][\w\-]+(?: [A-Z][\w\-]+){1,2}) of (?:the )?(?!.*['’]s )[A-Z].*", name)
    if m and source_kind(m.group("who")) == "person" and not any(t in _PERSON_TITLES for t in m.group("who").split()):
        # "Moreau Defarges of IFRI": the person, not where they work.
        return m.group("who")
    keep: list[str] = []
    for t in reversed(name.split()):
        # (a possessive ends the run: "Labour's Chuka Umunna" is Chuka Umunna)
        if t in _PERSON_TITLES or t.lower().strip(".") in _ORG_WORDS | _NAME_STOP or not t[:1].isupper() or len(keep) == 3 \
                or re.search(r"['’]s?$", t) or t in _NATIONALITIES:
            break
        keep.insert(0, t)
    keep = without_where_held(name.split(), keep, lambda w: w in _PERSON_TITLES or w.lower() in _ORG_WORDS)
    return " ".join(keep) or name


def sentence_start(text: str, pos: int) -> bool:
    before = text[max(0, pos - 3):pos]
    return pos == 0 or before.endswith("\n") or bool(re.search(r"[.!?][\"”’]?\s+$", before)) or before.strip() in {"", "“", '"'}

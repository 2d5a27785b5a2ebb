"""How a claim changed on its way from the origin: figures and units, dates, negation, hedges,
quantifiers and names.

Pure functions over two texts (and, when known, the dates of their documents, so that "on
Monday" can be read as a day). Both texts are first brought to their comparison form
(:func:`provenance.textnorm.normalise`: typographic quotes and dashes folded, footnote markers
dropped), so typography is never a difference; amounts are read as :mod:`provenance.amounts`
reads them ("forty thousand" is 40,000, "two-thirds of" 67 percent). Each difference is a
record ``{"kind", "origin", "member"}`` holding the words as the texts have them.

A paraphrase rewords: "did not notify until" may become "waited before telling" without
changing the claim. So for a paraphrase a negation, a soft hedge ("may") or a name counts only
where it changed in place (the words around it kept, :func:`_local_change`); a figure, a date, a
strong hedge ("reportedly") or a quantifier counts whatever the wording. Words are compared in
their dictionary form (simplemma: "took" and "taking" are "take"), negation by meaning ("failed
to report" negates, "not uncommon" does not), hedges by strength ("may" / "might" is no change).
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache

from .amounts import figure_difference, figure_phrases, fold_spaced_thousands
from .dates import mentioned_dates
from .entities import PARTIES, bare, entities, headline, same_entity, same_kind
from .figures import NEGATIONS
from .textnorm import normalise

__all__ = ["differences", "figure_phrases"]

# Verbs that negate what follows them ("failed to report" is "did not report"); alone they do not
# ("the bank failed").
_NEGATING_BEFORE_TO = {"fail", "fails", "failed", "failing", "refuse", "refuses", "refused", "refusing",
                       "decline", "declines", "declined", "declining"}
# "not uncommon" is common: a negation before an adjective negated by its prefix cancels. Only
# adjectives: "did not unveil" is no double negation.
_PREFIX_NEGATED = re.compile(
    r"^(?:un(?!ique|ivers|ilateral|iform|ifi|ited|ion|it)[a-z]{2,}(?:al|ly|ous|able|ible|ful|ive|ent|ant|ar|mon|own|ue|ear|air|ic)"
    r"|un(?:expected|founded|related|affected|connected|justified|precedented|opposed|noticed|warranted|heard|reported)"
    r"|im(?:possible|probable|plausible)|in(?:significant|considerable|conceivable|frequent|correct|accurate|credible))$")
_STRONG_HEDGES = {"allegedly", "reportedly", "apparently", "purportedly", "supposedly", "ostensibly", "unconfirmed"}
_SOFT_HEDGES = {"may", "might", "could", "possibly", "probably", "likely", "perhaps", "suspected", "appears", "appeared", "seems", "seemed"}
_SAID_TO = re.compile(r"\b(?:is|are|was|were)\s+(?:said|believed|thought)\s+to\b"
                      r"|\b(?:is|are|was|were|stands?|has been|have been|had been)\s+accused\s+of\b", re.IGNORECASE)
_QUANTIFIERS = {"all": "all", "every": "all", "each": "all", "entire": "all", "some": "some", "several": "some",
                "most": "most", "majority": "most", "few": "few", "many": "many", "none": "none"}
_ALMOST = {"nearly", "almost", "virtually", "practically"}


def _words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z]+(?:['-][A-Za-z]+)*|n't|\d[\d,.]*", text.replace("n't", " n't"))


@lru_cache(maxsize=8192)
def _stem(word: str) -> str:
    """The dictionary form of a word ("took" and "taking" are "take"), so that a change in place
    is told from a rewording."""
    import simplemma

    return simplemma.lemmatize(word.lower(), lang="en")


# Words a negation or a hedge brings with it ("did not sign", "will" for "could").
_AUXILIARIES = {"do", "be", "have", "will", "would", "shall", "can", "to"}
# A reporting frame put around the changed words ("has delivered" / "said it did not deliver")
# leaves the claim's own words in place: the verb of saying and its subject pronoun are not part
# of what changed.
_FRAME_WORDS = {"say", "said", "says", "tell", "told", "claim", "state", "add", "it", "he", "she", "they", "we", "that"}
# An in-place change is at most this many words a side; a negation may bring a reporting frame
# with it ("has delivered" / "said it did not deliver"). Wider, reordered lists of names look like
# names replaced in place.
_CHUNK = 4
# A hedge that comes with the change ("did not take" / "allegedly took") is reported as a hedge of
# its own; it does not make the rest of the chunk a rewording.
_HEDGE_WORDS = _STRONG_HEDGES | _SOFT_HEDGES
# Nor does an article ("the Journal of ..." / "Marine Biology Letters", "a link" / "no link").
_ARTICLES = {"the", "a", "an"}
_NEGATION_CHUNK = 6


def _local_change(origin: list[str], member: list[str], marked, limit: int = _CHUNK,
                  count_marked: bool = True, swap: bool = False) -> tuple[str, str] | None:
    """A small in-place change where ``marked`` words appear on one side only: the chunk of a
    word alignment (at most ``limit`` words a side; unless ``count_marked``, a run of marked words,
    a name, counts as one word however many it takes) whose other words are the same up to their
    endings ("delivered" / "did not deliver"), auxiliaries, hedges and articles aside. (origin
    words, member words) or None. With ``swap``, marked words on both sides are a change whatever else
    the chunk rewords: one full name took another's slot, its title with it ("general manager
    Harlan Oduya" / "the board chair Mira Castellane"), where two words at least are kept on each
    side (a single shared word is too weak an anchor for a reworded chunk)."""
    sm = difflib.SequenceMatcher(a=[w.lower() for w in origin], b=[w.lower() for w in member], autojunk=False)
    ops = sm.get_opcodes()
    for k, (tag, i1, i2, j1, j2) in enumerate(ops):
        a, b = origin[i1:i2], member[j1:j2]
        size_a, size_b = (len(a), len(b)) if count_marked else (_size(a, marked), _size(b, marked))
        if tag == "equal" or size_a > limit or size_b > limit:
            continue
        if not _in_place(ops, k, len(origin)):
            continue
        ma, mb = [w for w in a if marked(w)], [w for w in b if marked(w)]
        if bool(ma) == bool(mb) and {w.lower() for w in ma} == {w.lower() for w in mb}:
            continue
        rest_a = {_stem(w) for w in a if not marked(w)} - _AUXILIARIES - _FRAME_WORDS - _HEDGE_WORDS - _ARTICLES
        rest_b = {_stem(w) for w in b if not marked(w)} - _AUXILIARIES - _FRAME_WORDS - _HEDGE_WORDS - _ARTICLES
        if rest_a == rest_b or (tag != "replace") or (swap and _one_full_name(a, marked) and _one_full_name(b, marked)
                                                      and _in_place(ops, k, len(origin), 2)):
            return " ".join(a), " ".join(b)
    return None


def _runs(words: list[str], marked) -> int:
    """How many runs of marked words (names) a chunk holds."""
    return sum(marked(w) and (i == 0 or not marked(words[i - 1])) for i, w in enumerate(words))


def _one_full_name(words: list[str], marked) -> bool:
    """A chunk that holds one name of two words or more: a one-word name may be another name's
    short form ("Britain" / "the UK", "DOJ" / "Justice Department")."""
    return _runs(words, marked) == 1 and sum(map(marked, words)) >= 2


def _size(words: list[str], marked) -> int:
    """A chunk's length with each run of marked words (a name) counted as one word: a list of
    names is as long as it is."""
    return sum(not marked(w) for w in words) + _runs(words, marked)


def _in_place(ops: list[tuple], k: int, length: int, least: int = 1) -> bool:
    """The words on both sides of the ``k``-th change of an alignment are kept, ``least`` words
    a side at least (twice that at a sentence's end)."""
    _, i1, i2, _, _ = ops[k]
    before = ops[k - 1][2] - ops[k - 1][1] if k and ops[k - 1][0] == "equal" else 0
    after = ops[k + 1][2] - ops[k + 1][1] if k + 1 < len(ops) and ops[k + 1][0] == "equal" else 0
    at_edge = i1 == 0 or i2 == length
    return bool((before >= least and after >= least) or (at_edge and before + after >= 2 * least))


def differences(origin: str, member: str, relation: str | None = None,
                origin_published: str | None = None, member_published: str | None = None) -> list[dict]:
    """What the member states differently from the origin (empty when nothing does).

    ``relation`` is the member's relation to the origin: for a ``paraphrase`` a negation, a soft
    hedge or a name counts only where it changed in place. ``origin_published`` and
    ``member_published`` are the documents' dates (ISO 8601): a weekday ("on Monday") is read as
    the day it names in a story of that date."""
    o, m = normalise(fold_spaced_thousands(origin)), normalise(fold_spaced_thousands(member))
    close = relation != "paraphrase"
    out: list[dict] = []
    for check in (figure_difference, _date_difference):
        found = check(o, m, origin_published, member_published)
        if found:
            out.append(found)
    wo, wm = _words(o), _words(m)
    for check in (_negation_difference, _hedge_difference, _quantifier_difference):
        found = check(o, m, wo, wm, close)
        if found:
            out.append(found)
    found = _entity_difference(o, m, wo, wm, close)
    if found:
        out.append(found)
    return out


def _date_difference(o: str, m: str, origin_published: str | None, member_published: str | None) -> dict | None:
    """A date replaced by another: a member date that fits none of the origin's, while an origin
    date fits none of the member's ("June 2023" fits "2023"; "on Monday" in a story of
    Wednesday 21 May fits "May 19")."""
    do, dm = mentioned_dates(o, origin_published), mentioned_dates(m, member_published)
    if not do or not dm:
        return None
    lost = [(d, span) for d, span in do if not any(_fits(d, x) for x, _ in dm)]
    new = [(d, span) for d, span in dm if not any(_fits(d, x) for x, _ in do)]
    if lost and new:
        return {"kind": "date", "origin": "; ".join(o[s:e] for _, (s, e) in lost), "member": "; ".join(m[s:e] for _, (s, e) in new)}
    return None


def _fits(a: tuple, b: tuple) -> bool:
    """Two dates (year, month, day, weekday; None where not said) that can be the same day."""
    return all(x is None or y is None or x == y for x, y in zip(a, b))


def _negation_difference(o: str, m: str, wo: list[str], wm: list[str], close: bool) -> dict | None:
    def neg(w: str) -> bool:
        return w.lower() in NEGATIONS or w.lower() in _NEGATING_BEFORE_TO

    no, nm = _negations(wo), _negations(wm)
    if len(no) % 2 == len(nm) % 2:
        return None
    if close:
        return {"kind": "negation", "origin": ", ".join(no) or None, "member": ", ".join(nm) or None}
    local = _local_change(wo, wm, neg, _NEGATION_CHUNK)
    return {"kind": "negation", "origin": local[0] or None, "member": local[1] or None} if local else None


def _negations(words: list[str]) -> list[str]:
    """The words that negate, a negation before a negated word ("not uncommon") counted twice."""
    out = []
    for i, w in enumerate(words):
        lw = w.lower()
        nxt = words[i + 1].lower() if i + 1 < len(words) else ""
        if lw in NEGATIONS or ((lw in _NEGATING_BEFORE_TO or lw == "unable") and nxt == "to"):
            out.append(w)
            if lw in {"not", "n't", "never"} and _PREFIX_NEGATED.match(nxt):
                out.append(words[i + 1])
    return out


def _hedge_difference(o: str, m: str, wo: list[str], wm: list[str], close: bool) -> dict | None:
    def strong(text: str, words: list[str]) -> set[str]:
        return {w.lower() for w in words if w.lower() in _STRONG_HEDGES} | {x.group(0).lower() for x in _SAID_TO.finditer(text)}

    def soft(w: str) -> bool:
        # "may" the verb, never "May" the month.
        return w in _SOFT_HEDGES

    def hedges(words: list[str]) -> set[str]:
        # "could not confirm" states a failure, as "did not" and "was unable to" do: no doubt.
        return {w for i, w in enumerate(words)
                if soft(w) and not (w == "could" and i + 1 < len(words) and words[i + 1].lower() in ("not", "n't"))}

    # One hedge for another of its strength ("may" / "might", "allegedly" / "is accused of") is
    # the same doubt; a hedge added or taken away is not.
    so, sm = strong(o, wo), strong(m, wm)
    if bool(so) != bool(sm):
        return {"kind": "hedge", "origin": ", ".join(sorted(so - sm)) or None, "member": ", ".join(sorted(sm - so)) or None}
    ho, hm = hedges(wo), hedges(wm)
    if bool(ho) == bool(hm):
        return None
    if close or _local_change(wo, wm, soft) or _stated_plainly(wo if ho else wm, wm if ho else wo, soft):
        return {"kind": "hedge", "origin": ", ".join(sorted(ho - hm)) or None, "member": ", ".join(sorted(hm - ho)) or None}
    return None


# Words between a hedge and the verb it hedges ("likely to be blocked", "may have caused", "might
# also create"; adverbs in -ly too).
_HEDGE_LINKS = {"to", "be", "have", "been", "being", "also", "still", "even", "well", "soon", "yet", "already", "ever"}


def _stated_plainly(hedged: list[str], plain: list[str], soft) -> bool:
    """The verb a hedge governs in one text is stated without a hedge in the other, however the
    sentence was reworded ("is likely to be blocked by the authorities" / "the authorities will
    block"): the doubt was taken away, not said another way. A negated verb ("could not confirm")
    is no hedged claim, and a verb the hedged text also states plainly elsewhere proves nothing."""
    plain_stems = {_stem(w) for w in plain}
    for i, w in enumerate(hedged):
        if not soft(w):
            continue
        j = i + 1
        while j < len(hedged) and (hedged[j].lower() in _HEDGE_LINKS or hedged[j].lower().endswith("ly")):
            j += 1
        if j >= len(hedged) or hedged[j].lower() in NEGATIONS or not (hedged[j].isalpha() and hedged[j].islower()):
            continue
        verb = _stem(hedged[j])
        # The verb stated again, unhedged, in the hedged text itself may be what the other repeats.
        if verb in plain_stems - _AUXILIARIES and sum(_stem(x) == verb for x in hedged) == 1:
            return True
    return False


def _quantifiers(words: list[str]) -> dict[str, str]:
    """Quantifier class -> the word, for quantifiers over a noun ("some 40,000" is an
    approximation, "the most serious" a superlative but "the majority of" most, "a few" is some)."""
    out: dict[str, str] = {}
    for i, w in enumerate(words):
        cls = _QUANTIFIERS.get(w.lower())
        if cls is None:
            continue
        nxt = words[i + 1].lower() if i + 1 < len(words) else ""
        prev = words[i - 1].lower() if i else ""
        if cls == "some" and nxt[:1].isdigit():
            continue
        if w.lower() == "most" and (prev in {"the", "a"} or not (nxt == "of" or nxt.endswith("s"))):
            continue
        if cls == "few" and prev == "a":
            cls = "some"
        if w.lower() == "all" and prev in {"at", "after", "above"}:
            continue
        if cls == "all" and prev in _ALMOST:
            cls = "most"
        out.setdefault(cls, w)
    return out


def _quantifier_difference(o: str, m: str, wo: list[str], wm: list[str], close: bool) -> dict | None:
    qo, qm = _quantifiers(wo), _quantifiers(wm)
    gone, new = qo.keys() - qm.keys(), qm.keys() - qo.keys()
    if gone and new:
        return {"kind": "quantifier", "origin": ", ".join(qo[k] for k in gone), "member": ", ".join(qm[k] for k in new)}
    # "Some experts doubt" -> "Experts doubt": a quantifier taken away in place makes the claim
    # general (not "all": "all 19 buses" are the 19 buses).
    one_side = {qo[k] for k in gone - {"all"}} | {qm[k] for k in new - {"all"}}
    if (gone or new) and not (gone and new) and one_side:
        local = _local_change(wo, wm, lambda w: w in one_side)
        if local is not None:
            return {"kind": "quantifier", "origin": ", ".join(qo[k] for k in gone) or None,
                    "member": ", ".join(qm[k] for k in new) or None}
    return None


def _entity_difference(o: str, m: str, wo: list[str], wm: list[str], close: bool) -> dict | None:
    if headline(o, wo) or headline(m, wm):
        return None
    lower = {w for w in wo + wm if w.islower()}
    eo, em = entities(o, lower), entities(m, lower)
    gone = sorted({e for e in eo if not any(same_entity(e, x) for x in em)})
    new = sorted({e for e in em if not any(same_entity(e, x) for x in eo)})
    if not gone or not new:
        return _name_in_place(wo, wm, eo, em) or _names_exchanged(wo, wm, eo)
    if not close and not same_kind(gone, new):
        # A paraphrase names things its own way; a swap counts where one name took another's place.
        gone_words = {w for e in gone for w in e.split()}
        new_words = {w for e in new for w in e.split()}
        if _local_change(wo, wm, lambda w: bare(w) in gone_words or bare(w) in new_words,
                         count_marked=False, swap=True) is None:
            return None
    return {"kind": "entity", "origin": ", ".join(gone), "member": ", ".join(new)}


# Words that join names into a list or a pairing whose order says nothing ("Smith and Jones",
# "Smith with Jones", "Smith v Jones").
_LIST_WORDS = {"and", "or", "nor", "with", "plus", "v", "vs", "versus", "between", "also", "as", "well", "both", "then"}


def _names_exchanged(wo: list[str], wm: list[str], eo: list[str]) -> dict | None:
    """Two names that trade places around the same words ("Mendez beat Tanabe" / "Tanabe beat
    Mendez"): who did what to whom changed. Names joined only by list words are a list reordered,
    not a change."""
    o, m = [bare(w).lower() for w in wo], [bare(w).lower() for w in wm]
    for x in dict.fromkeys(eo):
        for y in dict.fromkeys(eo):
            if x == y or same_entity(x, y):
                continue
            for mid, (i, j) in _between(o, x.lower().split(), y.lower().split()).items():
                if set(mid) <= _LIST_WORDS:
                    continue
                span = _between(m, y.lower().split(), x.lower().split()).get(mid)
                if span:
                    return {"kind": "entity", "origin": " ".join(wo[i:j]), "member": " ".join(wm[span[0]:span[1]])}
    return None


def _between(words: list[str], a: list[str], b: list[str], gap: int = _CHUNK) -> dict[tuple, tuple[int, int]]:
    """The runs of one to ``gap`` words found between name ``a`` and a following name ``b``, each
    with the span of words from ``a`` to ``b``."""
    out: dict[tuple, tuple[int, int]] = {}
    for i in range(len(words) - len(a) + 1):
        if words[i:i + len(a)] != a:
            continue
        start = i + len(a)
        for j in range(start + 1, min(start + gap, len(words) - len(b)) + 1):
            if words[j:j + len(b)] == b:
                out.setdefault(tuple(words[start:j]), (i, j + len(b)))
    return out


def _name_in_place(wo: list[str], wm: list[str], eo: list[str], em: list[str]) -> dict | None:
    """Names that both texts hold but in each other's places ("Police in Marlow said the suspect
    was from Dunmore" / "Police in Dunmore ... from Marlow"), or a party changed before a name
    ("Republican Representative Tom Ashby" / "Democratic ..."): a name replaced by another where
    the words on both sides of it were kept."""
    def named(words: list[str], names: list[str]) -> list[str]:
        return [n for n in names if any(w in n.split() for w in words)] + [w for w in words if w in PARTIES]

    if eo == em and not PARTIES.intersection(wo + wm):
        return None  # the same names in the same order (the common case, and no alignment needed)
    a, b = [bare(w) for w in wo], [bare(w) for w in wm]
    origin, member = [], []
    ops = difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
    for k, (tag, i1, i2, j1, j2) in enumerate(ops):
        if tag != "replace" or i2 - i1 > _CHUNK or j2 - j1 > _CHUNK or not _in_place(ops, k, len(a)):
            continue
        was, now = named(a[i1:i2], eo), named(b[j1:j2], em)
        if was and now and not any(same_entity(x, y) for x in was for y in now):
            origin += was
            member += now
    if not origin:
        return None
    return {"kind": "entity", "origin": ", ".join(dict.fromkeys(origin)), "member": ", ".join(dict.fromkeys(member))}

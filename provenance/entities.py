"""Names as a claim states them, for telling a name replaced from one said another way.

Pure functions over normalised text (:func:`provenance.textnorm.normalise`): the names of a text,
each taken whole (titles, parties and a sentence's capitalised first word aside), and whether two
of them name the same ("Kestrane" / "Kestrane Motor Coach", "DOJ" / "Department of Justice",
"Russia's Aerospace Force" / "the Russian Aerospace Forces") or two of one kind ("Brightwater
Logistics" / "Redstone Logistics").
"""

from __future__ import annotations

import re

__all__ = ["PARTIES", "bare", "entities", "headline", "same_entity", "same_kind"]

_ENTITY = re.compile(r"(?<![\w'])[A-Z][\w\-']*(?:\s+(?:of\s+|the\s+|de\s+)?[A-Z][\w\-']*)*")
_NOT_ENTITY = set((
    "I A An The This That These Those It He She They We You In On At As But And Or So If When While After "
    "Before Since Some Many Most About More Less Nearly Almost Over Under All Every Each No Not Its Their His Her "
    "Our Also Only Then There Here What Who Which Why How Monday Tuesday Wednesday Thursday Friday Saturday Sunday "
    "January February March April May June July August September October November December Mr Mrs Ms Dr"
).split())
# Titles and parties before a name, never part of it ("Republican Congressman Michael Waltz").
_TITLE_WORDS = set((
    "Republican Democratic Democrat Independent Congressman Congresswoman Senator Sen Rep Representative President "
    "Vice Secretary Director Chief Judge Justice Governor Gov Mayor Sheriff General Gen Col Minister Prime Ambassador "
    "Commissioner Chairman Chairwoman Chair Spokesperson Spokesman Spokeswoman Former Then Dr Mr Mrs Ms Prof Professor "
    "Councillor Councilor Auditor Attorney Inspector Officer Deputy Acting Interim Executive Manager CEO"
).split())
# Parties: never part of a name, but a party changed before a name is a change.
PARTIES = {"Republican", "Democratic", "Democrat", "Independent", "Labour", "Conservative", "Liberal"}
_DEMONYM = re.compile(r"(?:an|ian|ese|ish|i|ic)$")


def entities(text: str, lower_words: set[str] = frozenset()) -> list[str]:
    """Names, each taken whole: the run of capitalised words less the titles and parties before
    it ("Republican Congressman Michael Waltz" is Michael Waltz) and an adjective of nationality
    after it ("Waltz Mexican cartels"), possessives dropped, dotted abbreviations closed up. A
    sentence's capitalised first word alone is a name only when neither text writes it in lower
    case ("Agency engineers" / "the agency")."""
    text = re.sub(r"\b((?:[A-Z]\.){2,})", lambda x: x.group(1).replace(".", ""), text)
    out = []
    for match in _ENTITY.finditer(text):
        words = [re.sub(r"'s?$", "", w) for w in match.group(0).split()]
        if match.start() == 0 or re.search(r"[.!?:\"]\s*$", text[: match.start()]):
            # The first word of a sentence is capitalised whatever it is.
            first = words[0].lower() if words else ""
            if first.split("-")[0] in _COMMON_STARTS or first.endswith("ly") or (len(words) == 1 and first in lower_words):
                words = words[1:]
        while words and (words[0] in _NOT_ENTITY or words[0].rstrip(".") in _TITLE_WORDS or words[0] in {"of", "the"}):
            words = words[1:]
        after = text[match.end():match.end() + 2]
        if words and _DEMONYM.search(words[-1]) and re.match(r"\s[a-z]", after):
            # "Mexican cartels": an adjective of nationality, not a name.
            words = words[:-1]
        while words and words[-1] in {"of", "the", "de"}:
            words = words[:-1]
        if words:
            out.append(" ".join(words))
    return out


# Sentence-initial words that are never names (the rest of a sentence's first run is kept).
_COMMON_STARTS = {w.lower() for w in _NOT_ENTITY} | {
    "according", "after", "although", "despite", "during", "its", "their", "now", "yet", "still", "meanwhile",
    "however", "instead", "today", "yesterday", "last", "next", "earlier", "later", "separately", "officials",
    # Amounts ("Three-quarters of the wells", "Dozens of people").
    "half", "third", "quarter", "two-thirds", "one-third", "three-quarters", "one-quarter", "one", "two", "three",
    "four", "five", "six", "seven", "eight", "nine", "ten", "dozens", "hundreds", "thousands", "millions", "several",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
    "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "a", "an", "dozen", "hundred", "thousand"}


def same_entity(a: str, b: str) -> bool:
    """"Kestrane" and "Kestrane Motor Coach", "Oduya" and "Harlan Oduya", "VRT" and "Vellmore
    Regional Transit" name the same."""
    la, lb = a.lower(), b.lower()
    if la in lb or lb in la:
        return True
    wa, wb = la.split(), lb.split()
    if len(wa) == len(wb) and all(_same_word(x, y) for x, y in zip(wa, wb)):
        return True  # "Russia's Aerospace Force" and "the Russian Aerospace Forces"
    for short, long_ in ((a, b), (b, a)):
        words = [w for w in long_.split() if w[:1].isupper()]
        initials = "".join(w[0] for w in words)
        # "VRT" / "Vellmore Regional Transit", and in another order with "of": "DOJ" / "Justice Department".
        if short.isupper() and len(short) >= 2 and (initials == short or sorted(initials) == sorted(short.replace("O", ""))):
            return True
    return False


def _same_word(a: str, b: str) -> bool:
    """One word of a name in two spellings: plural ("Forces") or adjective ("Russian")."""
    short, long_ = sorted((a, b), key=len)
    return short == long_ or long_ in {short + "s", short + "es", short + "n"}


def headline(text: str, words: list[str]) -> bool:
    """Title Case without a closing full stop: a headline capitalises its words, so its capitals
    name nothing."""
    long_words = [w for w in words if len(w) > 3]
    return (not re.search(r"[.!?][\"'”’)]*\s*$", text) and len(long_words) >= 3
            and sum(w[:1].isupper() for w in long_words) >= 0.6 * len(long_words))


def same_kind(gone: list[str], new: list[str]) -> bool:
    """A name gone and a name new that end in the same word but share no other ("Brightwater
    Logistics" / "Redstone Logistics", "Carla Mendez" / "Ana Mendez"): two of one kind, so the one
    took the other's place however the sentence was reworded."""
    for a in gone:
        for b in new:
            wa, wb = a.split(), b.split()
            if len(wa) >= 2 and len(wb) >= 2 and wa[-1] == wb[-1] and not set(wa[:-1]) & set(wb[:-1]):
                return True
    return False


def bare(word: str) -> str:
    """A word without its possessive ending ("Karimov's" is Karimov)."""
    return re.sub(r"'s?$", "", word)

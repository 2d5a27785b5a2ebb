"""Which words of a capitalised run belong to a name, for every path that builds one
(:func:`.patterns.clean_name` and :func:`.patterns.person_name`, the longer names of
:mod:`.names`, the people a pronoun may refer to in :mod:`.refer`, coordinated speakers in
:mod:`.extract`): a function word that opens the sentence ("Although Nunes maintained"), where a
title is held ("Ambassador to Cyprus Stanislav Osadchy"), a noun of occupation used as a title
("Filmmaker Jason Pollock"), and the name the text defines an acronym by ("... (RUSADA)").

Function words are a closed word class, not a frequency list: English conjunctions,
prepositions, determiners, quantifiers and pronouns are a finite set, and each of them,
capitalised at the start of a run, opens the sentence rather than a name. (A word-frequency list
such as ``wordfreq`` was weighed: it scores "Graham", "May" and "Will" as ordinary words too, so
it cannot tell a surname from an opener without the list below, and its data costs a load.)
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from ..records import Credit

__all__ = ["FUNCTION_WORDS", "defined_acronyms", "drop_function_words", "follows_title", "holder_after_title",
           "without_descriptor", "without_where_held"]

# Capitalised, these open a sentence or clause; none begins a person's or a body's name.
# (Left out: modals and months that are names, "May", "Will"; "Per" and "Till", which are first
# names; "His" and "Her", which begin a style of address, "His Holiness", "Her Majesty".)
FUNCTION_WORDS = frozenset("""
About Above Across After Against Along Although Amid Amidst Among Amongst And Another Any Anyone Anything Around As At
Because Before Behind Below Beneath Beside Besides Between Beyond Both But By Despite During Each Either Every Everyone
Except Few Fewer For From How However If In Inside Instead Into Its Less Lest Many More Most Much My Neither No Nobody Nor
Of Off On Once Onto Or Other Others Our Outside Over Several Since So Some Such Than That The Their These They This Those
Though Through Throughout To Toward Towards Under Unless Unlike Until Upon Was We Were What Whatever When Whenever Where
Whereas Wherever Whether Which While Who Whom Whose Why With Within Without Yet You Your
""".split())


def drop_function_words(words: list[str]) -> list[str]:
    """The run without the function words that open it ("Although Nunes" -> "Nunes"), keeping
    at least its last word."""
    i = 0
    while i < len(words) - 1 and words[i] in FUNCTION_WORDS:
        i += 1
    return words[i:]


# ------------------------------------------------------------------ where a title is held

# Words that join a title to where or what it is held ("Ambassador to Cyprus", "President of
# Belarus", "Minister on Integration and Macroeconomy").
_HELD_AT = {"to", "of", "for", "on", "at", "in", "and"}
# What may stand between a title and the run that ends in its holder's name.
_TITLE_THEN = r"\)?[ \t]+(?:to|of|for|on|at|in)[ \t]+(?:(?:the|and|of|for|[A-Z][\w\-’']*)[ \t]+)*$"


def without_where_held(words: list[str], run: list[str], heads: Callable[[str], bool]) -> list[str]:
    """The holder's name in a run that begins with where the title is held: "Ambassador to
    Cyprus Stanislav Osadchy" -> "Stanislav Osadchy". ``words`` is the whole name, ``run`` its
    trailing capitalised words read as a person's (at most three), ``heads`` says whether a word is
    a title or a body's head word ("Republic of Cyprus Stanislav Osadchy"). A run of three after
    such a connector is read as a place and a two-word name, the commoner of the two readings."""
    if len(run) < 3:
        return run
    before = words[:len(words) - len(run)]
    if before and before[-1] in _HELD_AT and any(heads(w.strip("()")) for w in before[:-1]):
        return run[1:]
    return run


@functools.lru_cache(maxsize=1)
def _title_then() -> re.Pattern[str]:
    from .patterns import PERSON_TITLES  # (late: patterns reads this module's word list)

    # (and a board's "Member" of that rank: "EEC Board Member (Minister) on Integration")
    titles = PERSON_TITLES | {"Member", "MP", "MEP", "Envoy", "Representative", "Commissioner"}
    return re.compile(r"\b(?:" + "|".join(re.escape(t) for t in sorted(titles)) + ")" + _TITLE_THEN)


def follows_title(before: str) -> bool:
    """The text before a run ends with a title and the words of where it is held ("Ambassador to
    the ", "Board Member (Minister) on Integration and "): the run begins with the place."""
    return _title_then().search(before[-80:]) is not None


def holder_after_title(m: re.Match[str]) -> list[Credit]:
    """"Minister on Integration and Macroeconomy Tatiana Valovaya told", read as two parties
    ``a`` and ``b`` who speak (:data:`.patterns.COORDINATED`) after a title: where the title is
    held, then its one holder, who alone is credited."""
    from .patterns import person_name, source_kind

    words = person_name(m.group("b")).split()
    name = " ".join(words[1:] if len(words) == 3 else words)
    s = m.start("b") + m.group("b").rfind(name)
    if len(words) < 2 or source_kind(name) != "person":
        return []
    return [Credit(m.group("verb"), name, "person", s, s + len(name))]


# ------------------------------------------------------------------ a descriptor used as a title

# The endings of nouns of occupation or circumstance ("Filmmaker", "Illustrator", "Artist",
# "Historian", "Protester", "Witness"): checked against the text's own lowercase use, since
# first names end so too ("Peter", "Brian").
_DESCRIPTOR = re.compile(r"[A-Z][a-z]+(?:-[a-z]+)?(?:er|or|ist|ian|ant|ent|ess)s?")


def without_descriptor(words: list[str], text: str) -> list[str]:
    """"Filmmaker Jason Pollock" -> "Jason Pollock": a noun the text also writes in lowercase
    ("the filmmaker"), put before a two-word name as if a title, is no part of the name."""
    if len(words) != 3 or not _DESCRIPTOR.fullmatch(words[0]):
        return words
    low = re.escape(words[0].lower())
    return words[1:] if re.search(rf"(?<![\w\-]){low}(?![\w\-])", text) else words


# ------------------------------------------------------------------ an acronym the text defines

# "the Russian Anti-Doping Agency (RUSADA)": a name of capitalised words (connectors inside) and,
# in brackets, the acronym the text calls it by from then on.
_DEFINED = re.compile(r"(?<![\w\-])((?:[A-Z][\w’'\-]*[ \t](?:(?:of|for|and|on|the)[ \t])*){1,7}[A-Z][\w’'\-]*)[ \t]+\(([A-Z][A-Za-z]{1,6})\)")


def defined_acronyms(text: str) -> dict[str, str]:
    """Each acronym the text defines in brackets after a name, by that name, where the name
    begins with the acronym's letter ("Eurasian Economic Union (EAEU)"; not "German FA (DFB)",
    whose bracket gives another name), and only where the text defines it one way."""
    seen: dict[str, set[str]] = {}
    for m in _DEFINED.finditer(text):
        words = drop_function_words(m.group(1).split())
        # (not a possessive's: "the Foreign Affairs Committee's (FCO) report")
        if len(words) >= 2 and words[0][0] == m.group(2)[0] and m.group(2).isupper() and not re.search(r"['’]s?$", words[-1]):
            seen.setdefault(m.group(2), set()).add(" ".join(words))
    return {acronym: names.pop() for acronym, names in seen.items() if len(names) == 1}

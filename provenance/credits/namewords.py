"""Which words of a capitalised run belong to a name: the run a pattern matches often begins with
a capitalised word that only opens the sentence ("Although Nunes maintained", "More Cypriots
have"), and is read by every path that builds a name (:func:`.patterns.clean_name`, the longer
names of :mod:`.names`, the people of :mod:`.refer`).

A closed word class, not a frequency list: English function words (conjunctions, prepositions,
determiners, quantifiers, pronouns) are a finite set, and every one of them capitalised at the
start of a run opens the sentence rather than a name. (A word-frequency list such as
``wordfreq`` was weighed: it scores "Graham", "May" and "Will" as ordinary words too, so it
cannot tell a surname from an opener without the list below, and its data costs a load.)
"""

from __future__ import annotations

__all__ = ["FUNCTION_WORDS", "drop_function_words"]

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

"""Speech that goes on: "Lavrov went on to say that ...", "The White House official went on to
argue ...", '"...," she continued.' The speaker named (or referred to) before such a verb is the
one who goes on speaking, as much as before "said"; read as the plain speech verb, at the same
offsets, so the cue patterns, the pronoun and role resolution of :mod:`.refer` and the claims'
quotation carrying all apply unchanged. Used by :mod:`.extract`.

"continued" alone is no cue ("prices continued to rise", "the talks continued"): only right
after a quotation's closing mark, as its tag ('...," she continued.', '...," continued Mr Hay,'),
is it the speaker's going on.
"""

from __future__ import annotations

import re

__all__ = ["plain_speech_verbs"]

# "went on to <verb>" / "goes on to <verb>": the plain past / present form the patterns read.
_PAST = {
    "say": "said", "tell": "told", "argue": "argued", "add": "added", "note": "noted", "explain": "explained",
    "claim": "claimed", "insist": "insisted", "describe": "described", "warn": "warned", "suggest": "suggested",
    "state": "stated", "stress": "stressed", "emphasize": "emphasized", "emphasise": "emphasised",
    "accuse": "accused", "reiterate": "reiterated", "write": "wrote", "admit": "admitted", "deny": "denied",
    "predict": "predicted", "acknowledge": "acknowledged", "concede": "conceded", "complain": "complained",
    "declare": "declared", "assert": "asserted", "recall": "recalled", "urge": "urged", "point out": "pointed out",
}
_PRESENT = {"say": "says", "tell": "tells", "argue": "argues", "note": "notes", "explain": "explains", "claim": "claims",
            "warn": "warns", "point out": "points out"}
_GOES_ON = re.compile(r"\b(?P<aux>went|goes)[ \t]+on[ \t]+to[ \t]+(?P<verb>"
                      + "|".join(v.replace(" ", r"[ \t]+") for v in sorted(_PAST, key=len, reverse=True)) + r")\b")
# A quotation's tag: its closing mark after a comma, question or exclamation mark, then the
# speaker (a pronoun, a name or "the <role>") and "continued", or "continued" and the speaker.
_SPEAKER = r"(?:he|she|they|[A-Z][\w.'’\-]*(?:[ \t]+[A-Z][\w.'’\-]*){0,3}|the[ \t]+[a-z]+(?:[ \t]+[a-z]+)?)"
_CONTINUED_TAG = re.compile(rf"[,?!][\"”][ \t]*(?:{_SPEAKER}[ \t]+(?P<after>continued)(?=[ \t]*[.,;:]|[ \t]+(?:on|in|at|to|as)\b)"
                            rf"|(?P<before>continued)(?=[ \t]+{_SPEAKER}\b))")


def plain_speech_verbs(text: str) -> str:
    """``text`` with "went on to say" read as "said" and a quotation's tag verb "continued" as
    "added", each right-aligned in the span it replaces (spaces before it), so every offset
    stays where it was."""
    if "on to" not in text and "continued" not in text:
        return text
    chars = list(text)
    for m in _GOES_ON.finditer(text):
        verb = re.sub(r"[ \t]+", " ", m.group("verb"))
        plain = (_PAST if m.group("aux") == "went" else _PRESENT).get(verb)
        if plain is not None:
            _put(chars, m.start(), m.end(), plain)
    for m in _CONTINUED_TAG.finditer(text):
        group = "after" if m.group("after") else "before"
        _put(chars, m.start(group), m.end(group), "added")
    return "".join(chars)


def _put(chars: list[str], s: int, e: int, word: str) -> None:
    chars[s:e] = list(" " * (e - s - len(word)) + word)

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
_TAG_BEFORE = re.compile(rf"[,?!][\"”][ \t]*{_SPEAKER}[ \t]+$")
_TAG_AFTER = re.compile(r"[ \t]*[.,;:]|[ \t]+(?:on|in|at|to|as)\b")
_MARK_BEFORE = re.compile(r"[,?!][\"”][ \t]*$")
_SPEAKER_AFTER = re.compile(rf"[ \t]+{_SPEAKER}\b")
# (each pattern found from its literal word: a scan from every comma cost a twentieth of attribution)
_CONTINUED = re.compile(r"\bcontinued\b")


def plain_speech_verbs(text: str) -> str:
    """``text`` with "went on to say" read as "said" and a quotation's tag verb "continued" as
    "added", each right-aligned in the span it replaces (spaces before it), so every offset
    stays where it was."""
    goes_on = "went on" in text or "goes on" in text
    if not goes_on and "continued" not in text:
        return text
    edits = []
    for m in _GOES_ON.finditer(text) if goes_on else ():
        verb = re.sub(r"[ \t]+", " ", m.group("verb"))
        plain = (_PAST if m.group("aux") == "went" else _PRESENT).get(verb)
        if plain is not None:
            edits.append((m.start(), m.end(), plain))
    for m in _CONTINUED.finditer(text):
        s, e = m.span()
        before = text[max(0, s - 60):s]
        if (_TAG_BEFORE.search(before) and _TAG_AFTER.match(text, e)) or (_MARK_BEFORE.search(before) and _SPEAKER_AFTER.match(text, e)):
            edits.append((s, e, "added"))
    if not edits:
        return text
    chars = list(text)
    for s, e, word in edits:
        chars[s:e] = list(" " * (e - s - len(word)) + word)
    return "".join(chars)


"""What a report or study is cited for by verbs that only a document's findings take: "The report
blamed ...", "The UN report also highlighted ...", "It lists ..." (after a sentence about the
report). Read as "the report" anaphors, which :mod:`.refer` resolves to the report's author
named in the text (GUIDELINES.md rule 2), or to no one.

Used by :mod:`.extract`.
"""

from __future__ import annotations

import re

from ..records import Credit
from .holders import ScanLike

__all__ = ["finding_credits", "agrees_with_modifier"]

# Verbs a report is cited by that are not speech verbs (those the cue patterns read already).
_FINDING_VERBS = (r"(?:lists|listed|blamed|blames|highlighted|highlights|accused|accuses|urged|urges|details|detailed|"
                  r"documented|documents|describes|described|critici[sz]ed|critici[sz]es|identified|identifies|"
                  r"recommended|calls[ \t]+for|called[ \t]+for|outlines|outlined)")
_DOCS = r"(?:report|study|survey|analysis|review|audit)"
# "The report", "The UN report", "The new report" (a modifier may name its author: kept, for the
# check below), with an aside between it and its verb ("The UN report - published on ... - said").
_FINDING = re.compile(
    rf"(?<![\w])(?P<anaph>[Tt]he[ \t]+(?:(?P<mod>[A-Z][\w.\-]*|new|latest|full|final)[ \t]+)?{_DOCS})"
    rf"(?:[ \t]*(?:-{{1,3}}|—|–)[^.;\n\"“”]{{1,200}}?(?:-{{1,3}}|—|–)[ \t]*|[ \t]+)(?:also[ \t]+)?(?P<verb>{_FINDING_VERBS}|said|says)\b")
_IT_FINDING = re.compile(rf"(?P<it>It)[ \t]+(?:also[ \t]+)?(?P<verb2>{_FINDING_VERBS})\b")
# What "It" opening a sentence follows (checked apart: a pattern that opens with a literal is
# found fast).
_AFTER_SENTENCE = re.compile(r"(?:^|[.!?][\"”]?[ \t])$")
# Where a report is named (the full pattern is tried only around these: scanning every "the"
# of every article with it cost a tenth of attribution's time).
_DOC_WORD = re.compile(rf"(?<=[ \t])(?:{_DOCS})\b")
# How far before the document's noun "The" and its modifier may begin, and after it the verb end.
_BEFORE, _AFTER = 24, 240
# A sentence whose subject is a report, or that cites one ("... ," the report said): what an "It"
# that opens the next sentence stands for.
_ABOUT_REPORT = re.compile(rf"^[ \t]*[\"“]?(?:The|This|Its)[ \t]+(?:[\w\-]+[ \t]+)?{_DOCS}\b"
                           rf"|\b[Tt]he[ \t]+(?:[\w\-]+[ \t]+)?{_DOCS}[ \t]+(?:also[ \t]+)?(?:said|says|found|finds)\b"
                           # (or an "It said" of the same source: "It also said ... It highlighted ...")
                           r"|^[ \t]*It[ \t]+(?:also[ \t]+)?(?:said|says|added|noted|found|warned)\b")
_SENTENCE_END = re.compile(r"[.!?][\"”’]?[ \t]+")


def finding_credits(scan: ScanLike) -> list[tuple[int, Credit]]:
    """(cue position, credit) for a report cited by a findings verb, as an anaphor."""
    found = []
    text = scan.text
    matches = [m for w in _DOC_WORD.finditer(text)
               if (m := _FINDING.search(text, max(0, w.start() - _BEFORE), w.end() + _AFTER)) and m.end("anaph") == w.end()]
    for m in [*{m.span(): m for m in matches}.values(), *_IT_FINDING.finditer(text)]:
        if m.re is _IT_FINDING:
            if not _AFTER_SENTENCE.search(text, max(0, m.start() - 3), m.start()) \
                    or not _ABOUT_REPORT.search(_previous_sentence(text, m.start("it"))):
                continue
            s, e = m.span("it")
            credit = Credit(m.group("verb2"), "It", "organisation", s, e, scope="anaphor")
        else:
            s, e = m.span("anaph")
            noun = m.group("anaph").split()[-1].lower()
            credit = Credit(m.group("verb"), m.group("anaph"), "document", s, e, document=noun, scope="anaphor")
        if scan.claim(s, e):
            found.append((m.start(), credit))
    return found


def _previous_sentence(text: str, pos: int) -> str:
    ends = [m.end() for m in _SENTENCE_END.finditer(text, max(0, pos - 600), pos)]
    if not ends or ends[-1] != pos:
        return ""
    return text[ends[-2] if len(ends) > 1 else max(0, pos - 600):pos]


def agrees_with_modifier(reference: str, name: str) -> bool:
    """A report the text calls by its author ("the UN report", "the CDC report") is only that
    author's: "United Nations" for "UN", not whichever body was credited last."""
    words = reference.split()
    if len(words) < 3 or not words[1][:1].isupper() or words[1].endswith("-based"):
        return True
    mod = words[1].replace(".", "")
    initials = "".join(w[0] for w in name.split() if w[:1].isupper())
    return mod.lower() in name.lower() or initials.startswith(mod) or mod.startswith(initials)

"""Word alignment for the HTML page: each witness of a cluster set against the cluster's origin.

The page shows every witness side by side with the words it shares with the origin, the words it
added or changed, and the origin's words it dropped (struck through). Words are compared on
folded keys (case and surrounding punctuation), so "Leak," matches "leak" but "3.5%" does not
match "35%".
"""

from __future__ import annotations

import difflib
import re

__all__ = ["SAME", "CHANGED", "DROPPED", "align_words", "origin_segments"]

# Segment kinds in the aligned witness texts (kept short: they repeat for every word run).
SAME, CHANGED, DROPPED = 0, 1, 2
_TOKEN = re.compile(r"\S+\s*")
_KEY_STRIP = re.compile(r"[^\w%$€£.,]+|(?<!\d)[.,]|[.,](?!\d)")


def _tokens(text: str) -> tuple[str, list[str], list[str]]:
    """Leading white space, the word tokens (each with its trailing space), and their comparison
    keys (case and surrounding punctuation folded, so "Leak," matches "leak")."""
    lead = text[: len(text) - len(text.lstrip())]
    toks = _TOKEN.findall(text)
    keys = [_KEY_STRIP.sub("", t.lower()) or t.strip().lower() for t in toks]
    return lead, toks, keys


def _merge(segments: list[list]) -> list[list]:
    out: list[list] = []
    for kind, text in segments:
        if not text:
            continue
        if out and out[-1][0] == kind:
            out[-1][1] += text
        else:
            out.append([kind, text])
    return out


def align_words(origin: str, member: str) -> tuple[list[list], set[int]]:
    """Align ``member`` word by word against ``origin`` (difflib on folded word keys).

    Returns the member's text as ``[kind, text]`` segments (``SAME`` words it shares with the
    origin, ``CHANGED`` words it added or replaced, ``DROPPED`` origin words it left out, shown
    struck through) and the indexes of the origin's tokens the member kept.
    """
    _, otoks, okeys = _tokens(origin)
    lead, mtoks, mkeys = _tokens(member)
    matcher = difflib.SequenceMatcher(None, okeys, mkeys, autojunk=False)
    segments: list[list] = [[SAME, lead]] if lead else []
    kept: set[int] = set()
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            kept.update(range(i1, i2))
            segments.append([SAME, "".join(mtoks[j1:j2])])
            continue
        if op in ("delete", "replace"):
            dropped = "".join(otoks[i1:i2]).strip()
            if dropped:
                segments.append([DROPPED, dropped + " "])
        if op in ("insert", "replace"):
            segments.append([CHANGED, "".join(mtoks[j1:j2])])
    return _merge(segments), kept


def origin_segments(origin: str, kept: set[int]) -> list[list]:
    """The origin's own text as segments: a word any witness kept is ``SAME``, one that every
    witness changed or dropped is ``CHANGED``."""
    lead, toks, _ = _tokens(origin)
    segs = [[SAME, lead]] if lead else []
    segs += [[SAME if i in kept else CHANGED, t] for i, t in enumerate(toks)]
    return _merge(segs)

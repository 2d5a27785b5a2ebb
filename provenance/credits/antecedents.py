"""Whom a speech tag's pronoun may not refer to, whoever was named last: a name inside the very
quotation it tags ('"More Cypriots have been visiting," he added.': the speaker of a quotation
is not someone the quotation names). Used by :mod:`.refer`.
"""

from __future__ import annotations

import re

from .marks import opens_quotation

__all__ = ["before_tagged_quotation"]

# A quotation's close just before a tag's pronoun: '...,"', '...?”', '...!"' (then the pronoun).
_CLOSED_BEFORE = re.compile(r"[,?!…][\"”][ \t]*$")
# How far back a quotation's opening mark may be (a lost opening mark opened nothing).
_REACH = 1500


def before_tagged_quotation(text: str, pos: int) -> int:
    """Where the quotation that the pronoun at ``pos`` tags begins, so that only what comes
    before it is searched for the speaker; ``pos`` itself when the pronoun tags none."""
    m = _CLOSED_BEFORE.search(text, max(0, pos - 4), pos)
    if m is None:
        return pos
    close = m.start() + 1
    lo = max(text.rfind("\n", 0, close) + 1, close - _REACH)
    for i in range(close - 1, lo - 1, -1):
        c = text[i]
        if c == "“" or (c == '"' and opens_quotation(text, i)):
            return i
        if c == "”" or c == '"':
            # (another quotation closed in between: the tag's own opening mark was lost)
            return pos
    return pos

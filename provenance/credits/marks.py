"""Quotation marks a feed mis-decoded, as they were before :func:`provenance.textnorm.readable_quotes`
read them: ``"\\ufffd`` after a space opened a quotation ('[I say] "\\ufffdYou are bold.'), and is
read as ``" `` (a mark, then a space), which by its form would close one. Where the raw text says
a mark opened a quotation, :mod:`.claims` takes its word for it, so the sentences after it are
still quoted (and carry their speaker) until the quotation closes.
"""

from __future__ import annotations

import re

__all__ = ["lost_openings", "opens_quotation"]

_OPENING = re.compile('(?:^|(?<=[ \\t\\n(]))"\\ufffd(?![a-z])')


def opens_quotation(text: str, i: int) -> bool:
    """The straight mark at ``i`` faces forward: after a space, a bracket or a dash (or the
    text's start) and before a word, as an opening mark stands."""
    before, after = text[i - 1:i] if i else "", text[i + 1:i + 2]
    return (not before or before.isspace() or before in "([{—–-") and bool(after) and not after.isspace()


def lost_openings(raw: str) -> frozenset[int]:
    """Offsets (the same in the readable text) of the marks that opened a quotation in ``raw``."""
    if "\ufffd" not in raw:
        return frozenset()
    return frozenset(m.start() for m in _OPENING.finditer(raw))

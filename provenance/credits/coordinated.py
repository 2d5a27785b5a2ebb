"""Two sources coordinated before one verb: "Observer groups and eyewitnesses said" credits
each, "The State Administration for Industry and Commerce said" is one body, and "Minister on
Integration and Macroeconomy Tatiana Valovaya told" one speaker. Moved out of :mod:`.extract`
(which calls it first, so that its spans win over the single-name patterns).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Protocol

from ..records import Credit
from .namewords import follows_title, holder_after_title
from .patterns import COORDINATED, COORDINATED_VERB, DEPARTMENT_WORDS, PERSON_TITLES, ROLE_NOUNS, clean_name, person_name, source_kind

__all__ = ["coordinated_credits"]


class ScanLike(Protocol):
    text: str

    def claim(self, s: int, e: int) -> bool: ...

    def in_reference_list(self, pos: int) -> bool: ...


def coordinated_credits(scan: ScanLike, plausible: Callable[[ScanLike, str, int, bool, str | None], bool]) -> list[tuple[int, Credit]]:
    """"Observer groups and eyewitnesses said": each of the two speaks."""
    if " and " not in scan.text:
        return []
    found = []
    for v in COORDINATED_VERB.finditer(scan.text):
        if " and " not in scan.text[max(0, v.start() - 160):v.start()]:
            continue
        # (the match that ends at this verb: another may end at an earlier one in the window)
        m = next((x for x in COORDINATED.finditer(scan.text, max(0, v.start() - 200), v.end()) if x.end() == v.end()), None)
        if m is None or scan.in_reference_list(m.start()):
            continue
        if re.search(r"[ \t](?:for|of)[ \t]", m.group("a")) and m.group("b").lower() in DEPARTMENT_WORDS:
            # "The State Administration for Industry and Commerce said": one body's name.
            continue
        if follows_title(scan.text[max(0, m.start() - 80):m.start()]):
            # ("Minister on Integration and Macroeconomy Tatiana Valovaya told": one speaker)
            found += [(m.start(), c) for c in holder_after_title(m) if scan.claim(c.start, c.end)]
            continue
        parts = []
        for group in ("a", "b"):
            s, e = m.span(group)
            raw = m.group(group)
            art = raw[:4].lower() == "the "
            raw, s = (raw[4:], s + 4) if art else (raw, s)
            last = raw.split()[-1]
            if last.lower() in ROLE_NOUNS:
                parts.append(Credit(m.group("verb"), raw, ROLE_NOUNS[last.lower()], s, e))
                continue
            name = clean_name(raw, "")
            if not name or not plausible(scan, name, s, art, None) or any(t in PERSON_TITLES for t in name.split()):
                # ("Deputy Chairman of the Justice and Development Party Mehmet Mehdi Eker said"
                # is one speaker, whose name ends a longer one.)
                break
            kind = source_kind(name)
            parts.append(Credit(m.group("verb"), person_name(name) if kind == "person" else name, kind, s, s + len(name)))
        if len(parts) == 2 and all(scan.claim(c.start, c.end) for c in parts):
            found += [(m.start(), c) for c in parts]
    return found

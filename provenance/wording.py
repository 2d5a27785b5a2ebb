"""Counts in messages: "1 match", "2 matches", never "1 matches"."""

from __future__ import annotations


def plural(n: int, noun: str, many: str | None = None) -> str:
    """``n`` with ``noun`` in the right number: "1 copy", "3 copies", "0 documents"; ``many``
    gives an irregular plural."""
    if n == 1:
        return f"{n} {noun}"
    if many is None:
        if noun.endswith(("s", "x", "ch", "sh")):
            many = noun + "es"
        elif noun.endswith("y") and noun[-2:-1] not in "aeiou":
            many = noun[:-1] + "ies"
        else:
            many = noun + "s"
    return f"{n} {many}"

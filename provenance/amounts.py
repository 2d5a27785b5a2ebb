"""Amounts as a claim states them, for telling a changed figure from one said another way.

Numbers written as words are read as numbers ("forty thousand" is 40,000, "one and a half
million" 1.5 million), a share said as a fraction as a percentage ("two-thirds of" matches "67
percent"), "96 million dollars" as $96 million, a unit under one name whatever its spelling
("km" / "kilometres"), and a space between groups of three digits ("40 000") as a thousands
separator. Pure functions over normalised text (:func:`provenance.textnorm.normalise`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from .dates import mentioned_dates
from .figures import figures
from .textnorm import normalise

__all__ = ["figure_phrases", "figure_difference", "fold_spaced_thousands"]

_QUALIFIER = r"(?:(?:about|around|roughly|approximately|nearly|almost|more than|less than|fewer than|over|under|up to|at least|some)\s+)?"
_FIGURE = re.compile(
    rf"(?P<q>{_QUALIFIER})(?P<fig>[$€£¥]?\s?\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|[$€£¥]?\s?\d+(?:\.\d+)?)"
    r"(?:\s?(?:thousand|million|billion|trillion|bn|k|m)\b)?(?:\s?(?:%|percent|per cent))?"
    r"(?P<unit>\s+(?!(?:of|to|and|in|on|at|the|a|an|for|from|by|with|that|than|per|or)\b)[a-z][a-z\-]+)?",
    re.IGNORECASE,
)
_VAGUE = re.compile(r"\b(?:(?:tens of |hundreds of )?(?:thousands|hundreds|millions|billions|dozens)|several|many|scores)\s+of\s+[a-z\-]+|\bmillions\b", re.IGNORECASE)
# Amounts said as an order of magnitude ("dozens", "tens of thousands").
_MAGNITUDE = re.compile(r"\b((?:tens of |hundreds of )?(?:dozens|scores|hundreds|thousands|millions|billions))\b", re.IGNORECASE)
# Units whose change changes the amount ("40,000 gallons" is not "40,000 liters"), each spelling
# under one name so that "12 km" and "12 kilometres" are the same amount (a unit is read from a
# word of two letters or more after the number, so "m" and "in" are never units here).
_UNIT_NAMES = {
    "gallon": ("gallon", "gallons"), "liter": ("liter", "liters", "litre", "litres"),
    "barrel": ("barrel", "barrels"), "ton": ("ton", "tons"), "tonne": ("tonne", "tonnes"),
    "pound": ("pound", "pounds", "lb", "lbs"), "kilogram": ("kilogram", "kilograms", "kilo", "kilos", "kg"),
    "gram": ("gram", "grams"), "mile": ("mile", "miles", "mi"),
    "kilometer": ("kilometer", "kilometers", "kilometre", "kilometres", "km"),
    "meter": ("meter", "meters", "metre", "metres"), "centimeter": ("centimeter", "centimeters", "centimetre", "centimetres", "cm"),
    "millimeter": ("millimeter", "millimeters", "millimetre", "millimetres", "mm"), "foot": ("foot", "feet", "ft"),
    "inch": ("inch", "inches"), "yard": ("yard", "yards"), "acre": ("acre", "acres"), "hectare": ("hectare", "hectares", "ha"),
    "percent": ("percent", "%"), "dollar": ("dollar", "dollars"), "euro": ("euro", "euros"),
    "second": ("second", "seconds"), "minute": ("minute", "minutes"), "hour": ("hour", "hours"), "day": ("day", "days"),
    "week": ("week", "weeks"), "month": ("month", "months"), "year": ("year", "years"),
}
_UNITS = {spelling: name for name, spellings in _UNIT_NAMES.items() for spelling in spellings}
# A share said as a fraction ("two-thirds of", "half of") is read as a percentage.
_FRACTION = re.compile(
    r"\b(?:(?P<n>a|one|two|three|four)[\s-]+(?P<f>halves|thirds?|quarters?|fifths?)|(?P<h>half))\s+of\b", re.IGNORECASE)
_FRACTION_VALUE = {"half": 2, "halve": 2, "third": 3, "quarter": 4, "fifth": 5}
_SMALL = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4}
_AND_A_HALF = re.compile(r"\b(?P<n>\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s+and\s+a\s+half\b", re.IGNORECASE)
# A space (no-break or thin, as French and some wire copy write it) between groups of three digits.
_SPACED_THOUSANDS = re.compile(r"(?<=\d)[\u00a0\u2009\u202f](?=\d{3}\b)")
# A plain space does the same in a number of whole groups ("40 000", "1 200 000"): a first group
# of one to three digits, then groups of exactly three, with no other digits, separators or
# decimals touching it ("in 2019 400 people" starts with four digits and stays two numbers).
_PLAIN_SPACED = re.compile(r"(?<![\d,.])\b\d{1,3}(?: \d{3})+\b(?![,.]?\d)")
# ...except after a month ("March 12 500 people" is a day, then a count).
_MONTH_BEFORE = re.compile(r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+$", re.IGNORECASE)
# What the number-word converter must not see: a scale after digits ("96 million": it would read
# "million" alone) and vague plurals ("Thousands of gallons" is no figure).
_PROTECTED = re.compile(r"\d\s?(?:thousand|million|billion|trillion)\b|\b(?:hundreds|thousands|millions|billions|trillions|dozens|tens|scores)\b", re.IGNORECASE)
_CURRENCY_WORD = re.compile(r"(?<![$€£¥\w.])(\d[\d,.]*(?:\s?(?:thousand|million|billion|trillion))?)\s+(?:US\s+)?(dollars|euros)\b", re.IGNORECASE)
_CURRENCY_SIGN = {"dollars": "$", "euros": "€"}

def figure_phrases(text: str) -> list[tuple[str, str]]:
    """(canonical figure, words as written) for each figure of a text that is not part of a
    date: numbers written as words are read as numbers first, "96 million dollars" as $96m."""
    text = normalise(fold_spaced_thousands(text))
    # A share read from a fraction is shown in the words that said it ("Three-quarters").
    said = {_fraction_percent(f).removesuffix(" of"): f.group(0)[:-3].strip() for f in _FRACTION.finditer(text)}
    text = _numeric(text)
    dates = [span for _, span in mentioned_dates(text)]
    out = []
    for m in _FIGURE.finditer(text):
        s = m.start("fig") + len(m.group("fig")) - len(m.group("fig").lstrip())
        if any(ds <= s < de for ds, de in dates):
            continue
        canon = figures(text[s:m.end()])
        if canon:
            phrase = text[m.start():m.end()].strip()
            out.append((canon[0], said.get(phrase, phrase)))
    return out


@lru_cache(maxsize=4096)
def _numeric(text: str) -> str:
    """Number words as digits ("forty thousand" -> 40000), leaving "96 million" as it is (the
    converter would read "million" alone); "N dollars" as "$N", "N euros" as "€N"; "one and a
    half" as 1.5, "a dozen" as 12, "two tonnes" as "2 tonnes" and "two-thirds of" as 66.67% (the
    converter reads "a third" as "a 3rd")."""
    from text_to_num import alpha2digit

    text = _FRACTION.sub(_fraction_percent, _AND_A_HALF.sub(_and_a_half, text))
    text = _DOZEN.sub(_dozen, text)
    text = _SMALL_BEFORE_UNIT.sub(lambda m: f"{_WORD_NUMBERS[m.group(1).lower()]} ", text)
    out, at = [], 0
    for m in _PROTECTED.finditer(text):
        keep = m.start() + 1 if m.group(0)[0].isdigit() else m.start()
        out.append(alpha2digit(text[at:keep], "en") if keep > at else "")
        out.append(text[keep:m.end()])
        at = m.end()
    out.append(alpha2digit(text[at:], "en") if at < len(text) else "")
    return _CURRENCY_WORD.sub(lambda m: _CURRENCY_SIGN[m.group(2).lower()] + m.group(1), "".join(out))


def _fraction_percent(m: re.Match[str]) -> str:
    count = _SMALL.get((m.group("n") or "a").lower(), 1)
    share = 100 * count / _FRACTION_VALUE[(m.group("f") or m.group("h")).lower().rstrip("s")]
    # Four decimals mark a share read from a fraction: it matches the same share rounded.
    return f"{share:.4f}% of"


def _and_a_half(m: re.Match[str]) -> str:
    n = m.group("n")
    whole = int(n) if n.isdigit() else _WORD_NUMBERS[n.lower()]
    return f"{whole}.5"


_WORD_NUMBERS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten".split())}
# "a dozen" is 12 and "half a dozen" 6 (the plural "dozens" is an order of magnitude, not a figure).
_DOZEN = re.compile(r"\b(?:(?P<n>half an?|an?|one|two|three|four|five|six|seven|eight|nine|ten|\d+)\s+)?dozen\b(?!s)", re.IGNORECASE)
# The converter leaves "one" and "two" as words (they are mostly not amounts: "one of them"); before a
# unit of measure they are ("two tonnes"). Not before a unit of time: "one day" is as often a way
# of speaking as a duration.
_TIME_UNITS = {"second", "minute", "hour", "day", "week", "month", "year"}
_SMALL_BEFORE_UNIT = re.compile(r"\b(one|two)\s+(?=(?:" + "|".join(sorted(
    (u for u, name in _UNITS.items() if name not in _TIME_UNITS and u.isalpha()), key=len, reverse=True)) + r")\b)", re.IGNORECASE)


def _dozen(m: re.Match[str]) -> str:
    n = (m.group("n") or "a").lower()
    count = 0.5 if n.startswith("half") else 1 if n in {"a", "an"} else int(n) if n.isdigit() else _WORD_NUMBERS[n]
    return f"{count * 12:g}"


def figure_difference(o: str, m: str, *_dates: str | None) -> dict | None:
    """A figure replaced by another, or by a vague amount ("Thousands of"), or the same number
    in another unit; a figure merely left out of a shorter text is not a change."""
    fo, fm = figure_phrases(o), figure_phrases(m)
    fo = _as_rounded(fo, {c for c, _ in fm})
    fm = _as_rounded(fm, {c for c, _ in fo})
    co, cm = {c for c, _ in fo}, {c for c, _ in fm}
    mo, mm = _numeric(o), _numeric(m)
    vague = [x.group(0) for x in _VAGUE.finditer(mm)] if co - cm and not cm - co else []
    if (co - cm and cm - co) or vague or (cm - co and not co - cm and _VAGUE.search(mo)):
        return {
            "kind": "figure",
            "origin": "; ".join(p for c, p in fo if c not in cm) or None,
            "member": "; ".join(p for c, p in fm if c not in co) or ("; ".join(vague) if vague else None),
        }
    vo, vm = _magnitudes(o), _magnitudes(m)
    if vo.keys() - vm.keys() and vm.keys() - vo.keys():
        # "Dozens of people" is not "Hundreds of people".
        return {"kind": "figure", "origin": "; ".join(vo[k] for k in vo.keys() - vm.keys()),
                "member": "; ".join(vm[k] for k in vm.keys() - vo.keys())}
    units_o, units_m = _units(fo), _units(fm)
    changed = [(units_o[c], units_m[c]) for c in units_o.keys() & units_m.keys() if units_o[c][0] != units_m[c][0]]
    if changed:
        return {"kind": "figure", "origin": "; ".join(a[1] for a, _ in changed), "member": "; ".join(b[1] for _, b in changed)}
    return None


def _magnitudes(text: str) -> dict[str, str]:
    """The orders of magnitude a text gives in words ("dozens", "tens of thousands"), each with
    the words that give it."""
    return {x.group(1).lower(): x.group(0) for x in _MAGNITUDE.finditer(text)}


def _as_rounded(own: list[tuple[str, str]], other: set[str]) -> list[tuple[str, str]]:
    """``own`` with each share read from a fraction (66.6667%) written as the other text rounds it
    (67%), so that "two-thirds" and "67 percent" state one figure."""
    out = []
    for c, phrase in own:
        exact = re.fullmatch(r"(\d+\.\d{4})%", c)
        if exact:
            for x in other:
                shown = re.fullmatch(r"(\d+)(?:\.(\d+))?%", x)
                if shown and round(float(exact.group(1)), len(shown.group(2) or "")) == float(x[:-1]):
                    c = x
        out.append((c, phrase))
    return out


def _units(found: list[tuple[str, str]]) -> dict[str, tuple[str, str]]:
    out = {}
    for canon, phrase in found:
        unit = phrase.split()[-1].lower() if len(phrase.split()) > 1 else ""
        if unit in _UNITS:
            out[canon] = (_UNITS[unit], phrase)
    return out


def fold_spaced_thousands(text: str) -> str:
    """"40\u00a0000" as "40,000": a no-break or thin space between groups of three digits is a
    thousands separator, and so is a plain space inside a number of whole groups ("40 000"; not
    "in 2019 400 people", nor "March 12 500 people")."""
    text = _SPACED_THOUSANDS.sub(",", text)
    return _PLAIN_SPACED.sub(lambda m: m.group(0) if _MONTH_BEFORE.search(text[max(0, m.start() - 12):m.start()])
                             else m.group(0).replace(" ", ","), text)

"""Publication dates as precise as they were given, and the order they can support.

A date is kept as a year, a month, a day or a time, with its UTC offset when one was given
(:func:`date_info`). Two witnesses of a claim are ordered only when their dates say so for
certain (:func:`certainly_before`): two times with offsets are instants; two dates without an
offset ("floating": a day, a month, a time with no zone) are calendar spans of one locale, and a
day ends before the next begins; a floating date against a time with an offset is compared by
calendar day, the time's day read in its own offset (a story stamped 15:10 at UTC-4 on 20 May
came out before a story dated 21 May, and cannot be ordered against one dated 20 May). Anything
less is a tie, never an order.

A time of exactly midnight with no offset, or at UTC, is read as a day: feeds write a date that
way (the 3,788 news articles carry ``2017-02-07T00:00:00``), a story stamped at exactly
00:00:00 is rare, and reading it as a day can only turn an order into a tie, never invent one.

:func:`date_conflict` says when a document's text contradicts its own date: a dateline or a
"Published ..." line near the top naming another day, or a past event "on Tuesday, May 13"
after the date the document carries. Such a date cannot order anything.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

__all__ = [
    "PRECISIONS", "DateInfo", "date_info", "timestamp", "span", "offset_seconds", "certainly_before", "date_conflict",
    "mentioned_dates",
]

PRECISIONS = ("year", "month", "day", "time")

_YEAR = re.compile(r"^(\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_OFFSET = re.compile(r"(Z|[+-]\d{2}:?\d{2})$")


@dataclass(frozen=True)
class DateInfo:
    """How precise a publication date is: ``precision`` one of :data:`PRECISIONS`, ``zone`` the
    UTC offset as written ("+00:00", "-04:00") or None when the date gave none."""

    precision: str
    zone: str | None


def date_info(published: str | None) -> DateInfo | None:
    """The precision of a normalised ISO 8601 date (``documents.parse_published``'s output, or
    a stored one): ``"2015"`` year, ``"2015-05"`` month, ``"2015-05-26"`` day, a date-time time
    (with its zone when one was given), midnight without a zone or at UTC a day."""
    if not published:
        return None
    s = published.strip()
    if _YEAR.match(s):
        return DateInfo("year", None)
    if _MONTH.match(s):
        return DateInfo("month", None)
    if _DAY.match(s):
        return DateInfo("day", None)
    m = _OFFSET.search(s)
    zone = None
    if m and "T" in s:
        zone = "+00:00" if m.group(1) == "Z" else m.group(1)
    clock = s.split("T", 1)[1] if "T" in s else ""
    if m and zone:
        clock = clock[: len(clock) - len(m.group(1))]
    if re.fullmatch(r"00:00(?::00(?:\.0+)?)?", clock) and zone in (None, "+00:00", "+0000", "-00:00"):
        return DateInfo("day", None)
    return DateInfo("time", zone)


def timestamp(published: str | None) -> float | None:
    """UTC seconds of the start of the date (a year's 1 January, a month's first day, a day's
    midnight, a time's instant); a date or time without an offset is read at UTC. None when
    absent or unreadable."""
    if not published:
        return None
    s = published.strip()
    try:
        if _YEAR.match(s):
            dt = datetime(int(s), 1, 1, tzinfo=timezone.utc)
        elif (m := _MONTH.match(s)) is not None:
            dt = datetime(int(m.group(1)), int(m.group(2)), 1, tzinfo=timezone.utc)
        else:
            dt = datetime.fromisoformat(s.replace("Z", "+00:00"))
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.timestamp()


def span(ts: float, precision: str | None) -> tuple[float, float]:
    """The instants (UTC seconds, ``[start, end)``) a date may stand for, read at UTC: a time is
    one second, a day 24 hours, a month or a year its length."""
    if precision in (None, "time"):
        return ts, ts + 1.0
    if precision == "day":
        return ts, ts + 86400.0
    start = datetime.fromtimestamp(ts, timezone.utc)
    if precision == "month":
        days = calendar.monthrange(start.year, start.month)[1]
        return ts, ts + days * 86400.0
    end = start.replace(year=start.year + 1)
    return ts, end.timestamp()


def offset_seconds(zone: str | None) -> float | None:
    """"-04:00" -> -14400.0; None (no zone given) stays None."""
    if zone is None:
        return None
    m = re.fullmatch(r"([+-])(\d{2}):?(\d{2})", zone)
    if m is None:
        return 0.0
    return (1 if m.group(1) == "+" else -1) * (int(m.group(2)) * 3600 + int(m.group(3)) * 60)


def certainly_before(a_ts: float | None, a_precision: str | None, a_offset: float | None,
                     b_ts: float | None, b_precision: str | None, b_offset: float | None) -> bool:
    """Does the date of ``a`` certainly come before the date of ``b``? ``*_offset`` is the UTC
    offset the date gave in seconds, None when it gave none. Never for an undated side."""
    if a_ts is None or b_ts is None:
        return False
    if (a_offset is None) == (b_offset is None):
        _, a1 = span(a_ts, a_precision)
        b0, _ = span(b_ts, b_precision)
        return a1 <= b0
    # One side has an offset, the other none: compare calendar days, each time by its own day.
    _, a1 = _local_day_span(a_ts, a_precision, a_offset)
    b0, _ = _local_day_span(b_ts, b_precision, b_offset)
    return a1 <= b0


def _local_day_span(ts: float, precision: str | None, offset: float | None) -> tuple[float, float]:
    if precision not in (None, "time"):
        return span(ts, precision)
    local = ts + (offset or 0.0)
    start = local - local % 86400.0
    return start, start + 86400.0


# ---------------------------------------------------------------------------------------------
# A text that contradicts its own date

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_MONTH_RE = r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
_WEEKDAY_RE = r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
# "Published May 13, 2025", "Updated: 13 May 2025", "VELLMORE, May 13 (Meridale) --", a date
# line alone: the text's own date, in its first lines.
_HEAD_DATE = re.compile(
    rf"^(?:(?:published|posted|updated|first published)(?:\s+on)?:?\s+)?(?:{_WEEKDAY_RE},?\s+)?"
    rf"(?:{_MONTH_RE}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?|(?P<day2>\d{{1,2}})\s+{_MONTH_RE.replace('month', 'month2')})"
    r"(?:,?\s+(?P<year>\d{4}))?\s*(?:$|[-–—(|]|\d{1,2}[:.]\d{2})",
    re.IGNORECASE,
)
_DATELINE = re.compile(rf"^[A-Z][A-Z .'-]{{2,40}},\s+{_MONTH_RE}\s+(?P<day>\d{{1,2}})(?:,\s+(?P<year>\d{{4}}))?\s*[(\-–—]")
# "on Tuesday, May 13" in a sentence that tells it as past.
_WEEKDAY_DATE = re.compile(rf"\b{_WEEKDAY_RE},?\s+{_MONTH_RE}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:,\s+(?P<year>\d{{4}}))?")
_FUTURE = re.compile(r"\b(?:will|would|shall|is|are)\s+(?:to\s+)?(?:be\s+)?(?:expected|scheduled|due|set|planned|slated)\b|\bwill\b|\bnext\b|\bupcoming\b|\bplans?\s+to\b|\bis\s+to\b", re.IGNORECASE)
# Days either way the text's own date may differ from the stored one (zones, late editions).
_HEAD_SLACK = 1


def date_conflict(text: str, published: str | None) -> str | None:
    """Why the text contradicts its own date (a short reason), or None when it does not or
    cannot tell. Only day-precise or finer dates are checked."""
    info = date_info(published)
    ts = timestamp(published)
    if info is None or ts is None or info.precision not in ("day", "time"):
        return None
    day = datetime.fromisoformat(published.replace("Z", "+00:00")).date() if info.precision == "time" else date.fromisoformat(published[:10])
    head = _head_date(text, day.year)
    if head is not None and abs((head - day).days) > _HEAD_SLACK:
        return f"the text dates itself {head.isoformat()}"
    for m in _WEEKDAY_DATE.finditer(text):
        when = _calendar_date(m, day.year)
        if when is None or when.weekday() != _WEEKDAYS[m.group("weekday").lower()]:
            continue
        if (when - day).days > _HEAD_SLACK and not _FUTURE.search(_sentence_around(text, m.start(), m.end())):
            return f"the text tells of {m.group(0)} as past, after its date"
    return None


def _head_date(text: str, year: int) -> date | None:
    for line in text.lstrip().splitlines()[:6]:
        line = line.strip()
        if not line or len(line) > 90:
            continue
        for pattern in (_HEAD_DATE, _DATELINE):
            m = pattern.match(line)
            if m is not None:
                when = _calendar_date(m, year)
                if when is not None:
                    return when
    return None


def _calendar_date(m: re.Match[str], year: int) -> date | None:
    groups = m.groupdict()
    month = groups.get("month") or groups.get("month2")
    day = groups.get("day") or groups.get("day2")
    if not month or not day:
        return None
    try:
        return date(int(groups.get("year") or year), _MONTHS[month.lower().rstrip(".")], int(day))
    except (ValueError, KeyError):
        return None


def _sentence_around(text: str, start: int, end: int) -> str:
    lo = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start)) + 1
    hi = [i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0]
    return text[lo:min(hi) if hi else len(text)]



# ---------------------------------------------------------------------------------------------
# Dates a text mentions, for telling a changed date from the same day said another way

_MENTION = re.compile(
    rf"\b(?:{_WEEKDAY_RE},?\s+)?{_MONTH_RE}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>(?:19|20)\d{{2}})\b)?"
    rf"|\b(?:{_WEEKDAY_RE.replace('weekday', 'weekday2')},?\s+)?(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH_RE.replace('month', 'month2')}(?:,?\s+(?P<year2>(?:19|20)\d{{2}})\b)?"
    rf"|\b{_MONTH_RE.replace('month', 'month3')}(?:\s+of)?,?\s+(?P<year3>(?:19|20)\d{{2}})\b"
    rf"|\b(?P<iso>(?:19|20)\d{{2}}-\d{{2}}-\d{{2}})\b"
    rf"|(?:\b(?P<prep>in|since|until|by|from|early|late|mid|last|next|this)[\s-]+){_MONTH_RE.replace('month', 'month4')}(?!(?:\s+of)?,?\s+\d)\b"
    rf"|\b(?P<year4>(?:19|20)\d{{2}})\b(?![,.]?\d|\s?%|\s+(?:people|percent|times))"
    rf"|\b(?:(?P<lastnext>last|next|this)\s+)?{_WEEKDAY_RE.replace('weekday', 'weekday3')}\b",
    re.IGNORECASE,
)


def mentioned_dates(text: str, published: str | None = None) -> list[tuple[tuple, tuple[int, int]]]:
    """Each date a text names, as ((year, month, day, weekday), (start, end)) with None for what
    it does not say. A weekday alone ("on Monday") is the day it names in a story published on
    ``published`` (the last such day on or before it; "next Monday" after it), when that date
    has a day."""
    info = date_info(published)
    today = date.fromisoformat(published[:10]) if info is not None and info.precision in ("day", "time") else None
    out = []
    for m in _MENTION.finditer(text):
        g = m.groupdict()
        if g["iso"]:
            try:
                d = date.fromisoformat(g["iso"])
            except ValueError:
                continue
            out.append(((d.year, d.month, d.day, d.weekday()), m.span()))
            continue
        month_word = g["month"] or g["month2"] or g["month3"] or g["month4"]
        if month_word is not None and month_word[:3].lower() == "may" and month_word[0] == "m":
            continue  # "may", the verb
        weekday = g["weekday"] or g["weekday2"] or g["weekday3"]
        wd = _WEEKDAYS[weekday.lower()] if weekday else None
        if month_word is None and g["year4"]:
            out.append(((int(g["year4"]), None, None, None), m.span()))
            continue
        if month_word is None:
            out.append((_weekday_date(wd, (g["lastnext"] or "").lower(), today), m.span()))
            continue
        month = _MONTHS.get(month_word.lower().rstrip("."))
        day = g["day"] or g["day2"]
        year = g["year"] or g["year2"] or g["year3"]
        out.append(((int(year) if year else None, month, int(day) if day else None, wd), m.span()))
    return out


def _weekday_date(weekday: int, which: str, today: date | None) -> tuple:
    if today is None:
        return (None, None, None, weekday)
    back = (today.weekday() - weekday) % 7
    d = today + timedelta(days=(7 - back) % 7 or 7) if which == "next" else today - timedelta(days=back)
    return (d.year, d.month, d.day, weekday)

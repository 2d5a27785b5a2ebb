"""The Document and Rejection records, and building a validated Document from a record.

Every reader (JSON Lines, text with front matter, HTML) ends here with a dict of fields, so the
rules for ids, dates, authors and metadata hold the same whatever the input format.
"""

from __future__ import annotations

import hashlib
import logging
import re
import warnings
from dataclasses import dataclass, field
from datetime import date, datetime

import orjson

from .. import textnorm
from ..errors import InputRejected

log = logging.getLogger(__package__)  # log lines say "provenance.documents", whichever step logs

_KNOWN_KEYS = frozenset({"id", "text", "source", "title", "url", "published", "authors"})
_EMPTY = "empty document, nothing to index"


@dataclass(frozen=True)
class Document:
    """One input document, ready to be split into claims.

    ``text`` is the stored original text: claims' character offsets point into this string.
    """

    id: str
    text: str
    source: str | None
    title: str | None
    url: str | None
    published: str | None
    authors: tuple[str, ...]
    # A dict is not hashable; leave it out of the generated __hash__ (it still counts for ==).
    metadata: dict = field(hash=False)
    origin: str
    line: int | None
    content_hash: str


@dataclass(frozen=True)
class Rejection:
    """An input (file, folder entry or JSONL line) that could not be indexed, and why."""

    path: str
    line: int | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.reason}"


def _rejection(rej: InputRejected) -> Rejection:
    return Rejection(rej.path, rej.line, rej.reason)


# ---------------------------------------------------------------------------------------------
# Public helpers
# ---------------------------------------------------------------------------------------------


def derive_id(text: str) -> str:
    """The content-derived id: ``"doc-"`` + the first 16 hex digits of the sha256 of the
    normalised text, so white space, zero-width characters and typographic quotes don't make
    the same document look new."""
    return _id_from_normalised(textnorm.normalise(text))


def parse_published(value: object) -> str | None:
    """Normalise a publication date to ISO 8601.

    Returns the date as precise as it was given (see :mod:`provenance.dates`): ``"YYYY"`` for
    a year, ``"YYYY-MM"`` for a month ("May 2015"), ``"YYYY-MM-DD"`` for a day, a date-time with
    its offset (``"...T14:00:00+00:00"``) when one was given and without one when not (its zone
    is unknown, so it is not made UTC); None when the value is absent or empty. Accepts ISO
    8601 and common written forms ("26 May 2015", "Tue, 05 Mar 2024 14:00:00 GMT"). Raises
    ValueError with a short message for anything else, including numeric dates whose day/month
    order is ambiguous ("03/05/2024"), because a wrong date would silently mislead the origin
    tracing.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return _format_datetime(value)
    if isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, str):
        raise ValueError(f"expected a date string, got {_json_type(value)}")
    s = value.strip()
    if not s:
        return None
    if len(s) > 64:
        raise ValueError("too long to be a date; use ISO 8601, e.g. 2024-03-05")
    # ISO 8601 first: exact, and fast.
    try:
        return date.fromisoformat(s).isoformat()
    except ValueError:
        pass
    m = re.fullmatch(r"(\d{4})(?:-(\d{2}))?", s)
    if m and 1 <= int(m[2] or 1) <= 12:
        return s
    try:
        return _format_datetime(datetime.fromisoformat(s))
    except ValueError:
        pass
    m = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})", s)
    if m and int(m[1]) <= 12 and int(m[2]) <= 12 and m[1].lstrip("0") != m[2].lstrip("0"):
        raise ValueError(f"'{s}' is ambiguous (day/month or month/day?); use ISO 8601, e.g. 2024-03-05")
    return _parse_written_date(s)


def document_from_record(record: dict, origin: str, line: int | None) -> Document:
    """Validate one JSON-like record and build its Document.

    Raises :class:`provenance.errors.InputRejected` (with ``origin`` and ``line``) when the
    record can't be indexed: ``text`` missing, empty or not a string; a known field of the wrong
    type; an unparseable ``published``.
    """
    return _build_document(record, origin, line, {})


# ---------------------------------------------------------------------------------------------
# Records -> Document
# ---------------------------------------------------------------------------------------------


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (list, tuple)):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _id_from_normalised(normalised: str) -> str:
    return "doc-" + hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:16]


def _clean_text(text: str) -> str:
    """The only changes made to stored text: NULs removed, line endings made ``\\n``, a
    leading BOM character dropped."""
    if "\x00" in text:
        text = text.replace("\x00", "")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith("\ufeff"):
        text = text[1:]
    return text


def _check_unicode(value: str, name: str, origin: str, line: int | None) -> None:
    """Lone surrogates can't be stored (SQLite raises on them); reject them here, clearly."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputRejected(
            origin, line, f'field "{name}" contains invalid Unicode (lone surrogate at character {exc.start}); fix the record'
        ) from None


def _optional_str(record: dict, key: str, origin: str, line: int | None) -> str | None:
    value = record.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputRejected(origin, line, f'field "{key}" must be a string, got {_json_type(value)}; fix the record')
    _check_unicode(value, key, origin, line)
    value = value.replace("\x00", "").strip()
    return value or None


def _build_document(record: dict, origin: str, line: int | None, extra_meta: dict[str, object]) -> Document:
    # The checks run in this order so a record with several faults is named by the same one
    # every time: text, id, source/title/url, published, authors.
    text, normalised = _document_text(record, origin, line)
    doc_id = _document_id(record.get("id"), normalised, origin, line)
    source = _optional_str(record, "source", origin, line)
    title = _optional_str(record, "title", origin, line)
    url = _optional_str(record, "url", origin, line)
    try:
        published = parse_published(record.get("published"))
    except ValueError as exc:
        raise InputRejected(origin, line, f'field "published": {exc}') from None
    authors = _authors(record.get("authors"), origin, line)
    metadata = _metadata(record, extra_meta, origin)
    return Document(
        id=doc_id,
        text=text,
        source=source,
        title=title,
        url=url,
        published=published,
        authors=authors,
        metadata=metadata,
        origin=origin,
        line=line,
        content_hash=hashlib.sha256(normalised.encode("utf-8")).hexdigest(),
    )


def _document_text(record: object, origin: str, line: int | None) -> tuple[str, str]:
    """The record's text as stored, and its normalised form (empty means nothing to index)."""
    if not isinstance(record, dict):
        raise InputRejected(origin, line, f'expected an object with a "text" field, got {_json_type(record)}')
    if "text" not in record or record["text"] is None:
        raise InputRejected(origin, line, 'missing required field "text"; add the document\'s text')
    text = record["text"]
    if not isinstance(text, str):
        raise InputRejected(origin, line, f'field "text" must be a string, got {_json_type(text)}; fix the record')
    _check_unicode(text, "text", origin, line)
    text = _clean_text(text)
    normalised = textnorm.normalise(text)
    if not normalised:
        raise InputRejected(origin, line, _EMPTY)
    return text, normalised


def _document_id(raw_id: object, normalised: str, origin: str, line: int | None) -> str:
    """The given id as a string, else the id derived from the normalised text."""
    if raw_id is None:
        return _id_from_normalised(normalised)
    if isinstance(raw_id, bool) or not isinstance(raw_id, (str, int)):
        raise InputRejected(origin, line, f'field "id" must be a string or an integer, got {_json_type(raw_id)}; fix the record')
    doc_id = str(raw_id).replace("\x00", "").strip()
    if not doc_id:
        raise InputRejected(origin, line, 'field "id" is empty; give a non-empty id or leave the field out')
    _check_unicode(doc_id, "id", origin, line)
    return doc_id


def _authors(raw_authors: object, origin: str, line: int | None) -> tuple[str, ...]:
    """One author given as a string, or a list of them; blank names dropped."""
    if raw_authors is None:
        return ()
    if isinstance(raw_authors, str):
        _check_unicode(raw_authors, "authors", origin, line)
        one = raw_authors.replace("\x00", "").strip()
        return (one,) if one else ()
    if not isinstance(raw_authors, (list, tuple)):
        raise InputRejected(
            origin, line, f'field "authors" must be a string or a list of strings, got {_json_type(raw_authors)}; fix the record'
        )
    names = []
    for item in raw_authors:
        if not isinstance(item, str):
            raise InputRejected(
                origin,
                line,
                f'field "authors" must be a string or a list of strings, got a list containing {_json_type(item)}; fix the record',
            )
        _check_unicode(item, "authors", origin, line)
        item = item.replace("\x00", "").strip()
        if item:
            names.append(item)
    return tuple(names)


def _metadata(record: dict, extra_meta: dict[str, object], origin: str) -> dict[str, object]:
    """The record's other keys (those JSON can store), then the reader's own (format, encoding)."""
    metadata: dict[str, object] = {}
    for key, value in record.items():
        if key in _KNOWN_KEYS:
            continue
        try:
            orjson.dumps({key: value})
        except (TypeError, orjson.JSONEncodeError):
            log.warning("%s: dropping metadata key %r: value is not JSON-serialisable", origin, key)
            continue
        metadata[key] = value
    for key, value in extra_meta.items():
        if key in metadata and metadata[key] != value:
            log.debug("%s: metadata key %r from the input is replaced by the reader's", origin, key)
        metadata[key] = value
    return metadata


# ---------------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------------


def _format_datetime(dt: datetime) -> str:
    # A date-time without an offset stays without one: its zone is unknown, and
    # provenance.dates reads it so rather than pretending it was UTC.
    if dt.tzinfo is not None and dt.tzinfo.utcoffset(dt) is None:
        dt = dt.replace(tzinfo=None)
    return dt.isoformat()


def _parse_written_date(s: str) -> str:
    """Written dates via dateutil. Parsing twice with different defaults shows which parts the
    string really gave: a missing year/month/day is an error, a missing time gives a date."""
    from dateutil import parser as dateparser

    d1 = datetime(2001, 1, 1, 0, 0, 0)
    d2 = datetime(2002, 2, 2, 1, 1, 1)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            r1 = dateparser.parse(s, default=d1, tzinfos=_TZ_NAMES)
            r2 = dateparser.parse(s, default=d2, tzinfos=_TZ_NAMES)
    except (ValueError, OverflowError, TypeError):
        raise ValueError(f"cannot read '{s}' as a date; use ISO 8601, e.g. 2024-03-05") from None
    if r1.year != r2.year:
        raise ValueError(f"'{s}' has no year; use ISO 8601, e.g. 2024-03-05")
    if r1.month != r2.month:
        return f"{r1.year:04d}"
    if r1.day != r2.day:
        return f"{r1.year:04d}-{r1.month:02d}"
    if r1.hour != r2.hour or caught:
        # No time given, or a time in an unknown zone name: keep only the (certain) date.
        return r1.date().isoformat()
    return _format_datetime(r1)


# Zone abbreviations common in news feeds (dateutil knows only UTC/GMT by itself).
_TZ_NAMES: dict[str, int] = {
    "UTC": 0, "GMT": 0, "Z": 0,
    "EST": -5 * 3600, "EDT": -4 * 3600, "CST": -6 * 3600, "CDT": -5 * 3600,
    "MST": -7 * 3600, "MDT": -6 * 3600, "PST": -8 * 3600, "PDT": -7 * 3600,
    "BST": 3600, "CET": 3600, "CEST": 2 * 3600, "EET": 2 * 3600, "EEST": 3 * 3600,
}

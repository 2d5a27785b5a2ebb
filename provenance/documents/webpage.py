"""HTML pages: the article text and its metadata, extracted by trafilatura."""

from __future__ import annotations

import logging

from ..errors import InputRejected
from .build import _EMPTY, Document, _build_document, _clean_text, parse_published

log = logging.getLogger(__package__)  # log lines say "provenance.documents", whichever step logs

_NO_HTML_TEXT = "no article text found in the HTML"


def _document_from_html(html: str, origin: str, meta: dict[str, object]) -> Document:
    """Article text and metadata via trafilatura (boilerplate, scripts, styles and comments
    dropped). Dates come from the page's markup only, never guessed from its prose: a date
    mentioned in the text is not the publication date, and origin tracing depends on it."""
    data = _extract(html, origin)
    try:
        return _build_document(_record_of(data, origin), origin, None, meta)
    except InputRejected as rej:
        if rej.reason == _EMPTY:
            raise InputRejected(origin, None, _NO_HTML_TEXT) from None
        raise


def _extract(html: str, origin: str) -> dict:
    """trafilatura's fields for the page; rejected when it finds no article text."""
    import trafilatura  # lazy: ~0.3 s to import, only needed for HTML

    try:
        result = trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            date_extraction_params={"original_date": True, "extensive_search": False},
        )
    except Exception as exc:  # trafilatura/lxml raise many types on odd markup
        log.debug("trafilatura failed on %s", origin, exc_info=True)
        raise InputRejected(origin, None, f"could not parse the HTML ({type(exc).__name__}: {exc}); check the file") from None
    if result is None:
        raise InputRejected(origin, None, _NO_HTML_TEXT)
    data = result.as_dict() if hasattr(result, "as_dict") else dict(result)
    text = data.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputRejected(origin, None, _NO_HTML_TEXT)
    return data


def _field(data: dict, key: str) -> str | None:
    value = data.get(key)
    return value.strip() or None if isinstance(value, str) else None


def _record_of(data: dict, origin: str) -> dict[str, object]:
    """The Document record of trafilatura's fields; an unreadable page date is left out."""
    published: str | None = None
    if _field(data, "date"):
        try:
            published = parse_published(_field(data, "date"))
        except ValueError:
            log.debug("%s: ignoring unreadable page date %r", origin, _field(data, "date"))
    author = _field(data, "author")
    record: dict[str, object] = {
        "text": _clean_text(data["text"]),
        "title": _field(data, "title"),
        "source": _field(data, "sitename") or _field(data, "hostname"),
        "url": _field(data, "url"),
        "published": published,
        "authors": [a.strip() for a in author.split(";") if a.strip()] if author else [],
    }
    for key in ("description", "language", "license"):
        if _field(data, key):
            record[key] = _field(data, key)
    for key in ("categories", "tags"):
        v = data.get(key)
        if isinstance(v, list) and v and all(isinstance(x, str) for x in v):
            record[key] = v
    return record

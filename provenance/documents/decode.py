"""Bytes to text: byte-order marks, binary files, strict UTF-8, declared and detected charsets.

Never ``surrogateescape``: such text can't be stored in SQLite. What can't be decoded with
confidence is rejected (see the package docstring for the order of the rules).
"""

from __future__ import annotations

import codecs
import logging
import re

from ..errors import InputRejected

log = logging.getLogger(__package__)  # log lines say "provenance.documents", whichever step logs

#: A text/Markdown/HTML file (or a UTF-16/32 JSONL file, which is decoded whole) larger than this
#: is rejected rather than read into memory.
MAX_FILE_BYTES = 256 * 1024 * 1024
#: How much of a file is inspected for NUL bytes to recognise binary files.
BINARY_SNIFF_BYTES = 8192
#: charset-normalizer's "mess" ratio up to which a detected legacy encoding is considered, and
#: how close another candidate's must be to count as a rival (see _detect_legacy).
LEGACY_MAX_CHAOS = 0.1
LEGACY_TIE_MARGIN = 0.05

# Longest BOMs first: the UTF-32 LE mark starts with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# File signatures of common binary formats that may have no NUL in their first 8 KiB.
_BINARY_MAGIC: tuple[bytes, ...] = (
    b"%PDF-",
    b"\x89PNG",
    b"GIF87a",
    b"GIF89a",
    b"\xff\xd8\xff",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"BZh",
    b"\xfd7zXZ\x00",
    b"7z\xbc\xaf\x27\x1c",
    b"\x7fELF",
    b"SQLite format 3\x00",
)


def _looks_binary(data: bytes) -> bool:
    return b"\x00" in data[:BINARY_SNIFF_BYTES] or data.startswith(_BINARY_MAGIC)


def _bom(data: bytes) -> tuple[bytes, str] | None:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return bom, codec
    return None


def _decode(
    data: bytes, origin: str, line: int | None, *, html: bool = False, whole_file: bool = True
) -> tuple[str, str | None]:
    """Decode ``data`` to text; return it with the encoding used when that wasn't UTF-8.

    Order: byte-order mark, binary check (both only for a whole file, not for one JSONL line),
    strict UTF-8, the charset an HTML page declares, a confident legacy-encoding guess.
    Raises InputRejected when none works.
    """
    found = _bom(data) if whole_file else None
    if found:
        return _decode_after_bom(data, *found, origin, line)
    if whole_file and _looks_binary(data):
        raise InputRejected(origin, line, "binary file, not indexed")
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        bad_offset = exc.start
    if html:
        for codec in _declared_charset(data):
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                continue
    legacy = _detect_legacy(data)
    if isinstance(legacy, tuple):
        log.info("%s: not UTF-8; decoded as %s", origin if line is None else f"{origin}:{line}", legacy[1])
        return legacy
    raise InputRejected(origin, line, _not_utf8_reason(bad_offset, line, legacy))


def _decode_after_bom(data: bytes, bom: bytes, codec: str, origin: str, line: int | None) -> tuple[str, str | None]:
    """A byte-order mark names the encoding outright: decode with it or reject."""
    try:
        return data[len(bom):].decode(codec), (None if codec == "utf-8" else codec)
    except UnicodeDecodeError as exc:
        raise InputRejected(
            origin,
            line,
            f"not valid {codec.upper()} although it starts with a {codec.upper()} byte-order mark "
            f"(invalid bytes at offset {exc.start + len(bom)}); re-encode the file as UTF-8",
        ) from None


def _not_utf8_reason(bad_offset: int, line: int | None, rivals: list[str]) -> str:
    """Why bytes that are not UTF-8 were not decoded otherwise, naming any rival encodings."""
    where = "" if line is None else " of the line"
    if rivals:
        named = ", ".join(rivals[:-1][:3]) + (" or " if len(rivals) > 1 else "") + rivals[-1]
        found = f"its legacy encoding is uncertain ({named}?)"
    else:
        found = "no other encoding detected"
    return f"not valid UTF-8 (invalid byte at offset {bad_offset}{where}) and {found}; re-encode the file as UTF-8"


_META_CHARSET = re.compile(rb"""<meta[^>]{0,512}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_.:-]{1,40})["']""", re.IGNORECASE)
# As in browsers (WHATWG Encoding Standard), pages labelled Latin-1 or ASCII are read as
# windows-1252, which is a superset in practice; real Latin-1 is the fallback.
_WESTERN_LABELS = frozenset({"latin1", "latin_1", "iso8859_1", "iso_8859_1", "ascii", "us_ascii", "cp1252", "windows_1252", "l1"})


def _declared_charset(data: bytes) -> list[str]:
    head = data[:4096]
    m = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    if not m:
        return []
    label = m.group(1).decode("ascii", "replace")
    try:
        codec = codecs.lookup(label).name
    except LookupError:
        return []
    if codec.replace("-", "_") in _WESTERN_LABELS or label.lower().replace("-", "_") in _WESTERN_LABELS:
        return ["cp1252", "latin-1"]
    if codec in ("utf-8", "utf_8"):
        return []  # it already failed as UTF-8
    return [codec]


def _detect_legacy(data: bytes) -> tuple[str, str] | list[str]:
    """Guess a legacy encoding with charset-normalizer, only when the guess is unambiguous.

    Returns (text, encoding) when confident, else the list of rival encodings (empty when
    nothing plausible was found). "Confident" means every candidate whose mess ratio is close to
    the best one's decodes the bytes to the very same text. Single-byte Western code pages
    (cp1250/cp1252/cp1257...) are often near-ties on short texts and charset-normalizer's
    ranking among them is unreliable (it reads French Latin-1 as cp1257), so those files are
    rejected rather than stored as mojibake that would never match anything.
    """
    import charset_normalizer  # lazy: only needed for non-UTF-8 input

    matches = [m for m in charset_normalizer.from_bytes(data) if m.encoding not in ("utf_8", "ascii")]
    if not matches:
        return []
    lowest = min(m.chaos for m in matches)
    if lowest > LEGACY_MAX_CHAOS:
        return []
    decoded: dict[str, str] = {}  # text -> first (best-ranked) encoding giving it
    for m in matches:
        if m.chaos > lowest + LEGACY_TIE_MARGIN:
            continue
        try:
            decoded.setdefault(data.decode(m.encoding), m.encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    if len(decoded) == 1:
        ((text, encoding),) = decoded.items()
        return text, encoding
    return list(decoded.values())

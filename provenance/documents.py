"""Read input documents: JSON Lines, plain text / Markdown (with optional front matter) and HTML.

Everything a user can hand to ``provenance index`` comes through :func:`read_inputs`, which
yields a :class:`Document` for each readable document and a :class:`Rejection` for everything
that can't be indexed (a bad JSONL line, an undecodable file, a symlink loop...). Rejections are
values, not exceptions, so one bad input never stops the rest: the CLI indexes the documents,
names every rejection on stderr with file and line, and exits 1.

Policies (see the reliability design, "(b) Bad inputs"):

* Decoding: byte-order marks (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE) win; otherwise strict UTF-8;
  otherwise a legacy encoding detected by charset-normalizer when it is confident (recorded as
  ``metadata["encoding"]``); otherwise the file is rejected. Never ``surrogateescape``: such text
  can't be stored in SQLite.
* NUL bytes in the first 8 KiB (of a file without a UTF-16/32 byte-order mark) mean a binary
  file, which is rejected. NUL characters inside text are removed (SQLite and many tools
  truncate at NUL).
* ``Document.text`` is the text as given, except that line endings become ``\\n``, a leading
  U+FEFF is dropped and NULs are removed. Claims keep character offsets into it, so nothing
  else is changed; matching uses :func:`provenance.textnorm.normalise`.
* A document's id is its given ``id``, else :func:`derive_id` of its text, so the same content
  indexed twice (or under two file names) gets the same id.
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import logging
import os
import re
import stat
import sys
import warnings
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import BinaryIO, Iterator, Sequence

import orjson

from . import textnorm
from .errors import InputRejected

log = logging.getLogger(__name__)

STDIN_ORIGIN = "<stdin>"

#: A JSONL line longer than this is rejected (the rest of the file is still read). Reading is
#: bounded by it, so a huge line never has to fit in memory whole.
MAX_LINE_BYTES = 50 * 1024 * 1024
#: A text/Markdown/HTML file (or a UTF-16/32 JSONL file, which is decoded whole) larger than this
#: is rejected rather than read into memory.
MAX_FILE_BYTES = 256 * 1024 * 1024
#: How much of a file is inspected for NUL bytes to recognise binary files.
BINARY_SNIFF_BYTES = 8192
#: charset-normalizer's "mess" ratio up to which a detected legacy encoding is considered, and
#: how close another candidate's must be to count as a rival (see _detect_legacy).
LEGACY_MAX_CHAOS = 0.1
LEGACY_TIE_MARGIN = 0.05

# Extension -> reader kind. ".json" is deliberately absent: a JSON array is not JSON Lines.
_KINDS: dict[str, str] = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}
_SUPPORTED = ", ".join(_KINDS)

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

_KNOWN_KEYS = frozenset({"id", "text", "source", "title", "url", "published", "authors"})
_EMPTY = "empty document, nothing to index"
_NO_HTML_TEXT = "no article text found in the HTML"


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

    Returns ``"YYYY-MM-DD"`` for a date, or ``"YYYY-MM-DDTHH:MM:SS+HH:MM"`` for a date-time (a
    date-time without an offset is taken as UTC), or None when the value is absent or empty.
    Accepts ISO 8601 and common written forms ("26 May 2015", "Tue, 05 Mar 2024 14:00:00 GMT").
    Raises ValueError with a short message for anything else, including dates without a day
    ("May 2015") and numeric dates whose day/month order is ambiguous ("03/05/2024"), because a
    wrong date would silently mislead the origin tracing.
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


def read_inputs(paths: Sequence[str], stdin: BinaryIO | None = None) -> Iterator[Document | Rejection]:
    """Yield a Document or a Rejection for every input under ``paths``, in a deterministic order.

    Paths are taken in the order given; folders are walked recursively in name order without
    following symbolic links (a link to a folder is never entered; links that loop or lead out
    of the folder are rejected). ``"-"`` reads JSON Lines from ``stdin`` (binary; by default
    ``sys.stdin.buffer``). Files with unsupported extensions and hidden entries (names starting
    with ".") found while walking are skipped quietly; a file named explicitly with an
    unsupported extension is rejected.
    """
    if isinstance(paths, (str, bytes)):
        raise TypeError("read_inputs() takes a sequence of paths, not a single path string")
    for given in paths:
        given = os.fspath(given)
        if isinstance(given, bytes):
            given = os.fsdecode(given)
        if given == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield from _read_jsonl(stream, STDIN_ORIGIN)
        else:
            yield from _read_named_path(given)


# ---------------------------------------------------------------------------------------------
# Paths and folders
# ---------------------------------------------------------------------------------------------


def _display(path: str) -> str:
    """A printable, JSON-safe form of a path (undecodable bytes in file names become \\xNN)."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _kind_of(name: str) -> str | None:
    return _KINDS.get(os.path.splitext(name)[1].lower())


def _os_reason(exc: OSError, what: str = "file") -> str:
    if exc.errno == errno.ENOENT:
        return "no such file or folder; check the path"
    if exc.errno == errno.ELOOP:
        return "symbolic link loop; not followed"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"permission denied; make the {what} readable or leave it out"
    if exc.errno == errno.ENAMETOOLONG:
        return "path too long to open; move the file to a shorter path"
    return f"cannot read {what} ({exc.strerror or exc}); check it and try again"


def _read_named_path(given: str) -> Iterator[Document | Rejection]:
    """A path the user named: follow it even if it is a symlink, since they asked for it."""
    shown = _display(given)
    try:
        st = os.stat(given)
    except OSError as exc:
        if exc.errno == errno.ENOENT and os.path.islink(given):
            yield Rejection(shown, None, "broken symbolic link (its target does not exist)")
        else:
            yield Rejection(shown, None, _os_reason(exc))
        return
    if stat.S_ISDIR(st.st_mode):
        yield from _walk(given)
    elif stat.S_ISREG(st.st_mode):
        kind = _kind_of(given)
        if kind is None:
            yield Rejection(shown, None, _unsupported_reason(given))
        else:
            yield from _read_file(given, kind)
    else:
        yield Rejection(shown, None, "not a regular file or folder (device, pipe or socket); not indexed")


def _unsupported_reason(path: str) -> str:
    ext = os.path.splitext(path)[1].lower()
    if ext == ".json":
        return (
            "unsupported file type '.json'; write one JSON object per line and name the file "
            f".jsonl (supported: {_SUPPORTED})"
        )
    shown = f"'{ext}'" if ext else "(no extension)"
    return f"unsupported file type {shown}; supported: {_SUPPORTED}"


def _sorted_entries(folder: str) -> list[os.DirEntry[str]]:
    with os.scandir(folder) as it:
        return sorted(it, key=lambda e: e.name)


def _walk(root: str) -> Iterator[Document | Rejection]:
    """Depth-first, name-ordered walk of ``root``.

    Iterative (an explicit stack), so a 10,000-level-deep tree doesn't hit the recursion limit;
    memory grows with depth and folder size only. Symlinks are never descended into.
    """
    root_real = os.path.realpath(root)
    try:
        stack = [iter(_sorted_entries(root))]
    except OSError as exc:
        yield Rejection(_display(root), None, _os_reason(exc, "folder"))
        return
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            continue
        path = entry.path
        if entry.name.startswith("."):
            log.debug("skipping hidden entry %s", _display(path))
            continue
        try:
            if entry.is_symlink():
                yield from _walked_symlink(path, root_real)
            elif entry.is_dir(follow_symlinks=False):
                try:
                    stack.append(iter(_sorted_entries(path)))
                except OSError as exc:
                    yield Rejection(_display(path), None, _os_reason(exc, "folder"))
            elif _kind_of(entry.name) is None:
                log.debug("skipping %s: unsupported file type", _display(path))
            elif entry.is_file(follow_symlinks=False):
                yield from _read_file(path, _kind_of(entry.name) or "text")
            else:
                yield Rejection(_display(path), None, "not a regular file (device, pipe or socket); not indexed")
        except OSError as exc:
            yield Rejection(_display(path), None, _os_reason(exc))


def _walked_symlink(path: str, root_real: str) -> Iterator[Document | Rejection]:
    """A symlink met while walking: never enter folders through it; read a linked file only
    when it stays inside the walked folder (B11)."""
    shown = _display(path)
    try:
        st = os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            yield Rejection(shown, None, "symbolic link loop; not followed")
        elif _kind_of(path) is None:
            log.debug("skipping broken link %s", shown)
        elif exc.errno == errno.ENOENT:
            yield Rejection(shown, None, "broken symbolic link (its target does not exist)")
        else:
            yield Rejection(shown, None, _os_reason(exc))
        return
    target = os.path.realpath(path)
    inside = _is_within(target, root_real)
    if stat.S_ISDIR(st.st_mode):
        parent = os.path.realpath(os.path.dirname(path))
        if _is_within(parent, target):
            yield Rejection(shown, None, "symbolic link loop (points to an enclosing folder); not followed")
        elif not inside:
            yield Rejection(
                shown, None, "symbolic link to a folder outside the walked folder; not followed (name it explicitly to index it)"
            )
        else:
            log.debug("not following %s: links to a folder that is walked anyway", shown)
        return
    kind = _kind_of(path)
    if kind is None:
        log.debug("skipping %s: unsupported file type", shown)
    elif not inside:
        yield Rejection(
            shown, None, "symbolic link to a file outside the walked folder; not followed (name it explicitly to index it)"
        )
    elif not stat.S_ISREG(st.st_mode):
        yield Rejection(shown, None, "not a regular file (device, pipe or socket); not indexed")
    else:
        yield from _read_file(path, kind)


def _is_within(path: str, folder: str) -> bool:
    try:
        return os.path.commonpath([path, folder]) == folder
    except ValueError:  # different drives (Windows)
        return False


# ---------------------------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------------------------


def _open_regular(path: str) -> BinaryIO:
    """Open for reading without ever blocking on a FIFO swapped in after the stat."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise InputRejected(_display(path), None, "not a regular file (device, pipe or socket); not indexed")
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _read_file(path: str, kind: str) -> Iterator[Document | Rejection]:
    shown = _display(path)
    try:
        f = _open_regular(path)
    except InputRejected as rej:
        yield _rejection(rej)
        return
    except OSError as exc:
        yield Rejection(shown, None, _os_reason(exc))
        return
    with f:
        if kind == "jsonl":
            yield from _read_jsonl(f, shown)
            return
        try:
            data = f.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            yield Rejection(shown, None, _os_reason(exc))
            return
    if len(data) > MAX_FILE_BYTES:
        yield Rejection(shown, None, f"file larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB; split it into smaller documents")
        return
    try:
        yield _document_from_bytes(data, kind, shown)
    except InputRejected as rej:
        yield _rejection(rej)


def _rejection(rej: InputRejected) -> Rejection:
    return Rejection(rej.path, rej.line, rej.reason)


def _document_from_bytes(data: bytes, kind: str, origin: str) -> Document:
    """A whole .txt/.md/.html file."""
    if not data.strip():
        raise InputRejected(origin, None, _EMPTY)
    text, encoding = _decode(data, origin, None, html=(kind == "html"))
    text = _clean_text(text)
    meta: dict[str, object] = {"format": kind}
    if encoding:
        meta["encoding"] = encoding
    if kind == "html":
        return _document_from_html(text, origin, meta)
    fields, body = _split_front_matter(text, origin)
    record: dict[str, object] = dict(fields)
    record["text"] = body
    return _build_document(record, origin, None, meta)


# ---------------------------------------------------------------------------------------------
# Decoding
# ---------------------------------------------------------------------------------------------


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
        bom, codec = found
        try:
            return data[len(bom):].decode(codec), (None if codec == "utf-8" else codec)
        except UnicodeDecodeError as exc:
            raise InputRejected(
                origin,
                line,
                f"not valid {codec.upper()} although it starts with a {codec.upper()} byte-order mark "
                f"(invalid bytes at offset {exc.start + len(bom)}); re-encode the file as UTF-8",
            ) from None
    if whole_file and _looks_binary(data):
        raise InputRejected(origin, line, "binary file, not indexed")
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        bad_offset = exc.start
    if html:
        declared = _declared_charset(data)
        if declared:
            for codec in declared:
                try:
                    return data.decode(codec), codec
                except UnicodeDecodeError:
                    continue
    legacy = _detect_legacy(data)
    if isinstance(legacy, tuple):
        log.info("%s: not UTF-8; decoded as %s", origin if line is None else f"{origin}:{line}", legacy[1])
        return legacy
    where = "" if line is None else " of the line"
    if legacy:
        rivals = ", ".join(legacy[:-1][:3]) + (" or " if len(legacy) > 1 else "") + legacy[-1]
        found = f"its legacy encoding is uncertain ({rivals}?)"
    else:
        found = "no other encoding detected"
    raise InputRejected(
        origin,
        line,
        f"not valid UTF-8 (invalid byte at offset {bad_offset}{where}) and {found}; re-encode the file as UTF-8",
    )


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


# ---------------------------------------------------------------------------------------------
# JSON Lines
# ---------------------------------------------------------------------------------------------


def _read_jsonl(stream: BinaryIO, origin: str) -> Iterator[Document | Rejection]:
    """Stream a JSONL file: one Document or Rejection per non-blank line; a bad line never stops
    the rest. Memory is bounded by MAX_LINE_BYTES (longer lines are skipped, not buffered)."""
    try:
        head = _read_upto(stream, BINARY_SNIFF_BYTES)
        found = _bom(head)
        if found and found[1] != "utf-8":
            # UTF-16/32 JSONL can't be split on b"\n": decode it whole (bounded by MAX_FILE_BYTES).
            bom, codec = found
            rest = stream.read(MAX_FILE_BYTES + 1 - len(head))
            data = head + rest
            if len(data) > MAX_FILE_BYTES:
                yield Rejection(origin, None, f"{codec.upper()} file larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB; re-encode it as UTF-8")
                return
            try:
                text = data[len(bom):].decode(codec)
            except UnicodeDecodeError as exc:
                yield Rejection(origin, None, f"not valid {codec.upper()} (invalid bytes at offset {exc.start + len(bom)}); re-encode the file as UTF-8")
                return
            for lineno, line_text in enumerate(text.split("\n"), start=1):
                line_text = line_text.rstrip("\r")
                if line_text.strip():
                    yield _jsonl_line(line_text, origin, lineno, {"format": "jsonl", "encoding": codec})
            return
        if found:
            head = head[len(found[0]):]
        elif b"\x00" in head:
            yield Rejection(origin, None, "binary file, not indexed")
            return
        for lineno, raw in _iter_lines(stream, head, MAX_LINE_BYTES):
            if raw is None:
                yield Rejection(
                    origin, lineno, f"line longer than {MAX_LINE_BYTES // (1024 * 1024)} MiB; split the document or shorten its text"
                )
                continue
            if raw.endswith(b"\r"):
                raw = raw[:-1]
            if not raw.strip():
                continue  # blank lines are allowed
            meta: dict[str, object] = {"format": "jsonl"}
            try:
                line_text, encoding = _decode(raw, origin, lineno, whole_file=False)
            except InputRejected as rej:
                yield _rejection(rej)
                continue
            if encoding:
                meta["encoding"] = encoding
            yield _jsonl_line(line_text, origin, lineno, meta)
    except OSError as exc:
        yield Rejection(origin, None, _os_reason(exc))


def _read_upto(stream: BinaryIO, n: int) -> bytes:
    """Read up to n bytes, looping over short reads (pipes)."""
    parts: list[bytes] = []
    got = 0
    while got < n:
        chunk = stream.read(n - got)
        if not chunk:
            break
        parts.append(chunk)
        got += len(chunk)
    return b"".join(parts)


def _iter_lines(stream: BinaryIO, prefix: bytes, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """Yield (line number, line without its "\\n"), or (line number, None) for a line longer
    than ``limit`` bytes, which is skipped without being held in memory."""
    buf = prefix
    lineno = 0
    while True:
        nl = buf.find(b"\n")
        if nl >= 0:
            line, buf = buf[: nl + 1], buf[nl + 1:]
        else:
            need = limit + 1 - len(buf)
            line = buf + (stream.readline(need) if need > 0 else b"")
            buf = b""
            if not line:
                return
        lineno += 1
        ended = line.endswith(b"\n")
        body = line[:-1] if ended else line
        if len(body) > limit:
            if not ended:  # drain the rest of the over-long line
                while True:
                    chunk = stream.readline(1 << 20)
                    if not chunk or chunk.endswith(b"\n"):
                        break
            yield lineno, None
        else:
            yield lineno, body


def _jsonl_line(line_text: str, origin: str, lineno: int, meta: dict[str, object]) -> Document | Rejection:
    try:
        obj = orjson.loads(line_text)
    except orjson.JSONDecodeError as exc:
        msg = exc.msg or "invalid JSON"
        if "depth" in msg or "recurs" in msg:
            return Rejection(origin, lineno, "nested too deeply (over 1024 levels); flatten the record")
        return Rejection(origin, lineno, f"invalid JSON ({msg} at column {exc.colno}); fix the line or remove it")
    except RecursionError:
        return Rejection(origin, lineno, "nested too deeply; flatten the record")
    if not isinstance(obj, dict):
        return Rejection(
            origin, lineno, f'expected a JSON object with a "text" field, got {_json_type(obj)}; fix the line or remove it'
        )
    try:
        return _build_document(obj, origin, lineno, meta)
    except InputRejected as rej:
        return _rejection(rej)


# ---------------------------------------------------------------------------------------------
# Text / Markdown front matter
# ---------------------------------------------------------------------------------------------

_FM_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_.-]*)\s*:\s*(.*)$")
_LEADING_BLANK_LINES = re.compile(r"\A(?:[ \t]*\n)+")


def _split_front_matter(text: str, origin: str) -> tuple[dict[str, object], str]:
    """Split ``---``-delimited ``key: value`` front matter off the top of a text file.

    Returns (fields, body). The body is everything after the closing ``---`` line, leading
    blank lines removed. Supports quoted values, inline lists ``[a, "b"]`` and YAML-style
    ``- item`` lists; ``authors`` may also be comma- or semicolon-separated.
    """
    first_end = text.find("\n")
    first = text if first_end < 0 else text[:first_end]
    if first.rstrip() != "---":
        return {}, text
    # Find the closing line before parsing, so an unclosed block gets the precise message.
    lines: list[str] = []
    pos = first_end + 1
    close_end = -1
    while first_end >= 0 and pos <= len(text):
        end = text.find("\n", pos)
        line_str = text[pos:] if end < 0 else text[pos:end]
        if line_str.rstrip() == "---":
            close_end = len(text) if end < 0 else end + 1
            break
        lines.append(line_str)
        if end < 0:
            break
        pos = end + 1
    if close_end < 0:
        raise InputRejected(
            origin, None, "front matter opened with --- at line 1 is never closed; add a closing --- line or remove the opening one"
        )
    fields: dict[str, object] = {}
    list_key: str | None = None
    for offset, raw in enumerate(lines):
        lineno = offset + 2
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if list_key is not None and (stripped == "-" or stripped.startswith("- ")):
            item = _unquote(stripped[1:].strip())
            if item:
                items = fields[list_key]
                assert isinstance(items, list)
                items.append(item)
            continue
        m = _FM_KEY.match(stripped)
        if not m:
            raise InputRejected(
                origin, None, f"front matter line {lineno} is not 'key: value' ({stripped[:40]!r}); fix it or remove the front matter"
            )
        key = m.group(1).lower()
        value = (m.group(2) or "").strip()
        if key == "text":
            raise InputRejected(origin, None, f"front matter line {lineno} sets 'text'; the text is what follows the front matter, remove that line")
        if key in fields:
            log.warning("%s: front matter key %r given twice; the later value (line %d) wins", origin, key, lineno)
        if not value:
            fields[key] = []
            list_key = key
            continue
        list_key = None
        fields[key] = _front_matter_value(key, value)
    for key, value in fields.items():
        if value == []:
            fields[key] = None  # "key:" with nothing after it
    body = _LEADING_BLANK_LINES.sub("", text[close_end:], count=1)
    return fields, body


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        if value[0] == '"':
            try:
                loaded = orjson.loads(value)
                if isinstance(loaded, str):
                    return loaded
            except orjson.JSONDecodeError:
                pass
            return value[1:-1]
        return value[1:-1].replace("''", "'")
    return value


_LIST_ITEM = re.compile(r"""\s*("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^,]*)\s*(?:,|$)""")


def _split_list(inner: str) -> list[str]:
    items = []
    pos = 0
    while pos < len(inner):
        m = _LIST_ITEM.match(inner, pos)
        if not m or m.end() == pos:
            break
        item = _unquote(m.group(1).strip())
        if item:
            items.append(item)
        pos = m.end()
    return items


def _front_matter_value(key: str, value: str) -> object:
    if value.startswith("[") and value.endswith("]"):
        return _split_list(value[1:-1])
    unquoted = _unquote(value)
    if key == "authors" and unquoted == value:
        # Unquoted authors may be a comma- or semicolon-separated list.
        return [a.strip() for a in re.split(r"[;,]", value) if a.strip()]
    return unquoted


# ---------------------------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------------------------


def _document_from_html(html: str, origin: str, meta: dict[str, object]) -> Document:
    """Article text and metadata via trafilatura (boilerplate, scripts, styles and comments
    dropped). Dates come from the page's markup only, never guessed from its prose: a date
    mentioned in the text is not the publication date, and origin tracing depends on it."""
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

    def s(key: str) -> str | None:
        v = data.get(key)
        return v.strip() or None if isinstance(v, str) else None

    published: str | None = None
    if s("date"):
        try:
            published = parse_published(s("date"))
        except ValueError:
            log.debug("%s: ignoring unreadable page date %r", origin, s("date"))
    author = s("author")
    record: dict[str, object] = {
        "text": _clean_text(text),
        "title": s("title"),
        "source": s("sitename") or s("hostname"),
        "url": s("url"),
        "published": published,
        "authors": [a.strip() for a in author.split(";") if a.strip()] if author else [],
    }
    for key in ("description", "language", "license"):
        if s(key):
            record[key] = s(key)
    for key in ("categories", "tags"):
        v = data.get(key)
        if isinstance(v, list) and v and all(isinstance(x, str) for x in v):
            record[key] = v
    try:
        return _build_document(record, origin, None, meta)
    except InputRejected as rej:
        if rej.reason == _EMPTY:
            raise InputRejected(origin, None, _NO_HTML_TEXT) from None
        raise


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

    raw_id = record.get("id")
    if raw_id is None:
        doc_id = _id_from_normalised(normalised)
    elif isinstance(raw_id, bool) or not isinstance(raw_id, (str, int)):
        raise InputRejected(origin, line, f'field "id" must be a string or an integer, got {_json_type(raw_id)}; fix the record')
    else:
        doc_id = str(raw_id).replace("\x00", "").strip()
        if not doc_id:
            raise InputRejected(origin, line, 'field "id" is empty; give a non-empty id or leave the field out')
        _check_unicode(doc_id, "id", origin, line)

    source = _optional_str(record, "source", origin, line)
    title = _optional_str(record, "title", origin, line)
    url = _optional_str(record, "url", origin, line)

    try:
        published = parse_published(record.get("published"))
    except ValueError as exc:
        raise InputRejected(origin, line, f'field "published": {exc}') from None

    raw_authors = record.get("authors")
    if raw_authors is None:
        authors: tuple[str, ...] = ()
    elif isinstance(raw_authors, str):
        _check_unicode(raw_authors, "authors", origin, line)
        one = raw_authors.replace("\x00", "").strip()
        authors = (one,) if one else ()
    elif isinstance(raw_authors, (list, tuple)):
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
        authors = tuple(names)
    else:
        raise InputRejected(
            origin, line, f'field "authors" must be a string or a list of strings, got {_json_type(raw_authors)}; fix the record'
        )

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


# ---------------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------------


def _format_datetime(dt: datetime) -> str:
    if dt.tzinfo is None or dt.tzinfo.utcoffset(dt) is None:
        dt = dt.replace(tzinfo=timezone.utc)
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
    if (r1.year, r1.month, r1.day) != (r2.year, r2.month, r2.day):
        raise ValueError(f"'{s}' is not a full date (year, month and day); use ISO 8601, e.g. 2024-03-05")
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

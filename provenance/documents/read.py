"""Reading what :func:`~provenance.documents.walk.input_files` names, each file by its format."""

from __future__ import annotations

import os
import stat
import sys
from typing import BinaryIO, Iterator, Sequence

from ..errors import InputRejected
from . import decode
from .build import _EMPTY, Document, Rejection, _build_document, _clean_text, _rejection
from .frontmatter import _split_front_matter
from .jsonl import _read_jsonl
from .walk import Skipped, _display, _os_reason, input_files
from .webpage import _document_from_html

STDIN_ORIGIN = "<stdin>"


def read_inputs(paths: Sequence[str], stdin: BinaryIO | None = None) -> Iterator[Document | Rejection | Skipped]:
    """Yield a Document or a Rejection for every input under ``paths``, and a Skipped for every
    file a folder holds that is not read, in a deterministic order.

    Paths are taken in the order given; folders are walked recursively in name order without
    following symbolic links (a link to a folder is never entered; links that loop or lead out
    of the folder are rejected). ``"-"`` reads JSON Lines from ``stdin`` (binary; by default
    ``sys.stdin.buffer``). Files with unsupported extensions and hidden entries (names starting
    with ".") found while walking are skipped (each named by a Skipped); a file named explicitly
    with an unsupported extension is rejected.
    """
    if isinstance(paths, (str, bytes)):
        raise TypeError("read_inputs() takes a sequence of paths, not a single path string")
    for item in input_files(paths):
        if isinstance(item, (Rejection, Skipped)):
            yield item
        elif item.is_stdin:
            yield from _read_jsonl(stdin if stdin is not None else sys.stdin.buffer, STDIN_ORIGIN)
        else:
            yield from _read_file(item.path, item.kind)


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
            data = f.read(decode.MAX_FILE_BYTES + 1)
        except OSError as exc:
            yield Rejection(shown, None, _os_reason(exc))
            return
    if len(data) > decode.MAX_FILE_BYTES:
        yield Rejection(shown, None, f"file larger than {decode.MAX_FILE_BYTES // (1024 * 1024)} MiB; split it into smaller documents")
        return
    try:
        yield _document_from_bytes(data, kind, shown)
    except InputRejected as rej:
        yield _rejection(rej)


def _document_from_bytes(data: bytes, kind: str, origin: str) -> Document:
    """A whole .txt/.md/.html file."""
    if not data.strip():
        raise InputRejected(origin, None, _EMPTY)
    text, encoding = decode._decode(data, origin, None, html=(kind == "html"))
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

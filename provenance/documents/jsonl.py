"""JSON Lines: one document per non-blank line, streamed, a bad line never stopping the rest."""

from __future__ import annotations

from typing import BinaryIO, Iterator

import orjson

from ..errors import InputRejected
from . import decode
from .build import Document, Rejection, _build_document, _json_type, _rejection
from .walk import _os_reason

#: A JSONL line longer than this is rejected (the rest of the file is still read). Reading is
#: bounded by it, so a huge line never has to fit in memory whole.
MAX_LINE_BYTES = 50 * 1024 * 1024


def _read_jsonl(stream: BinaryIO, origin: str) -> Iterator[Document | Rejection]:
    """Stream a JSONL file: one Document or Rejection per non-blank line; a bad line never stops
    the rest. Memory is bounded by MAX_LINE_BYTES (longer lines are skipped, not buffered)."""
    try:
        head = _read_upto(stream, decode.BINARY_SNIFF_BYTES)
        found = decode._bom(head)
        if found and found[1] != "utf-8":
            yield from _read_wide_jsonl(stream, head, *found, origin)
            return
        if found:
            head = head[len(found[0]):]
        elif b"\x00" in head:
            yield Rejection(origin, None, "binary file, not indexed")
            return
        yield from _read_utf8_lines(stream, head, origin)
    except OSError as exc:
        yield Rejection(origin, None, _os_reason(exc))


def _read_wide_jsonl(stream: BinaryIO, head: bytes, bom: bytes, codec: str, origin: str) -> Iterator[Document | Rejection]:
    """UTF-16/32 JSONL can't be split on b"\\n": decode it whole (bounded by MAX_FILE_BYTES)."""
    limit = decode.MAX_FILE_BYTES
    data = head + stream.read(limit + 1 - len(head))
    if len(data) > limit:
        yield Rejection(origin, None, f"{codec.upper()} file larger than {limit // (1024 * 1024)} MiB; re-encode it as UTF-8")
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


def _read_utf8_lines(stream: BinaryIO, head: bytes, origin: str) -> Iterator[Document | Rejection]:
    """Lines of a byte stream, each decoded on its own (a legacy-encoded line is still read)."""
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
            line_text, encoding = decode._decode(raw, origin, lineno, whole_file=False)
        except InputRejected as rej:
            yield _rejection(rej)
            continue
        if encoding:
            meta["encoding"] = encoding
        yield _jsonl_line(line_text, origin, lineno, meta)


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

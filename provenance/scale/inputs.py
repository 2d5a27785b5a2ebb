"""The read stage's partitions: the inputs cut into chunks that workers read on their own.

The driver walks the paths with the one-machine walk (:func:`~provenance.documents.input_files`,
so the same files in the same order) and cuts them into chunks: a large UTF-8 JSON Lines file
into byte ranges that end on a line break (with the number of lines before each, so every
document and rejection keeps its file line), small files in groups. A worker reads a chunk with
the one-machine readers and yields, in order, a Document or a Rejection per input; (chunk,
position) is then the input order, which numbers documents and claims as on one machine.
"""

from __future__ import annotations

import io
import mmap
import os
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

import orjson

from ..documents import Document, Rejection, Skipped, decode, input_files
from ..documents.jsonl import _read_jsonl, _read_utf8_lines
from ..documents.read import STDIN_ORIGIN, _read_file

# A JSON Lines file larger than this is read as several chunks.
CHUNK_BYTES = 32 * 1024 * 1024
# Small files (one document each) read by one task.
FILES_PER_CHUNK = 64


@dataclass(frozen=True)
class Chunk:
    """What one read task reads: whole files, a byte range of one JSON Lines file, or a
    rejection the walk already made (kept in its place in the input order)."""

    index: int
    files: tuple[tuple[str, str], ...] = ()      # (path, kind) read whole
    path: str | None = None                       # a JSON Lines range: file, [start, end)
    start: int = 0
    end: int = 0
    lines_before: int = 0
    origin: str | None = None                     # the name messages use (stdin's is <stdin>)
    rejection: tuple[str, int | None, str] | None = None

    def to_item(self) -> dict[str, Any]:
        return {"chunk": self.index, "spec": orjson.dumps(asdict(self)).decode()}


def plan_chunks(
    paths: Sequence[str], stdin_file: str | None = None, chunk_bytes: int = CHUNK_BYTES
) -> tuple[list[Chunk], list[Skipped]]:
    """The chunks of everything under ``paths``, in input order, and the files the walk left
    out (as one machine lists them). ``-`` stands for ``stdin_file``, where the caller saved
    standard input."""
    chunks: list[Chunk] = []
    skipped: list[Skipped] = []
    group: list[tuple[str, str]] = []

    def flush() -> None:
        if group:
            chunks.append(Chunk(len(chunks), files=tuple(group)))
            group.clear()

    for item in input_files(paths):
        if isinstance(item, Skipped):
            skipped.append(item)
            continue
        if isinstance(item, Rejection):
            flush()
            chunks.append(Chunk(len(chunks), rejection=(item.path, item.line, item.reason)))
            continue
        path, origin = (stdin_file, STDIN_ORIGIN) if item.is_stdin else (item.path, None)
        if item.kind == "jsonl" and (item.is_stdin or os.path.getsize(item.path) > chunk_bytes):
            flush()
            for start, end, before in _line_ranges(path, chunk_bytes):
                chunks.append(Chunk(len(chunks), path=path, start=start, end=end, lines_before=before, origin=origin))
            continue
        group.append((item.path, item.kind))
        if len(group) >= FILES_PER_CHUNK:
            flush()
    flush()
    return chunks, skipped


def _line_ranges(path: str, chunk_bytes: int) -> Iterator[tuple[int, int, int]]:
    """(start, end, lines before start) of ranges of about ``chunk_bytes`` that end after a line
    break. A file that must be decoded whole (UTF-16/32, binary) is one range."""
    size = os.path.getsize(path)
    if size == 0:
        yield 0, 0, 0
        return
    with open(path, "rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
        head = data[: decode.BINARY_SNIFF_BYTES]
        found = decode._bom(head)
        if (found and found[1] != "utf-8") or (not found and b"\x00" in head):
            yield 0, size, 0
            return
        start, before = 0, 0
        while start < size:
            cut = data.find(b"\n", min(start + chunk_bytes, size) - 1)
            end = size if cut < 0 else cut + 1
            yield start, end, before
            before += data[start:end].count(b"\n")
            start = end


def read_chunk(chunk: Chunk) -> Iterator[Document | Rejection]:
    """Every document and rejection of ``chunk``, in input order, as the one-machine readers
    yield them (line numbers counted from the start of the file)."""
    if chunk.rejection is not None:
        yield Rejection(*chunk.rejection)
        return
    for path, kind in chunk.files:
        yield from _read_file(path, kind)
    if chunk.path is None:
        return
    origin = chunk.origin or _read_name(chunk.path)
    with open(chunk.path, "rb") as fh:
        fh.seek(chunk.start)
        data = fh.read(chunk.end - chunk.start)
    stream = io.BytesIO(data)
    items = _read_jsonl(stream, origin) if chunk.start == 0 else _read_utf8_lines(stream, b"", origin)
    for item in items:
        if chunk.lines_before and item.line is not None:
            item = replace(item, line=item.line + chunk.lines_before)
        yield item


def _read_name(path: str) -> str:
    from ..documents.walk import _display

    return _display(path)


def chunk_from_spec(spec: str) -> Chunk:
    fields = orjson.loads(spec)
    fields["files"] = tuple(tuple(f) for f in fields["files"])
    if fields["rejection"] is not None:
        fields["rejection"] = tuple(fields["rejection"])
    return Chunk(**fields)

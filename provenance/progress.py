"""How many documents an ``index`` run will read, so its progress bar can show a fraction.

An estimate made before indexing, cheaply: JSON Lines files count their non-blank lines, every
other supported file counts one. The files are those ``documents.input_files`` yields, the very
walk ``documents.read_inputs`` reads (hidden entries and unsupported files left out, links not
followed). Rejected inputs are never indexed, so a run with rejections ends short of the total;
stdin (``-``) has no total at all.
"""

from __future__ import annotations

from typing import Sequence

from .documents import Rejection, Skipped, input_files

# Past this many files the walk costs more than the bar is worth: show a counter instead.
MAX_FILES = 200_000


def _jsonl_lines(path: str) -> int:
    n = 0
    with open(path, "rb") as f:
        for line in f:
            if line.strip():
                n += 1
    return n


def estimate_documents(paths: Sequence[str]) -> int | None:
    """The number of documents under ``paths``, or None when it cannot be known cheaply."""
    total = files = 0
    try:
        for item in input_files(paths):
            if isinstance(item, (Rejection, Skipped)):
                continue
            if item.is_stdin:
                return None
            files += 1
            if files > MAX_FILES:
                return None
            total += _jsonl_lines(item.path) if item.kind == "jsonl" else 1
    except OSError:
        return None
    return total or None

"""How many documents an ``index`` run will read, so its progress bar can show a fraction.

An estimate made before indexing, cheaply: JSON Lines files count their non-blank lines, every
other supported file counts one, folders are walked like ``documents.read_inputs`` walks them
(hidden entries and unsupported files left out, links not followed). Rejected inputs are never
indexed, so a run with rejections ends short of the total; stdin (``-``) has no total at all.
"""

from __future__ import annotations

import os
from typing import Sequence

from .documents.walk import _kind_of

# Past this many files the walk costs more than the bar is worth: show a counter instead.
MAX_FILES = 200_000


def _jsonl_lines(path: str) -> int:
    n = 0
    with open(path, "rb") as f:
        for line in f:
            if line.strip():
                n += 1
    return n


def _count_file(path: str) -> int:
    kind = _kind_of(path)
    if kind is None:
        return 0
    if kind == "jsonl":
        return _jsonl_lines(path)
    return 1


def estimate_documents(paths: Sequence[str]) -> int | None:
    """The number of documents under ``paths``, or None when it cannot be known cheaply."""
    total = files = 0
    try:
        for given in paths:
            if given == "-":
                return None
            if os.path.isdir(given):
                for folder, dirs, names in os.walk(given):
                    dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not os.path.islink(os.path.join(folder, d)))
                    for name in names:
                        if name.startswith("."):
                            continue
                        files += 1
                        if files > MAX_FILES:
                            return None
                        total += _count_file(os.path.join(folder, name))
            elif os.path.isfile(given):
                total += _count_file(given)
    except OSError:
        return None
    return total or None

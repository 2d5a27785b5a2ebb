"""Which files the given paths name: folders walked, links judged, file types told apart.

:func:`input_files` is the one walk of the input paths. :func:`~provenance.documents.read_inputs`
reads what it yields and :func:`provenance.progress.estimate_documents` counts it, so the
progress bar's total and the run can never disagree about which files are read.
"""

from __future__ import annotations

import errno
import logging
import os
import stat
from dataclasses import dataclass
from typing import Iterable, Iterator

from .build import Rejection

log = logging.getLogger(__package__)  # log lines say "provenance.documents", whichever step logs

#: The path of standard input among the given paths (read as JSON Lines).
STDIN_PATH = "-"

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


@dataclass(frozen=True)
class Skipped:
    """A file or folder met while walking a folder and left out on purpose (an unsupported file
    type, a hidden entry): not an error, but named so nobody wonders where it went."""

    path: str
    reason: str


@dataclass(frozen=True)
class InputFile:
    """A file to read: its path (joined from the path given) and the reader its extension
    picks (``"jsonl"``, ``"text"``, ``"markdown"`` or ``"html"``). Standard input is
    ``InputFile(STDIN_PATH, "jsonl")``."""

    path: str
    kind: str

    @property
    def is_stdin(self) -> bool:
        return self.path == STDIN_PATH


def input_files(paths: Iterable[str | os.PathLike[str] | bytes]) -> Iterator[InputFile | Rejection | Skipped]:
    """Yield every file to read under ``paths``, a Rejection for what can't be read, and a
    Skipped for what a folder holds that is not read.

    Paths are taken in the order given; folders are walked recursively in name order without
    following symbolic links (a link to a folder is never entered; links that loop or lead out
    of the folder are rejected). Files with unsupported extensions and hidden entries (names
    starting with ".") found while walking are skipped, each named; a file named explicitly
    with an unsupported extension is rejected. Lazy: each path is looked at only when reached.
    """
    for given in paths:
        given = os.fspath(given)
        if isinstance(given, bytes):
            given = os.fsdecode(given)
        if given == STDIN_PATH:
            yield InputFile(STDIN_PATH, "jsonl")
        else:
            yield from _named_path(given)


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


def _named_path(given: str) -> Iterator[InputFile | Rejection | Skipped]:
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
            yield InputFile(given, kind)
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


def _walk(root: str) -> Iterator[InputFile | Rejection | Skipped]:
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
            yield Skipped(_display(path), "hidden (its name starts with '.'); name it explicitly to index it")
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
                yield Skipped(_display(path), _unsupported_reason(entry.name))
            elif entry.is_file(follow_symlinks=False):
                yield InputFile(path, _kind_of(entry.name) or "text")
            else:
                yield Rejection(_display(path), None, "not a regular file (device, pipe or socket); not indexed")
        except OSError as exc:
            yield Rejection(_display(path), None, _os_reason(exc))


def _walked_symlink(path: str, root_real: str) -> Iterator[InputFile | Rejection | Skipped]:
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
        yield Skipped(shown, _unsupported_reason(path))
    elif not inside:
        yield Rejection(
            shown, None, "symbolic link to a file outside the walked folder; not followed (name it explicitly to index it)"
        )
    elif not stat.S_ISREG(st.st_mode):
        yield Rejection(shown, None, "not a regular file (device, pipe or socket); not indexed")
    else:
        yield InputFile(path, kind)


def _is_within(path: str, folder: str) -> bool:
    try:
        return os.path.commonpath([path, folder]) == folder
    except ValueError:  # different drives (Windows)
        return False

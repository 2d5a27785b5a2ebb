"""A consistent copy of a store, taken while an indexer may be writing it, and its restore.

The database is copied with SQLite's online backup API in one step, so the copy is one committed
state whatever a writer commits meanwhile (a plain file copy of a live WAL database can be torn:
howtocorrupt.html). The vector snapshot is derived data: the one the manifest names is copied
*before* the database, its SHA-256 checked against the manifest, so it covers only claims the
database copy holds too; a store opened from the copy adds the claims after it from SQLite, as
every open does. The copy is a store folder itself (``provenance --store COPY report`` works),
and :func:`restore_store` checks a backup whole before copying it into an empty folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import sqlite3
import stat
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from ..errors import StoreCorrupt, StoreNotFound, UsageProblem
from .files import atomic_write, build_into_place, refuse_unsafe_folder
from .manifest import MANIFEST_NAME
from .schema import DB_NAME
from .sqlite import connect_readonly, harden

log = logging.getLogger(__name__)

# A writer replaces the snapshot (and deletes the old one) at most every 1,000 claims, so a
# copy that loses the race a few times in a row means something else is wrong.
_SNAPSHOT_TRIES = 5
_CHUNK = 1 << 20


@dataclass
class CopyResult:
    source: str
    dest: str
    documents: int
    claims: int
    snapshot_vectors: int | None  # vectors in the copied snapshot; None when none was copied
    seconds: float

    def to_json(self) -> dict:
        return dict(self.__dict__, seconds=round(self.seconds, 3))


def backup_store(source: str | os.PathLike, dest: str | os.PathLike) -> CopyResult:
    """Copy the store at ``source`` into ``dest`` (a new or empty folder), consistently even
    while an indexer writes ``source``; takes no lock."""
    started = time.perf_counter()
    src, out = Path(source), Path(dest)
    if not (src / DB_NAME).is_file():
        raise StoreNotFound(str(src))
    refuse_unsafe_folder(src)
    _empty_folder(out, "back up into")
    refuse_unsafe_folder(out)
    try:
        manifest, vectors = _copy_snapshot(src, out)
        _copy_database(src / DB_NAME, out)
        manifest["vectors"] = vectors
        atomic_write(out / MANIFEST_NAME, orjson.dumps(manifest, option=orjson.OPT_INDENT_2))
    except BaseException:
        _remove_partial(out)
        raise
    documents, claims = _counts(out / DB_NAME)
    return CopyResult(str(src), str(out), documents, claims, vectors.get("count") if vectors else None, time.perf_counter() - started)


def restore_store(backup: str | os.PathLike, target: str | os.PathLike) -> CopyResult:
    """Check the backup at ``backup`` whole, then copy it into ``target`` (a new or empty
    folder), which becomes a store."""
    from .inspect import inspect_store

    src = Path(backup)
    if not (src / DB_NAME).is_file():
        raise StoreNotFound(str(src))
    found = inspect_store(src)
    if not found.sqlite_ok:
        raise StoreCorrupt(f"backup {src} is damaged ({'; '.join(found.problems)}); restore another backup")
    return backup_store(src, target)


def _empty_folder(folder: Path, what: str) -> None:
    """Create ``folder``, or accept it when it exists and is empty."""
    if folder.exists():
        if not folder.is_dir():
            raise UsageProblem(f"{folder} is a file; give a new or empty folder to {what}")
        if any(folder.iterdir()):
            raise UsageProblem(f"{folder} is not empty; give a new or empty folder to {what} (nothing was overwritten)")
        return
    try:
        folder.mkdir(parents=True)
    except OSError as exc:
        raise UsageProblem(f"cannot create {folder} ({exc.strerror}); give a folder you can write") from exc


def _copy_snapshot(src: Path, out: Path) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The source's manifest, and the entry of the snapshot copied into ``out`` (None when
    there is none to copy: the copy then rebuilds it from SQLite on first open)."""
    for _ in range(_SNAPSHOT_TRIES):
        manifest = _read_manifest(src)
        entry = manifest.get("vectors")
        if not isinstance(entry, dict) or not entry.get("file"):
            return manifest, None
        name = str(entry["file"])
        if os.path.basename(name) != name or name.startswith("."):
            log.warning("manifest of %s names %r, not a file beside it; the copy rebuilds its vectors", src, name)
            return manifest, None
        try:
            digest = _copy_file(src / name, out / name)
        except FileNotFoundError:
            continue  # a writer committed a newer snapshot and removed this one: read again
        if digest == entry.get("sha256"):
            # The file's identity (inode, times) belongs to the original, never to a copy.
            return manifest, {k: v for k, v in entry.items() if k != "identity"}
        (out / name).unlink()
        if _read_manifest(src).get("vectors") == entry:
            log.warning("vector snapshot %s of %s fails its checksum; the copy rebuilds its vectors", name, src)
            return manifest, None
    raise StoreCorrupt(f"the vector snapshot of {src} kept changing while it was copied; run backup again")


def _read_manifest(src: Path) -> dict[str, Any]:
    try:
        data = orjson.loads((src / MANIFEST_NAME).read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def _copy_file(path: Path, dest: Path) -> str:
    """Copy ``path`` to ``dest`` (fsynced); returns the SHA-256 of the bytes copied."""
    digest = hashlib.sha256()
    with open(path, "rb") as fin, open(dest, "xb") as fout:
        while chunk := fin.read(_CHUNK):
            digest.update(chunk)
            fout.write(chunk)
        fout.flush()
        os.fsync(fout.fileno())
    return digest.hexdigest()


def _copy_database(db_path: Path, out: Path) -> None:
    """SQLite's online backup of ``db_path`` into ``out``, under a temporary name until whole."""

    def build(tmp: str) -> None:
        source = connect_readonly(db_path)
        try:
            harden(source)
            target = sqlite3.connect(tmp)
            try:
                # One step (pages=-1): the whole copy is read in one transaction, one state.
                source.backup(target)
                rows = [r[0] for r in target.execute("PRAGMA quick_check(5)")]
                if rows != ["ok"]:
                    raise StoreCorrupt(
                        f"the copy of {db_path} fails SQLite's check ({'; '.join(rows)}); the source may be "
                        "damaged: run 'provenance check'"
                    )
                target.execute("PRAGMA journal_mode=WAL")
            finally:
                target.close()
        finally:
            source.close()

    build_into_place(out, DB_NAME, build)


def _counts(db_path: Path) -> tuple[int, int]:
    db = connect_readonly(db_path)
    try:
        return (
            db.execute("SELECT count(*) FROM documents").fetchone()[0],
            db.execute("SELECT count(*) FROM claims").fetchone()[0],
        )
    finally:
        db.close()


def _remove_partial(out: Path) -> None:
    """Leave no half-made copy: remove what this copy wrote (the folder was empty before)."""
    for f in out.iterdir():
        if stat.S_ISREG(f.lstat().st_mode):
            with contextlib.suppress(OSError):
                f.unlink()

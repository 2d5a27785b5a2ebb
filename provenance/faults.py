"""Crash injection for the reliability tests.

``$PROVENANCE_TEST_CRASH_AT=<point>[:<n>]`` makes the process SIGKILL itself the ``n``-th time
(default the first) it reaches the named point, the way ``kill -9`` or a power cut would stop it:
no ``finally`` blocks, no ``atexit``, no flushing. Unset (always, outside tests) it costs one
dictionary lookup per point.

Points: ``embedded`` (a batch is embedded, nothing written yet), ``before-commit`` (inside a
write transaction, all rows inserted), ``after-commit`` (a batch committed, vectors not yet in
the index), ``mid-file-write`` (half of a snapshot or manifest written to its temporary file),
``before-rename`` (temporary file complete and fsynced), ``before-manifest`` (new snapshot in
place, manifest not yet pointing at it), ``create-before-rename`` (a new store's database built
under its temporary name); for ``index --engine ray``: ``dataset-stage`` (a stage of the run
finished and marked done), ``dataset-before-manifest`` (every file of the run written, the
manifest not yet replaced).
"""

from __future__ import annotations

import os
import signal
from collections import Counter

ENV = "PROVENANCE_TEST_CRASH_AT"
POINTS = (
    "embedded",
    "before-commit",
    "after-commit",
    "mid-file-write",
    "before-rename",
    "before-manifest",
    "create-before-rename",
    "dataset-stage",
    "dataset-before-manifest",
)

_hits: Counter[str] = Counter()


def crash_point(name: str) -> None:
    """Die here, now, if the environment asks for it."""
    spec = os.environ.get(ENV)
    if not spec:
        return
    point, _, nth = spec.partition(":")
    if point != name:
        return
    _hits[name] += 1
    if _hits[name] >= int(nth or 1):
        os.kill(os.getpid(), signal.SIGKILL)

"""``provenance check``: is a store whole, and can what is not be rebuilt?

SQLite is the truth and cannot be rebuilt from anything else, so its damage is reported with
what to do (restore a backup, or salvage with the sqlite3 shell's ``.recover``). Everything
derived from it can be: the FAISS snapshot (from the stored vectors) and the clusters (from the
stored matches). ``--repair`` rebuilds what is wrong; ``--rebuild`` rebuilds both regardless.
What is looked at lives in :mod:`provenance.store.inspect`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .errors import StoreNotFound
from .store import Store
from .store.inspect import inspect_store
from .store.vectors import index_ids

log = logging.getLogger(__name__)


@dataclass
class CheckResult:
    store: str
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    sqlite_ok: bool = True
    kind: str = "sqlite"

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict:
        return {
            "store": self.store,
            "ok": self.ok,
            "sqlite_ok": self.sqlite_ok,
            "problems": self.problems,
            "notes": self.notes,
            "repaired": self.repaired,
            "counts": self.counts,
        }


def _inspect(p: Path) -> CheckResult:
    found = inspect_store(p)
    return CheckResult(str(p), found.problems, found.notes, [], found.counts, found.sqlite_ok)


def check_store(path: str | Path, *, repair: bool = False, rebuild: bool = False, wait: bool = False) -> CheckResult:
    """Check the store at ``path``; with ``repair`` rebuild what is derived and wrong (with
    ``rebuild`` also what is right), then check again."""
    p = Path(path)
    if not Store.exists(p):
        from .store.kinds import DATASET, store_kind

        if store_kind(p) == DATASET:
            return _check_dataset(p, repair)
        raise StoreNotFound(str(p))
    result = _inspect(p)
    if not (repair and result.sqlite_ok and (rebuild or not result.ok or result.notes)):
        return result
    from .pipeline import recluster

    with Store.open_for_writing(p, wait=wait) as store:
        store.vectors.rebuild()
        store.vectors.save_snapshot()
        repaired = [f"vector snapshot rebuilt from SQLite ({store.vectors.index().ntotal} vectors)"]
        clusters = recluster(store)
        repaired.append(f"clusters rebuilt from the stored matches ({clusters} clusters)")
    after = _inspect(p)
    after.repaired = repaired
    return after


def _check_dataset(p: Path, repair: bool) -> CheckResult:
    from .store.dataset import require_pyarrow

    require_pyarrow(f"checking the dataset store {p}")
    from .store.dataset.verify import inspect_dataset

    problems, counts = inspect_dataset(p)
    notes = ["a dataset store is written once per run and never repaired in place; --repair did nothing"] if repair else []
    return CheckResult(str(p), problems, notes, [], counts, sqlite_ok=True, kind="dataset")


def invariant_violations(path: str | Path, *, every_document_has_claims: bool = False) -> list[str]:
    """What the crash tests require after any interruption, as a list of violations (empty: ok).

    The store opens for reading; SQLite passes ``integrity_check``; every document has its claims
    and every claim its vector; the vector index a reader gets (snapshot plus catch-up, or a
    rebuild) holds exactly the SQLite claim ids; check finds no problem.
    """
    out: list[str] = []
    result = check_store(path)
    out.extend(result.problems)
    if not result.sqlite_ok:
        return out
    with Store.open(path) as store:
        empty = every_document_has_claims and store.documents_without_claims()
        if empty:
            out.append(f"{empty} documents without claims")
        faiss_ids = np.sort(index_ids(store.vectors.index()))
        sql_ids = store.claim_ids()
        if not np.array_equal(faiss_ids, sql_ids):
            out.append(f"FAISS holds {len(faiss_ids)} ids, SQLite {len(sql_ids)} claims, and they differ")
        dup = store.duplicate_document_ids()
        if dup:
            out.append(f"{dup} duplicate document ids")
    return out

"""What ``provenance check`` looks at in a dataset store: that the manifest's files are there
and hold what it says.

Every table file the manifest names must exist and be readable Parquet, each table's rows must
add up to the manifest's count (quote units too), claim ids and document numbers must run 1..n without a gap,
every claim must have its vector, and the vector index must match its checksum and hold every
claim. Nothing in a committed dataset store is rebuilt in place (it is written once per run);
what to do about a problem is said with it.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .layout import read_manifest
from .reader import DatasetStore
from .schema import TABLES


def inspect_dataset(p: Path) -> tuple[list[str], dict[str, int]]:
    """(problems, counts) of the dataset store at ``p``."""
    manifest = read_manifest(p)
    if manifest is None:
        return [f"{p} has no readable dataset manifest"], {}
    problems: list[str] = []
    for table in TABLES:
        missing = [f for f in manifest["tables"].get(table, []) if not (p / f).is_file()]
        if missing:
            problems.append(f"{len(missing)} {table} file(s) named by the manifest are missing (first: {missing[0]})")
    if problems:
        return [*problems, "restore the store from a backup, or index the inputs again into a new store"], {}
    data = DatasetStore.open(p)
    counts: dict[str, int] = {}
    try:
        for table in TABLES:
            counts[table] = data.tables[table].num_rows()
            if counts[table] != manifest["counts"][table]:
                problems.append(f"{table}: {counts[table]} rows, the manifest says {manifest['counts'][table]}")
        problems.extend(_numbering(data))
        problems.extend(_index(data))
    except Exception as exc:  # noqa: BLE001 - any unreadable file is a finding, not a crash
        problems.append(f"a table file cannot be read ({type(exc).__name__}: {exc})")
    finally:
        data.release()
    if problems:
        problems.append("the store is damaged: restore it from a backup, or index the inputs again into a new store")
    return problems, counts


def _numbering(data: DatasetStore) -> list[str]:
    out = []
    nums = np.sort(data.tables["documents"].read(["num"])["num"].to_numpy())
    if not np.array_equal(nums, np.arange(1, len(nums) + 1)):
        out.append("document numbers do not run 1..n")
    claims = data.tables["claims"].read(["id", "vid", "parent"])
    ids = np.sort(claims["id"].to_numpy())
    if not np.array_equal(ids, np.arange(1, len(ids) + 1)):
        out.append("claim ids do not run 1..n")
    parents = claims["parent"].drop_null().to_numpy()
    if len(parents) != data.quote_unit_count():
        out.append(f"{len(parents)} quote units, the manifest says {data.quote_unit_count()}")
    if len(parents) and not np.isin(parents, ids).all():
        out.append("some quote units name an enclosing claim the store does not hold")
    vids = data.tables["vectors"].read(["vid"])["vid"].to_numpy()
    if len(claims) and not np.isin(claims["vid"].to_numpy(), vids).all():
        out.append("some claims have no vector")
    return out


def _index(data: DatasetStore) -> list[str]:
    entry = data.manifest().get("index")
    if not entry:
        return [] if not data.claim_count() else ["the manifest names no vector index"]
    try:
        index = data.vectors.index()
    except Exception as exc:  # noqa: BLE001
        return [str(exc)]
    if int(index.ntotal) != data.claim_count():
        return [f"the vector index holds {index.ntotal} claims, the store {data.claim_count()}"]
    return []

"""One table of a dataset store: its Parquet files, read whole or by key.

Tables are written sorted by their key, in row groups of :data:`ROW_GROUP_ROWS`, so the
statistics Parquet keeps per row group (the key's min and max) say where a key can be: a lookup
of a few keys (what ``trace`` asks for) reads only the row groups that can hold them, not the
table. Row groups read are kept in a small per-table cache, because the stages that look rows up
(matching, clustering) ask again and again for keys near each other.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

log = logging.getLogger(__name__)

# Rows per Parquet row group: small enough that a lookup of one key decodes little, large
# enough that a whole-table read is not dominated by per-group overhead.
ROW_GROUP_ROWS = 16_384
# Bytes of decoded row groups one table keeps.
CACHE_BYTES = 256 * 1024 * 1024


class ParquetTable:
    """The Parquet files of one table (paths relative to ``root``), keyed by ``key``."""

    def __init__(self, root: Path, files: Sequence[str], key: str, schema: pa.Schema) -> None:
        self.root = root
        self.files = list(files)
        self.key = key
        self.schema = schema
        self._groups: list[tuple[int, int, float, float]] | None = None  # (file, group, min, max)
        self._cache: OrderedDict[tuple[int, int, tuple[str, ...]], pa.Table] = OrderedDict()
        self._cached_bytes = 0
        self._whole: dict[tuple[str, ...], pa.Table] = {}

    def _columns(self, columns: Sequence[str] | None) -> tuple[str, ...]:
        return tuple(columns) if columns else tuple(self.schema.names)

    def _empty(self, columns: tuple[str, ...]) -> pa.Table:
        return self.schema.empty_table().select(list(columns))

    def read(self, columns: Sequence[str] | None = None) -> pa.Table:
        """The whole table (the given columns), in file order."""
        cols = self._columns(columns)
        if cols not in self._whole:
            parts = [self._cast(pq.read_table(self.root / f, columns=list(cols)), cols) for f in self.files]
            self._whole[cols] = pa.concat_tables(parts) if parts else self._empty(cols)
        return self._whole[cols]

    def sorted(self, columns: Sequence[str] | None = None, by: Sequence[str] | None = None) -> pa.Table:
        """The whole table sorted by ``by`` (default: its key)."""
        table = self.read(columns)
        return table.sort_by([(c, "ascending") for c in (by or [self.key])])

    def lookup(self, keys: Iterable[int], columns: Sequence[str] | None = None) -> pa.Table:
        """The rows whose key is among ``keys`` (in table order), reading only the row groups
        whose key range can hold one of them."""
        cols = self._columns(columns)
        if self.key not in cols:
            cols = (self.key, *cols)
        wanted = np.unique(np.fromiter((int(k) for k in keys), dtype=np.int64))
        if not len(wanted) or not self.files:
            return self._empty(cols)
        for cached in self._whole.values():
            if set(cols) <= set(cached.column_names):
                return cached.filter(pc.is_in(cached[self.key], pa.array(wanted))).select(list(cols))
        parts = []
        for fi, gi, lo, hi in self._row_groups():
            left = np.searchsorted(wanted, lo, side="left")
            if left < len(wanted) and wanted[left] <= hi:
                part = self._group(fi, gi, cols)
                parts.append(part.filter(pc.is_in(part[self.key], pa.array(wanted))))
        return pa.concat_tables(parts) if parts else self._empty(cols)

    def _row_groups(self) -> list[tuple[int, int, float, float]]:
        if self._groups is None:
            groups = []
            for fi, f in enumerate(self.files):
                meta = pq.ParquetFile(self.root / f).metadata
                col = meta.schema.names.index(self.key)
                for gi in range(meta.num_row_groups):
                    stats = meta.row_group(gi).column(col).statistics
                    if stats is not None and stats.has_min_max:
                        groups.append((fi, gi, float(stats.min), float(stats.max)))
                    else:  # no statistics: the group may hold any key
                        groups.append((fi, gi, float("-inf"), float("inf")))
            self._groups = groups
        return self._groups

    def _group(self, fi: int, gi: int, cols: tuple[str, ...]) -> pa.Table:
        key = (fi, gi, cols)
        hit = self._cache.get(key)
        if hit is not None:
            self._cache.move_to_end(key)
            return hit
        part = self._cast(pq.ParquetFile(self.root / self.files[fi]).read_row_group(gi, columns=list(cols)), cols)
        self._cache[key] = part
        self._cached_bytes += part.nbytes
        while self._cached_bytes > CACHE_BYTES and len(self._cache) > 1:
            _, old = self._cache.popitem(last=False)
            self._cached_bytes -= old.nbytes
        return part

    def _cast(self, table: pa.Table, cols: tuple[str, ...]) -> pa.Table:
        # Writers may store a string column as large_string or a list as a large list.
        return table.select(list(cols)).cast(pa.schema([self.schema.field(c) for c in cols]))

    def num_rows(self) -> int:
        return sum(pq.ParquetFile(self.root / f).metadata.num_rows for f in self.files)


def write_table(path: Path, table: pa.Table, key: str | None = None) -> None:
    """Write ``table`` (sorted by ``key`` when given) as one Parquet file in row groups."""
    if key is not None:
        table = table.sort_by(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, row_group_size=ROW_GROUP_ROWS)

"""``provenance documents`` for a person: one aligned row per stored document.

Values come from documents, so they pass through :func:`provenance.output.text._plain` (no
terminal escape sequences); a value too long for its column ends in an ellipsis rather than
wrapping, so each document stays on one line.
"""

from __future__ import annotations

from collections.abc import Sequence

from .common import end_with_newline, short_date
from .text import _plain

__all__ = ["render_documents"]

_GAP = "  "


def render_documents(rows: Sequence, width: int = 100) -> str:
    """A table of ``rows`` (:class:`provenance.inventory.DocumentRow`), then a count line."""
    if not rows:
        return "The store holds no document.\n"
    table = [
        (_plain(r.id), _plain(r.name), _plain(r.outlet) or "-", short_date(_plain(r.published)) or "undated",
         str(r.claims), str(r.reused_claims), _plain(r.location) or "-")
        for r in rows
    ]  # fmt: skip
    head = ("id", "name", "outlet", "date", "claims", "reused", "url or file")
    widths = _widths([head, *table], width)
    right = {4, 5}
    lines = [_row(head, widths, right), "─" * min(width, sum(widths) + len(_GAP) * (len(widths) - 1))]
    lines += [_row(cells, widths, right) for cells in table]
    shared = sum(1 for r in rows if r.reused_claims)
    lines.append(f"{len(rows)} document{'s' if len(rows) != 1 else ''}, {shared} sharing claims with other documents")
    return end_with_newline("\n".join(line.rstrip() for line in lines))


def _widths(table: list[tuple[str, ...]], width: int) -> list[int]:
    """Column widths: the id, outlet, date and counts as wide as they need (id and outlet
    capped), the name and the location sharing the rest of ``width``."""
    need = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    widths = need[:]
    widths[0], widths[2] = min(need[0], 24), min(need[2], 20)
    rest = max(width - len(_GAP) * (len(widths) - 1) - sum(widths[i] for i in (0, 2, 3, 4, 5)), 24)
    widths[1] = min(need[1], max(12, rest * 3 // 5))
    widths[6] = min(need[6], max(12, rest - widths[1]))
    widths[1] = min(need[1], max(12, rest - widths[6]))
    return widths


def _row(cells: Sequence[str], widths: list[int], right: set[int]) -> str:
    out = []
    for i, (cell, w) in enumerate(zip(cells, widths)):
        if len(cell) > w:
            cell = cell[: max(w - 1, 0)] + "…"
        out.append(cell.rjust(w) if i in right else cell.ljust(w))
    return _GAP.join(out)

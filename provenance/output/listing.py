"""``provenance documents`` for a person: one aligned row per stored document.

Values come from documents, so they pass through :func:`provenance.output.text._plain` (no
terminal escape sequences); a value too long for its column ends in an ellipsis rather than
wrapping, so each document stays on one line; ids are never cut (other commands take them).
"""

from __future__ import annotations

from collections.abc import Sequence

from .common import end_with_newline, short_date
from .text import _plain

__all__ = ["render_documents"]

_GAP = "  "


def render_documents(rows: Sequence, width: int | None = None) -> str:
    """A table of ``rows`` (:class:`provenance.inventory.DocumentRow`), then a count line;
    narrowed to ``width`` columns when given (a terminal's)."""
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
    lines = [_row(head, widths, right), "─" * (sum(widths) + len(_GAP) * (len(widths) - 1))]
    lines += [_row(cells, widths, right) for cells in table]
    shared = sum(1 for r in rows if r.reused_claims)
    lines.append(f"{len(rows)} document{'s' if len(rows) != 1 else ''}, {shared} sharing claims with other documents")
    return end_with_newline("\n".join(line.rstrip() for line in lines))


def _widths(table: list[tuple[str, ...]], width: int | None) -> list[int]:
    """Column widths: ids, dates and counts whole; outlet, name and location as long as they
    need up to a cap, and at a terminal (``width``) the name and location narrowed to fit it."""
    need = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    widths = [need[0], min(need[1], 48), min(need[2], 24), need[3], need[4], need[5], min(need[6], 64)]
    if width:
        over = sum(widths) + len(_GAP) * (len(widths) - 1) - width
        for col in (6, 1):  # the location gives way first, then the name, to 16 columns each
            cut = max(min(over, widths[col] - 16), 0)
            widths[col] -= cut
            over -= cut
    return widths


def _row(cells: Sequence[str], widths: list[int], right: set[int]) -> str:
    out = []
    for i, (cell, w) in enumerate(zip(cells, widths)):
        if len(cell) > w:
            cell = cell[: max(w - 1, 0)] + "…"
        out.append(cell.rjust(w) if i in right else cell.ljust(w))
    return _GAP.join(out)

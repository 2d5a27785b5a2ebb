"""Same-claim pairs for a batch of new claims: against their stored neighbours and each other.

:func:`find_matches` judges the candidates (``match.classify``); :func:`batch_pairs` picks the
candidates inside the batch without ever holding the batch's whole cosine matrix.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from .match import MatchSettings, classify
from .records import Match, StoredClaim

# Neighbours fetched per new claim. Beyond this many earlier copies of one sentence the extra
# matches add nothing a cluster doesn't already show.
NEIGHBOURS = 32
# Pairs inside a batch are scored this many cosines at a time (16 MB of float32).
BLOCK_ELEMENTS = 1 << 22


def candidate_ids(neighbours: tuple[np.ndarray, np.ndarray], settings: MatchSettings) -> set[int]:
    """The stored claims close enough to some new claim to be judged against it."""
    sims, nbrs = neighbours
    return {int(x) for x in nbrs[sims >= settings.candidate_cosine].ravel() if x >= 0} if nbrs.size else set()


def find_matches(
    ids: np.ndarray,
    doc_nums: np.ndarray,
    texts: list[str],
    matrix: np.ndarray,
    neighbours: tuple[np.ndarray, np.ndarray],
    stored: dict[int, StoredClaim],
    settings: MatchSettings,
    block_rows: int | None = None,
) -> list[Match]:
    """Same-claim pairs between each new claim and its :data:`NEIGHBOURS` nearest claims among
    the documents before its own: stored ones (``neighbours``: FAISS cosines and ids of the
    claims in ``stored``) and the batch's earlier documents.

    The candidates of a claim are the same whichever batch it comes in, so the matches do not
    depend on where batches were cut (by time, by an interrupt and a resumed run). Pairs inside
    one document are never matches: a document repeating itself is not reuse.
    """
    out: dict[tuple[int, int], Match] = {}
    sims, nbrs = neighbours
    earlier = batch_pairs(matrix, doc_nums, settings.candidate_cosine, block_rows)
    pending = next(earlier, None)
    for i in range(len(ids)):
        found: list[tuple[float, int, int, str]] = []  # cosine, other claim id, its document, its text
        if nbrs.size:
            for k in np.flatnonzero((sims[i] >= settings.candidate_cosine) & (nbrs[i] >= 0)).tolist():
                other = stored[int(nbrs[i, k])]
                found.append((float(sims[i, k]), other.id, other.doc_num, other.text))
        if pending is not None and pending[0] == i:
            found += [(float(c), int(ids[j]), int(doc_nums[j]), texts[j]) for j, c in zip(pending[1].tolist(), pending[2].tolist())]
            pending = next(earlier, None)
        if len(found) > NEIGHBOURS:
            found = sorted(found, key=lambda f: (-f[0], f[1]))[:NEIGHBOURS]
        for cos, other_id, other_doc, other_text in found:
            if other_doc == doc_nums[i]:
                continue
            relation, lexical = classify(texts[i], other_text, cos, settings)
            if relation is not None:
                a, b = sorted((int(ids[i]), other_id))
                out.setdefault((a, b), Match(a, b, cos, float(lexical), relation))
    return list(out.values())


def batch_pairs(
    matrix: np.ndarray, doc_nums: np.ndarray, min_cosine: float, block_rows: int | None = None
) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
    """For each new claim ``i`` (in order) that has any: the indexes ``j`` of the claims of the
    documents before its own in the batch with cosine at least ``min_cosine`` (the
    :data:`NEIGHBOURS` closest at most, by index) and those cosines.

    The whole product is quadratic in the batch (one 20 MB document of 10,000 claims made a
    400 MB matrix and 50 M candidate pairs), so it is computed a block of rows at a time, each
    against the claims before the rows' documents only: memory stays within
    :data:`BLOCK_ELEMENTS` cosines, and a document alone in its batch costs nothing.
    """
    n = len(matrix)
    if n < 2:
        return
    # Where each claim's run of its document's claims starts: the claims before it are earlier
    # documents' (a document's claims are contiguous; a later run of the same one is masked).
    first = np.ones(n, dtype=bool)
    first[1:] = doc_nums[1:] != doc_nums[:-1]
    starts = np.maximum.accumulate(np.where(first, np.arange(n), 0))
    rows = block_rows or max(1, BLOCK_ELEMENTS // n)
    for r0 in range(0, n, rows):
        r1 = min(r0 + rows, n)
        c1 = int(starts[r1 - 1])
        if c1 == 0:
            continue
        block = matrix[r0:r1] @ matrix[:c1].T
        keep = block >= min_cosine
        keep &= np.arange(c1)[None, :] < starts[r0:r1, None]
        keep &= doc_nums[:c1][None, :] != doc_nums[r0:r1, None]
        for i in np.flatnonzero(keep.any(axis=1)).tolist():
            cols = np.flatnonzero(keep[i])
            if len(cols) > NEIGHBOURS:
                best = np.argsort(-block[i, cols], kind="stable")[:NEIGHBOURS]
                cols = np.sort(cols[best])
            yield r0 + i, cols, block[i, cols]

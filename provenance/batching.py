"""How many documents go into one index transaction: by count, by size and by time.

Each batch is one transaction, so an interrupt loses the batch in flight. A fixed 64 documents
meant 40 s of work lost on a slow machine; :class:`CommitPacer` closes a batch when the work it
holds would take about :data:`COMMIT_SECONDS` at the pace measured on the batches before it
(seconds per character of text, which is what segmenting, embedding and matching cost), when it
reaches :data:`MAX_BATCH_DOCUMENTS`, or when its text reaches :data:`MAX_BATCH_CHARS` (memory is
bounded by the work in flight, not by the input). The first batch is small, because its pace is
not known yet and the model may still be loading. A batch's fixed cost (the clusters its matches
touch, which may span much of a store whose claims repeat everywhere) is measured apart, and
batches grow rather than shrink when it is large.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .documents import Document, Rejection, Skipped

log = logging.getLogger(__name__)

COMMIT_SECONDS = 5.0
MAX_BATCH_DOCUMENTS = 64
FIRST_BATCH_DOCUMENTS = 8
# About 600 news articles' worth of text: never reached by 64 ordinary documents, it closes a
# batch after a huge one.
MAX_BATCH_CHARS = 2_000_000


@dataclass
class CommitPacer:
    """When to close a batch; :meth:`record` tells it how long each batch took. ``seconds`` 0
    commits by count only (every ``max_documents`` documents, the first batch too)."""

    seconds: float = COMMIT_SECONDS
    max_documents: int = MAX_BATCH_DOCUMENTS
    first_documents: int = FIRST_BATCH_DOCUMENTS
    max_chars: int = MAX_BATCH_CHARS
    seconds_per_char: float | None = None  # measured; None before the first batch
    overhead: float = 0.0  # measured seconds a batch costs whatever its size (its clusters)

    def full(self, documents: int, chars: int) -> bool:
        """Should a batch of ``documents`` holding ``chars`` characters be closed now?"""
        if chars >= self.max_chars:
            return True
        if self.seconds <= 0:  # by count only
            return documents >= self.max_documents
        if self.seconds_per_char is None:
            return documents >= self.first_documents
        # Work in proportion to the text fills what the batch's fixed cost leaves of the target,
        # and never less than that cost: smaller batches would only repeat it more often. When
        # that cost is most of the target, the count cap gives way too (the size cap stays).
        budget = max(self.seconds - self.overhead, self.overhead)
        if documents >= self.max_documents and self.overhead <= self.seconds / 2:
            return True
        return chars * self.seconds_per_char >= budget

    def record(self, chars: int, seconds: float, overhead: float = 0.0) -> None:
        """A batch of ``chars`` characters took ``seconds`` (model loading left out), of which
        ``overhead`` does not grow with its size (updating the clusters its matches touch)."""
        if chars <= 0 or seconds < 0:
            return
        overhead = min(max(overhead, 0.0), seconds)
        rate = (seconds - overhead) / chars
        # Weighted toward the latest batch, so the pace follows a machine that gets busier.
        if self.seconds_per_char is None:
            self.seconds_per_char, self.overhead = rate, overhead
        else:
            self.seconds_per_char = 0.5 * (self.seconds_per_char + rate)
            self.overhead = 0.5 * (self.overhead + overhead)
        log.debug("batch of %d characters took %.2f s (%.2f s fixed)", chars, seconds, overhead)


def batches(
    items: Iterable[Document | Rejection | Skipped],
    pacer: CommitPacer,
    rejected: list[Rejection],
    skipped: list[Skipped],
) -> Iterator[list[Document]]:
    """Documents in batches the pacer sizes; rejections and skipped files go to their lists as
    they come."""
    batch: list[Document] = []
    chars = 0
    for item in items:
        if isinstance(item, Rejection):
            rejected.append(item)
            log.debug("rejected %s:%s: %s", item.path, item.line, item.reason)
            continue
        if isinstance(item, Skipped):
            skipped.append(item)
            continue
        batch.append(item)
        chars += len(item.text)
        if pacer.full(len(batch), chars):
            yield batch
            batch, chars = [], 0
    if batch:
        yield batch

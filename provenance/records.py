"""The plain records that flow between the stages and the store.

Stages are small functions over these records (and numpy arrays); only :mod:`provenance.store`
turns them into SQL rows and back. Nothing here imports anything heavier than the standard
library, so every layer can use them.
"""

from __future__ import annotations

# How a member of a cluster was reused from its origin, weakest copy last. The report, the
# renderers and the matcher share this one vocabulary; ``origin`` marks the origin itself and
# ``related`` a trace candidate that is not the same claim.
RELATIONS = ("verbatim", "near-verbatim", "paraphrase")
ORIGIN = "origin"
RELATED = "related"

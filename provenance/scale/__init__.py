"""Index past one machine: the same stages on Ray, into a dataset store (``index --engine ray``).

``run`` (open the store, run, commit), ``job`` and ``finish`` (the stages in order),
``stages`` (what each Ray Data stage computes: the one-machine stage functions over Arrow
batches), ``numbering`` (document and claim numbers, exactly as on one machine), ``inputs``
(the read stage's chunks), ``session`` (connecting to Ray), ``settings``, ``clock`` (stage
timings) and ``rows`` (the tables passed between stages).

Ray is an optional extra (``pip install 'provenance[ray]'``): importing this package needs
nothing beyond provenance; :func:`index_with_ray` says how to install Ray when it is missing.
"""

from __future__ import annotations

from typing import Any

from .session import INSTALL, require_ray
from .settings import RayOptions

__all__ = ["INSTALL", "RayOptions", "index_with_ray", "require_ray"]


def index_with_ray(*args: Any, **kwargs: Any) -> Any:
    """See :func:`provenance.scale.run.index_with_ray`."""
    require_ray()
    from .run import index_with_ray as run

    return run(*args, **kwargs)

"""Connecting to Ray: a cluster given by address, the one this process already joined, or a
local one started for the run (and stopped after it).

Ray Data is set up for reproducible runs: blocks keep their order (``preserve_order``), so
what a stage writes comes in input order, and its progress bars stay off (our own summary says
what ran). A run that asks for GPUs checks that the cluster has them rather than waiting
forever for resources that will never come.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass

from ..errors import EngineUnavailable

log = logging.getLogger(__name__)

INSTALL = "pip install 'provenance[ray]'"
# The object store of a local cluster: a share of memory, but never more than this (a shared
# machine); Ray spills to disk beyond it.
LOCAL_OBJECT_STORE_BYTES = 2 * 1024**3


def require_ray() -> None:
    """Raise our error, with the install command, when Ray is not installed."""
    try:
        import ray  # noqa: F401
        import ray.data  # noqa: F401
    except ImportError as exc:
        raise EngineUnavailable(f"--engine ray needs Ray, which is not installed ({exc}); install it with: {INSTALL}") from exc


@dataclass(frozen=True)
class Cluster:
    cpus: int
    gpus: int
    started_here: bool


@contextlib.contextmanager
def ray_cluster(address: str | None = None, cpus: int | None = None, gpus: int = 0) -> Iterator[Cluster]:
    """Ray for one run: join ``address`` (``auto`` or HOST:PORT), or reuse the cluster this
    process has joined, or start a local one with ``cpus`` cores (default: all)."""
    require_ray()
    import ray

    started = not ray.is_initialized()
    # Ray's own notices (token authentication, progress bars off, waiting for cores) are for
    # Ray's users; ours see them with -v.
    quiet = logging.INFO if log.isEnabledFor(logging.INFO) else logging.ERROR
    for name in ("ray", "ray.data"):
        logging.getLogger(name).setLevel(quiet)
    if started:
        kwargs: dict = {"include_dashboard": False, "logging_level": quiet, "log_to_driver": False}
        if address:
            kwargs["address"] = address
        else:
            kwargs["num_cpus"] = cpus or os.cpu_count() or 1
            kwargs["object_store_memory"] = _local_object_store()
        try:
            ray.init(**kwargs)
        except ConnectionError as exc:
            raise EngineUnavailable(
                f"cannot reach the Ray cluster at {address} ({exc}); start it with 'ray start --head' or check --address"
            ) from exc
    try:
        _configure_data()
        resources = ray.cluster_resources()
        cluster = Cluster(int(resources.get("CPU", 0)), int(resources.get("GPU", 0)), started)
        if gpus > cluster.gpus:
            raise EngineUnavailable(
                f"--gpus {gpus} asked for {gpus} GPU(s) but the Ray cluster has {cluster.gpus}; "
                "leave --gpus out to embed on CPUs, or add GPU nodes to the cluster"
            )
        log.info("Ray cluster: %d CPUs, %d GPUs%s", cluster.cpus, cluster.gpus, " (started here)" if started else "")
        yield cluster
    finally:
        if started:
            ray.shutdown()


def _local_object_store() -> int:
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):
        return LOCAL_OBJECT_STORE_BYTES
    return int(min(LOCAL_OBJECT_STORE_BYTES, max(256 * 1024**2, total * 0.1)))


def _configure_data() -> None:
    from ray.data import DataContext

    ctx = DataContext.get_current()
    ctx.execution_options.preserve_order = True
    ctx.enable_progress_bars = False
    ctx.print_on_execution_start = False

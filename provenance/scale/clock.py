"""Per-stage timings of a Ray run: wall time on the driver, and busy time, CPU time and units
of work summed over the workers, for the scaling model (``scripts/scale_model.py``).

Workers report to one small actor (fire and forget, one call per batch). CPU seconds (of every
thread of the worker process) divided by units is a stage's cost per unit in core-seconds,
whatever the number of workers and however busy the machine was; busy seconds (wall time in
the stage function) include waiting for a core on a loaded machine.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from typing import Any


class _Totals:
    def __init__(self) -> None:
        self.busy: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self.units: dict[str, int] = {}

    def add(self, stage: str, seconds: float, units: int, cpu_seconds: float = 0.0) -> None:
        self.busy[stage] = self.busy.get(stage, 0.0) + seconds
        self.cpu[stage] = self.cpu.get(stage, 0.0) + cpu_seconds
        self.units[stage] = self.units.get(stage, 0) + units

    def totals(self) -> dict[str, dict[str, float]]:
        return {s: {"busy_s": round(self.busy[s], 3), "cpu_s": round(self.cpu[s], 3), "units": self.units[s]} for s in self.busy}


class StageClock:
    """The driver's side: stage wall times, and the actor the workers report to."""

    def __init__(self) -> None:
        import ray

        self.actor: Any = ray.remote(num_cpus=0)(_Totals).remote()
        self.wall: dict[str, float] = {}

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.wall[name] = round(self.wall.get(name, 0.0) + time.perf_counter() - started, 3)

    def report(self) -> dict[str, dict[str, float]]:
        import ray

        workers = ray.get(self.actor.totals.remote())
        return {s: {"wall_s": self.wall.get(s, 0.0), **workers.get(s, {})} for s in dict.fromkeys([*self.wall, *workers])}

    def close(self) -> None:
        import ray

        with contextlib.suppress(Exception):
            ray.kill(self.actor)

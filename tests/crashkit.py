"""A corpus and helpers shared by the crash tests and scripts/crash_test.py."""

from __future__ import annotations

import json
import random
from pathlib import Path

POOL = [
    "The harbour authority confirmed that {n} litres of diesel leaked into the bay on Monday night.",
    "Residents of the eastern shore were told to keep their windows closed until further notice.",
    "The football club announced a new coach after a disappointing season in the regional league.",
    "Officials said the bridge over the river will reopen in {m} after repairs to its supports.",
    "A spokesperson for the council said the budget for road maintenance would rise by {n} percent.",
    "Scientists at the university published a study showing that the lake warmed faster than expected.",
    "The mayor promised that every school in the district would receive new computers by {m}.",
    "Police are asking witnesses of the collision on the coastal road to come forward.",
    "The company reported record profits for the third quarter despite rising energy costs.",
    "Farmers in the valley warned that the drought could cut this year's harvest by {n} percent.",
]
MONTHS = ["May", "June", "July", "August", "September"]


def write_corpus(path: Path, n_docs: int, seed: int = 7) -> Path:
    """``n_docs`` JSONL documents of 3 to 5 sentences drawn from a small pool, so many share claims."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n_docs):
            sentences = [
                rng.choice(POOL).format(n=rng.choice([10, 20, 40, 5000]), m=rng.choice(MONTHS))
                for _ in range(rng.randint(3, 5))
            ]
            sentences.append(f"This is the closing remark number {i} of the series on local affairs.")
            fh.write(json.dumps({"id": f"doc-{i:05d}", "text": " ".join(sentences),
                                 "published": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}"}) + "\n")
    return path


def _word(rng: random.Random) -> str:
    """A made-up word: the hashing embedder sees unrelated sentences as unrelated."""
    return "".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(rng.randint(2, 4)))


def write_varied_corpus(path: Path, n_docs: int, seed: int = 11, prefix: str = "doc") -> Path:
    """``n_docs`` JSONL documents of five sentences of their own and one copied from an earlier
    document, as news reuses: many small clusters, no claim in most documents."""
    rng = random.Random(seed)
    sentences: list[str] = []
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n_docs):
            own = [" ".join(_word(rng) for _ in range(10)).capitalize() + "." for _ in range(5)]
            copied = [rng.choice(sentences)] if sentences else []
            sentences += own
            fh.write(json.dumps({"id": f"{prefix}-{i:05d}", "text": " ".join(own[:2] + copied + own[2:]),
                                 "source": f"Outlet {i % 7}", "published": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}"}) + "\n")
    return path


def interrupt_on_call(monkeypatch, owner: object, name: str, n: int, wrap=None) -> None:
    """Make the ``n``-th call of ``owner.name`` raise KeyboardInterrupt (Ctrl-C there); other
    calls go through ``wrap(real, self, *args)`` when given, else straight to the real one."""
    real = getattr(owner, name)
    calls = {"n": 0}

    def interrupted(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == n:
            raise KeyboardInterrupt
        return wrap(real, self, *args, **kwargs) if wrap else real(self, *args, **kwargs)

    monkeypatch.setattr(owner, name, interrupted)

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

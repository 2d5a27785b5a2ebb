#!/usr/bin/env python
"""Long crash test: kill -9 the indexer at random moments, many times.

Each round indexes a generated corpus (hashing embedder) into a fresh store in a child process
and SIGKILLs it after a random delay, uniform over the length of an uninterrupted run. The child
logs "committed N documents (M this run)" after every COMMIT; those are the acknowledgements.
After each kill the store must: open; pass `check` (SQLite integrity_check, manifest, checksum,
FAISS ids == SQLite ids); hold every acknowledged document with all its claims; serve report and
trace. Half the rounds then kill the resumed run too. Finally the same index runs to the end and
the store must equal the uninterrupted reference (documents, claims, matches, clusters): nothing
lost, nothing duplicated.

    nice -n 10 .venv/bin/python scripts/crash_test.py --kills 100

The indexer runs in batches of 16 documents (the library call behind `provenance index`), so
the kills spread over many commits.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from provenance.check import invariant_violations  # noqa: E402
from provenance.store import Store  # noqa: E402
from tests.crashkit import write_corpus  # noqa: E402

BATCH = 16
ACK = re.compile(r"committed \d+ documents \((\d+) this run\)")


def child(store: Path, corpus: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO), "HF_HUB_OFFLINE": "1"}
    env.pop("PROVENANCE_TEST_CRASH_AT", None)
    # The library call behind `provenance index`, with small batches so kills land in many of them.
    code = (
        "import logging, sys; from provenance.pipeline import index_paths; "
        "logging.basicConfig(level=logging.INFO, stream=sys.stderr); "
        f"index_paths({str(store)!r}, [{str(corpus)!r}], model='hashing', batch_documents={BATCH})"
    )
    return subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def run_and_kill(store: Path, corpus: Path, delay: float) -> tuple[bool, int]:
    """Run the indexer, SIGKILL it after ``delay`` s; (was it killed, documents acknowledged)."""
    proc = child(store, corpus)
    try:
        proc.wait(timeout=delay)
        killed = False
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        killed = True
    err = proc.stderr.read().decode("utf-8", "replace")
    acked = max((int(m.group(1)) for m in ACK.finditer(err)), default=0)
    if not killed and proc.returncode != 0:
        raise SystemExit(f"indexer failed without being killed (exit {proc.returncode}):\n{err[-3000:]}")
    return killed, acked


def state(store: Path) -> dict:
    with Store.open(store) as s:
        counts = s.counts()
        counts["doc_ids"] = [r[0] for r in s.db.execute("SELECT id FROM documents ORDER BY id")]
    return counts


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kills", type=int, default=100, help="SIGKILLs in all (a round kills once or twice, then finishes)")
    ap.add_argument("--docs", type=int, default=400, help="documents in the generated corpus")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="provenance-crash-"))
    started = time.perf_counter()
    try:
        corpus = write_corpus(work / "corpus.jsonl", args.docs)
        ref = work / "reference"
        t0 = time.perf_counter()
        _, _ = run_and_kill(ref, corpus, 3600)
        full = time.perf_counter() - t0
        reference = state(ref)
        stats = {"rounds": 0, "kills": 0, "finished_before_kill": 0, "killed_before_store_existed": 0,
                 "acknowledged_documents_checked": 0, "lost_acknowledged": 0, "invariant_failures": 0,
                 "final_state_mismatches": 0, "killed_before_first_commit": 0, "killed_during_batches": 0,
                 "killed_after_all_batches": 0, "reference_seconds": round(full, 2)}
        failures: list[str] = []
        round_no = 0
        while stats["kills"] < args.kills:
            store = work / f"s{round_no}"
            attempts = min(2 if rng.random() < 0.5 else 1, args.kills - stats["kills"])
            kills_here = 0
            horizon = full
            while kills_here < attempts:
                killed, acked = run_and_kill(store, corpus, rng.uniform(0.0, horizon))
                stats["kills"] += killed
                kills_here += killed
                if not killed:
                    # The run beat the timer (timings vary with load): start this round again
                    # with a shorter horizon, so every round really kills.
                    stats["finished_before_kill"] += 1
                    shutil.rmtree(store, ignore_errors=True)
                    horizon *= 0.7
                    continue
                if not Store.exists(store):
                    stats["killed_before_store_existed"] += 1
                    continue
                problems = invariant_violations(store)
                have = state(store)
                stats["acknowledged_documents_checked"] += acked
                if killed:
                    phase = "during_batches" if 0 < acked < args.docs else "after_all_batches" if acked else "before_first_commit"
                    stats[f"killed_{phase}"] += 1
                if have["documents"] < acked:
                    stats["lost_acknowledged"] += acked - have["documents"]
                    failures.append(f"round {round_no}: {acked} acknowledged, {have['documents']} present")
                if problems:
                    stats["invariant_failures"] += 1
                    failures.append(f"round {round_no}: {problems}")
            killed, _ = run_and_kill(store, corpus, 3600)
            final = state(store)
            if final != reference or invariant_violations(store):
                stats["final_state_mismatches"] += 1
                failures.append(f"round {round_no}: final state differs from the uninterrupted run")
            stats["rounds"] += 1
            round_no += 1
            shutil.rmtree(store, ignore_errors=True)
            if not args.json:
                print(f"round {round_no}: kills so far {stats['kills']}/{args.kills}, failures {len(failures)}",
                      file=sys.stderr, flush=True)
        stats["seconds"] = round(time.perf_counter() - started, 1)
        stats["failures"] = failures
        print(json.dumps(stats, indent=None if args.json else 2))
        return 1 if failures else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())

#!/usr/bin/env python
"""Long crash test: kill -9 the indexer at random moments, many times.

Each round indexes a generated corpus (hashing embedder) into a fresh store in a child process.
The child logs "committed N documents (M this run)" after every COMMIT; those are the
acknowledgements. It is SIGKILLed a random delay after a randomly chosen acknowledgement (or
after its start), so kills land in start-up, store creation, embedding, transactions (each
with the clusters its matches touch) and the snapshot.
After each kill the store must: open; pass `check` (SQLite integrity_check, manifest, checksum,
FAISS ids == SQLite ids); hold every acknowledged document with all its claims; serve report and
trace. Half the rounds then kill the resumed run too. Finally the same index runs to the end and
the store must equal the uninterrupted reference (documents, claims, matches, clusters): nothing
lost, nothing duplicated.

    nice -n 10 .venv/bin/python scripts/crash_test.py --kills 100

The indexer runs in batches of 16 documents, by count only (the library call behind `provenance
index` with `--commit-every 0`), so the kills spread over many commits and a resumed run cuts its
batches where the reference did.
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
        "from provenance.batching import CommitPacer; "
        "logging.basicConfig(level=logging.INFO, stream=sys.stderr); "
        f"index_paths({str(store)!r}, [{str(corpus)!r}], model='hashing', pacer=CommitPacer(seconds=0, max_documents={BATCH}))"
    )
    return subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def run_and_kill(store: Path, corpus: Path, after_acks: int | None, delay: float) -> tuple[bool, int]:
    """Run the indexer; SIGKILL it ``delay`` s after its ``after_acks``-th acknowledgement (after
    its start when 0; never when None). Returns (was it killed, documents acknowledged).

    Timing the kill from acknowledgements rather than the clock keeps the kills spread over the
    whole run (start-up, every batch, the final snapshot) however loaded the machine is."""
    proc = child(store, corpus)
    acked = 0
    seen = 0
    lines: list[str] = []
    killed = False
    deadline = time.monotonic() + delay if after_acks == 0 else None
    import selectors

    sel = selectors.DefaultSelector()
    sel.register(proc.stderr, selectors.EVENT_READ)
    buf = b""
    while True:
        timeout = None if deadline is None else max(0.0, deadline - time.monotonic())
        if deadline is not None and timeout == 0.0:
            proc.send_signal(signal.SIGKILL)
            killed = True
            break
        events = sel.select(timeout)
        if not events:
            continue
        chunk = os.read(proc.stderr.fileno(), 65536)
        if not chunk:
            break  # the indexer finished (or died) by itself
        buf += chunk
        *complete, buf = buf.split(b"\n")
        for raw in complete:
            line = raw.decode("utf-8", "replace")
            lines.append(line)
            m = ACK.search(line)
            if m:
                acked = int(m.group(1))
                seen += 1
                if after_acks is not None and seen == after_acks and deadline is None:
                    deadline = time.monotonic() + delay
    sel.close()
    proc.wait()
    if not killed and proc.returncode != 0:
        raise SystemExit(f"indexer failed without being killed (exit {proc.returncode}):\n" + "\n".join(lines[-40:]))
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
        run_and_kill(ref, corpus, None, 0.0)
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
            while kills_here < attempts:
                # After the k-th commit (k = 0: from the start; a quarter of the kills after the
                # last batch, to hit the final snapshot), plus a random delay.
                present = state(store)["documents"] if Store.exists(store) else 0
                left = -(-(args.docs - present) // BATCH)  # a resumed run commits only what is missing
                k = left if rng.random() < 0.25 else rng.randint(0, max(0, left - 1))
                killed, acked_now = run_and_kill(store, corpus, k, rng.uniform(0.0, 1.5 if k == 0 else 0.4))
                acked = present + acked_now  # documents committed before the kill, all runs
                stats["kills"] += killed
                kills_here += killed
                if not killed:
                    # The run ended before the kill (a resumed run has fewer commits): retry
                    # this round from a fresh store, so every round really kills.
                    stats["finished_before_kill"] += 1
                    shutil.rmtree(store, ignore_errors=True)
                    continue
                if not Store.exists(store):
                    stats["killed_before_store_existed"] += 1
                    continue
                problems = invariant_violations(store, every_document_has_claims=True)
                have = state(store)
                stats["acknowledged_documents_checked"] += acked
                if killed:
                    phase = ("during_batches" if 0 < acked < args.docs else "after_all_batches" if acked
                             else "before_first_commit")
                    stats[f"killed_{phase}"] += 1
                if have["documents"] < acked:
                    stats["lost_acknowledged"] += acked - have["documents"]
                    failures.append(f"round {round_no}: {acked} acknowledged, {have['documents']} present")
                if problems:
                    stats["invariant_failures"] += 1
                    failures.append(f"round {round_no}: {problems}")
            run_and_kill(store, corpus, None, 0.0)
            final = state(store)
            if final != reference or invariant_violations(store, every_document_has_claims=True):
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

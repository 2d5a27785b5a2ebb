#!/usr/bin/env python
"""Calibrate provenance's same-claim rule on MRPC train and measure it on MRPC test.

    .venv/bin/python scripts/calibrate_mrpc.py [--mrpc-dir ../shared/benchmarks/mrpc]
        [--model NAME] [--json OUT] [--limit N] [--check]

Steps: read MRPC train and test (tab-separated, header, UTF-8 BOM, quoting off); embed every
distinct sentence once (its ``normalise`` form, as the pipeline embeds claims); compute the
cosine and ``provenance.match.lexical_similarity`` of every pair; grid-search the rule of
``provenance.match.is_same_claim`` on train only (maximise accuracy); report accuracy,
precision, recall and F1 on train and test for the cosine-only rule, the combined rule and the
always-"same" baseline; print the chosen ``MatchSettings``.

The grid (deterministic, numpy only):

* ``same_cosine_weight`` w in 0, 0.05, ..., 1;
* ``same_score_threshold`` t in 0, 0.005, ..., 1;
* ``same_min_cosine`` in 0, 0.05, ..., 0.80.

The best train accuracy wins; among ties, the highest ``same_min_cosine`` (the cheapest
pre-filter), then the lowest w, then the lowest t. ``related_cosine`` is the 5th percentile of
the train pairs' cosine (every MRPC pair is two sentences on one news event, paraphrase or
not) floored to 0.05; ``candidate_cosine`` is the lower of the rule's lowest "same" cosine and
``related_cosine``, floored to 0.01. ``near_verbatim_lexical`` is not calibrated here (MRPC does
not label copy-with-edits); it is taken from ``DEFAULT_SETTINGS``.

The script never edits code: paste the chosen values into ``DEFAULT_SETTINGS`` by hand.
``--check`` recomputes and exits 1 if ``DEFAULT_SETTINGS`` differs from what it finds.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from provenance.embed import load_embedder
from provenance.match import (
    DEFAULT_SETTINGS,
    MatchSettings,
    is_same_claim,
    lexical_similarity,
    lowest_same_cosine,
)
from provenance.textnorm import normalise

REPO = Path(__file__).resolve().parents[1]
DEFAULT_MRPC_DIR = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "mrpc"
TRAIN_FILE = "msr_paraphrase_train.txt"
TEST_FILE = "msr_paraphrase_test.txt"

# Grids as exact fractions k/denominator, so each value is the double nearest its decimal
# literal (what a pasted DEFAULT_SETTINGS holds).
WEIGHTS = np.arange(0, 21) / 20  # 0, 0.05, ..., 1
THRESHOLDS = np.arange(0, 201) / 200  # 0, 0.005, ..., 1
MIN_COSINES = np.arange(0, 17) / 20  # 0, 0.05, ..., 0.80
RELATED_PERCENTILE = 5.0
CHECKED_FIELDS = (
    "candidate_cosine",
    "related_cosine",
    "same_cosine_weight",
    "same_score_threshold",
    "same_min_cosine",
)


@dataclass(frozen=True)
class Pair:
    label: int
    a: str
    b: str


# --------------------------------------------------------------------------- reading


def read_mrpc(path: Path, limit: int | None = None) -> list[Pair]:
    """Pairs of an MRPC file (``Quality #1 ID #2 ID #1 String #2 String``), first ``limit``."""
    pairs: list[Pair] = []
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader)
        if len(header) < 5 or header[0].strip() != "Quality":
            raise ValueError(f"{path}: not an MRPC file (header {header!r})")
        for lineno, row in enumerate(reader, start=2):
            if not row:
                continue
            if len(row) != 5 or row[0] not in ("0", "1"):
                raise ValueError(f"{path}:{lineno}: malformed MRPC row")
            pairs.append(Pair(int(row[0]), row[3], row[4]))
            if limit is not None and len(pairs) >= limit:
                break
    return pairs


# --------------------------------------------------------------------------- features


def embed_distinct(texts: list[str], embedder) -> dict[str, np.ndarray]:
    """Embed each distinct ``normalise`` form once; map normalised text -> unit vector."""
    distinct = sorted({normalise(t) for t in texts})
    vectors = embedder.embed(distinct) if distinct else np.zeros((0, 1), dtype=np.float32)
    return {text: vectors[i] for i, text in enumerate(distinct)}


def pair_features(pairs: list[Pair], vectors: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(labels, cosines, lexical similarities) of ``pairs``, as int / float64 arrays."""
    labels = np.array([p.label for p in pairs], dtype=np.int64)
    cosines = np.array(
        [float(np.dot(vectors[normalise(p.a)], vectors[normalise(p.b)])) for p in pairs], dtype=np.float64
    )
    lexical = np.array([lexical_similarity(p.a, p.b) for p in pairs], dtype=np.float64)
    return labels, cosines, lexical


# --------------------------------------------------------------------------- metrics


def metrics(labels: np.ndarray, predicted: np.ndarray) -> dict[str, float]:
    """Accuracy, precision, recall and F1 of boolean predictions against 0/1 labels."""
    y = np.asarray(labels).astype(bool)
    p = np.asarray(predicted).astype(bool)
    tp = int(np.sum(y & p))
    fp = int(np.sum(~y & p))
    fn = int(np.sum(y & ~p))
    n = int(y.size)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "n": n,
        "accuracy": (n - fp - fn) / n if n else 0.0,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "predicted_same": int(np.sum(p)),
        "positive": int(np.sum(y)),
    }


# --------------------------------------------------------------------------- grid search


def _correct_per_threshold(labels: np.ndarray, scores: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """Number of correct predictions of ``scores >= t`` for each t (vectorised)."""
    y = labels.astype(bool)
    pred = scores[None, :] >= thresholds[:, None]
    return np.sum(pred == y[None, :], axis=1)


def best_cosine_threshold(labels: np.ndarray, cosines: np.ndarray, thresholds: np.ndarray = THRESHOLDS) -> float:
    """The cosine threshold (``cos >= t``) with the best accuracy; the lowest t among ties."""
    correct = _correct_per_threshold(labels, cosines, thresholds)
    return float(thresholds[int(np.argmax(correct))])


@dataclass(frozen=True)
class RuleParams:
    same_cosine_weight: float
    same_score_threshold: float
    same_min_cosine: float
    train_correct: int


def grid_search(
    labels: np.ndarray,
    cosines: np.ndarray,
    lexical: np.ndarray,
    weights: np.ndarray = WEIGHTS,
    thresholds: np.ndarray = THRESHOLDS,
    min_cosines: np.ndarray = MIN_COSINES,
) -> RuleParams:
    """Maximise accuracy of ``cos >= m and w*cos + (1-w)*lex >= t`` over the grid.

    Ties: the highest m, then the lowest w, then the lowest t (a strict ``>`` over the loops
    below keeps the first best).
    """
    labels = np.asarray(labels)
    cosines = np.asarray(cosines, dtype=np.float64)
    lexical = np.asarray(lexical, dtype=np.float64)
    best: RuleParams | None = None
    for m in sorted((float(x) for x in min_cosines), reverse=True):
        above = cosines >= m
        for w in (float(x) for x in weights):
            # Same operations, in the same order, as provenance.match.same_claim_score.
            scores = w * cosines + (1.0 - w) * lexical
            scores = np.where(above, scores, -np.inf)
            correct = _correct_per_threshold(labels, scores, thresholds)
            i = int(np.argmax(correct))
            if best is None or int(correct[i]) > best.train_correct:
                best = RuleParams(w, float(thresholds[i]), m, int(correct[i]))
    assert best is not None
    return best


def floor_to(x: float, step: float) -> float:
    """``x`` rounded down to a multiple of ``step`` (tolerating float noise just below)."""
    k = math.floor(x / step + 1e-9)
    return k / round(1 / step)


def calibrated_settings(
    rule: RuleParams, train_cosines: np.ndarray, near_verbatim_lexical: float
) -> tuple[MatchSettings, float]:
    """The full MatchSettings for ``rule`` and the train cosines (and the raw percentile)."""
    pct = float(np.percentile(np.asarray(train_cosines, dtype=np.float64), RELATED_PERCENTILE))
    related = floor_to(pct, 0.05)
    lowest = lowest_same_cosine(rule.same_cosine_weight, rule.same_score_threshold, rule.same_min_cosine)
    candidate = min(floor_to(lowest, 0.01), related)
    settings = MatchSettings(
        candidate_cosine=candidate,
        related_cosine=related,
        near_verbatim_lexical=near_verbatim_lexical,
        same_cosine_weight=rule.same_cosine_weight,
        same_score_threshold=rule.same_score_threshold,
        same_min_cosine=rule.same_min_cosine,
    )
    return settings, pct


def predict(cosines: np.ndarray, lexical: np.ndarray, settings: MatchSettings) -> np.ndarray:
    """``provenance.match.is_same_claim`` for every pair (the library's own code path)."""
    return np.array([is_same_claim(float(c), float(x), settings) for c, x in zip(cosines, lexical)], dtype=bool)


def settings_differences(found: MatchSettings, shipped: MatchSettings) -> list[str]:
    """Human-readable differences on the calibrated fields (empty when they agree)."""
    out = []
    for name in CHECKED_FIELDS:
        a, b = getattr(found, name), getattr(shipped, name)
        if abs(a - b) > 1e-9:
            out.append(f"{name}: calibration finds {a:g}, DEFAULT_SETTINGS has {b:g}")
    return out


# --------------------------------------------------------------------------- run


def calibrate(mrpc_dir: Path, model: str | None = None, limit: int | None = None, log=sys.stderr) -> dict:
    """Run the whole calibration; return a JSON-able report (``report['settings']``)."""
    train = read_mrpc(mrpc_dir / TRAIN_FILE, limit)
    test = read_mrpc(mrpc_dir / TEST_FILE, limit)
    embedder = load_embedder(model)
    texts = [s for pairs in (train, test) for p in pairs for s in (p.a, p.b)]
    started = time.perf_counter()
    vectors = embed_distinct(texts, embedder)
    embed_s = time.perf_counter() - started
    print(f"embedded {len(vectors)} distinct sentences with {embedder.name} in {embed_s:.1f} s", file=log)

    y_tr, cos_tr, lex_tr = pair_features(train, vectors)
    y_te, cos_te, lex_te = pair_features(test, vectors)

    rule = grid_search(y_tr, cos_tr, lex_tr)
    settings, pct = calibrated_settings(rule, cos_tr, DEFAULT_SETTINGS.near_verbatim_lexical)
    pred_tr = predict(cos_tr, lex_tr, settings)
    pred_te = predict(cos_te, lex_te, settings)
    if int(np.sum(pred_tr == y_tr.astype(bool))) != rule.train_correct:
        raise RuntimeError("is_same_claim disagrees with the grid search's vectorised rule")

    t_cos = best_cosine_threshold(y_tr, cos_tr)
    results = {
        "cosine-only": {
            "params": f"cos >= {t_cos:g}",
            "train": metrics(y_tr, cos_tr >= t_cos),
            "test": metrics(y_te, cos_te >= t_cos),
        },
        "combined": {
            "params": (
                f"cos >= {settings.same_min_cosine:g} and {settings.same_cosine_weight:g}*cos + "
                f"{1 - settings.same_cosine_weight:g}*lex >= {settings.same_score_threshold:g}"
            ),
            "train": metrics(y_tr, pred_tr),
            "test": metrics(y_te, pred_te),
        },
        "always-same": {
            "params": "same",
            "train": metrics(y_tr, np.ones_like(y_tr, dtype=bool)),
            "test": metrics(y_te, np.ones_like(y_te, dtype=bool)),
        },
    }
    return {
        "model": embedder.name,
        "mrpc_dir": str(mrpc_dir),
        "limit": limit,
        "train_pairs": len(train),
        "test_pairs": len(test),
        "distinct_sentences": len(vectors),
        "embed_seconds": round(embed_s, 1),
        "grid": {
            "same_cosine_weight": [float(WEIGHTS[0]), float(WEIGHTS[-1]), 0.05],
            "same_score_threshold": [float(THRESHOLDS[0]), float(THRESHOLDS[-1]), 0.005],
            "same_min_cosine": [float(MIN_COSINES[0]), float(MIN_COSINES[-1]), 0.05],
            "objective": "train accuracy",
        },
        "train_cosine_percentile": {"percentile": RELATED_PERCENTILE, "value": pct},
        "lowest_same_cosine": settings.lowest_same_cosine,
        "settings": asdict(settings),
        "results": results,
    }


def format_report(report: dict) -> str:
    lines = [
        f"MRPC calibration: model {report['model']}, train {report['train_pairs']} pairs, "
        f"test {report['test_pairs']} pairs"
        + (f" (first {report['limit']} of each)" if report["limit"] else ""),
        "",
        f"{'rule':<12} {'split':<5} {'acc':>6} {'prec':>6} {'rec':>6} {'F1':>6}  params",
    ]
    for name, res in report["results"].items():
        for split in ("train", "test"):
            m = res[split]
            lines.append(
                f"{name:<12} {split:<5} {m['accuracy']:6.4f} {m['precision']:6.4f} "
                f"{m['recall']:6.4f} {m['f1']:6.4f}  {res['params'] if split == 'train' else ''}"
            )
    s = report["settings"]
    pct = report["train_cosine_percentile"]
    lines += [
        "",
        f"train cosine {pct['percentile']:g}th percentile {pct['value']:.4f}; "
        f"lowest cosine the rule can call 'same' {report['lowest_same_cosine']:.4f}",
        "chosen settings (paste into provenance/match.py DEFAULT_SETTINGS):",
        "DEFAULT_SETTINGS = MatchSettings(",
        *(f"    {k}={v!r}," for k, v in s.items()),
        ")",
    ]
    return "\n".join(lines)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mrpc-dir", type=Path, default=DEFAULT_MRPC_DIR, help="folder with the MRPC files")
    ap.add_argument("--model", default=None, help="embedder name (default: bundled all-MiniLM-L6-v2; 'hashing' for a toy)")
    ap.add_argument("--json", type=Path, default=None, help="also write the report as JSON here")
    ap.add_argument("--limit", type=int, default=None, help="use only the first N train and N test pairs")
    ap.add_argument("--check", action="store_true", help="exit 1 if DEFAULT_SETTINGS differs from the calibration")
    args = ap.parse_args(argv)
    if args.limit is not None and args.limit < 1:
        ap.error("--limit must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    for name in (TRAIN_FILE, TEST_FILE):
        if not (args.mrpc_dir / name).is_file():
            print(f"error: {args.mrpc_dir / name} not found (pass --mrpc-dir)", file=sys.stderr)
            return 2
    report = calibrate(args.mrpc_dir, args.model, args.limit)
    report["command"] = " ".join(["scripts/calibrate_mrpc.py", *(argv if argv is not None else sys.argv[1:])])
    print(format_report(report))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    if args.check:
        diffs = settings_differences(MatchSettings(**report["settings"]), DEFAULT_SETTINGS)
        if diffs:
            print("check FAILED: DEFAULT_SETTINGS is not what calibration finds:", file=sys.stderr)
            for d in diffs:
                print(f"  {d}", file=sys.stderr)
            return 1
        print("check passed: DEFAULT_SETTINGS matches the calibration")
    return 0


if __name__ == "__main__":
    sys.exit(main())

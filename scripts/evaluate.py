#!/usr/bin/env python
"""Measure provenance on public benchmarks with gold labels (shared/benchmarks/README.md).

    .venv/bin/python scripts/evaluate.py [--benchmarks DIR] [--only mrpc,checkthat,clough]
        [--model NAME] [--out indexes/evaluate] [--limit N] [--tune]

* **MRPC** (test, 1,725 pairs): accuracy, precision, recall and F1 of the library's same-claim
  decision (``provenance.match.classify``) at the shipped settings, plus a threshold table.
* **CLEF CheckThat! 2022 2A** (test, 209 tweets): MAP@5 and P@1 of ``provenance.trace.trace``
  against a store of the 14,231 fact-checked claims (one document per claim, its title kept as
  metadata), fused (shipped) and dense-only.
* **Clough & Stevenson** (95 answers, 5 sources): one store of all 100 texts; per reuse level,
  how often an answer is linked to its own source and never to another, and how often ``non``
  answers stay unlinked to any source.

Everything goes through the library as a user would run it; stores and embeddings are cached
under ``--out`` (delete the folder to start afresh). The first run embeds the 14,231 claims
(several minutes on 2 CPU cores). ``--tune`` also runs the train/dev tuning: the lexical weight
of ``trace`` on CheckThat! train+dev queries and the same-claim model on MRPC train; it prints
what it finds and never edits code. ``--limit N`` keeps the first N pairs / queries / answers
(a smoke run). Results are printed as a table and written as JSON to ``OUT/results.json``.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import hashlib
import json
import logging
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from provenance import lexical as lexical_mod  # noqa: E402
from provenance import match as match_mod  # noqa: E402
from provenance.embed import Embedder, load_embedder  # noqa: E402
from provenance.pipeline import index_paths  # noqa: E402
from provenance.store import Store  # noqa: E402
from provenance.textnorm import EMBEDDING_FORM, embedding_text, normalise  # noqa: E402
from provenance.trace import Query, trace  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the story benchmark beside this script
from evaluate_story import errors as story_errors  # noqa: E402
from evaluate_story import evaluate_story, format_story  # noqa: E402

DEFAULT_BENCHMARKS = REPO.parent / "shared" / "benchmarks"
DEFAULT_OUT = REPO / "indexes" / "evaluate"
BENCHMARKS = ("mrpc", "checkthat", "clough", "story")
LEXICAL_WEIGHT_GRID = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.7)
TITLE_WEIGHT_GRID = (0.5, 1.0)
TRACE_BATCH = 64

log = logging.getLogger("evaluate")


def say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


class CachingEmbedder:
    """Memoises an embedder by text, so tuning runs embed each query once."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name, self.dim, self.encoder = inner.name, inner.dim, inner.encoder
        self._memo: dict[str, np.ndarray] = {}

    def embed(self, texts: list[str]) -> np.ndarray:
        todo = [t for t in dict.fromkeys(texts) if t not in self._memo]
        if todo:
            self._memo.update(zip(todo, self.inner.embed(todo)))
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._memo[t] for t in texts]).astype(np.float32)


# --------------------------------------------------------------------------- metrics


def classification_metrics(labels: np.ndarray, predicted: np.ndarray) -> dict[str, float]:
    y = np.asarray(labels).astype(bool)
    p = np.asarray(predicted).astype(bool)
    tp, fp, fn = int(np.sum(y & p)), int(np.sum(~y & p)), int(np.sum(y & ~p))
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
    }


def average_precision_at(ranked: Sequence[str], relevant: set[str], k: int = 5) -> float:
    """AP@k as the CheckThat! scorer computes it: precision at each relevant hit in the top k,
    divided by min(k, number of relevant)."""
    if not relevant:
        return 0.0
    hits, total = 0, 0.0
    for i, doc in enumerate(ranked[:k], start=1):
        if doc in relevant:
            hits += 1
            total += hits / i
    return total / min(k, len(relevant))


def ranked_documents(result: dict) -> list[str]:
    """Document ids in the order a trace result lists them, each once."""
    return list(dict.fromkeys(m["doc_id"] for m in result["matches"]))


# --------------------------------------------------------------------------- MRPC


@dataclass(frozen=True)
class Pair:
    label: int
    a: str
    b: str


def read_mrpc(path: Path, limit: int | None = None) -> list[Pair]:
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


def cached_vectors(texts: Sequence[str], embedder: Embedder, cache: Path | None) -> dict[str, np.ndarray]:
    """Unit vectors of ``texts`` by their ``normalise`` form, each computed from what the store
    would embed (``embedding_text``), cached in an .npz under ``cache``."""
    distinct = sorted({normalise(t) for t in texts})
    key = hashlib.sha256(("\n".join([embedder.name, f"form {EMBEDDING_FORM}", *distinct])).encode()).hexdigest()[:16]
    path = cache / f"vectors-{key}.npz" if cache else None
    if path and path.is_file():
        vectors = np.load(path)["v"]
    else:
        started = time.perf_counter()
        vectors = embedder.embed([embedding_text(t) for t in distinct]) if distinct else np.zeros((0, embedder.dim), np.float32)
        say(f"  embedded {len(distinct)} sentences in {time.perf_counter() - started:.0f} s")
        if path:
            path.parent.mkdir(parents=True, exist_ok=True)
            np.savez(path, v=vectors)
    return dict(zip(distinct, vectors))


def mrpc_cosines(pairs: Sequence[Pair], vectors: dict[str, np.ndarray]) -> np.ndarray:
    return np.array([float(vectors[normalise(p.a)] @ vectors[normalise(p.b)]) for p in pairs])


def same_claim_predictions(pairs: Sequence[Pair], cosines: np.ndarray, settings=None) -> np.ndarray:
    """The library's own decision: classify() says a relation (not None)."""
    settings = settings or match_mod.DEFAULT_SETTINGS
    return np.array(
        [match_mod.classify(p.a, p.b, float(c), settings)[0] is not None for p, c in zip(pairs, cosines)]
    )


def fit_logistic(X: np.ndarray, y: np.ndarray, l2: float = 1e-4, iterations: int = 50) -> np.ndarray:
    """Intercept + weights of an L2-regularised logistic regression (Newton's method; the
    intercept is not penalised; ``l2`` is per example). Deterministic, numpy only."""
    Xb = np.hstack([np.ones((len(X), 1)), np.asarray(X, dtype=np.float64)])
    y = np.asarray(y, dtype=np.float64)
    w = np.zeros(Xb.shape[1])
    penalty = l2 * len(y) * np.diag(np.r_[0.0, np.ones(Xb.shape[1] - 1)])
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(Xb @ w)))
        gradient = Xb.T @ (p - y) + penalty @ w
        hessian = (Xb * (p * (1 - p))[:, None]).T @ Xb + penalty
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.max(np.abs(step)) < 1e-10:
            break
    return w


def logistic_probability(w: np.ndarray, X: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(w[0] + np.asarray(X, dtype=np.float64) @ w[1:])))


def tune_same_claim(X: np.ndarray, y: np.ndarray, folds: int = 5) -> dict:
    """Fit the same-claim model on MRPC train and choose its cosine floor and probability
    threshold by cross-validation on train (pairs assigned to folds by position)."""
    idx = np.arange(len(y))
    cv_prob = np.zeros(len(y))
    for f in range(folds):
        held = idx % folds == f
        cv_prob[held] = logistic_probability(fit_logistic(X[~held], y[~held]), X[held])
    grid = []
    for t in (0.4, 0.45, 0.5, 0.55, 0.6):
        for floor in (0.0, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7):
            acc = float(np.mean(((cv_prob >= t) & (X[:, 0] >= floor)) == y.astype(bool)))
            grid.append({"same_probability": t, "same_min_cosine": floor, "cv_accuracy": round(acc, 4)})
    # Best CV accuracy; ties go to the highest floor (the cheapest pre-filter).
    best = max(grid, key=lambda g: (g["cv_accuracy"], g["same_min_cosine"]))
    weights = fit_logistic(X, y)
    return {
        "weights": [round(float(x), 6) for x in weights],
        "feature_names": list(match_mod.FEATURE_NAMES),
        "best": best,
        "grid": grid,
    }


def evaluate_mrpc(root: Path, embedder: Embedder, out: Path | None, limit: int | None, tune: bool) -> dict:
    train = read_mrpc(root / "mrpc" / "msr_paraphrase_train.txt", limit)
    test = read_mrpc(root / "mrpc" / "msr_paraphrase_test.txt", limit)
    vectors = cached_vectors([s for ps in (train, test) for p in ps for s in (p.a, p.b)], embedder, out)
    settings = match_mod.DEFAULT_SETTINGS
    result: dict = {"train_pairs": len(train), "test_pairs": len(test)}
    cos_threshold = None
    for name, pairs in (("train", train), ("test", test)):
        labels = np.array([p.label for p in pairs])
        cos = mrpc_cosines(pairs, vectors)
        result[name] = classification_metrics(labels, same_claim_predictions(pairs, cos))
        result[name + "_always_same"] = classification_metrics(labels, np.ones_like(labels, dtype=bool))
        if cos_threshold is None:
            # The zero-shot baseline: the cosine threshold with the best train accuracy.
            grid = np.arange(0, 201) / 200
            correct = [np.sum((cos >= t) == labels.astype(bool)) for t in grid]
            cos_threshold = float(grid[int(np.argmax(correct))])
            result["cosine_only_threshold"] = cos_threshold
        result[name + "_cosine_only"] = classification_metrics(labels, cos >= cos_threshold)
        feats = np.array([match_mod.same_claim_features(p.a, p.b, float(c)) for p, c in zip(pairs, cos)])
        probs = logistic_probability(np.array(match_mod.SAME_CLAIM_WEIGHTS), feats)
        floor = cos >= settings.same_min_cosine
        result[name + "_thresholds"] = [
            {"threshold": t, **classification_metrics(labels, floor & (probs >= t))}
            for t in (0.2, 0.3, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 0.9)
        ]
        if tune and name == "train":
            result["tuned"] = tune_same_claim(feats, labels)
    return result


# --------------------------------------------------------------------------- CheckThat! 2022 2A


def read_queries(path: Path) -> list[tuple[str, str]]:
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if line.strip():
                qid, _, text = line.partition("\t")
                out.append((qid, text))
    return out


def read_qrels(*paths: Path) -> dict[str, set[str]]:
    rel: dict[str, set[str]] = {}
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                parts = line.split()
                if len(parts) >= 4 and parts[3] != "0":
                    rel.setdefault(parts[0], set()).add(parts[2])
    return rel


def vclaim_documents(path: Path, keep: set[str] | None = None) -> list[dict]:
    docs = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if keep is not None and r["vclaim_id"] not in keep:
                continue
            doc = {"id": r["vclaim_id"], "text": r["vclaim"], "title": r.get("title"), "source": "snopes"}
            try:
                doc["published"] = datetime.datetime.strptime(r.get("date") or "", "%d %B %Y").date().isoformat()
            except ValueError:
                pass
            docs.append(doc)
    return docs


def build_store(store_path: Path, docs: list[dict], model: str, jsonl: Path) -> Store:
    """Index ``docs`` (provenance JSON Lines) into ``store_path`` unless it already holds them."""
    if Store.exists(store_path):
        with Store.open(store_path) as store:
            if store.counts()["documents"] == len(docs):
                return Store.open(store_path)
    jsonl.parent.mkdir(parents=True, exist_ok=True)
    with open(jsonl, "w", encoding="utf-8") as fh:
        for d in docs:
            fh.write(json.dumps(d, ensure_ascii=False) + "\n")
    started = time.perf_counter()
    summary = index_paths(store_path, [str(jsonl)], model=model)
    if summary.rejected:
        raise RuntimeError(f"{len(summary.rejected)} documents rejected, first: {summary.rejected[0]}")
    say(f"  indexed {summary.documents_added} documents in {time.perf_counter() - started:.0f} s")
    return Store.open(store_path)


def retrieval_scores(
    store: Store,
    embedder: Embedder,
    queries: Sequence[tuple[str, str]],
    qrels: dict[str, set[str]],
    lexical_weight: float | None = None,
) -> dict:
    kwargs = {} if lexical_weight is None else {"lexical_weight": lexical_weight}
    aps, p1 = [], []
    for i in range(0, len(queries), TRACE_BATCH):
        chunk = queries[i : i + TRACE_BATCH]
        results = trace(store, embedder, [Query(t, q) for q, t in chunk], top=10, **kwargs)
        for (qid, _), res in zip(chunk, results):
            ranked = ranked_documents(res)
            rel = qrels.get(qid, set())
            aps.append(average_precision_at(ranked, rel, 5))
            p1.append(1.0 if ranked[:1] and ranked[0] in rel else 0.0)
    n = len(aps)
    return {"queries": n, "map@5": float(np.mean(aps)) if n else 0.0, "p@1": float(np.mean(p1)) if n else 0.0}


def baseline_scores(store: Store, embedder: Embedder, queries: Sequence[tuple[str, str]], qrels: dict[str, set[str]]) -> dict:
    """The two retrievers on their own, without trace's thresholds: the FAISS ranking of the
    whole query's vector, and the FTS5 BM25 ranking."""
    vectors = embedder.embed([embedding_text(t, store.embedding_form) for _, t in queries])
    _, ids = store.vectors.search(vectors, 20)
    lexical = [store.lexical_search(t, 20) for _, t in queries]
    claims = store.claims({int(x) for x in ids.ravel() if x >= 0} | {c for hits in lexical for c, _ in hits})
    out = {}
    for name, rankings in (
        ("test_dense_ranking", [[int(x) for x in row if x >= 0] for row in ids]),
        ("test_bm25_ranking", [[c for c, _ in hits] for hits in lexical]),
    ):
        aps, p1 = [], []
        for (qid, _), ranking in zip(queries, rankings):
            docs = list(dict.fromkeys(claims[c].doc_id for c in ranking))
            rel = qrels.get(qid, set())
            aps.append(average_precision_at(docs, rel, 5))
            p1.append(1.0 if docs[:1] and docs[0] in rel else 0.0)
        out[name] = {"queries": len(aps), "map@5": float(np.mean(aps)), "p@1": float(np.mean(p1))}
    return out


def evaluate_checkthat(root: Path, embedder: Embedder, out: Path, limit: int | None, tune: bool) -> dict:
    d = root / "checkthat2022-2a"
    test_q = read_queries(d / "test-queries.tsv")
    test_rel = read_qrels(d / "test-qrels.tsv")
    tune_q = read_queries(d / "train-dev-queries.tsv")
    tune_rel = read_qrels(d / "train-qrels.tsv", d / "dev-qrels.tsv")
    keep = None
    if limit is not None:
        # A smoke run: the first N queries of each split against their own claims plus the
        # first 10N claims as distractors.
        test_q, tune_q = test_q[:limit], tune_q[:limit]
        keep = {v for q, _ in test_q + tune_q for v in test_rel.get(q, set()) | tune_rel.get(q, set())}
        with open(d / "vclaims.jsonl", encoding="utf-8") as fh:
            for i, line in enumerate(fh):
                if i >= 10 * limit:
                    break
                keep.add(json.loads(line)["vclaim_id"])
    docs = vclaim_documents(d / "vclaims.jsonl", keep)
    tag = "checkthat" if limit is None else f"checkthat-limit{limit}"
    store = build_store(out / f"{tag}-store-{_slug(embedder.name)}", docs, embedder.name, out / f"{tag}-vclaims.jsonl")
    with store:
        cached = CachingEmbedder(embedder)
        result: dict = {"claims_documents": len(docs)}
        started = time.perf_counter()
        result["test"] = retrieval_scores(store, cached, test_q, test_rel)
        result["test"]["seconds"] = round(time.perf_counter() - started, 1)
        result["test_dense_only"] = retrieval_scores(store, cached, test_q, test_rel, lexical_weight=0.0)
        result.update(baseline_scores(store, cached, test_q, test_rel))
        if tune:
            grid = []
            shipped = lexical_mod.BM25_WEIGHTS
            try:
                for title in TITLE_WEIGHT_GRID:
                    # Store.lexical_search reads the column weights at call time.
                    lexical_mod.BM25_WEIGHTS = (1.0, title)
                    for w in LEXICAL_WEIGHT_GRID:
                        if w == 0.0 and title != TITLE_WEIGHT_GRID[0]:
                            continue  # dense only: the title weight plays no part
                        r = retrieval_scores(store, cached, tune_q, tune_rel, lexical_weight=w)
                        say(f"  train+dev title {title:g} lexical_weight {w:g}: MAP@5 {r['map@5']:.4f} P@1 {r['p@1']:.4f}")
                        grid.append({"title_weight": title, "lexical_weight": w, **r})
            finally:
                lexical_mod.BM25_WEIGHTS = shipped
            result["tune_train_dev"] = grid
            result["tune_best"] = max(grid, key=lambda g: (g["map@5"], g["p@1"]))
    return result


def _slug(name: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in name.rsplit("/", 1)[-1]).strip("-")


# --------------------------------------------------------------------------- Clough & Stevenson


def read_clough(d: Path, limit: int | None) -> tuple[list[dict], dict[str, tuple[str, str]]]:
    """(documents, answer id -> (task, category)); sources are ``orig_task<x>``."""
    docs, labels = [], {}
    for task in "abcde":
        name = f"orig_task{task}"
        docs.append({"id": name, "text": _read_latin(d / f"{name}.txt"), "title": f"source {task}"})
    with open(d / "file_information.csv", encoding="utf-8-sig", newline="") as fh:
        # The file lists the sources too (category "orig"); they are read above.
        rows = [r for r in csv.DictReader(fh) if r["Category"].strip() != "orig"]
    if limit is not None:
        rows = rows[:limit]
    for r in rows:
        answer = r["File"].removesuffix(".txt")
        labels[answer] = (r["Task"].strip(), r["Category"].strip())
        docs.append({"id": answer, "text": _read_latin(d / r["File"])})
    return docs, labels


def _read_latin(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def linked_sources(store: Store) -> dict[str, set[str]]:
    """Document id -> the source documents (``orig_task*``) any of its claims matches."""
    pairs = store.all_matches()
    ids = {c for a, b, *_ in pairs for c in (a, b)}
    claims = store.claims(ids)
    out: dict[str, set[str]] = {}
    for a, b, *_ in pairs:
        da, db = claims[a].doc_id, claims[b].doc_id
        for x, y in ((da, db), (db, da)):
            if y.startswith("orig_task") and not x.startswith("orig_task"):
                out.setdefault(x, set()).add(y)
    return out


def evaluate_clough(root: Path, embedder: Embedder, out: Path, limit: int | None) -> dict:
    docs, labels = read_clough(root / "clough-stevenson", limit)
    tag = "clough" if limit is None else f"clough-limit{limit}"
    store = build_store(out / f"{tag}-store-{_slug(embedder.name)}", docs, embedder.name, out / f"{tag}.jsonl")
    with store:
        links = linked_sources(store)
    levels: dict[str, dict] = {}
    for answer, (task, category) in sorted(labels.items()):
        lv = levels.setdefault(category, {"answers": 0, "own_source_only": 0, "wrong_source": 0, "unlinked": 0})
        lv["answers"] += 1
        got = links.get(answer, set())
        own = f"orig_task{task}"
        if not got:
            lv["unlinked"] += 1
        elif got - {own}:
            lv["wrong_source"] += 1
        else:
            lv["own_source_only"] += 1
    return {"levels": {k: levels[k] for k in ("cut", "light", "heavy", "non") if k in levels}}


# --------------------------------------------------------------------------- report


def format_table(results: dict) -> str:
    lines = []
    if "mrpc" in results:
        r = results["mrpc"]
        lines += ["MRPC same-claim decision (shipped settings)", f"{'split':<18} {'acc':>6} {'prec':>6} {'rec':>6} {'F1':>6}"]
        for split in ("train", "test", "test_cosine_only", "test_always_same"):
            m = r[split]
            lines.append(f"{split:<18} {m['accuracy']:6.3f} {m['precision']:6.3f} {m['recall']:6.3f} {m['f1']:6.3f}")
        if "tuned" in r:
            lines.append(f"  tuned on train: {r['tuned']['best']}")
            lines.append(f"  weights: {r['tuned']['weights']}")
        lines += ["", "MRPC test by same-claim probability threshold", f"{'p >=':<6} {'acc':>6} {'prec':>6} {'rec':>6} {'F1':>6}"]
        for m in r["test_thresholds"]:
            lines.append(f"{m['threshold']:<6g} {m['accuracy']:6.3f} {m['precision']:6.3f} {m['recall']:6.3f} {m['f1']:6.3f}")
        lines.append("")
    if "checkthat" in results:
        r = results["checkthat"]
        lines += [f"CheckThat! 2022 2A test ({r['test']['queries']} tweets, {r['claims_documents']} claims)",
                  f"{'retrieval':<24} {'MAP@5':>6} {'P@1':>6}"]
        for name, key in (
            ("trace, fused (shipped)", "test"),
            ("trace, dense only", "test_dense_only"),
            ("FAISS ranking alone", "test_dense_ranking"),
            ("BM25 ranking alone", "test_bm25_ranking"),
        ):
            lines.append(f"{name:<24} {r[key]['map@5']:6.3f} {r[key]['p@1']:6.3f}")
        for g in r.get("tune_train_dev", []):
            lines.append(
                f"  train+dev, title weight {g['title_weight']:g}, lexical weight {g['lexical_weight']:<4g}: "
                f"MAP@5 {g['map@5']:.4f} P@1 {g['p@1']:.4f}"
            )
        lines.append("")
    if "clough" in results:
        lines += ["Clough & Stevenson: answers linked to their source",
                  f"{'level':<6} {'n':>3} {'own source only':>16} {'wrong source':>13} {'unlinked':>9}"]
        for level, v in results["clough"]["levels"].items():
            lines.append(f"{level:<6} {v['answers']:>3} {v['own_source_only']:>16} {v['wrong_source']:>13} {v['unlinked']:>9}")
        lines.append("")
    if "story" in results:
        lines += format_story(results["story"]) + [""]
    return "\n".join(lines)


def run(
    benchmarks: Path,
    only: Sequence[str] = BENCHMARKS,
    model: str | None = None,
    out: Path = DEFAULT_OUT,
    limit: int | None = None,
    tune: bool = False,
) -> dict:
    embedder = load_embedder(model)
    results: dict = {"model": embedder.name, "limit": limit}
    steps: dict[str, Callable[[], dict]] = {
        "mrpc": lambda: evaluate_mrpc(benchmarks, embedder, out, limit, tune),
        "checkthat": lambda: evaluate_checkthat(benchmarks, embedder, out, limit, tune),
        "clough": lambda: evaluate_clough(benchmarks, embedder, out, limit),
        "story": lambda: evaluate_story(embedder, out),
    }
    for name in only:
        say(f"{name} ...")
        started = time.perf_counter()
        results[name] = steps[name]()
        results[name]["seconds_total"] = round(time.perf_counter() - started, 1)
    return results


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--benchmarks", type=Path, default=DEFAULT_BENCHMARKS, help="shared/benchmarks folder")
    ap.add_argument("--only", default=",".join(BENCHMARKS), help="comma-separated: mrpc, checkthat, clough, story")
    ap.add_argument("--model", default=None, help="embedder (default: bundled all-MiniLM-L6-v2; 'hashing' for a toy)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="cache folder and results.json location")
    ap.add_argument("--limit", type=int, default=None, help="smoke run on the first N items of each benchmark")
    ap.add_argument("--tune", action="store_true", help="also run the train/dev tuning and print what it finds")
    ap.add_argument("--story-errors", action="store_true", help="list the story set's train-half misses (never the test half's)")
    ap.add_argument("--results", type=Path, default=None, help="where to write the JSON (default OUT/results.json)")
    args = ap.parse_args(argv)
    only = [b.strip() for b in args.only.split(",") if b.strip()]
    bad = [b for b in only if b not in BENCHMARKS]
    if bad:
        ap.error(f"unknown benchmark(s) {bad}; choose from {', '.join(BENCHMARKS)}")
    if args.limit is not None and args.limit < 1:
        ap.error("--limit must be at least 1")
    if not args.benchmarks.is_dir():
        print(f"error: {args.benchmarks} not found (pass --benchmarks)", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    results = run(args.benchmarks, only, args.model, args.out, args.limit, args.tune)
    results["command"] = " ".join(["scripts/evaluate.py", *(argv if argv is not None else sys.argv[1:])])
    print(format_table(results))
    if args.story_errors and "story" in results:
        print("\n".join(story_errors(args.out)))
    # A smoke run must not overwrite the full run's figures.
    target = args.results or args.out / ("results.json" if args.limit is None else f"results-limit{args.limit}.json")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    say(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

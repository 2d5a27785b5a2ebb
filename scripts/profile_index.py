#!/usr/bin/env python3
"""Where `index` spends its time beside the model: wall time per stage, model time removed.

usage: scripts/profile_index.py CORPUS.jsonl [--limit N] [--cache PREFIX] [--store DIR]

The corpus's distinct claim texts are embedded once with the real model and kept in
PREFIX.npy / PREFIX.json (default: indexes/profile/vectors; texts missing from the cache, e.g.
after a segmentation change, are embedded and added). Then `index_paths` runs on a fresh store
with an embedder that looks those vectors up, so the run costs everything but the model, with
the real model's matches and clusters. Each stage is timed where the pipeline calls it; the
table gives seconds and milliseconds per claim. Compare the total with the model's own time per
claim (scripts/bench.py's bare encode) to see what the stages cost beside it.
"""

from __future__ import annotations

import argparse
import collections
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from provenance import pipeline  # noqa: E402
from provenance.documents import Document, read_inputs  # noqa: E402
from provenance.embed import DEFAULT_MODEL  # noqa: E402
from provenance.pipeline import claims_of  # noqa: E402
from provenance.textnorm import embedding_text  # noqa: E402
from provenance.store import Store, Writer  # noqa: E402
from provenance.store.vectors import VectorCache  # noqa: E402

PIPELINE_STAGES = ("segment", "embed", "find_matches", "attribute", "update_clusters", "finish_pending")
# (class, method) pairs timed inside the stages; search and claims are matching's store reads.
STORE_STAGES = (
    (Store, "claims"), (Store, "known_hashes"), (VectorCache, "search"), (VectorCache, "add"),
    (Writer, "insert_claims"), (Writer, "insert_document"), (Writer, "insert_embeddings"),
    (Writer, "insert_matches"), (Writer, "insert_credits"),
)


def cached_vectors(docs: list[Document], prefix: Path) -> dict[str, np.ndarray]:
    """The real model's vector for every distinct text the index embeds for ``docs`` (claims and
    quote units, in their embedding form), cached under ``prefix``."""
    texts: list[str] = json.loads(prefix.with_suffix(".json").read_text()) if prefix.with_suffix(".json").exists() else []
    vectors = np.load(prefix.with_suffix(".npy")) if texts else np.zeros((0, 384), dtype=np.float32)
    have = set(texts)
    wanted = (embedding_text(c.norm) for d in docs for c in claims_of(d.text))
    missing = list(dict.fromkeys(t for t in wanted if t not in have))
    if missing:
        from provenance.embed import TORCH, load_encoder

        print(f"embedding {len(missing)} texts not in the cache (model time, once)", file=sys.stderr)
        fresh = load_encoder(None, TORCH, None).embed(missing)
        texts += missing
        vectors = np.concatenate([vectors, fresh]) if len(vectors) else fresh
        prefix.parent.mkdir(parents=True, exist_ok=True)
        np.save(prefix.with_suffix(".npy"), vectors)
        prefix.with_suffix(".json").write_text(json.dumps(texts))
    return dict(zip(texts, vectors))


class LookupEmbedder:
    """The real model's vectors, looked up instead of computed."""

    name = DEFAULT_MODEL
    dim = 384
    encoder = "sentence-transformers"
    loaded = True

    def __init__(self, table: dict[str, np.ndarray]) -> None:
        self.table = table

    def embed(self, texts: list[str]) -> np.ndarray:
        return np.stack([self.table[t] for t in texts]).astype(np.float32)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--cache", type=Path, default=REPO / "indexes" / "profile" / "vectors")
    ap.add_argument("--store", type=Path, default=None, help="where to build the store (default: a temporary folder)")
    args = ap.parse_args()

    docs = [d for d in read_inputs([str(args.corpus)]) if isinstance(d, Document)][: args.limit]
    limited = Path(tempfile.mkdtemp(prefix="provenance-profile-")) / "docs.jsonl"
    limited.write_text("".join(json.dumps({"id": d.id, "text": d.text, "published": d.published, "source": d.source, "title": d.title, "url": d.url}) + "\n" for d in docs))
    embedder = LookupEmbedder(cached_vectors(docs, args.cache))

    spent: collections.Counter[str] = collections.Counter()

    def timed(owner: object, name: str) -> None:
        inner = getattr(owner, name)

        def wrapper(*a: object, **k: object) -> object:
            t = time.perf_counter()
            try:
                return inner(*a, **k)
            finally:
                spent[name] += time.perf_counter() - t

        setattr(owner, name, wrapper)

    for name in PIPELINE_STAGES:
        timed(pipeline, name)
    for owner, name in STORE_STAGES:
        timed(owner, name)
    pipeline.prepare_query_encoder = lambda model: None  # an ONNX export is not index work
    store_path = args.store or limited.parent / "store"
    shutil.rmtree(store_path, ignore_errors=True)
    opened = Store.open_for_writing(store_path, model=embedder.name, dimension=embedder.dim, encoder=embedder.encoder)
    opened.release()
    pipeline.open_writer = lambda path, model, **k: (Store.open_for_writing(path, model=embedder.name), embedder)

    # One-off costs (pysbd and the attribution patterns compile on first use) are not per-claim work.
    from provenance.credits.extract import find_attributions

    claims_of("Warm up. Mr. Smith went to Washington, D.C. on Monday.")
    find_attributions("The plan failed, according to Reuters, officials said.")
    t = time.perf_counter()
    summary = pipeline.index_paths(store_path, [str(limited)])
    total = time.perf_counter() - t
    n = summary.claims_added
    with Store.open(store_path) as done:
        stored = done.cluster_count()
    print(f"{summary.documents_added} documents, {n} claims, {summary.matches_added} matches, {stored} clusters "
          f"({summary.clusters} across outlets)")
    print("| stage | seconds | ms/claim |\n| --- | ---: | ---: |")
    print(f"| whole `index_paths` (no model time) | {total:.2f} | {1000 * total / n:.3f} |")
    for name, s in spent.most_common():
        nested = " (matching's store reads)" if name in ("search", "claims") else ""
        print(f"| {name}{nested} | {s:.2f} | {1000 * s / n:.3f} |")
    shutil.rmtree(limited.parent, ignore_errors=True)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Encode throughput by batch size and threads, for choosing the encoders' defaults.

usage: scripts/bench_batch.py TEXTS.json [--n 640] [--batches 16,32,64,128] [--threads 1,2]
                              [--encoder onnx|sentence-transformers]

TEXTS.json is a JSON list of sentences (scripts/bench.py --work DIR leaves DIR/texts.json, the
news corpus's distinct claim texts). Each setting encodes the same first N texts once after a
warm-up; texts are sorted by length inside the encoder in every case.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("texts", type=Path)
    ap.add_argument("--n", type=int, default=640)
    ap.add_argument("--batches", default="16,32,64,128")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--encoder", default="onnx", choices=["onnx", "sentence-transformers"])
    args = ap.parse_args()
    texts = json.loads(args.texts.read_text())[: args.n]
    from provenance import embed as encoders

    model = encoders.DEFAULT_MODEL
    print(f"| encoder | threads | batch | texts/s |\n| --- | ---: | ---: | ---: |")
    for threads in [int(t) for t in args.threads.split(",")]:
        if args.encoder == "onnx":
            path = encoders.onnx_path(model) if encoders.onnx_ready(model) else encoders.export_onnx(model)
            enc = encoders.OnnxEmbedder(model, path, encoders.model_folder(model), threads=threads)
        else:
            import torch

            torch.set_num_threads(threads)
            enc = encoders.load_encoder(model, encoders.TORCH, "cpu")
        enc.embed(texts[:32])
        for batch in [int(b) for b in args.batches.split(",")]:
            enc.batch_size = batch
            t = time.perf_counter()
            enc.embed(texts)
            rate = len(texts) / (time.perf_counter() - t)
            print(f"| {args.encoder} | {threads} | {batch} | {rate:.0f} |", flush=True)


if __name__ == "__main__":
    main()

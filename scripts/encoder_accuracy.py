#!/usr/bin/env python3
"""Do the encoders give the same answers? MRPC test figures and agreement with torch, per encoder.

usage: scripts/encoder_accuracy.py [--mrpc-dir DIR] [--limit N] [--json OUT]

For torch (sentence-transformers), ONNX Runtime fp32 (the cached export, made if missing) and
ONNX Runtime with dynamically quantised int8 weights (made in a temporary folder, never
shipped unless it holds accuracy): MRPC test accuracy/F1 with the shipped same-claim rule
(provenance.match.classify, through scripts/evaluate.py's helpers), the lowest and mean cosine of each vector to
torch's, and encode throughput on the same texts (batch 64, length-sorted).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

import evaluate as ev  # noqa: E402

from provenance import embed as encoders  # noqa: E402
from provenance.textnorm import normalise  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mrpc-dir", type=Path, default=ev.DEFAULT_BENCHMARKS / "mrpc")
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    pairs = ev.read_mrpc(args.mrpc_dir / "msr_paraphrase_test.txt", args.limit)
    texts = sorted({normalise(t) for p in pairs for t in (p.a, p.b)})
    model = encoders.DEFAULT_MODEL

    torch_enc = encoders.load_encoder(model, encoders.TORCH, "cpu")
    fp32_path = encoders.onnx_path(model) if encoders.onnx_ready(model) else encoders.export_onnx(model)
    folder = encoders.model_folder(model)
    tmp = Path(tempfile.mkdtemp(prefix="provenance-int8-"))
    int8_path = tmp / "model-int8.onnx"
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(fp32_path), str(int8_path), weight_type=QuantType.QInt8)
    candidates = {
        "sentence-transformers (torch fp32)": torch_enc,
        "onnx (ONNX Runtime fp32)": encoders.OnnxEmbedder(model, fp32_path, folder),
        "onnx int8 (dynamic quantisation)": encoders.OnnxEmbedder(model, int8_path, folder),
    }
    reference = None
    rows = {}
    for name, enc in candidates.items():
        enc.embed(texts[:64])
        t = time.perf_counter()
        vecs = enc.embed(texts)
        seconds = time.perf_counter() - t
        if reference is None:
            reference = vecs
        cos = np.sum(vecs * reference, axis=1)
        table = dict(zip(texts, vecs))
        labels = np.array([p.label for p in pairs])
        m = ev.classification_metrics(labels, ev.same_claim_predictions(pairs, ev.mrpc_cosines(pairs, table)))
        rows[name] = {"texts_per_s": len(texts) / seconds, "min_cos_to_torch": float(cos.min()),
                      "mean_cos_to_torch": float(cos.mean()), **m}
        print(f"{name}: {rows[name]}", file=sys.stderr, flush=True)
    print(f"MRPC test, {len(pairs)} pairs, {len(texts)} distinct texts; shipped rule\n")
    print("| encoder | accuracy | F1 | min / mean cosine to torch | texts/s |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, r in rows.items():
        print(f"| {name} | {r['accuracy']:.3f} | {r['f1']:.3f} | {r['min_cos_to_torch']:.5f} / {r['mean_cos_to_torch']:.5f} | {r['texts_per_s']:.0f} |")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()

#!/usr/bin/env python
"""Fuzz the ingestion parsers: only a clear rejection may come out, never a crash.

Mutation fuzzing from a seed corpus (valid and pathological documents: front matter, HTML,
JSONL, BOMs, UTF-16, deep nesting, NULs, bidi controls, long lines): random byte flips,
insertions, deletions, truncations, splices and repeats. Each input goes through the parser for
its kind (.txt, .md, .html, .jsonl); every document that comes out is split into claims. The
contract: the parser yields Documents and Rejections (or raises InputRejected) and nothing else;
documents have non-empty text without NUL or lone surrogates; every claim's offsets slice back
to its text. Deterministic for a given --seed.

    nice -n 10 .venv/bin/python scripts/fuzz_inputs.py --inputs 20000
"""

from __future__ import annotations

import argparse
import io
import json
import random
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from provenance.documents import Document, Rejection  # noqa: E402
from provenance.documents.jsonl import _read_jsonl  # noqa: E402
from provenance.documents.read import _document_from_bytes  # noqa: E402
from provenance.errors import InputRejected  # noqa: E402
from provenance.segment import split_claims  # noqa: E402

TEXT = "The harbour authority confirmed that diesel leaked into the bay on Monday night. Residents were told to stay inside."
SEEDS: list[tuple[str, bytes]] = [
    ("txt", TEXT.encode()),
    ("md", f"---\ntitle: Leak\nsource: Ledger\npublished: 2024-03-01\nauthors: [A, B]\n---\n{TEXT}\n".encode()),
    ("md", b"---\ntitle: never closed\n" + TEXT.encode()),
    ("txt", b"\xef\xbb\xbf" + TEXT.encode()),
    ("txt", TEXT.encode("utf-16")),
    ("txt", "Le caf\u00e9 \u00e9tait tr\u00e8s chaud ce matin-l\u00e0.".encode("cp1252")),
    ("txt", ("The may\u200bor said \u202ethe bridge\u202c will reopen. " * 3).encode()),
    ("txt", b"word " * 3000),
    ("html", f"<html><head><title>T</title><script>alert(1)</script><style>p{{}}</style></head><body><article><p>{TEXT}</p></article></body></html>".encode()),
    ("html", b"<html><body><nav>menu</nav></body></html>"),
    ("html", b'<meta charset="iso-8859-1"><p>caf\xe9 ' + TEXT.encode() + b"</p>"),
    ("jsonl", (json.dumps({"id": "a", "text": TEXT, "published": "2024-03-01T10:00:00Z", "authors": ["X"]}) + "\n").encode() * 3),
    ("jsonl", b'{"text": "x"}\n{bad\n\n[1,2]\n{"text": 5}\n{"text": "\\ud800 lone"}\n'),
    ("jsonl", ('{"text": "deep", "m": ' + "[" * 3000 + "]" * 3000 + "}\n").encode()),
    ("jsonl", b'{"text": "nul \\u0000 inside and more words here"}\n'),
]


def mutate(data: bytes, rng: random.Random) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        op = rng.randrange(7)
        pos = rng.randrange(len(b) + 1)
        if op == 0 and b:
            b[min(pos, len(b) - 1)] ^= 1 << rng.randrange(8)
        elif op == 1:
            b[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        elif op == 2:
            del b[pos : pos + rng.randint(1, 16)]
        elif op == 3:
            del b[pos:]
        elif op == 4:
            other = rng.choice(SEEDS)[1]
            s = rng.randrange(len(other) + 1)
            b[pos:pos] = other[s : s + rng.randint(1, 64)]
        elif op == 5 and b:
            s = rng.randrange(len(b))
            b[pos:pos] = b[s : s + rng.randint(1, 32)] * rng.randint(2, 50)
        else:
            b[pos:pos] = rng.choice([b"\x00", b"\xef\xbb\xbf", b"\xff\xfe", "\u202e".encode(), b"\r\n", b"\n---\n",
                                    b"<script>", b"{", b"[" * 200, b'"', b"\\u", b"\xed\xa0\x80"])
    return bytes(b)


def _check_doc(d: Document) -> None:
    assert isinstance(d.text, str) and d.text.strip(), "empty document text"
    assert "\x00" not in d.text, "NUL in text"
    d.text.encode("utf-8")
    for c in split_claims(d.text):
        assert d.text[c.start : c.end] == c.text, "claim offsets do not slice back"


def run_one(kind: str, data: bytes) -> None:
    if kind == "jsonl":
        for item in _read_jsonl(io.BytesIO(data), "fuzz.jsonl"):
            assert isinstance(item, (Document, Rejection)), type(item)
            if isinstance(item, Document):
                _check_doc(item)
            else:
                assert item.reason
        return
    try:
        d = _document_from_bytes(data, kind, "fuzz")
    except InputRejected as rej:
        assert rej.reason
        return
    _check_doc(d)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--inputs", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    failures: list[str] = []
    by_kind: dict[str, int] = {}
    started = time.perf_counter()
    for i in range(args.inputs):
        kind, seed = rng.choice(SEEDS)
        data = seed if i < len(SEEDS) else mutate(seed, rng)
        by_kind[kind] = by_kind.get(kind, 0) + 1
        try:
            run_one(kind, data)
        except Exception as exc:  # noqa: BLE001 - any escape is the finding
            failures.append(f"input {i} ({kind}, {len(data)} bytes): {type(exc).__name__}: {exc}")
            if len(failures) <= 3:
                traceback.print_exc()
                print(repr(data[:300]), file=sys.stderr)
    print(json.dumps({"inputs": args.inputs, "by_kind": by_kind, "failures": len(failures),
                      "seconds": round(time.perf_counter() - started, 1), "first_failures": failures[:10]}, indent=2))
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())

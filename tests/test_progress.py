"""The document estimate behind index's progress bar."""

from __future__ import annotations

from pathlib import Path

from provenance.documents import read_inputs
from provenance.progress import estimate_documents

from .conftest import SAMPLES, write_md


def test_estimate_matches_what_is_read(tmp_path: Path):
    folder = tmp_path / "in"
    write_md(folder, "a.md", "One document here.", id="a")
    write_md(folder / "sub", "b.txt", "Another document.")
    write_md(folder, ".hidden.md", "Skipped.")
    (folder / "notes.pdf").write_bytes(b"%PDF")
    (folder / "more.jsonl").write_text('{"text": "x one"}\n\n{"text": "x two"}\n{"text": "x three"}\n', encoding="utf-8")
    read = [d for d in read_inputs([str(folder)]) if hasattr(d, "text")]
    assert estimate_documents([str(folder)]) == len(read) == 5
    corpus = str(SAMPLES / "corpus")
    assert estimate_documents([corpus, str(folder / "more.jsonl")]) == 10 + 3


def test_no_estimate_for_stdin_or_nothing(tmp_path: Path):
    assert estimate_documents(["-"]) is None
    assert estimate_documents([str(tmp_path / "missing")]) is None

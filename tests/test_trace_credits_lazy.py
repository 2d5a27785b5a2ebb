"""trace reads the whole-store credit index only when a witness credits someone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from provenance.store import Store
from tests.conftest import write_md
from tests.test_lineage import S, T, U, index, run


def _count_builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    built: list[int] = []
    real = Store.document_refs

    def counting(store):
        built.append(1)
        return real(store)

    monkeypatch.setattr(Store, "document_refs", counting)
    return built


def _two_documents(tmp_path: Path, second: str) -> Path:
    docs = tmp_path / "docs"
    write_md(docs, "1.md", f"{S} {T}", id="first", source="The Valley Times", published="2024-05-01")
    write_md(docs, "2.md", second, id="second", source="Copy Daily", published="2024-05-02")
    store = tmp_path / "store"
    index(store, docs)
    return store


def test_no_credits_no_store_wide_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = _two_documents(tmp_path, f"{S} {U}")
    built = _count_builds(monkeypatch)
    out = json.loads(run("--store", str(store), "trace", S, "--json").stdout)
    assert out["origin"]["doc_id"] == "first" and out["primary_source"] is None
    assert built == []


def test_a_credit_still_resolves_through_the_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = _two_documents(tmp_path, f"{S[:-1]}, according to The Valley Times. {U}")
    built = _count_builds(monkeypatch)
    out = json.loads(run("--store", str(store), "trace", S, "--json").stdout)
    assert out["primary_source"]["name"] == "The Valley Times" and out["primary_source"]["doc_id"] == "first"
    assert built == [1]

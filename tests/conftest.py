from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "corpus" / "seeds"
SPEC = SHARED / "spec"
SAMPLES = REPO / "provenance" / "samples"


@pytest.fixture(scope="session")
def _encoder_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # One ONNX export per test session, made by the suite itself, never the user's ~/.cache.
    return tmp_path_factory.mktemp("encoder-cache")


@pytest.fixture(autouse=True)
def _offline(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, _encoder_cache: Path) -> None:
    # Tests never reach a model hub, and never write into the repository's indexes/ or ~/.cache.
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    monkeypatch.setenv("PROVENANCE_STORE", str(tmp_path / "default-store"))
    monkeypatch.setenv("PROVENANCE_CACHE", str(_encoder_cache))


def need_shared(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is missing: tests expect ../shared beside the repository")
    return path


@pytest.fixture
def seeds() -> Path:
    return need_shared(SEEDS)


@pytest.fixture
def spec() -> Path:
    return need_shared(SPEC)


def write_md(folder: Path, name: str, text: str, **front: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    head = "".join(f"{k}: {v}\n" for k, v in front.items())
    path = folder / name
    path.write_text(f"---\n{head}---\n{text}\n" if front else text + "\n", encoding="utf-8")
    return path


os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--runslow", action="store_true", help="also run tests marked slow (minutes each)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Slow tests (e.g. a 20 MB single-line file) stay out of the default run on 2-core machines;
    # `scripts/test --runslow` (or PROVENANCE_RUN_SLOW=1) runs them too.
    if config.getoption("--runslow") or os.environ.get("PROVENANCE_RUN_SLOW") == "1":
        return
    skip = pytest.mark.skip(reason="slow: run with --runslow or PROVENANCE_RUN_SLOW=1")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)

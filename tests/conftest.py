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


def need_ray() -> None:
    """Skip a Ray test where Ray is not installed, except under CI (``CI=true``), where the
    ``ray`` extra is installed and its absence is a failure."""
    try:
        import ray  # noqa: F401
        import ray.data  # noqa: F401
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail("Ray is not installed; CI installs the ray extra (scripts/setup --with-ray)")
        pytest.skip("Ray is not installed (pip install 'provenance[ray]')")


@pytest.fixture(scope="session")
def ray_address() -> str:
    """One local Ray cluster for the whole test session (2 CPUs, a small object store, no
    dashboard), shut down at its end; the address lets subprocesses join it."""
    need_ray()
    import logging

    import ray

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    ray.init(num_cpus=2, include_dashboard=False, object_store_memory=512 * 1024**2,
             logging_level=logging.WARNING, log_to_driver=False)
    try:
        yield ray.get_runtime_context().gcs_address
    finally:
        ray.shutdown()

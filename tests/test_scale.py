"""index --engine ray gives what one machine gives: the equality test, incremental runs, resuming
after a kill, export to SQLite, IVF-PQ above the size threshold.

Every test here shares the session's one local Ray cluster (``ray_address`` in conftest.py:
2 CPUs, 512 MB object store, no dashboard). Stores are compared by canonical dumps keyed by
document id and claim offsets (``scalekit.py``), never by numbers.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from provenance.batching import MAX_BATCH_DOCUMENTS, CommitPacer
from provenance.cli import cli
from provenance.match import classify
from provenance.pipeline import index_paths
from provenance.scale.compare import COSINE_TOLERANCE, canonical_dump, unexplained_differences
from provenance.store.kinds import open_reader

from .conftest import REPO, SAMPLES, SEEDS, need_shared, write_md
from .test_judge import judge_env, stub_folder  # noqa: F401 (fixtures)

CORPUS = str(SAMPLES / "corpus")


def ray_index(store: Path, paths: list[str], **kwargs):
    from provenance.scale import RayOptions, index_with_ray

    options = RayOptions(**{k: kwargs.pop(k) for k in ("ivf_from_claims", "chunk_bytes") if k in kwargs})
    return index_with_ray(store, paths, model=kwargs.pop("model", "hashing"), options=options, **kwargs)


def local_index(store: Path, paths: list[str], size: int = MAX_BATCH_DOCUMENTS, **kwargs):
    """One machine cutting batches by count (``index --commit-every 0``), as the Ray engine cuts
    them: then even the last bits of the cosines agree (a pair scored inside a batch or against
    the stored claims goes through another product)."""
    pacer = CommitPacer(seconds=0, max_documents=size, first_documents=size)
    return index_paths(store, paths, model=kwargs.pop("model", "hashing"), pacer=pacer, **kwargs)


def dump(path: Path) -> dict:
    with open_reader(path) as store:
        return canonical_dump(store)


def crowd(folder: Path, n: int = 45) -> Path:
    """``n`` documents repeating one sentence with other figures: more copies than NEIGHBOURS,
    so which earlier claims each claim is compared with decides which pairs exist."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "crowd.jsonl"
    lines = [
        orjson.dumps({"id": f"crowd-{i}", "source": f"Outlet {i % 7}", "published": f"2025-05-{1 + i % 28:02d}",
                      "text": f"The council said the repair of bridge {i} on route {i % 9} would cost {3 * i} million "
                              f"and finish by spring. Residents of ward {i} were not consulted."})
        for i in range(n)
    ]  # fmt: skip
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


@pytest.fixture(scope="module")
def both(ray_address, tmp_path_factory):
    """The sample corpus, the seeds and a crowd of near-copies indexed both ways (hashing model,
    batches of 3 documents so that most pairs cross batches)."""
    root = tmp_path_factory.mktemp("both")
    paths = [CORPUS, str(need_shared(SEEDS)), str(crowd(root / "inputs"))]
    local = local_index(root / "local", paths, 3)
    summary = ray_index(root / "ray", paths, batch_documents=3)
    return root / "local", root / "ray", (local, summary)


# ---- the equality test ------------------------------------------------------------------------------


def test_ray_equals_one_machine_exactly(both):
    local, ray_store, (one, ray_summary) = both
    a, b = dump(local), dump(ray_store)
    assert a["matches"] and a["clusters"], "the corpus should have matches and clusters"
    assert any(parent for *_, parent in a["claims"]), "the corpus should have quote units"
    assert len({precision for _, _, precision, *_ in a["documents"]}) > 2, "and dates of several precisions"
    for part in a:
        assert a[part] == b[part], part
    for figure in ("documents_added", "claims_added", "quote_units_added", "texts_embedded", "matches_added", "clusters"):
        assert getattr(one, figure) == getattr(ray_summary, figure), figure


def test_ray_equals_one_machine_in_default_batches(ray_address, tmp_path, seeds):
    """Exactly as one machine committing every 64 documents; as one machine committing by time
    (its default), the same pairs, relations, clusters and origins, cosines to float noise."""
    paths = [CORPUS, str(seeds)]
    local_index(tmp_path / "local", paths)
    index_paths(tmp_path / "timed", paths, model="hashing", pacer=CommitPacer(first_documents=5))
    ray_index(tmp_path / "ray", paths)
    ray_dump = dump(tmp_path / "ray")
    assert dump(tmp_path / "local") == ray_dump
    timed = dump(tmp_path / "timed")
    assert {k: v for k, v in timed.items() if k != "matches"} == {k: v for k, v in ray_dump.items() if k != "matches"}
    assert [m[:3] for m in timed["matches"]] == [m[:3] for m in ray_dump["matches"]]
    assert max(abs(x[3] - y[3]) for x, y in zip(timed["matches"], ray_dump["matches"])) < 1e-6


def test_trace_and_report_read_a_dataset_store_as_a_sqlite_one(both):
    local, ray_store, _ = both
    runner = CliRunner()
    query = "Venholt did not notify the Coastal Waters Agency until February 17, six days after the pool was found."
    answers = [runner.invoke(cli, ["--store", str(s), "trace", query, "--json"]) for s in (local, ray_store)]
    assert all(r.exit_code == 0 for r in answers), answers[1].output
    assert orjson.loads(answers[0].output)["matches"] == orjson.loads(answers[1].output)["matches"]
    reports = [orjson.loads(runner.invoke(cli, ["--store", str(s), "report", "--format", "json"]).output) for s in (local, ray_store)]
    for r in reports:
        r.pop("generated_at"), r.pop("store")
    assert reports[0] == reports[1]
    infos = [orjson.loads(runner.invoke(cli, ["info", "--json", "--store", str(s)]).output) for s in (local, ray_store)]
    assert infos[1]["format"] == "provenance-dataset"
    for key in ("counts", "clusters_shown", "clusters_hidden", "missing"):
        assert infos[0][key] == infos[1][key], key
    listed = [runner.invoke(cli, ["documents", "--json", "--store", str(s)]) for s in (local, ray_store)]
    assert listed[0].exit_code == 0 and listed[0].output == listed[1].output, listed[1].output


def test_export_makes_a_store_check_passes(both, tmp_path):
    local, ray_store, _ = both
    runner = CliRunner()
    out = runner.invoke(cli, ["--store", str(ray_store), "export", "--sqlite", str(tmp_path / "exported"), "--json"])
    assert out.exit_code == 0, out.output
    check = runner.invoke(cli, ["--store", str(tmp_path / "exported"), "check", "--json"])
    assert check.exit_code == 0 and orjson.loads(check.output)["ok"], check.output
    assert dump(tmp_path / "exported") == dump(local)
    again = runner.invoke(cli, ["--store", str(ray_store), "export", "--sqlite", str(tmp_path / "exported")])
    assert again.exit_code == 2 and "not empty" in again.output


@pytest.mark.model
def test_ray_equals_one_machine_with_the_model(ray_address, tmp_path, seeds):
    """The real model: embedding in other batches moves cosines in the 7th decimal, so a pair
    may differ only if moving its cosine by 1e-5 changes how it is judged."""
    paths = [CORPUS, str(seeds)]
    local_index(tmp_path / "local", paths, 4, model=None)
    ray_index(tmp_path / "ray", paths, model=None, batch_documents=4)
    a, b = dump(tmp_path / "local"), dump(tmp_path / "ray")
    found = unexplained_differences(a, b)
    assert found["pairs_a"], "the model should find matches"
    assert not found["unexplained"], found
    assert found["largest_cosine_gap"] < COSINE_TOLERANCE
    if not found["differing"]:
        strip = lambda cl: (cl[0], cl[1], tuple((k, rel) for k, rel, *_ in cl[2]), cl[3])  # noqa: E731
        assert [strip(c) for c in a["report_clusters"]] == [strip(c) for c in b["report_clusters"]]
        assert a["clusters"] == b["clusters"]


# ---- incremental -------------------------------------------------------------------------------------


def test_incremental_run_equals_a_full_run(ray_address, tmp_path, seeds):
    """A later run adds documents and reclusters only the components that gained a match; the
    store equals one full run over everything (batches aligned) and one machine's two runs."""
    extra = write_md(
        tmp_path / "later", "copy.md",
        "About 40,000 gallons of ferric chloride leaked from a corroded storage tank at the Venholt Chemical "
        "terminal in Kestlow Harbor over a nine-day period in February.\n\nThe weather was mild that week.",
        id="later-copy", source="Late Wire", published="2025-04-01",
    )  # fmt: skip
    first, later = [CORPUS], [str(seeds), str(extra)]
    ray_index(tmp_path / "inc", first, batch_documents=5)
    second = ray_index(tmp_path / "inc", later, batch_documents=5)
    ray_index(tmp_path / "full", first + later, batch_documents=5)
    for p in first, later:
        local_index(tmp_path / "local", p, 5)
    inc = dump(tmp_path / "inc")
    assert inc == dump(tmp_path / "full")
    assert inc == dump(tmp_path / "local")
    with open_reader(tmp_path / "inc") as store:
        total = store.counts()["matches"]
        assert len(store.manifest()["runs"]) == 2
    assert second.matches_added > 0
    assert 0 < second.stages["cluster"]["units"] < total, "only the touched components are clustered again"


def test_nothing_new_leaves_the_store_as_it_was(both):
    _, ray_store, _ = both
    before = (ray_store / "manifest.json").read_bytes()
    summary = ray_index(ray_store, [CORPUS], batch_documents=3)
    assert summary.documents_added == 0 and summary.documents_skipped == 10 and summary.run is None
    assert (ray_store / "manifest.json").read_bytes() == before


# ---- crashes and resuming ------------------------------------------------------------------------------


def _killed_cli(ray_address: str, store: Path, paths: list[str], point: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PROVENANCE_TEST_CRASH_AT": point, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    cmd = [sys.executable, "-m", "provenance", "--store", str(store), "index", "--engine", "ray", "--address", ray_address,
           "--model", "hashing", *paths]  # fmt: skip
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)


def test_a_killed_run_leaves_no_store_and_resumes(ray_address, tmp_path, seeds):
    paths = [CORPUS, str(seeds)]
    ray_index(tmp_path / "reference", paths)
    killed = _killed_cli(ray_address, tmp_path / "s", paths, "dataset-stage:2")  # after segment and embed
    assert killed.returncode == -9, killed.stderr[-2000:]
    assert not (tmp_path / "s" / "manifest.json").exists()
    trace = CliRunner().invoke(cli, ["--store", str(tmp_path / "s"), "trace", "tank leak"])
    assert trace.exit_code != 0 and "no store" in trace.output
    resumed = ray_index(tmp_path / "s", paths)
    assert resumed.resumed and "embed" not in resumed.stages, "finished stages are not done again"
    assert dump(tmp_path / "s") == dump(tmp_path / "reference")


def test_a_run_killed_before_its_manifest_leaves_the_previous_store(ray_address, tmp_path, seeds):
    ray_index(tmp_path / "s", [CORPUS])
    before = dump(tmp_path / "s")
    killed = _killed_cli(ray_address, tmp_path / "s", [str(seeds)], "dataset-before-manifest")
    assert killed.returncode == -9, killed.stderr[-2000:]
    assert dump(tmp_path / "s") == before
    check = CliRunner().invoke(cli, ["--store", str(tmp_path / "s"), "check"])
    assert check.exit_code == 0, check.output
    resumed = ray_index(tmp_path / "s", [str(seeds)])
    assert resumed.resumed
    ray_index(tmp_path / "reference", [CORPUS])
    ray_index(tmp_path / "reference", [str(seeds)])
    assert dump(tmp_path / "s") == dump(tmp_path / "reference")


# ---- the vector index past the size threshold ---------------------------------------------------------


def test_ivfpq_index_from_merged_shards(both, tmp_path):
    """With the threshold forced below the corpus, matching and trace go through IVF-PQ built
    from shards and merged: every claim is in the merged index, every match found is judged on
    its exact cosine by the same judge, and most of the exact search's pairs are found (PQ is
    approximate: among 45 near-copies the 32 nearest differ)."""
    _, exact, _ = both
    from provenance.store.dataset import ann

    ray_index(tmp_path / "ivf", [CORPUS, str(need_shared(SEEDS)), str(crowd(tmp_path))], batch_documents=3, ivf_from_claims=50)
    with open_reader(tmp_path / "ivf") as store:
        entry = store.manifest()["index"]
        assert entry["kind"] == ann.IVFPQ and entry["params"]["shards"] >= 2
        assert entry["count"] == store.claim_count() == store.vectors.index().ntotal
        _, found = store.vectors.search(store.claim_vectors([1]), 5)
        assert 1 in found[0].tolist()
        matches = store.all_matches()
        claims = store.claims({x for m in matches for x in (m.a, m.b)})
        for m in matches:
            cos = float(store.claim_vectors([m.a])[0] @ store.claim_vectors([m.b])[0])
            assert abs(m.cosine - cos) < 1e-6
            assert classify(claims[m.a].text, claims[m.b].text, m.cosine)[0] == m.relation
    a, b = dump(exact), dump(tmp_path / "ivf")
    pairs_exact, pairs_ivf = {m[:3] for m in a["matches"]}, {m[:3] for m in b["matches"]}
    assert len(pairs_exact & pairs_ivf) >= 0.9 * len(pairs_exact)
    assert a["claims"] == b["claims"]


# ---- the command line -----------------------------------------------------------------------------------


def test_standard_input_and_rejections_as_on_one_machine(ray_address, tmp_path):
    """JSON Lines on stdin (saved for the workers), a bad line and a repeated id with other
    text: the same summary and the same rejections, with their lines, as one machine gives."""
    lines = [orjson.dumps({"id": "x", "text": "The ferry to the island was cancelled on Tuesday because of the storm."}),
             b"{broken", orjson.dumps({"id": "y", "text": "The ferry to the island was cancelled on Tuesday due to the storm."}),
             orjson.dumps({"id": "x", "text": "Another text under the same id."})]  # fmt: skip
    data = b"\n".join(lines) + b"\n"
    runner = CliRunner()
    outs = [runner.invoke(cli, ["--store", str(tmp_path / name), "index", *engine, "--model", "hashing", "--json", "-"], input=data)
            for name, engine in (("local", []), ("ray", ["--engine", "ray"]))]  # fmt: skip
    assert [o.exit_code for o in outs] == [1, 1], outs[1].output
    local, ray_run = (orjson.loads(o.stdout.strip().splitlines()[-1]) for o in outs)
    for key in ("documents_added", "documents_skipped", "claims_added", "matches_added", "clusters", "rejected"):
        assert local[key] == ray_run[key], key
    assert [r["line"] for r in ray_run["rejected"]] == [2, 4]
    assert dump(tmp_path / "local") == dump(tmp_path / "ray")


def test_a_first_run_with_nothing_valid_leaves_no_store_as_on_one_machine(ray_address, tmp_path):
    bad = tmp_path / "in" / "bad.jsonl"
    bad.parent.mkdir()
    bad.write_bytes(b"{broken\n" + orjson.dumps({"id": "x"}) + b"\n")
    (tmp_path / "in" / "notes.csv").write_text("a,b\n")  # a folder's unsupported file: skipped, named
    (tmp_path / "empty").mkdir()
    runner = CliRunner()
    outs = {}
    for name, engine in (("local", []), ("ray", ["--engine", "ray"]), ("empty", ["--engine", "ray"])):
        args = ["--store", str(tmp_path / name), "index", *engine, "--model", "hashing", "--json", str(tmp_path / "in")]
        outs[name] = runner.invoke(cli, args)
        assert outs[name].exit_code == 1, outs[name].output
    local, ray_run = (orjson.loads(outs[n].stdout.strip().splitlines()[-1]) for n in ("local", "ray"))
    for key in ("documents_added", "rejected", "files_skipped", "clusters"):
        assert local[key] == ray_run[key], key
    assert len(ray_run["rejected"]) == 2 and len(ray_run["files_skipped"]) == 1
    assert not (tmp_path / "local").exists() and not (tmp_path / "ray").exists()
    assert list((tmp_path / "empty").iterdir()) == []  # a folder given empty is left empty
    later = ray_index(tmp_path / "ray", [CORPUS])
    assert later.documents_added == 10 and later.clusters > 0
    before = (tmp_path / "ray" / "manifest.json").read_bytes()
    again = runner.invoke(cli, ["--store", str(tmp_path / "ray"), "index", "--engine", "ray", "--model", "hashing", str(bad)])
    assert again.exit_code == 1 and "found no document" in again.output and "no store was created" not in again.output
    assert (tmp_path / "ray" / "manifest.json").read_bytes() == before


def test_engine_ray_refuses_a_sqlite_store(ray_address, tmp_path):
    index_paths(tmp_path / "s", [CORPUS], model="hashing")
    out = CliRunner().invoke(cli, ["--store", str(tmp_path / "s"), "index", "--engine", "ray", "--model", "hashing", CORPUS])
    assert out.exit_code == 2 and "SQLite store" in out.output


def test_engine_local_refuses_a_dataset_store(both):
    _, ray_store, _ = both
    before = (ray_store / "manifest.json").read_bytes()
    out = CliRunner().invoke(cli, ["--store", str(ray_store), "index", "--model", "hashing", CORPUS])
    assert out.exit_code == 2 and "dataset store" in out.output
    assert (ray_store / "manifest.json").read_bytes() == before and not (ray_store / "store.sqlite").exists()


def test_a_damaged_dataset_store_fails_check(both, tmp_path):
    import shutil

    _, ray_store, _ = both
    copy = tmp_path / "copy"
    shutil.copytree(ray_store, copy)
    assert CliRunner().invoke(cli, ["--store", str(copy), "check"]).exit_code == 0
    next((copy / "runs").rglob("claims/*.parquet")).unlink()
    out = CliRunner().invoke(cli, ["--store", str(copy), "check"])
    assert out.exit_code == 74 and "missing" in out.output


def test_gpus_the_cluster_lacks_are_refused(ray_address, tmp_path):
    out = CliRunner().invoke(cli, ["--store", str(tmp_path / "s"), "index", "--engine", "ray", "--gpus", "1", "--model", "hashing", CORPUS])
    assert out.exit_code == 2 and "GPU" in out.output


def test_engine_ray_without_ray_says_how_to_install(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "ray", None)
    out = CliRunner().invoke(cli, ["--store", str(tmp_path / "s"), "index", "--engine", "ray", CORPUS])
    assert out.exit_code == 2
    assert "pip install 'provenance[ray]'" in out.output
    assert not (tmp_path / "s").exists()


def test_ray_options_need_engine_ray(tmp_path):
    out = CliRunner().invoke(cli, ["--store", str(tmp_path / "s"), "index", "--gpus", "1", CORPUS])
    assert out.exit_code == 2 and "--engine ray" in out.output


def test_a_dataset_store_of_another_schema_version_is_refused_with_what_to_do(both, tmp_path):
    """Version 1 (before quote units and date precision) and a newer version than this build:
    read commands and a further run refuse them rather than read columns that are not there."""
    _, ray_store, _ = both
    runner = CliRunner()
    for version, advice in ((1, "index its inputs again"), (99, "upgrade provenance")):
        copy = tmp_path / f"v{version}"
        subprocess.run(["cp", "-r", str(ray_store), str(copy)], check=True)
        manifest = orjson.loads((copy / "manifest.json").read_bytes())
        (copy / "manifest.json").write_bytes(orjson.dumps({**manifest, "schema_version": version}))
        for args in (["report", "--format", "json"], ["index", "--engine", "ray", "--model", "hashing", CORPUS]):
            out = runner.invoke(cli, ["--store", str(copy), *args])
            assert out.exit_code != 0 and advice in out.output, (args, out.output)


def test_workers_judge_with_the_drivers_same_claim_judge(ray_address, tmp_path, seeds, stub_folder, judge_env):
    """$PROVENANCE_JUDGE as the driver sees it decides the pairs on every worker (the session's
    workers started before it was set): the same store as one machine with that judge, and not
    the store without it."""
    paths = [CORPUS, str(seeds)]
    local_index(tmp_path / "plain", paths)
    judge_env(str(stub_folder))
    local_index(tmp_path / "local", paths)
    ray_index(tmp_path / "ray", paths)
    judged = dump(tmp_path / "local")
    assert judged["matches"] != dump(tmp_path / "plain")["matches"], "the stub judge should decide some pair"
    assert dump(tmp_path / "ray") == judged

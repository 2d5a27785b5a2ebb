"""Every bad input and storage fault gets one clear answer and never costs indexed work.

Each case runs the real command line (click's CliRunner, hashing embedder) and checks the exit
status, that stderr names the file (and line) with a reason, that the good documents next to the
bad one are indexed, and that the store stays whole (``check`` finds no problem).
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import orjson
import pytest
from click.testing import CliRunner

from provenance.store import files as store_files
from provenance.store import sqlite as store_sqlite
from provenance.check import check_store
from provenance.cli import cli
from provenance.store import Store

GOOD = "The harbour authority confirmed that forty thousand litres of diesel leaked into the bay on Monday night."


def run(*args: str, input: bytes | None = None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def index(store: Path, *paths: Path | str):
    return run("--store", str(store), "index", "--model", "hashing", "--json", *map(str, paths))


def good_file(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    f = folder / "good.txt"
    f.write_text(GOOD + "\n", encoding="utf-8")
    return f


def rejected_one(tmp_path: Path, name: str, content: bytes, *reason_words: str, line: int | None = None) -> dict:
    """Index a bad file beside a good one: exit 1, the bad one named with a reason, the good one in."""
    folder = tmp_path / "in"
    good_file(folder)
    bad = folder / name
    bad.write_bytes(content)
    result = index(tmp_path / "store", folder)
    assert result.exit_code == 1, result.output
    summary = orjson.loads(result.stdout)
    assert summary["documents_added"] == 1
    [rej] = summary["rejected"]
    assert rej["path"].endswith(name) and rej["line"] == line
    for word in reason_words:
        assert word in rej["reason"], rej["reason"]
    shown = f"{rej['path']}:{line}" if line is not None else rej["path"]
    assert f"{shown}: {rej['reason']}" in result.stderr
    assert check_store(tmp_path / "store").ok
    return rej


def stored_texts(store: Path) -> list[str]:
    with Store.open(store) as s:
        return [d.text for d in s.documents()]


# --- encodings ---------------------------------------------------------------------------------


def test_invalid_utf8_is_rejected_naming_the_file_and_byte(tmp_path):
    rejected_one(tmp_path, "bad.txt", b"caf\xe9 \xff\xfe\x80 served daily by the staff of the place.\n", "UTF-8", "offset")


def test_legacy_encoding_is_detected(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    text = "Le caf\u00e9 \u00e9tait tr\u00e8s chaud et les \u00e9l\u00e8ves ont appr\u00e9ci\u00e9 la journ\u00e9e d'\u00e9t\u00e9 \u00e0 la pi\u00e8ce. " * 3
    (folder / "fr.txt").write_bytes(text.encode("cp1252"))
    result = index(tmp_path / "store", folder)
    summary = orjson.loads(result.stdout)
    # Detected (charset-normalizer) and decoded correctly, or rejected naming the file: never mojibake.
    if summary["documents_added"]:
        assert stored_texts(tmp_path / "store")[0].startswith("Le caf\u00e9")
    else:
        assert "fr.txt" in summary["rejected"][0]["path"]


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-8-sig"])
def test_boms_decode_like_plain_utf8(tmp_path, codec):
    folder = tmp_path / "in"
    folder.mkdir()
    data = GOOD.encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data
    (folder / "bom.txt").write_bytes(data)
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / "plain.txt").write_text(GOOD, encoding="utf-8")
    first = orjson.loads(index(tmp_path / "store", folder).stdout)
    assert first["documents_added"] == 1 and not first["rejected"]
    assert stored_texts(tmp_path / "store") == [GOOD]  # no U+FEFF left
    again = orjson.loads(index(tmp_path / "store", tmp_path / "plain").stdout)
    assert again["documents_skipped"] == 1  # same content hash as the BOM-less file


def test_binary_file(tmp_path):
    rejected_one(tmp_path, "image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20, "binary")


def test_nul_bytes_in_a_text_file_mark_it_binary(tmp_path):
    rejected_one(tmp_path, "nul.txt", b"The mayor\x00 said the bridge will reopen in May after repairs.", "binary")


def test_nul_escapes_in_jsonl_are_removed_before_storage(tmp_path):
    f = tmp_path / "nul.jsonl"
    f.write_text(json.dumps({"text": "The mayor said\u0000 the bridge will reopen in May after repairs."}) + "\n")
    assert index(tmp_path / "store", f).exit_code == 0
    assert "\x00" not in stored_texts(tmp_path / "store")[0]


# --- empty, huge, malformed ---------------------------------------------------------------------


@pytest.mark.parametrize("content", [b"", b"   \n\t\r\n  ", "\u200b\u200d\n".encode()], ids=["empty", "blank", "invisible"])
def test_empty_and_blank_files(tmp_path, content):
    rejected_one(tmp_path, "empty.txt", content, "empty")


@pytest.mark.slow
def test_twenty_megabytes_without_a_line_break_or_sentence_end(tmp_path):
    f = tmp_path / "big.txt"
    f.write_bytes(b"word " * 4_000_000)  # 20 MB, no newline, no full stop
    result = index(tmp_path / "store", f)
    assert result.exit_code == 0, result.output
    summary = orjson.loads(result.stdout)
    # Cut into claims of at most 2,000 characters (segment.split_claims), nothing dropped.
    assert summary["documents_added"] == 1 and summary["claims_added"] >= 10_000
    assert check_store(tmp_path / "store").ok


def test_broken_jsonl_lines_are_named_and_the_rest_indexed(tmp_path):
    f = tmp_path / "mixed.jsonl"
    f.write_text(
        json.dumps({"text": GOOD}) + "\n"
        + '{"text": "unterminated\n'
        + "\n"  # blank lines are ignored
        + json.dumps({"text": "Residents of the eastern shore were told to keep their windows closed."}) + "\n"
    )
    result = index(tmp_path / "store", f)
    summary = orjson.loads(result.stdout)
    assert result.exit_code == 1 and summary["documents_added"] == 2
    [rej] = summary["rejected"]
    assert rej["line"] == 2 and "invalid JSON" in rej["reason"]
    assert "mixed.jsonl:2: invalid JSON" in result.stderr


@pytest.mark.parametrize(
    "record,words",
    [
        ({"text": 5}, ['"text" must be a string']),
        ([1, 2], ["object"]),
        ({"title": "no text"}, ['missing required field "text"']),
        ({"text": GOOD, "id": {"a": 1}}, ['"id" must be a string or an integer']),
        ({"text": GOOD, "authors": 7}, ["authors"]),
        ({"text": GOOD, "published": "yesterday"}, ["published", "ISO 8601"]),
        ({"text": GOOD, "published": "2024-02-30"}, ["published"]),
    ],
    ids=["text-number", "array", "missing-text", "id-object", "authors-number", "date-words", "date-impossible"],
)
def test_wrong_types_missing_text_and_unparseable_dates(tmp_path, record, words):
    rejected_one(tmp_path, "r.jsonl", (json.dumps(record) + "\n").encode(), *words, line=1)


def test_nesting_fifty_thousand_deep(tmp_path):
    deep = '{"text": "' + GOOD + '", "meta": ' + "[" * 50_000 + "]" * 50_000 + "}\n"
    rejected_one(tmp_path, "deep.jsonl", deep.encode(), "nested too deeply", line=1)


def test_same_id_with_different_text_is_refused_and_the_first_kept(tmp_path):
    a = tmp_path / "a.jsonl"
    a.write_text(json.dumps({"id": "x", "text": GOOD}) + "\n")
    b = tmp_path / "b.jsonl"
    b.write_text(json.dumps({"id": "x", "text": "A different text under the same id, about something else entirely."}) + "\n")
    assert index(tmp_path / "store", a).exit_code == 0
    result = index(tmp_path / "store", b)
    assert result.exit_code == 1
    assert "already indexed with different text" in orjson.loads(result.stdout)["rejected"][0]["reason"]
    assert stored_texts(tmp_path / "store") == [GOOD]
    # The same id with the same text again is a no-op, not an error.
    assert orjson.loads(index(tmp_path / "store", a).stdout)["documents_skipped"] == 1


# --- HTML and Unicode tricks ------------------------------------------------------------------------


def test_html_scripts_and_styles_are_not_text(tmp_path):
    page = (
        "<html><head><title>Leak</title><style>p{color:red}</style><script>alert('pwned')</script></head>"
        f"<body><article><p>{GOOD} {GOOD.replace('Monday', 'Tuesday')}</p>"
        "<p onclick=\"steal()\">Residents were told to keep their windows closed until further notice.</p>"
        "<script>document.write('injected text')</script></article></body></html>"
    )
    f = tmp_path / "page.html"
    f.write_text(page)
    assert index(tmp_path / "store", f).exit_code == 0
    [text] = stored_texts(tmp_path / "store")
    assert "diesel" in text
    for bad in ("alert", "color:red", "injected", "steal", "<"):
        assert bad not in text


def test_html_without_an_article(tmp_path):
    rejected_one(
        tmp_path, "empty.html",
        b"<html><head><title>x</title><script>var a = 1;</script><style>b{}</style></head><body></body></html>",
        "no article text",
    )


def test_zero_width_and_bidi_controls_do_not_change_matching(tmp_path):
    tricky = GOOD.replace("harbour", "har\u200bbour").replace("diesel", "\u202ediesel\u202c").replace("bay", "b\u2066ay\u2069")
    f = tmp_path / "t.jsonl"
    f.write_text(json.dumps({"id": "plain", "text": GOOD}) + "\n" + json.dumps({"id": "tricky", "text": tricky}) + "\n")
    assert index(tmp_path / "store", f).exit_code == 0
    with Store.open(tmp_path / "store") as s:
        norms = [r[0] for r in s.db.execute("SELECT norm FROM claims ORDER BY id")]
        # Offsets still point into the text as given; matching uses the cleaned form.
        assert norms[0] == norms[1]
        assert s.counts()["clusters"] == 1


# --- paths --------------------------------------------------------------------------------------


def test_paths_that_do_not_exist(tmp_path):
    good = good_file(tmp_path / "in")
    result = index(tmp_path / "store", good, tmp_path / "nope.txt", tmp_path / "nope-dir")
    summary = orjson.loads(result.stdout)
    assert result.exit_code == 1 and summary["documents_added"] == 1
    assert {Path(r["path"]).name for r in summary["rejected"]} == {"nope.txt", "nope-dir"}
    assert all("no such file" in r["reason"] for r in summary["rejected"])


def test_symlink_loops(tmp_path):
    folder = tmp_path / "in"
    good_file(folder)
    (folder / "a").symlink_to(folder / "b")
    (folder / "b").symlink_to(folder / "a")
    (folder / "up").symlink_to(folder)
    result = index(tmp_path / "store", folder)
    summary = orjson.loads(result.stdout)
    assert summary["documents_added"] == 1
    assert {Path(r["path"]).name for r in summary["rejected"]} == {"a", "b", "up"}
    assert all("loop" in r["reason"] for r in summary["rejected"])


def test_ids_and_paths_inside_input_data_are_never_opened(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET CONTENT that must never be indexed.")
    f = tmp_path / "r.jsonl"
    f.write_text(json.dumps({"id": str(secret), "url": f"file://{secret}", "source": "../../../etc/passwd", "text": GOOD}) + "\n")
    assert index(tmp_path / "store", f).exit_code == 0
    with Store.open(tmp_path / "store") as s:
        [doc] = s.documents()
    assert doc.id == str(secret) and doc.text == GOOD  # an opaque string, not a file to read
    assert not any("SECRET" in t for t in stored_texts(tmp_path / "store"))
    assert sorted(os.listdir(tmp_path / "store"))[0] != "secret.txt"


# --- storage faults ---------------------------------------------------------------------------------


def _counts(store: Path) -> dict:
    with Store.open(store) as s:
        return s.counts()


def test_full_disk_during_a_commit_fails_cleanly_and_changes_nothing(tmp_path, monkeypatch):
    store = tmp_path / "store"
    assert index(store, good_file(tmp_path / "in")).exit_code == 0
    before = _counts(store)
    manifest = (store / "manifest.json").read_bytes()
    big = tmp_path / "big.jsonl"
    big.write_text("".join(json.dumps({"text": f"Claim number {i} says the harbour had {i} boats in it today."}) + "\n" for i in range(2000)))

    real_connect = store_sqlite.connect

    def tiny_disk(path, readonly):
        db = real_connect(path, readonly)
        if not readonly:
            pages = db.execute("PRAGMA page_count").fetchone()[0]
            db.execute(f"PRAGMA max_page_count = {pages + 2}")  # the disk fills almost at once
        return db

    monkeypatch.setattr(store_sqlite, "connect", tiny_disk)
    result = index(store, big)
    assert result.exit_code == 74
    assert "could not be written" in result.stderr and "full" in result.stderr
    assert "Traceback" not in result.output
    monkeypatch.undo()
    assert _counts(store) == before
    assert (store / "manifest.json").read_bytes() == manifest
    assert check_store(store).ok
    # With space again, the same command finishes the job.
    assert orjson.loads(index(store, big).stdout)["documents_added"] == 2000
    assert check_store(store).ok


@pytest.mark.parametrize("err", [errno.ENOSPC, errno.EIO])
def test_failed_snapshot_write_keeps_the_old_snapshot_and_committed_claims(tmp_path, monkeypatch, err):
    # Snapshots are normally deferred until 1,000 new claims (issue 6); write one every run here.
    monkeypatch.setattr("provenance.incremental.SNAPSHOT_EVERY_CLAIMS", 1)
    store = tmp_path / "store"
    assert index(store, good_file(tmp_path / "in")).exit_code == 0
    manifest = (store / "manifest.json").read_bytes()
    more = tmp_path / "more.txt"
    more.write_text("Residents of the eastern shore were told to keep their windows closed until further notice.\n")

    real_fsync = os.fsync

    def failing_fsync(fd):
        raise OSError(err, os.strerror(err))

    monkeypatch.setattr(store_files.os, "fsync", failing_fsync)
    result = index(store, more)
    assert result.exit_code == 74, result.output
    assert "vector snapshot" in result.stderr and "nothing committed was lost" in result.stderr
    monkeypatch.setattr(store_files.os, "fsync", real_fsync)
    assert (store / "manifest.json").read_bytes() == manifest  # the commit point did not move
    assert not [f for f in os.listdir(store) if ".tmp-" in f]
    assert _counts(store)["documents"] == 2  # the batch itself was committed before the snapshot
    assert check_store(store).ok  # the old snapshot still verifies; the new claim is caught up
    assert index(store, more).exit_code == 0
    assert check_store(store).notes == []


def _can_mount() -> bool:
    return os.geteuid() == 0 and shutil.which("mount") is not None


@pytest.fixture
def tmpfs(tmp_path):
    """A 1 MiB tmpfs (real ENOSPC, real read-only remount); skipped where mounting is not allowed."""
    point = tmp_path / "mnt"
    point.mkdir()
    if not _can_mount() or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(point)],
                                         capture_output=True).returncode:
        pytest.skip("mounting a tmpfs needs root (or CAP_SYS_ADMIN)")
    yield point
    subprocess.run(["umount", "-l", str(point)], capture_output=True)


def test_really_full_disk(tmp_path, tmpfs):
    store = tmpfs / "store"
    assert index(store, good_file(tmp_path / "in")).exit_code == 0
    before = _counts(store)
    big = tmp_path / "big.jsonl"
    big.write_text("".join(json.dumps({"text": f"Claim {i}: " + "the harbour had many boats in it today and " * 8}) + "\n" for i in range(3000)))
    result = index(store, big)
    assert result.exit_code == 74, result.output
    assert "Traceback" not in result.output and result.stderr.startswith("error: ")
    after = _counts(store)
    # Whole batches only: either none made it, or some whole ones did; the store stays valid.
    assert after["documents"] >= before["documents"]
    assert check_store(store).sqlite_ok
    assert check_store(store).ok


def test_read_only_store(tmp_path, tmpfs):
    store = tmpfs / "store"
    assert index(store, good_file(tmp_path / "in")).exit_code == 0
    assert subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)], capture_output=True).returncode == 0
    result = index(store, good_file(tmp_path / "in2"))
    assert result.exit_code == 77
    assert "read-only" in result.stderr and "Traceback" not in result.output
    assert run("--store", str(store), "trace", GOOD, "--json").exit_code == 0
    report = run("--store", str(store), "report", "--format", "json")
    assert report.exit_code == 0 and len(orjson.loads(report.output)["documents"]) == 1
    assert run("--store", str(store), "check").exit_code == 0


def test_read_only_store_without_mounting(tmp_path, monkeypatch):
    store = tmp_path / "store"
    assert index(store, good_file(tmp_path / "in")).exit_code == 0
    real_open = os.open

    def ro_open(path, flags, *args, **kw):
        if str(path).endswith("LOCK") and flags & (os.O_RDWR | os.O_WRONLY):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real_open(path, flags, *args, **kw)

    monkeypatch.setattr(store_files.os, "open", ro_open)
    result = index(store, good_file(tmp_path / "in2"))
    assert result.exit_code == 77 and "read-only" in result.stderr
    assert run("--store", str(store), "report", "--format", "json").exit_code == 0


def test_damaged_database_is_refused_with_advice(tmp_path):
    store = tmp_path / "store"
    assert index(store, good_file(tmp_path / "in")).exit_code == 0
    db = store / "store.sqlite"
    data = bytearray(db.read_bytes())
    page = 4096
    for i in range(page * 2, min(len(data), page * 4)):  # scribble over two b-tree pages
        data[i] = 0x5A
    db.write_bytes(bytes(data))
    for args in (["report", "--format", "json"], ["check"], ["trace", GOOD]):
        result = run("--store", str(store), *args)
        assert result.exit_code == 74, (args, result.output)
        assert "Traceback" not in result.output
    assert "backup" in run("--store", str(store), "check").output


def test_locked_database_maps_to_busy(tmp_path):
    store = tmp_path / "store"
    assert index(store, good_file(tmp_path / "in")).exit_code == 0
    other = sqlite3.connect(store / "store.sqlite", timeout=0)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with Store.open_for_writing(store) as s:
            s.db.execute("PRAGMA busy_timeout = 50")
            from provenance.errors import StoreLocked

            with pytest.raises(StoreLocked, match="busy"):
                with s.write():
                    pass
    finally:
        other.rollback()
        other.close()

"""Issue 14, time you can trust: date precision, ties, chains that draw only known orders."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from click.testing import CliRunner

from provenance.cli import cli
from provenance.dates import certainly_before, date_conflict, date_info, offset_seconds, timestamp
from provenance.origins import WitnessOrder, order_origin
from provenance.output import render_report
from provenance.records import ClaimNode
from provenance.store import Store
from tests.conftest import write_md
from tests.test_lineage import S, T, U, index

def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def report(store: Path, fmt: str = "json"):
    res = run("--store", str(store), "report", "--format", fmt)
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout) if fmt == "json" else res.stdout


def fish(rep: dict) -> dict:
    return next(c for c in rep["clusters"] if any("1,200 fish died" in m["text"] for m in c["members"]))


def node(cid: int, published: str | None) -> ClaimNode:
    info = date_info(published)
    return ClaimNode(cid, cid, timestamp(published), info.precision if info else "time", offset_seconds(info.zone) if info else None)


# ----------------------------------------------------------------------------- precision

def test_precision_is_kept_as_given():
    assert date_info("2015").precision == "year" and date_info("2015-05").precision == "month"
    assert date_info("2017-02-07").precision == "day"
    # A midnight with no zone (what the news feed writes for a day) or at UTC is a day.
    assert date_info("2017-02-07T00:00:00") == date_info("2017-02-07T00:00:00+00:00") == date_info("2017-02-07")
    assert date_info("2025-05-12T11:40:00-04:00").precision == "time" and date_info("2025-05-12T11:40:00-04:00").zone == "-04:00"
    assert date_info("2025-05-12T11:40:00").zone is None  # no zone given, none made up
    assert date_info("2017-02-07T00:00:00-05:00").precision == "time"  # a stated local midnight is a time


def test_only_dates_that_say_so_are_ordered():
    def before(a: str, b: str) -> bool:
        x, y = node(1, a), node(2, b)
        return certainly_before(x.published_ts, x.precision, x.offset, y.published_ts, y.precision, y.offset)

    assert not before("2017-02-07T00:00:00", "2017-02-07") and not before("2017-02-07", "2017-02-07T00:00:00")
    assert before("2017-02-06", "2017-02-07")  # two calendar days of one feed
    # A time on the same day as a date cannot be ordered against it, either way.
    assert not before("2025-05-20T15:10:00-04:00", "2025-05-20") and not before("2025-05-20", "2025-05-20T15:10:00-04:00")
    assert before("2025-05-09T05:30:00-04:00", "2025-05-10")
    # ... but a time that is the next day at UTC and still the day before in its own zone is ordered.
    assert before("2025-05-20T21:10:00-04:00", "2025-05-21") and not before("2025-05-21", "2025-05-20T21:10:00-04:00")
    assert before("2025-05-12T11:40:00-04:00", "2025-05-12T20:05:00Z") and not before("2025-05-12T11:40:00-04:00", "2025-05-12T15:40:00Z")
    assert not before("2025-05", "2025-05-20") and before("2025-04", "2025-05-20") and not before("2025", "2025-06")
    assert not before(None, "2025-05-20") and not before("2025-05-20", None)


def test_a_text_that_contradicts_its_date():
    assert date_conflict("VELLMORE, May 13 (Wire) - The board voted.", "2025-05-09") is not None
    assert date_conflict("Published May 9, 2025\n\nThe board voted.", "2025-05-09T08:00:00-04:00") is None
    assert "past" in date_conflict("The board voted on Tuesday, May 13, to put him on leave.", "2025-05-09")
    assert date_conflict("The board will vote on Tuesday, May 13.", "2025-05-09") is None  # the future is no contradiction
    assert date_conflict("The board voted on Tuesday, May 13.", None) is None


def test_ties_listed_and_orders_from_credits():
    a, b, c = node(1, "2017-02-07T00:00:00"), node(2, "2017-02-07"), node(3, "2017-02-08")
    assert order_origin({1: a, 2: b, 3: c}) == (1, "tie", (1, 2))
    # B credits A: the data orders them; A is the origin by that credit.
    assert order_origin({1: a, 2: b, 3: c}, [(1, 2, "attribution")]) == (1, "attribution", ())
    order = WitnessOrder({1: a, 2: b, 3: c})
    assert order.ancestors(3) == {1, 2} and order.ancestors(2) == set()
    # Credits and dates chain: X (undated) is credited by B, B is before D, so X is before D.
    x, d = node(4, None), node(5, "2017-02-09")
    order = WitnessOrder({2: b, 4: x, 5: d}, [(4, 2, "attribution")])
    assert order.before(4, 5) and not order.before(5, 4)


# ----------------------------------------------------------------------------- end to end

def _same_day_corpus(folder: Path) -> None:
    # The news feed's day dates: midnight without a zone.
    write_md(folder, "1.md", f"{S} {T}", id="abc", source="ABC News", published="2017-02-07T00:00:00")
    write_md(folder, "2.md", f"{S} {U}", id="cnn", source="CNN", published="2017-02-07T00:00:00")
    write_md(folder, "3.md", f"{S} The river will be restocked next spring, officials hope.", id="bbc", source="BBC", published="2017-02-08T00:00:00")


def test_same_day_witnesses_are_a_tie_in_every_format(tmp_path):
    _same_day_corpus(tmp_path / "docs")
    store = tmp_path / "store"
    index(store, tmp_path / "docs")
    rep = report(store)
    cl = fish(rep)
    assert cl["origin"]["basis"] == "tie"
    assert {t["doc_id"] for t in cl["origin"]["tied"]} == {"abc", "cnn"}
    assert rep["summary"]["origins_tied"] == 1
    # No copying is drawn between the tied: the one not standing first is listed, not linked.
    tied_other = ({"abc", "cnn"} - {cl["origin"]["doc_id"]}).pop()
    assert all(link["to_doc"] != tied_other for link in cl["chain"])
    assert cl["unordered"] == [{"claim_id": next(m["claim_id"] for m in cl["members"] if m["doc_id"] == tied_other), "doc_id": tied_other, "why": "tie"}]
    # The next day's copy is ordered, uncredited, from one of the tied.
    [later] = [link for link in cl["chain"] if link["to_doc"] == "bbc"]
    assert later["credit"] == "none" and later["order"] == "published" and later["gap_days"] == 1.0
    assert {(e["source_doc"], e["target_doc"]) for e in rep["document_edges"]} == {(cl["origin"]["doc_id"], "bbc")}
    text = report(store, "text")
    assert "1 of 1 origins rest on a tie" in text and "tie between ABC News (2017-02-07), CNN (2017-02-07)" in text
    md = report(store, "md")
    assert "- **Tie:** ABC News (2017-02-07), CNN (2017-02-07) could each be first" in md
    assert "Origins resting on a tie: 1 of 1" in md and f"{tied_other} (tie)" in md
    page = render_report(rep, "html")
    assert '"tied":[' in page and '"unordered":[[' in page


def test_a_credit_orders_what_the_dates_cannot(tmp_path):
    docs = tmp_path / "docs"
    write_md(docs, "1.md", f"{S} {T}", id="abc", source="ABC News", published="2017-02-07")
    write_md(docs, "2.md", f"{S} The story was first reported by ABC News.", id="cnn", source="CNN", published="2017-02-07")
    store = tmp_path / "store"
    index(store, docs)
    cl = fish(report(store))
    assert cl["origin"]["doc_id"] == "abc" and cl["origin"]["basis"] == "attribution" and "tied" not in cl["origin"]
    [link] = cl["chain"]
    assert link["to_doc"] == "cnn" and link["credit"] == "earlier" and link["order"] == "credit"


def test_trace_names_the_tie(tmp_path):
    from provenance.embed import load_embedder
    from provenance.output.trace_text import render_trace_text
    from provenance.trace import Query, trace

    _same_day_corpus(tmp_path / "docs")
    store = tmp_path / "store"
    index(store, tmp_path / "docs")
    with Store.open(store) as st:
        result = trace(st, load_embedder("hashing"), [Query(S)])[0]
    assert result["origin"]["basis"] == "tie" and {t["doc_id"] for t in result["origin"]["tied"]} == {"abc", "cnn"}
    text = render_trace_text(result)
    assert "Origin: a tie between ABC News (2017-02-07), CNN (2017-02-07)" in text
    assert "Tied first (order unknown)" in text and "Chain from the origin" not in text


def test_migration_fills_precision_and_turns_same_day_origins_into_ties(tmp_path):
    _same_day_corpus(tmp_path / "docs")
    store = tmp_path / "store"
    index(store, tmp_path / "docs")
    db = sqlite3.connect(store / "store.sqlite")
    # Make it look like a store from before the migration: no precision, origins "earliest".
    db.execute("UPDATE documents SET published_precision = NULL, published_zone = NULL, date_conflict = NULL")
    db.execute("UPDATE clusters SET basis = 'earliest-published'")
    version = db.execute("PRAGMA user_version").fetchone()[0]
    db.execute(f"PRAGMA user_version = {version - 1}")
    db.commit()
    db.close()
    with Store.open(store) as st:
        assert {d.published_precision for d in st.documents()} == {"day"}
        assert "tie" in {r.basis for r in st.cluster_rows()}

"""Reviewing figures: verdicts, corrections checked against the text, the append-only log (also on
an existing ledger file), and the gold set the reviews export to."""
from __future__ import annotations

import json
import sqlite3

import pytest
from sqlalchemy import text

import workbench_ledger as wl
from sayso.store import review
from sayso.store.ledger import Ledger


@pytest.fixture
def built(tmp_path):
    url = str(tmp_path / "ledger.db")
    ids = wl.build(url)
    with Ledger(url) as ledger:
        figs = {r["document_key"]: r["figure_id"] for r in ledger.figures()}
        yield ledger, ids, figs


def test_accept_correct_reject_are_logged_with_before_and_after(built):
    ledger, _, figs = built
    fid = figs["toll-b"]
    review.review(ledger, fid, "accept", "ana")
    entry = review.review(ledger, fid, "correct", "ben", {"low": "1,600", "high": "", "qualifier": "at_least",
                                                          "place": "Tehran"})
    assert entry["before"]["state"] == "accepted" and entry["after"]["state"] == "corrected"
    assert entry["after"]["figure"]["value"] == {"low": 1600, "high": None}
    assert entry["after"]["figure"]["place"] == "Tehran"
    review.review(ledger, fid, "reject", "cy", note="not a toll")
    with ledger.engine.connect() as conn:
        log = review.log_entries(conn, fid)
        now = review.current(conn, fid)
        assert review.counts(conn)["rejected"] == 1
    assert [e["action"] for e in log] == ["reject", "correct", "accept"]
    assert [e["reviewer"] for e in log] == ["cy", "ben", "ana"]
    assert log[-1]["before"]["state"] is None
    assert log[0]["note"] == "not a toll"
    assert now["state"] == "rejected" and now["figure"]["place"] == "Tehran"
    # the stored figure is untouched: the ledger keeps what sayso said
    assert [r for r in ledger.figures(as_extracted=True) if r["figure_id"] == fid][0]["low"] == 1500
    assert not [r for r in ledger.figures() if r["figure_id"] == fid]     # rejected: left out of what readers see


def test_accept_after_a_correction_returns_to_what_sayso_stated(built):
    ledger, _, figs = built
    fid = figs["arrests"]
    review.review(ledger, fid, "correct", "ana", {"counted": "university students"})
    entry = review.review(ledger, fid, "accept", "ana")
    assert entry["before"]["figure"]["counted"] == "university students"
    assert entry["after"]["figure"]["counted"] == "students"


def test_a_correction_keeps_offsets_and_text_together(built):
    ledger, _, figs = built
    start = wl.ARREST.index("120 students")
    entry = review.review(ledger, figs["arrests"], "correct", "ana", {"end": start + len("120 students")})
    assert entry["after"]["figure"]["text"] == "120 students"
    with pytest.raises(review.ReviewError, match="outside the document"):
        review.review(ledger, figs["arrests"], "correct", "ana", {"end": 10_000})
    with pytest.raises(review.ReviewError, match="before"):
        review.review(ledger, figs["arrests"], "correct", "ana", {"start": start + 5, "end": start + 2})


@pytest.mark.parametrize("changes, message", [
    ({"category": "exploded"}, "category"), ({"qualifier": "lots"}, "qualifier"), ({"kind": "weight"}, "kind"),
    ({"low": "many"}, "not a number"), ({"time_start": "2019-13-01", "time_text": "x"}, "YYYY-MM-DD"),
    ({"sources": "Reuters | praises"}, "role"), ({"colour": "red"}, "cannot change"),
    ({"time_start": "2019-01-01", "time_text": ""}, "needs its text"),
])
def test_bad_corrections_are_refused_and_not_logged(built, changes, message):
    ledger, _, figs = built
    with pytest.raises(review.ReviewError, match=message):
        review.review(ledger, figs["arrests"], "correct", "ana", changes)
    with ledger.engine.connect() as conn:
        assert review.log_entries(conn) == []


def test_unknown_figure_action_or_reviewer_refused(built):
    ledger, _, figs = built
    with pytest.raises(review.ReviewError, match="no figure"):
        review.review(ledger, 99999, "accept", "ana")
    with pytest.raises(review.ReviewError, match="unknown action"):
        review.review(ledger, figs["arrests"], "approve", "ana")
    with pytest.raises(review.ReviewError, match="reviewer"):
        review.review(ledger, figs["arrests"], "accept", "  ")


def test_sources_edited_as_lines():
    fig = {"id": "f1", "start": 0, "end": 3, "text": "120", "sources": [], "sentence": {"start": 0, "end": 3},
           "value": {"low": 120, "high": 120}}
    out = review.apply_changes(fig, {"sources": "Amnesty International | source | 2021-03-04\n"
                                                "Reuters | confirms || the agency\n\n"}, "120 x")
    assert out["sources"] == [
        {"name": "Amnesty International", "text": "Amnesty International", "role": "source", "date": "2021-03-04"},
        {"name": "Reuters", "text": "the agency", "role": "confirms", "date": None}]
    assert review.apply_changes(fig, {"sources": review.sources_lines(out["sources"])}, "120 x")["sources"] == out["sources"]


def test_the_log_is_append_only(built, tmp_path):
    ledger, _, figs = built
    review.review(ledger, figs["arrests"], "accept", "ana")
    for statement in ("UPDATE review_log SET reviewer = 'mallory'", "DELETE FROM review_log"):
        with pytest.raises(Exception, match="append-only"):
            with ledger.writing() as conn:
                conn.execute(text(statement))
    with ledger.engine.connect() as conn:
        assert [e["reviewer"] for e in review.log_entries(conn)] == ["ana"]


def test_review_tables_are_added_to_an_existing_ledger_file(tmp_path):
    path = tmp_path / "old.db"
    wl.build(str(path))
    db = sqlite3.connect(path)
    db.executescript("DROP TABLE figure_reviews; DROP TABLE review_log;")
    db.close()
    with Ledger(str(path)) as ledger:
        fid = ledger.figures()[0]["figure_id"]
        review.review(ledger, fid, "reject", "ana")
        with ledger.engine.connect() as conn:
            assert review.states(conn, [fid]) == {fid: "rejected"}


def test_gold_set_holds_fully_reviewed_documents_as_reviewed(built, tmp_path):
    ledger, _, figs = built
    review.review(ledger, figs["toll-a"], "accept", "ana")
    review.review(ledger, figs["toll-b"], "correct", "ana", {"low": 1400, "high": 1400,
                                                            "sources": "Amnesty | source || Amnesty Intl"})
    review.review(ledger, figs["dispute"], "reject", "ana")
    counts = review.write_gold(ledger, tmp_path / "gold")
    assert counts == {"documents": 3, "figures": 2}
    gold = [json.loads(line) for line in (tmp_path / "gold" / "gold.jsonl").read_text().splitlines()]
    docs = [json.loads(line) for line in (tmp_path / "gold" / "docs.jsonl").read_text().splitlines()]
    assert [d["id"] for d in docs] == ["toll-a", "toll-b", "dispute"] == [g["document"]["id"] for g in gold]
    assert docs[0]["text"] == wl.TOLL_A == gold[0]["text"] and docs[0]["published"] == "2019-12-16"
    assert gold[1]["figures"][0]["value"] == {"low": 1400, "high": 1400}
    assert gold[2]["figures"] == []
    assert gold[0]["quotes"][0]["speaker"] == "Jane Roe"
    aliases = json.loads((tmp_path / "gold" / "aliases.json").read_text())
    assert aliases["Amnesty"] == ["Amnesty Intl"] and "Iran" in aliases and "Jane Roe" in aliases
    assert json.loads((tmp_path / "gold" / "groups.json").read_text()) == [["toll-a/f1", "toll-b/f1"]]


def test_gold_set_partial_keeps_unreviewed_figures_as_stated(built):
    ledger, _, figs = built
    assert review.gold_set(ledger)["docs"] == []
    review.review(ledger, figs["arrests"], "reject", "ana")
    assert [d["id"] for d in review.gold_set(ledger)["docs"]] == ["arrests"]
    review.review(ledger, figs["toll-b"], "accept", "ana")
    assert [d["id"] for d in review.gold_set(ledger, partial=True)["docs"]] == ["toll-b", "arrests"]

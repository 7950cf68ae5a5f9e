"""`sayso eval` and `sayso.scoring`: the referee's numbers, computed inside the package. On the
public dev set (read from ../shared, never copied) our scores equal score.py's, for sayso's own
predictions and for predictions spoiled on purpose; and a reviewer's corrections are what sayso
is then measured against."""
from __future__ import annotations

import copy
import json
import subprocess
import sys

import pytest

from conftest import run_cli
from sayso.scoring import counted_match, match_figures, read_gold, score
from sayso.store import review
from sayso.store.ledger import Ledger


@pytest.fixture(scope="module")
def dev_predictions(shared, tmp_path_factory):
    out = tmp_path_factory.mktemp("eval") / "dev.jsonl"
    result = run_cli("extract", str(shared / "eval" / "dev" / "docs.jsonl"), "-o", str(out))
    assert result.returncode == 0, result.stderr
    return out


def _referee(shared, predicted) -> dict:
    result = subprocess.run([sys.executable, str(shared / "eval" / "score.py"), str(shared / "eval" / "dev"),
                             str(predicted), "--json"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _spoil(records: list[dict]) -> list[dict]:
    """Predictions made worse in every way the referee looks at."""
    out = copy.deepcopy(records)
    for n, r in enumerate(out):
        if n % 4 == 0 and r["figures"]:
            r["figures"].pop(0)                                   # a missed figure
        for f in r["figures"][::3]:
            f["value"]["low"] = (f["value"]["low"] or 0) + 1      # a wrong value (span still overlaps)
            f["qualifier"], f["category"] = "vague", "other"
            for s in f["sources"]:
                s["role"] = "disputes"
            f["group"] = "g-same"                                 # everything in one group
            f["event"] = "e-same"                                 # and in one event
            f["sources"].append({"name": None, "role": "source"})  # an unnamed party (not scored)
        if r["quotes"]:
            r["quotes"][0]["speaker"] = "Nobody"
    out.pop()                                                     # a missing document
    return out


def test_our_scores_equal_the_referees_on_the_dev_set(shared, dev_predictions, tmp_path):
    gold, aliases, groups, events = read_gold(shared / "eval" / "dev")
    records = [json.loads(line) for line in dev_predictions.read_text().splitlines()]
    assert score(gold, records, aliases, groups, events) == _referee(shared, dev_predictions)
    spoiled = tmp_path / "spoiled.jsonl"
    spoiled.write_text("".join(json.dumps(r) + "\n" for r in _spoil(records)))
    ours = score(gold, _spoil(records), aliases, groups, events)
    assert ours == _referee(shared, spoiled)
    assert ours["documents"]["missing"] == 1 and ours["figures"]["f1"] < score(gold, records, aliases, groups, events)["figures"]["f1"]


def test_sayso_eval_prints_the_referees_report(shared, dev_predictions):
    ours = run_cli("eval", str(shared / "eval" / "dev"), "--predicted", str(dev_predictions))
    referee = subprocess.run([sys.executable, str(shared / "eval" / "score.py"), str(shared / "eval" / "dev"),
                              str(dev_predictions)], capture_output=True, text=True, timeout=120)
    assert ours.returncode == 0, ours.stderr
    assert ours.stdout == referee.stdout


def test_matching_and_counted_rules():
    gold = [{"start": 0, "end": 5, "value": {"low": 1500, "high": 1500}},
            {"start": 10, "end": 12, "value": {"low": 40, "high": 40}}]
    pred = [{"start": 9, "end": 12, "value": {"low": 41, "high": 41}},
            {"start": 2, "end": 4, "value": {"low": 1500, "high": 1500}}]
    assert match_figures(gold, pred) == [(0, 1, True), (1, 0, False)]
    assert counted_match("the protesters", "protesters") == (True, True)
    assert counted_match("political prisoners", "prisoners") == (False, True)
    assert counted_match(None, "people") == (False, False)


MY_DOCS = [
    {"id": "mine-1", "published": "2021-03-04", "url": None, "title": None,
     "text": "Police arrested 120 protesters in Tehran on 3 March 2021, Amnesty International said."},
    {"id": "mine-2", "published": "2022-06-01", "url": None, "title": None,
     "text": "At least 45 villagers were killed in the attack, the United Nations said."},
]


def test_eval_measures_sayso_against_the_reviewers_corrections(tmp_path):
    inputs = tmp_path / "mine.jsonl"
    inputs.write_text("".join(json.dumps(d) + "\n" for d in MY_DOCS))
    db = str(tmp_path / "ledger.db")
    assert run_cli("ingest", str(inputs), "--db", db).returncode == 0
    with Ledger(db) as ledger:
        figs = {r["document_key"]: r for r in ledger.figures()}
        assert set(figs) == {"mine-1", "mine-2"}
        review.review(ledger, figs["mine-1"]["figure_id"], "accept", "ana")
        review.review(ledger, figs["mine-2"]["figure_id"], "correct", "ana", {"low": 46})
    result = run_cli("eval", str(tmp_path / "gold"), "--db", db, "--json")
    assert result.returncode == 0, result.stderr
    metrics = json.loads(result.stdout)
    # the accepted figure matches; the corrected one is found (overlap) but with another value
    assert metrics["figures"]["tp"] == 1 and metrics["figures"]["fp"] == 1 and metrics["figures"]["fn"] == 1
    assert metrics["detect"]["f1"] == 1.0
    assert metrics["documents"] == {"gold": 2, "missing": 0, "offset_errors": 0}
    assert (tmp_path / "gold" / "docs.jsonl").is_file()
    again = run_cli("eval", str(tmp_path / "gold"), "--json")          # the folder alone, no ledger
    assert json.loads(again.stdout) == metrics


def test_eval_refuses_a_folder_that_is_no_gold_set(tmp_path):
    result = run_cli("eval", str(tmp_path))
    assert result.returncode == 2 and "no gold set" in result.stderr

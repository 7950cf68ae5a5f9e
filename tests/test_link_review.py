"""Reviewers correct the linking: groups and events merged or split, two names of one party merged.
The pure part (``sayso.link.constraints``) on hand-made partitions; the ledger's part
(``sayso.store.links``) on small made-up documents, relinked after more documents arrive: the
corrections hold whatever ids the relinking gives, and every one is in the audit log."""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from conftest import run_cli
from sayso.link.constraints import (CANNOT, EVENT, GROUP, MUST, Constraint, correct, merge_constraints, resolve,
                                    split_constraints)
from sayso.store import links
from sayso.store.review import ReviewError
from test_ledger_groups import ARRESTS, Corpus, source

# --- the pure part -------------------------------------------------------------------------------

GROUPS = {1: "g1", 2: "g1", 3: "g2", 4: "g2", 5: None, 6: None}
EVENTS = {1: "e1", 2: "e1", 3: "e1", 4: "e1", 5: "e2", 6: "e2"}


def members(partition: dict) -> list[set]:
    found: dict = {}
    for f, label in partition.items():
        if label is not None:
            found.setdefault(label, set()).add(f)
    return sorted(found.values(), key=min)


def test_no_constraint_leaves_the_machine_partition_as_it_is():
    assert correct(GROUPS, EVENTS, []) == (GROUPS, EVENTS)


def test_merging_two_groups_makes_one_and_keeps_the_id_of_the_larger_share():
    groups, events = correct(GROUPS, EVENTS, merge_constraints([[1, 2], [3, 4]], GROUP, 1))
    assert members(groups) == [{1, 2, 3, 4}] and groups[1] in ("g1", "g2")
    assert events == EVENTS                      # one event already


def test_merging_groups_of_two_events_merges_the_events():
    groups, events = correct(GROUPS, EVENTS, merge_constraints([[1, 2], [5]], GROUP, 1))
    assert members(groups) == [{1, 2, 5}, {3, 4}]
    assert members(events) == [{1, 2, 3, 4, 5, 6}]


def test_merging_events_leaves_the_groups_apart():
    groups, events = correct(GROUPS, EVENTS, merge_constraints([[1, 2, 3, 4], [5, 6]], EVENT, 1))
    assert groups == GROUPS and members(events) == [{1, 2, 3, 4, 5, 6}]


def test_a_split_takes_the_named_figures_out_together_and_the_rest_keeps_its_id():
    g = {1: "g1", 2: "g1", 3: "g1", 4: "g1"}
    e = {1: "e1", 2: "e1", 3: "e1", 4: "e1"}
    groups, events = correct(g, e, split_constraints([3, 4], [1, 2], GROUP, 1))
    assert groups[1] == groups[2] == "g1" and groups[3] == groups[4] != "g1"
    assert events == e                           # still estimates of one event


def test_a_split_of_one_figure_leaves_it_alone():
    groups, _ = correct({1: "g1", 2: "g1", 3: "g1"}, {1: "e1", 2: "e1", 3: "e1"},
                        split_constraints([3], [1, 2], GROUP, 1))
    assert groups == {1: "g1", 2: "g1", 3: None}


def test_splitting_an_event_splits_a_group_across_it():
    g = {1: "g1", 2: "g1", 3: None}
    e = {1: "e1", 2: "e1", 3: "e1"}
    groups, events = correct(g, e, split_constraints([2], [1, 3], EVENT, 1))
    assert groups == {1: None, 2: None, 3: None}
    assert events[1] == events[3] == "e1" and events[2] is None


def test_a_cannot_link_wins_over_the_machine_and_unnamed_figures_stay_with_those_that_stay():
    # figure 9 arrived after the split; the machine put it with both sides
    g = {1: "g4", 2: "g4", 3: "g4", 9: "g4"}
    groups, _ = correct(g, {f: "e1" for f in g}, split_constraints([3], [1, 2], GROUP, 1))
    assert members(groups) == [{1, 2, 9}] and groups[3] is None


def test_two_splits_from_one_group_leave_two_groups_of_their_own():
    g = {f: "g1" for f in (1, 2, 3, 4)}
    e = {f: "e1" for f in g}
    rules = split_constraints([3], [1, 2, 4], GROUP, 1) + split_constraints([4], [1, 2], GROUP, 2)
    groups, _ = correct(g, e, rules)
    assert groups == {1: "g1", 2: "g1", 3: None, 4: None}
    assert correct(groups, e, rules)[0] == groups          # the same at once as after relinking


def test_a_later_action_wins_over_an_earlier_one_it_contradicts():
    split_then_merge = split_constraints([3], [1, 2], GROUP, 1) + merge_constraints([[1, 2, 3]], GROUP, 2)
    merge_then_split = merge_constraints([[1, 2, 3]], GROUP, 1) + split_constraints([3], [1, 2], GROUP, 2)
    apart = {1: "g1", 2: "g1", 3: None}
    e = {1: "e1", 2: "e1", 3: "e1"}
    assert members(correct(apart, e, split_then_merge)[0]) == [{1, 2, 3}]
    assert members(correct({1: "g1", 2: "g1", 3: "g1"}, e, merge_then_split)[0]) == [{1, 2}]


def test_resolve_drops_a_must_link_that_a_later_cannot_link_contradicts_through_a_chain():
    rules = [Constraint(1, GROUP, MUST, 1, 2), Constraint(2, GROUP, MUST, 2, 3), Constraint(3, GROUP, CANNOT, 3, 1)]
    musts, cannots = resolve(rules, GROUP)
    assert cannots == [(3, 1)] and musts == [(2, 3)]      # 1-2 would join 1 to 3 through 2-3


def test_an_event_cannot_link_holds_for_groups_a_group_cannot_link_not_for_events():
    rules = [Constraint(1, EVENT, CANNOT, 1, 2), Constraint(2, GROUP, CANNOT, 3, 4)]
    assert resolve(rules, GROUP)[1] == [(3, 4), (1, 2)]
    assert resolve(rules, EVENT)[1] == [(1, 2)]


def test_constraints_on_figures_no_longer_linked_are_left_out():
    rules = merge_constraints([[1], [77]], GROUP, 1) + split_constraints([78], [1], GROUP, 2)
    assert correct(GROUPS, EVENTS, rules) == (GROUPS, EVENTS)


# --- the ledger ----------------------------------------------------------------------------------

KILLED_A = "Security forces killed 1,500 protesters in Iran in November 2019 during the fuel protests.\n"
KILLED_B = "In November 2019, 1,500 protesters were killed in Iran as the fuel protests were crushed.\n"
KILLED_C = "During the fuel protests of November 2019 in Iran, 1,500 protesters were killed by security forces.\n"
ARREST_A = "Police arrested 120 students in Tehran in November 2019 after the campus sit-in.\n"
ARREST_B = "In November 2019, 120 students were arrested in Tehran after the campus sit-in.\n"


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    return Corpus(folder)


def relink(corpus: Corpus, ledger, name: str, body: str, site: str, *figures) -> None:
    """Add one document to the corpus and the ledger, and relink everything."""
    from sayso.store.ingest import ingest_paths
    corpus.add(name, body, site, *figures)
    list(ingest_paths([str(corpus.folder)], ledger, corpus.extract))
    ledger.regroup()


def by_document(ledger, column: str = "group_id") -> dict[str, str | None]:
    """``file name -> the group (or event) of its figure``."""
    with ledger.engine.connect() as conn:
        names = {i: Path(source).stem for i, source in conn.execute(text("SELECT id, source FROM documents"))}
    return {names[f["document_id"]]: f[column] for f in ledger.figures()}


def ref(ledger, name: str) -> str:
    """The figure of the document read from ``name``.txt, as the command line names it (its row id)."""
    with ledger.engine.connect() as conn:
        return str(conn.execute(text("SELECT figures.id FROM figures JOIN documents ON documents.id = document_id "
                                     "WHERE source LIKE :s"), {"s": f"%/{name}.txt"}).scalar_one())


def test_a_split_group_stays_split_after_relinking_gives_new_groups(corpus, tmp_path):
    corpus.add("a1", ARREST_A, "campus.example", ("120", (), ARRESTS))
    corpus.add("k1", KILLED_A, "one.example", ("1,500", ()))
    corpus.add("k2", KILLED_B, "two.example", ("1,500", ()))
    with corpus.ingest(tmp_path / "l.db") as ledger:
        before = by_document(ledger)
        assert before["k1"] == before["k2"] == "g1" and before["a1"] is None
        entry = links.split(ledger, GROUP, "g1", [ref(ledger, "k2")], "ana", note="another count")
        assert entry["action"] == "split-group" and len(entry["detail"]["leaving"]) == 1
        assert by_document(ledger) == {"a1": None, "k1": None, "k2": None}     # at once, before any relinking
        # a second arrest report makes a new group; the tolls are relinked with a third report
        relink(corpus, ledger, "a2", ARREST_B, "news.example", ("120", (), ARRESTS))
        relink(corpus, ledger, "k3", KILLED_C, "three.example", ("1,500", ()))
        after = by_document(ledger)
        assert after["a1"] == after["a2"] is not None
        assert after["k1"] == after["k3"] and after["k1"] not in (None, after["a1"])   # the new report stays with k1
        assert after["k2"] is None
        assert len({after["k1"], after["k2"]}) == 2
        events = by_document(ledger, "event_id")
        assert events["k1"] == events["k2"] == events["k3"]     # still estimates of one event


def test_merged_groups_stay_merged_after_relinking(corpus, tmp_path):
    corpus.add("k1", KILLED_A, "one.example", ("1,500", ()))
    corpus.add("a1", ARREST_A, "campus.example", ("120", (), ARRESTS))
    with corpus.ingest(tmp_path / "l.db") as ledger:
        assert by_document(ledger) == {"k1": None, "a1": None}
        entry = links.merge(ledger, GROUP, [ref(ledger, "k1"), "figure " + ref(ledger, "a1")], "ben")
        merged = by_document(ledger)
        assert merged["k1"] == merged["a1"] == entry["detail"]["result"]
        events = by_document(ledger, "event_id")
        assert events["k1"] == events["a1"] is not None          # a group lies inside one event
        relink(corpus, ledger, "k2", KILLED_B, "two.example", ("1,500", ()))
        after = by_document(ledger)
        assert after["k1"] == after["a1"] == after["k2"] is not None
        with pytest.raises(ReviewError, match="one group"):
            links.merge(ledger, GROUP, [after["k1"], ref(ledger, "k2")], "ben")


def test_an_event_split_holds_after_relinking_and_takes_its_groups_with_it(corpus, tmp_path):
    corpus.add("k1", KILLED_A, "one.example", ("1,500", ()))
    corpus.add("k2", KILLED_B, "two.example", ("1,500", ()))
    corpus.add("low", "Officials said 230 protesters were killed in Iran in November 2019 during the fuel "
                      "protests.\n", "gov.example", ("230", (source("Officials"),)))
    with corpus.ingest(tmp_path / "l.db") as ledger:
        events = by_document(ledger, "event_id")
        assert events["k1"] == events["k2"] == events["low"] is not None
        links.split(ledger, EVENT, events["k1"], [ref(ledger, "low")], "cy")
        relink(corpus, ledger, "k3", KILLED_C, "three.example", ("1,500", ()))
        events, groups = by_document(ledger, "event_id"), by_document(ledger)
        assert events["k1"] == events["k2"] == events["k3"] != events["low"]
        assert groups["k1"] == groups["k2"] == groups["k3"] is not None


def test_estimates_merged_into_one_group_are_no_longer_a_conflict_after_relinking(corpus, tmp_path):
    corpus.add("k1", KILLED_A, "one.example", ("1,500", (source("Rights Group"),)))
    corpus.add("k2", KILLED_B, "two.example", ("1,500", (source("Rights Group"),)))
    corpus.add("low", "Officials said 230 protesters were killed in Iran in November 2019 during the fuel "
                      "protests.\n", "gov.example", ("230", (source("Officials"),)))
    with corpus.ingest(tmp_path / "l.db") as ledger:
        assert [g["conflict"] for g in ledger.groups()] == [1, 1]
        links.merge(ledger, GROUP, ["g1", ref(ledger, "low")], "ana")
        assert [g["conflict"] for g in ledger.groups()] == [None]
        relink(corpus, ledger, "k3", KILLED_C, "three.example", ("1,500", ()))
        assert [(g["figures"], g["conflict"]) for g in ledger.groups()] == [(4, None)]
        assert ledger.regroup()["conflicts"] == 0


def test_merged_names_count_as_one_party_everywhere_and_survive_relinking(corpus, tmp_path):
    corpus.add("k1", KILLED_A, "one.example", ("1,500", (source("HRWatchers"),)))
    corpus.add("k2", KILLED_B, "two.example", ("1,500", (source("Human Rights Watchers Agency"),)))
    db = tmp_path / "l.db"
    with corpus.ingest(db) as ledger:
        assert ledger.groups()[0]["independent_sources"] == 2
        entry = links.merge_names(ledger, "HRWatchers", "Human Rights Watchers Agency", "dee")
        assert entry["detail"]["names"] == ["HRWatchers"]
        g = ledger.groups()[0]
        assert g["originals"] == ["Human Rights Watchers Agency"] and g["independent_sources"] == 1
        names = [s["name"] for s in ledger.sources()]
        assert "Human Rights Watchers Agency" in names and "HRWatchers" not in names
        assert ledger.events()[0]["estimates"][0]["origins"] == ["Human Rights Watchers Agency"]
        # the machine's own reading is kept
        assert "HRWatchers" in [s["name"] for s in ledger.sources(as_extracted=True)]
        relink(corpus, ledger, "k3", KILLED_C, "three.example", ("1,500", (source("HRWatchers"),)))
        ledger.set_publishers({"one.example": "One News"})             # re-attribution
        g = ledger.groups()[0]
        assert g["originals"] == ["Human Rights Watchers Agency"] and len(g["documents"]) == 3
        # the other way round later: the later action wins
        links.merge_names(ledger, "Human Rights Watchers Agency", "HRWatchers", "dee")
        assert ledger.groups()[0]["originals"] == ["HRWatchers"]
        with pytest.raises(ReviewError, match="already"):
            links.merge_names(ledger, "Human Rights Watchers Agency", "HRWatchers", "dee")


def test_a_merged_publisher_name_is_shown_for_its_documents(corpus, tmp_path):
    corpus.add("k1", KILLED_A, "one.example", ("1,500", ()))
    corpus.add("k2", KILLED_B, "two.example", ("1,500", ()))
    with corpus.ingest(tmp_path / "l.db") as ledger:
        ledger.set_publishers({"one.example": "One", "two.example": "One Network"})
        assert ledger.groups()[0]["independent_sources"] == 2
        links.merge_names(ledger, "One", "One Network", "eve")
        assert ledger.groups()[0]["originals"] == ["One Network"]
        ledger.reattribute()
        assert ledger.groups()[0]["independent_sources"] == 1


def test_every_correction_is_logged_and_the_log_is_append_only(corpus, tmp_path):
    corpus.add("k1", KILLED_A, "one.example", ("1,500", ()))
    corpus.add("k2", KILLED_B, "two.example", ("1,500", ()))
    at = dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.timezone.utc)
    with corpus.ingest(tmp_path / "l.db") as ledger:
        links.split(ledger, GROUP, ref(ledger, "k1"), [ref(ledger, "k2")], "ana", note="two counts", now=at)
        links.merge(ledger, GROUP, [ref(ledger, "k1"), ref(ledger, "k2")], "ben")
        with ledger.engine.connect() as conn:
            log = links.log_entries(conn)
            rules = links.constraints(conn)
        assert [(e["action"], e["reviewer"]) for e in log] == [("merge-groups", "ben"), ("split-group", "ana")]
        assert log[1]["at"] == at.isoformat() and log[1]["note"] == "two counts"
        assert {(c.kind, c.level) for c in rules} == {(CANNOT, GROUP), (MUST, GROUP)}
        assert by_document(ledger)["k1"] == by_document(ledger)["k2"] is not None     # the merge came later
        for statement in ("UPDATE link_review_log SET reviewer = 'x'", "DELETE FROM link_constraints"):
            with pytest.raises(DBAPIError, match="append-only"):
                with ledger.writing() as conn:
                    conn.execute(text(statement))


def test_refusals_name_what_is_wrong(corpus, tmp_path):
    corpus.add("k1", KILLED_A, "one.example", ("1,500", ()))
    corpus.add("k2", KILLED_B, "two.example", ("1,500", ()))
    corpus.add("a1", ARREST_A, "campus.example", ("120", (), ARRESTS))
    with corpus.ingest(tmp_path / "l.db") as ledger:
        with pytest.raises(ReviewError, match="no group 'g9'"):
            links.merge(ledger, GROUP, ["g1", "g9"], "ana")
        with pytest.raises(ReviewError, match="not in group g1"):
            links.split(ledger, GROUP, "g1", [ref(ledger, "a1")], "ana")
        with pytest.raises(ReviewError, match="not all"):
            links.split(ledger, GROUP, "g1", [ref(ledger, "k1"), ref(ledger, "k2")], "ana")
        with pytest.raises(ReviewError, match="reviewer"):
            links.merge(ledger, GROUP, ["g1", ref(ledger, "a1")], " ")
        with ledger.engine.connect() as conn:
            assert links.log_entries(conn) == []


def test_the_command_line_merges_splits_and_merges_names(corpus, tmp_path):
    corpus.add("k1", KILLED_A, "one.example", ("1,500", (source("HRWatchers"),)))
    corpus.add("k2", KILLED_B, "two.example", ("1,500", (source("Human Rights Watchers Agency"),)))
    corpus.add("a1", ARREST_A, "campus.example", ("120", (), ARRESTS))
    db = str(tmp_path / "l.db")
    ledger = corpus.ingest(db)
    done = run_cli("review", "split-group", "g1", "--figures", ref(ledger, "k2"), "--by", "ana", "--db", db)
    assert done.returncode == 0, done.stderr
    assert "split-group" in done.stdout and "ana" in done.stdout
    done = run_cli("review", "merge-groups", ref(ledger, "k1"), ref(ledger, "k2"), "--by", "ben", "--note", "same toll",
                   "--json", "--db", db)
    assert done.returncode == 0, done.stderr
    entry = json.loads(done.stdout)
    assert entry["action"] == "merge-groups" and entry["note"] == "same toll" and entry["detail"]["result"] == "g1"
    done = run_cli("review", "merge-events", ref(ledger, "k1"), ref(ledger, "a1"), "--by", "cy", "--db", db)
    assert done.returncode == 0, done.stderr
    done = run_cli("review", "merge-names", "HRWatchers", "Human Rights Watchers Agency", "--reviewer", "dee",
                   "--db", db)
    assert done.returncode == 0, done.stderr
    groups = json.loads(run_cli("groups", "--db", db, "--format", "json").stdout)
    assert groups[0]["originals"] == ["Human Rights Watchers Agency"]
    events = json.loads(run_cli("events", "--db", db, "--format", "json").stdout)
    assert len(events) == 1 and len(events[0]["estimates"]) == 2
    refused = run_cli("review", "merge-groups", "g1", "--by", "ana", "--db", db)
    assert refused.returncode == 2 and "usage" in refused.stderr
    refused = run_cli("review", "merge-groups", "g1", "g7", "--by", "ana", "--db", db)
    assert refused.returncode == 1 and "no group 'g7'" in refused.stderr
    refused = run_cli("review", "split-group", "g1", "--figures", ref(ledger, "k1"), "--db", db)
    assert refused.returncode == 2 and "reviewer" in refused.stderr
    ledger.close()


# --- the workbench -------------------------------------------------------------------------------

@pytest.fixture
def client(tmp_path):
    from fastapi.testclient import TestClient

    import workbench_ledger as wl
    from sayso.present.web.app import create_app
    path = str(tmp_path / "web.db")
    wl.build(path)
    with TestClient(create_app(path, reviewer="tester"), base_url="http://127.0.0.1") as c:
        yield c


def page_token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([0-9a-f]+)"', html).group(1)


def test_the_api_merges_and_splits_with_the_csrf_token_and_logs_it(client):
    token = client.get("/api/csrf").json()["csrf_token"]
    body = {"units": ["g1", "figure 3"], "reviewer": "ana", "note": "one toll"}
    assert client.post("/api/groups/merge", json=body).status_code == 403
    done = client.post("/api/groups/merge", json=body, headers={"x-csrf-token": token})
    assert done.status_code == 200, done.text
    merged = done.json()["detail"]["result"]
    assert client.get(f"/api/groups/{merged}").json()["figures"] == 3
    assert client.get(f"/api/groups/{merged}").json()["conflict"] is None     # its estimates are one now
    ids = client.get(f"/api/groups/{merged}").json()["figure_ids"]
    split = client.post(f"/api/groups/{merged}/split", json={"figures": [str(ids[-1])], "reviewer": "ben"},
                        headers={"x-csrf-token": token})
    assert split.status_code == 200, split.text
    assert client.get(f"/api/groups/{merged}").json()["figures"] == 2
    assert client.post("/api/groups/g9/split", json={"figures": ["1"]},
                       headers={"x-csrf-token": token}).status_code == 404
    refused = client.post(f"/api/groups/{merged}/split", json={"figures": [str(ids[0]), str(ids[1])]},
                          headers={"x-csrf-token": token})
    assert refused.status_code == 422 and "not all" in refused.json()["detail"]
    names = client.post("/api/sources/merge", json={"name": "Amnesty International", "into": "Amnesty"},
                        headers={"x-csrf-token": token})
    assert names.status_code == 200 and names.json()["reviewer"] == "tester"     # the workbench's reviewer
    assert "Amnesty" in {s["name"] for s in client.get("/api/sources").json()["rows"]}
    log = client.get("/api/links/log").json()["rows"]
    assert [(e["action"], e["reviewer"]) for e in log] == [("merge-names", "tester"), ("split-group", "ben"),
                                                           ("merge-groups", "ana")]
    assert log[-1]["note"] == "one toll"


def test_the_group_page_merges_and_splits_and_the_audit_page_shows_it(client):
    html = client.get("/groups/g1").text
    assert 'id="merge-form"' in html and 'id="split-form"' in html and 'form="split-form"' in html
    token = page_token(html)
    assert client.post("/groups/g1/merge", data={"with": "figure 3", "reviewer": "ana"}).status_code == 403
    done = client.post("/groups/g1/merge", data={"with": "figure 3", "reviewer": "ana", "csrf_token": token},
                       follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/groups/g1?done=merge"
    shown = client.get("/groups/g1?done=merge").text
    assert 'id="relink-done"' in shown
    bad = client.post("/groups/g1/merge", data={"with": "g42", "reviewer": "ana", "csrf_token": token})
    assert bad.status_code == 400 and "no group" in bad.text and 'id="relink-error"' in bad.text
    ids = client.get("/api/groups/g1").json()["figure_ids"]
    done = client.post("/groups/g1/split", data={"figure": [str(ids[0])], "reviewer": "ben", "csrf_token": token},
                       follow_redirects=False)
    assert done.status_code == 303
    audit = client.get("/audit").text
    assert audit.count('class="relink-entry"') == 2 and "split-group" in audit and "merge-groups" in audit


def test_the_event_and_source_pages_carry_their_forms(client):
    event = client.get("/events/e1").text
    assert 'id="merge-form"' in event and 'action="/events/e1/split"' in event
    # the two 1,500s leave the ministry's 230 (figure 3), which is then in no event: its own page
    done = client.post("/events/e1/split", data={"figure": ["1", "2"], "reviewer": "cy", "csrf_token": page_token(event)},
                       follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/groups/figure%203?done=split"
    assert client.get(done.headers["location"]).status_code == 200
    assert client.get("/api/events/e1").json()["estimates"][0]["figures"] == ["toll-a/f1", "toll-b/f1"]
    source = client.get("/sources/detail?name=Amnesty%20International").text
    token = page_token(source)
    done = client.post("/sources/merge", data={"name": "Iran Human Rights Monitor", "into": "Amnesty International",
                                               "reviewer": "cy", "csrf_token": token}, follow_redirects=False)
    assert done.status_code == 303 and "done=merge-names" in done.headers["location"]
    assert client.get("/api/groups/g1").json()["originals"] == ["Amnesty International"]
    quotes = client.get("/api/documents/1").json()["quotes"]
    assert quotes[0]["speaker"] == "Jane Roe"
    client.post("/api/sources/merge", json={"name": "Jane Roe", "into": "J. Roe"},
                headers={"x-csrf-token": client.get("/api/csrf").json()["csrf_token"]})
    assert client.get("/api/documents/1").json()["quotes"][0]["speaker"] == "J. Roe"     # a speaker too
    extracted = client.get("/groups/g1?view=extracted").text
    assert 'id="merge-form"' not in extracted                 # the machine's output is not corrected


def test_a_correction_on_a_locked_ledger_is_a_503(client, monkeypatch):
    from sqlalchemy.exc import OperationalError

    def locked(*_a, **_k):
        raise OperationalError("UPDATE figures", {}, Exception("database is locked"))

    monkeypatch.setattr(links, "merge", locked)
    token = client.get("/api/csrf").json()["csrf_token"]
    api = client.post("/api/groups/merge", json={"units": ["g1", "figure 3"]}, headers={"x-csrf-token": token})
    assert api.status_code == 503 and "busy" in api.json()["detail"]
    form = client.post("/groups/g1/merge", data={"with": "figure 3", "reviewer": "me", "csrf_token": token})
    assert form.status_code == 503 and "busy" in form.text

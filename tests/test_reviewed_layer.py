"""Reviewed is what everyone sees: a correction, a rejection and an added figure show in every
reader (figures, groups, sources, records, exports, the workbench's queries and API), and
``as_extracted`` still gives the machine's output. Also the review command line, and the small
pure helpers behind them."""
from __future__ import annotations

import csv
import io
import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text, update

import workbench_ledger as wl
from conftest import run_cli
from sayso.present import export
from sayso.present.help_types import readable
from sayso.present.web.app import create_app
from sayso.store import browse, review
from sayso.store.layers import EXTRACTED
from sayso.store.ledger import Ledger
from sayso.store.schema import figure_reviews, review_sources


@pytest.fixture
def reviewed(tmp_path):
    """The workbench ledger with toll-b corrected (category, a source), the dispute rejected and a
    figure added to the multi document (its "Another 3" was a figure already; we add "Doctors")."""
    url = str(tmp_path / "ledger.db")
    ids = wl.build(url)
    with Ledger(url) as ledger:
        figs = {r["document_key"]: r["figure_id"] for r in ledger.figures()}
        review.review(ledger, figs["toll-b"], "correct", "ana",
                      {"category": "executed", "sources": [review.parse_source("Amnesty:source"),
                                                          review.parse_source("Witness Group:confirms")]})
        review.review(ledger, figs["dispute"], "reject", "ana")
        start = wl.ARREST.index("120")
        added = review.add_figure(ledger, ids["arrests"], start, start + 3, "ana",
                                  {"category": "imprisoned", "counted": "students held"})
        yield ledger, url, figs, added["figure_id"]


def test_reviewed_values_replace_the_machine_s_in_figures(reviewed):
    ledger, _, figs, added = reviewed
    rows = {r["figure_id"]: r for r in ledger.figures()}
    assert rows[figs["toll-b"]]["category"] == "executed" and rows[figs["toll-b"]]["review_state"] == "corrected"
    assert [s["name"] for s in rows[figs["toll-b"]]["sources"]] == ["Amnesty", "Witness Group"]
    assert figs["dispute"] not in rows                                    # rejected: gone
    assert rows[added]["category"] == "imprisoned" and rows[added]["review_state"] == "added"
    assert rows[figs["toll-a"]]["review_state"] is None
    assert {r["figure_id"] for r in ledger.figures(category="executed")} == {figs["toll-b"]}
    assert ledger.figures(category="killed", source="Amnesty") == []
    machine = {r["figure_id"]: r for r in ledger.figures(as_extracted=True)}
    assert machine[figs["toll-b"]]["category"] == "killed" and figs["dispute"] in machine and added not in machine
    assert machine[figs["dispute"]]["review_state"] == "rejected"


def test_groups_sources_and_records_read_the_reviewed_ledger(reviewed):
    ledger, _, figs, added = reviewed
    names = {r["name"]: r for r in ledger.sources()}
    assert "Interior Ministry" not in names and names["Witness Group"]["confirms"] == 1
    assert "Amnesty International" not in names
    assert "Interior Ministry" in {r["name"] for r in ledger.sources(as_extracted=True)}
    g1 = [g for g in ledger.groups() if g["id"] == "g1"][0]
    assert "Witness Group" in g1["corroborations"] and "Amnesty" in g1["originals"]
    assert not any(g["id"] == f"figure {figs['dispute']}" for g in ledger.groups())
    record = ledger.record("arrests")
    assert [f.get("review") for f in record["figures"]] == [None, "added"]
    assert record["figures"][1]["id"] == "f2" and record["figures"][1]["counted"] == "students held"
    assert len(ledger.record("arrests", as_extracted=True)["figures"]) == 1
    assert ledger.record("dispute")["figures"] == []


def test_regroup_uses_the_reviewed_figures_and_keeps_every_review(reviewed):
    import hashlib

    from sayso.model import SCHEMA, InputDocument
    ledger, _, figs, _ = reviewed
    more = "Rights monitors said 75 people were killed in Iran in November 2019."    # a new document
    raw = more.encode()
    digest = hashlib.sha256(raw).hexdigest()
    fig = {"id": "f1", "start": more.index("75"), "end": more.index("75") + 2, "text": "75", "kind": "count",
           "value": {"low": 75, "high": 75}, "qualifier": "exact", "counted": "people", "category": "killed",
           "time": None, "place": "Iran", "sources": [], "sentence": {"start": 0, "end": len(more)}}
    ledger.add(InputDocument(id="more", text=more, sha256=digest), raw,
               {"schema": SCHEMA, "document": {"id": "more"}, "figures": [fig], "quotes": []})
    ledger.regroup()
    with ledger.engine.connect() as conn:
        assert review.counts(conn)["corrected"] == 1 and review.counts(conn)["rejected"] == 1
        assert review.counts(conn)["added"] == 1
        dispute_group = conn.execute(text("SELECT group_id FROM figures WHERE id = :i"), {"i": figs["dispute"]}).scalar()
    assert dispute_group is None                        # a rejected figure is in no group
    assert {r["figure_id"]: r["category"] for r in ledger.figures()}[figs["toll-b"]] == "executed"


def test_exports_read_the_reviewed_ledger(reviewed, tmp_path):
    ledger, _, figs, added = reviewed
    rows = export.figure_rows(ledger)
    export.write_csv(rows, tmp_path / "f.csv")
    table = list(csv.DictReader(open(tmp_path / "f.csv", encoding="utf-8")))
    by_key = {(r["document_key"], r["fig"]): r for r in table}
    assert by_key[("toll-b", "f1")]["category"] == "executed" and by_key[("toll-b", "f1")]["review_state"] == "corrected"
    assert ("dispute", "f1") not in by_key and by_key[("arrests", "f2")]["review_state"] == "added"
    export.write_jsonl(ledger, tmp_path / "r.jsonl")
    records = [json.loads(line) for line in open(tmp_path / "r.jsonl", encoding="utf-8")]
    assert [r for r in records if r["document"]["id"] == "dispute"][0]["figures"] == []
    import pyarrow.parquet as pq
    export.write_parquet(ledger, rows, tmp_path / "pq")
    table = pq.read_table(tmp_path / "pq" / "figures.parquet").to_pylist()
    assert {r["id"]: r["category"] for r in table}[figs["toll-b"]] == "executed"
    assert figs["dispute"] not in {r["id"] for r in table}
    assert {r["id"]: r["review_state"] for r in table}[added] == "added"
    from sayso.present.dossier import write_html
    write_html(ledger, rows, tmp_path / "d.html")
    html = (tmp_path / "d.html").read_text(encoding="utf-8")
    assert "Witness Group" in html and "Interior Ministry" not in html


def test_the_workbench_reads_the_reviewed_ledger_and_toggles_to_the_machine_s(reviewed):
    _, url, figs, added = reviewed
    with TestClient(create_app(url, reviewer="tester"), base_url="http://127.0.0.1") as c:
        ids = {r["figure_id"] for r in c.get("/api/figures").json()["rows"]}
        assert figs["dispute"] not in ids and added in ids
        assert figs["dispute"] in {r["figure_id"] for r in c.get("/api/figures?view=extracted").json()["rows"]}
        assert c.get("/api/figures?category=executed").json()["total"] == 1
        assert "Interior Ministry" not in {s["name"] for s in c.get("/api/sources").json()["rows"]}
        assert c.get("/api/overview").json()["counts"]["figures"] == 8      # 8 stored - 1 rejected + 1 added
        assert c.get("/api/overview?view=extracted").json()["counts"]["figures"] == 8
        group = c.get("/api/groups/g1").json()
        assert "Witness Group" in group["corroborations"]
        page = c.get("/figures").text
        assert "show the machine&#39;s output" in page or "show the machine's output" in page
        switched = c.get("/view/extracted?next=/figures", follow_redirects=False)
        assert switched.status_code == 303 and switched.headers["location"] == "/figures"
        assert f'data-figure="{figs["dispute"]}"' in c.get("/figures").text     # the cookie: machine's output
        assert c.get("/view/reviewed?next=//evil.example", follow_redirects=False).headers["location"] == "/"
        assert f'data-figure="{figs["dispute"]}"' not in c.get("/figures").text
        assert c.get(f"/review/{figs['dispute']}").status_code == 200          # a rejected figure can be re-reviewed


def test_aggregates_kept_between_requests_follow_a_review(tmp_path):
    url = str(tmp_path / "ledger.db")
    wl.build(url)
    with TestClient(create_app(url, reviewer="tester"), base_url="http://127.0.0.1") as c, Ledger(url) as ledger:
        assert "Interior Ministry" in {s["name"] for s in c.get("/api/sources").json()["rows"]}
        fid = [r for r in ledger.figures() if r["document_key"] == "dispute"][0]["figure_id"]
        review.review(ledger, fid, "reject", "ana")
        assert "Interior Ministry" not in {s["name"] for s in c.get("/api/sources").json()["rows"]}


def test_reviews_made_before_review_columns_are_filled_in(reviewed):
    ledger, url, figs, _ = reviewed
    with ledger.writing() as conn:                  # as a ledger made before the columns existed
        conn.execute(update(figure_reviews).values(kind=None, category=None, start=None))
        conn.execute(review_sources.delete())
    with Ledger(url) as again:
        rows = {r["figure_id"]: r for r in again.figures()}
    assert rows[figs["toll-b"]]["category"] == "executed"
    assert [s["name"] for s in rows[figs["toll-b"]]["sources"]] == ["Amnesty", "Witness Group"]


def test_next_unreviewed_walks_the_queue_in_document_order(reviewed):
    ledger, _, figs, _ = reviewed
    with ledger.engine.connect() as conn:
        first = review.next_unreviewed(conn)
        assert first == figs["toll-a"]
        after = review.next_unreviewed(conn, after=first)
        assert after not in (first, figs["toll-b"], figs["dispute"])
        assert review.figure_id(conn, "toll-a/f1") == figs["toll-a"] and review.figure_id(conn, str(first)) == first
        assert review.figure_id(conn, "toll-a/f9") is None and review.figure_id(conn, "99999") is None
    for fid in [r["figure_id"] for r in ledger.figures() if r["review_state"] is None]:
        review.review(ledger, fid, "accept", "ana")
    with ledger.engine.connect() as conn:
        assert review.next_unreviewed(conn) is None


def test_an_added_figure_needs_a_reviewer_and_offsets_inside_the_text(reviewed):
    ledger, _, _, _ = reviewed
    with pytest.raises(review.ReviewError, match="reviewer"):
        review.add_figure(ledger, 1, 0, 3, " ")
    with pytest.raises(review.ReviewError, match="outside the document"):
        review.add_figure(ledger, 1, 0, 10 ** 6, "ana")
    with pytest.raises(review.ReviewError, match="no document"):
        review.add_figure(ledger, 999, 0, 3, "ana")


@pytest.mark.parametrize("spec, expected", [
    ("Amnesty International:source", ("Amnesty International", "source")),
    ("UN Office: Geneva:confirms", ("UN Office: Geneva", "confirms")),
    ("Human Rights Watch", ("Human Rights Watch", "source")),
])
def test_parse_source(spec, expected):
    found = review.parse_source(spec)
    assert (found["name"], found["role"]) == expected


@pytest.mark.parametrize("spec", ["United States Department of State:souce", ":source", "Name:"])
def test_parse_source_refuses_what_it_cannot_read(spec):
    with pytest.raises(review.ReviewError, match="source, confirms, disputes|needs a name"):
        review.parse_source(spec)


def test_sentence_around():
    doc = "First one ends here. The second says 40 people. Third.\n\nA new paragraph has 7 more"
    at = doc.index("40")
    s, e = review.sentence_around(doc, at, at + 2)
    assert doc[s:e] == "The second says 40 people."
    at = doc.index("7")
    s, e = review.sentence_around(doc, at, at + 1)
    assert doc[s:e] == "A new paragraph has 7 more"
    at = doc.index("First")                       # no earlier sentence: from the start
    assert review.sentence_around(doc, at, at + 5) == (0, doc.index(" The second"))


def test_majority_labels_and_one_time_expression_per_group():
    assert browse.majority(["killed", "executed", "killed", None]) == "killed"
    assert browse.majority(["b", "a"]) == "b"                                   # a tie: the first given
    assert browse.majority([None, ""]) is None
    from sayso.store.queries import _group_row
    fig = lambda text, start, end: {"figure_id": 1, "document_id": 1, "document_key": "d", "fig": "f1",  # noqa: E731
                                    "published": None, "publisher": None, "site": None, "text": "5", "sentence": "",
                                    "low": 5, "high": 5, "qualifier": "exact", "category": "killed",
                                    "counted": "people", "place": None, "group_id": "g1", "event_id": None, "sources": [],
                                    "time_text": text, "time_start": start, "time_end": end}
    row = _group_row("g1", [fig("in May", "2020-05-01", "2020-05-31"), fig("in May", "2020-05-01", "2020-05-31"),
                            fig("last year", "2019-01-01", "2019-12-31")], None, {})
    assert (row["time_text"], row["time_start"], row["time_end"]) == ("in May", "2020-05-01", "2020-05-31")


def test_the_groups_list_labels_a_group_by_its_majority(tmp_path):
    url = str(tmp_path / "ledger.db")
    wl.build(url)
    with Ledger(url) as ledger:
        with ledger.writing() as conn:   # g1 holds two "killed" figures; make one "sentenced" (sorts last)
            conn.execute(text("UPDATE figures SET category = 'sentenced' WHERE document_id = "
                              "(SELECT id FROM documents WHERE key = 'toll-b')"))
            conn.execute(text("INSERT INTO figures (document_id, fig, start, \"end\", text, kind, low, high, qualifier,"
                              " category, sentence_start, sentence_end, sentence, group_id) SELECT document_id, 'f9',"
                              " start, \"end\", text, kind, low, high, qualifier, 'killed', sentence_start,"
                              " sentence_end, sentence, 'g1' FROM figures WHERE fig = 'f1' AND document_id = "
                              "(SELECT id FROM documents WHERE key = 'arrests')"))
        with ledger.engine.connect() as conn:
            row = [g for g in browse.all_groups(conn) if g["group_id"] == "g1"][0]
    assert row["category"] == "killed"


@pytest.mark.parametrize("label, flag, shown", [("<str>", False, "TEXT"), ("<list[str]>", False, "TEXT..."),
                                                ("<list[Path]>", False, "PATH..."), ("<bool>", False, None),
                                                ("<int>", True, None), ("<table|json|csv>", False, "[table|json|csv]"),
                                                ("<float>", False, "NUMBER"), ("DIR", False, "DIR")])
def test_help_names_types_for_people(label, flag, shown):
    assert readable(label, flag) == shown


# --- the command line ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def cli_db(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("cli") / "ledger.db")
    wl.build(path)
    return path


def test_review_command_corrects_rejects_and_walks_the_queue(tmp_path):
    db = str(tmp_path / "ledger.db")
    wl.build(db)
    shown = run_cli("review", "--next", "--db", db)
    assert shown.returncode == 0 and "toll-a/f1" in shown.stdout and "unreviewed" in shown.stdout
    done = run_cli("review", "toll-b/f1", "--verdict", "corrected", "--category", "executed",
                   "--source", "Amnesty:source", "--by", "ana", "--db", db)
    assert done.returncode == 0, done.stderr
    assert "corrected by ana" in done.stdout
    rejected = run_cli("review", "dispute/f1", "--verdict", "rejected", "--by", "ben", "--note", "a denial", "--db", db)
    assert rejected.returncode == 0, rejected.stderr
    rows = json.loads(run_cli("figures", "--db", db, "--format", "json").stdout)
    assert {r["document_key"]: r["category"] for r in rows}["toll-b"] == "executed"
    assert "dispute" not in {r["document_key"] for r in rows}
    machine = json.loads(run_cli("figures", "--db", db, "--format", "json", "--as-extracted").stdout)
    assert {r["document_key"]: r["category"] for r in machine}["toll-b"] == "killed"
    walked = run_cli("review", "--next", "--verdict", "accepted", "--by", "cy", "--db", db)
    assert walked.returncode == 0 and "accepted by cy" in walked.stdout
    with Ledger(db) as ledger, ledger.engine.connect() as conn:
        log = review.log_entries(conn)
    assert [(e["action"], e["reviewer"]) for e in log] == [("accept", "cy"), ("reject", "ben"), ("correct", "ana")]
    assert log[1]["note"] == "a denial"


@pytest.mark.parametrize("args, message", [
    (["toll-a/f1", "--verdict", "accepted", "--category", "killed"], "changed fields make a correction"),
    (["toll-a/f1", "--verdict", "corrected"], "a correction needs a changed field"),
    (["toll-a/f1", "--source", "Reuters:souce", "--by", "ana"], "not one of source, confirms, disputes"),
    (["toll-a/f1", "--verdict", "corrected", "--category", "kiled", "--by", "ana"], "is not one of"),
    (["toll-a/f1", "--verdict", "accepted"], "name the reviewer"),
    ([], "give a FIGURE"),
])
def test_review_command_refuses_in_one_line(cli_db, args, message, monkeypatch):
    monkeypatch.delenv("SAYSO_REVIEWER", raising=False)
    done = run_cli("review", *args, "--db", cli_db)
    assert done.returncode == 2 and message in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_unknown_category_names_the_valid_ones(cli_db):
    for command in (["figures"], ["groups"], ["export", "--format", "csv", "-o", "-"]):
        done = run_cli(*command, "--db", cli_db, "--category", "kiled")
        assert done.returncode == 2 and "'kiled' is not one of" in done.stderr and "killed" in done.stderr, command
    done = run_cli("sources", "--db", cli_db, "--role", "cites")
    assert done.returncode == 2 and "own_voice" in done.stderr


def test_export_dash_is_standard_output(cli_db, tmp_path):
    done = run_cli("export", "--format", "csv", "-o", "-", "--db", cli_db, cwd=tmp_path)
    assert done.returncode == 0 and not (tmp_path / "-").exists()
    assert next(csv.reader(io.StringIO(done.stdout)))[:3] == ["document_id", "document_key", "site"]
    lines = run_cli("export", "--format", "jsonl", "-o", "-", "--db", cli_db, cwd=tmp_path).stdout.splitlines()
    assert len(lines) == 6 and json.loads(lines[0])["schema"]
    assert run_cli("export", "--format", "parquet", "-o", "-", "--db", cli_db).returncode == 2


def test_figures_show_date_site_and_review_columns_and_filter_by_site(cli_db):
    table = run_cli("figures", "--db", cli_db).stdout
    assert "published" in table and "site" in table and "review" in table and "2019-12-16" in table
    rows = json.loads(run_cli("figures", "--db", cli_db, "--site", "example.net", "--format", "json").stdout)
    assert {r["document_key"] for r in rows} == {"toll-b"}


def test_groups_and_sources_filter(cli_db):
    rows = json.loads(run_cli("groups", "--db", cli_db, "--format", "json", "--source", "amnesty").stdout)
    assert [r["id"] for r in rows] == ["g1"]
    assert json.loads(run_cli("groups", "--db", cli_db, "--format", "json", "--category", "arrested").stdout) == []
    conflicts = json.loads(run_cli("groups", "--db", cli_db, "--format", "json", "--conflicts").stdout)
    assert conflicts and all(r["conflict"] for r in conflicts)
    names = json.loads(run_cli("sources", "--db", cli_db, "--format", "json", "--role", "confirms").stdout)
    assert [r["name"] for r in names] == ["Reuters"]
    names = json.loads(run_cli("sources", "--db", cli_db, "--format", "json", "--name", "watch").stdout)
    assert [r["name"] for r in names] == ["Campus Watch"]


def test_show_piped_prints_the_text_then_its_figures(cli_db):
    done = run_cli("show", "toll-a", "--db", cli_db)
    assert done.returncode == 0 and wl.TOLL_A.split(".")[0][:30] in done.stdout
    assert "Iran Human Rights Monitor (source" in done.stdout         # the figures table follows the text


def test_version():
    done = run_cli("--version")
    assert done.returncode == 0 and done.stdout.startswith("sayso ")


def test_help_shows_no_python_types():
    for command in (["extract"], ["figures"], ["review"]):
        shown = run_cli(*command, "--help").stdout
        assert "<bool>" not in shown and "<list[" not in shown and "<str>" not in shown, command


def test_serve_refuses_a_port_out_of_range_or_in_use(cli_db):
    import socket
    done = run_cli("serve", "--db", cli_db, "--port", "99999")
    assert done.returncode == 2 and done.stderr.strip().count("\n") == 0 and "1 to 65535" in done.stderr
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        done = run_cli("serve", "--db", cli_db, "--port", str(busy.getsockname()[1]))
    assert done.returncode == 2 and "in use" in done.stderr and "workbench on" not in done.stderr
    assert done.stderr.strip().count("\n") == 0


def test_one_error_is_singular(tmp_path):
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"not a pdf at all")
    done = run_cli("extract", str(bad))
    assert "1 error," in done.stderr and "1 errors" not in done.stderr


def test_extracted_layer_is_the_machine_s_output_only(reviewed):
    ledger, _, figs, added = reviewed
    with ledger.engine.connect() as conn:
        ids = {r["figure_id"] for r in browse.figure_page(conn, layer=EXTRACTED, per_page=500)["rows"]}
    assert added not in ids and figs["dispute"] in ids


# --- the review form -------------------------------------------------------------------------------

def _token(html: str) -> str:
    import re
    return re.search(r'name="csrf_token" value="([0-9a-f]+)"', html).group(1)


@pytest.fixture
def workbench(tmp_path):
    url = str(tmp_path / "ledger.db")
    wl.build(url)
    with TestClient(create_app(url, reviewer="tester"), base_url="http://127.0.0.1") as c, Ledger(url) as ledger:
        yield c, {r["document_key"]: r["figure_id"] for r in ledger.figures()}


def test_the_review_form_shows_paragraphs_and_picks_sources_without_offsets(workbench):
    c, figs = workbench
    html = c.get(f"/review/{figs['multi']}").text
    assert 'name="start"' not in html and 'name="sentence_start"' not in html          # no raw offsets
    assert 'list="parties"' in html and '<select name="source_role"' in html
    assert "Guards beat" in html                                                         # the paragraph
    tortured = c.get(f"/review/{figs['evil<script>x</script>']}").text
    assert '<option value="Reuters">' in tortured                                       # parties of the document


def test_the_review_form_saves_picked_sources_and_goes_to_the_next(workbench):
    c, figs = workbench
    fid = figs["toll-b"]
    token = _token(c.get(f"/review/{fid}").text)
    form = {"csrf_token": token, "action": "correct", "reviewer": "ana", "category": "killed", "qualifier": "exact",
            "kind": "count", "low": "1500", "high": "1500", "counted": "protesters", "place": "Iran",
            "time_text": "in November 2019", "time_start": "2019-11-01", "time_end": "2019-11-30",
            "source_name": ["United States Department of State", ""], "source_role": ["confirms", "source"],
            "source_date": ["", ""], "source_text": ["", ""], "then": "next"}
    done = c.post(f"/review/{fid}", data=form, follow_redirects=False)
    assert done.status_code == 303 and "then=next" in done.headers["location"]
    assert done.headers["location"].split("?")[0] != f"/review/{fid}"
    row = c.get(f"/api/figures/{fid}").json()
    assert row["sources"] == [{"name": "United States Department of State", "text": "United States Department of State",
                               "role": "confirms", "date": None}] and row["review_state"] == "corrected"


def test_a_malformed_value_is_refused_next_to_its_field(workbench):
    c, figs = workbench
    fid = figs["arrests"]
    token = _token(c.get(f"/review/{fid}").text)
    bad = c.post(f"/review/{fid}", data={"csrf_token": token, "action": "correct", "reviewer": "ana",
                                         "low": "many", "time_start": "2021-03-03"})
    assert bad.status_code == 400 and 'id="error-low"' in bad.text and "not a number" in bad.text
    assert 'value="many"' in bad.text                                                   # what was typed stays
    assert c.get(f"/api/figures/{fid}").json()["review_state"] is None


def test_a_missed_figure_is_added_from_the_document_page_and_the_api(workbench):
    c, figs = workbench
    doc = c.get(f"/api/figures/{figs['multi']}").json()["document_id"]
    html = c.get(f"/documents/{doc}").text
    assert 'id="add-figure"' in html
    at = wl.MULTI.index("9")
    done = c.post(f"/documents/{doc}/figures", data={"csrf_token": _token(html), "start": str(at), "end": str(at + 1),
                                                     "reviewer": "ana"}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].startswith("/review/")
    added = int(done.headers["location"].split("/")[2].split("?")[0])
    assert c.get(f"/api/figures/{added}").json()["review_state"] == "added"
    token = c.get("/api/csrf").json()["csrf_token"]
    at = wl.MULTI.index("14")
    made = c.post(f"/api/documents/{doc}/figures", json={"start": at, "end": at + 2, "reviewer": "ben",
                                                         "changes": {"category": "injured"}},
                  headers={"x-csrf-token": token})
    assert made.status_code == 200 and made.json()["after"]["figure"]["category"] == "injured"
    assert c.post(f"/api/documents/{doc}/figures", json={"start": 5, "end": 2, "reviewer": "ben"},
                  headers={"x-csrf-token": token}).status_code == 422
    nxt = c.get("/api/review/next").json()["figure_id"]
    assert isinstance(nxt, int)


def test_an_empty_gold_set_says_why(workbench):
    c, figs = workbench
    empty = c.get("/review/gold.zip")
    assert empty.status_code == 409 and "partial" in empty.text
    assert c.get("/review/gold.zip?partial=true").status_code == 409                 # nothing reviewed at all


def test_context_gives_the_paragraph_and_the_one_before():
    doc = "Intro line.\n\nA paragraph before.\n\nHere 12 people were hurt. More after.\n\nLast."
    at = doc.index("12")
    found = review.context(doc, at, at + 2)
    assert found == {"previous": "A paragraph before.", "before": "Here ", "number": "12",
                     "after": " people were hurt. More after."}
    single = "One line.\nTwo has 5 here.\nThree."
    at = single.index("5")
    assert review.context(single, at, at + 1)["previous"] == "One line."
    assert review.context("7 at the start", 0, 1)["previous"] == ""


# --- more rough edges ------------------------------------------------------------------------------

def test_a_document_without_title_is_named_by_its_file_and_first_line():
    from sayso.store.queries import document_label
    assert document_label("A title", "/x/notes.txt", "Body") == "A title"
    assert document_label(None, "/data/in/notes.txt", "\n\nPolice held 40 people.\nMore.") == \
        "notes.txt: Police held 40 people."
    assert document_label("", None, "") == "(untitled)"
    long = document_label(None, "a.txt", "word " * 40)
    assert long.endswith("…") and len(long) < 100


def test_the_documents_page_names_untitled_documents(tmp_path):
    url = str(tmp_path / "ledger.db")
    wl.build(url)
    with TestClient(create_app(url, reviewer="tester"), base_url="http://127.0.0.1") as c:
        rows = c.get("/api/documents").json()["rows"]
        multi = [r for r in rows if r["key"] == "multi"][0]
        assert multi["label"] == "Evin"                       # the title where it has one
        html = c.get(f"/documents/{multi['id']}").text
        assert "<h1>Evin</h1>" in html


def test_formats_sayso_cannot_read_are_refused_by_content(tmp_path):
    import zipfile

    from sayso.ingest.readers import ReadError, read_paths, unreadable_format
    docx = tmp_path / "notes.docx"
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("word/document.xml", "<w:t>Police arrested 120 students.</w:t>")
    (found,) = list(read_paths([str(docx)]))
    assert isinstance(found, ReadError) and "ZIP archive" in str(found) and ".txt" in str(found)
    renamed = tmp_path / "notes.txt"
    renamed.write_bytes(docx.read_bytes())                   # the name does not matter, the bytes do
    assert isinstance(list(read_paths([str(renamed)]))[0], ReadError)
    assert unreadable_format(b"Police arrested 120 students.") is None
    assert unreadable_format(b"\x89PNG\r\n") == "a PNG image"


def test_an_ingest_that_adds_nothing_leaves_no_ledger_file(tmp_path):
    import zipfile
    docx = tmp_path / "notes.docx"
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("a.xml", "x")
    db = tmp_path / "new.db"
    done = run_cli("ingest", str(docx), "--db", str(db))
    assert done.returncode == 1 and "1 error," in done.stderr
    assert not db.exists() and not (tmp_path / "new.db-wal").exists()


def test_count_documents_for_the_progress_bar(tmp_path):
    from sayso.ingest.readers import count_documents
    (tmp_path / "a.txt").write_text("one")
    (tmp_path / "b.jsonl").write_text('{"text": "x"}\n\n{"text": "y"}\n')
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "c.html").write_text("<p>z</p>")
    assert count_documents([str(tmp_path)]) == 4
    assert count_documents([str(tmp_path / "a.txt"), "-"]) is None
    (tmp_path / "d.warc.gz").write_bytes(b"")
    assert count_documents([str(tmp_path)]) is None


def test_ctrl_c_says_what_was_kept(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from sayso.present import ledger_cli
    from sayso.present.cli import app
    from sayso.store.ingest import ADDED

    class Outcome:
        status, figures, name, message = ADDED, 2, "x", ""

    def interrupted(*args, **kwargs):
        yield Outcome()
        raise KeyboardInterrupt

    monkeypatch.setattr(ledger_cli, "ingest_paths", interrupted)
    (tmp_path / "a.txt").write_text("12 people")
    done = CliRunner().invoke(app, ["ingest", str(tmp_path / "a.txt"), "--db", str(tmp_path / "l.db")])
    assert done.exit_code == 130
    assert "interrupted: 1 document stored whole" in done.output and "run the same command again" in done.output


def test_ctrl_c_in_extract_says_what_was_written():
    import typer

    from sayso.present.cli import _interrupted
    with pytest.raises(typer.Exit) as stopped:
        with _interrupted({"documents": 3}, False, None):
            raise KeyboardInterrupt
    assert stopped.value.exit_code == 130


def test_the_dossier_marks_conflicting_estimates_of_one_event_and_lists_who_cites_whom(tmp_path):
    url = str(tmp_path / "ledger.db")
    wl.build(url)                                     # g1 (1,500) and the ministry's 230: one event
    from sayso.present.dossier import write_html
    with Ledger(url) as ledger:
        write_html(ledger, ledger.figures(), tmp_path / "d.html")
    html = (tmp_path / "d.html").read_text(encoding="utf-8")
    assert html.count("conflicting estimates of one event") == 2
    assert "Other estimates of this event" in html and "230" in html
    assert '<table class="citations">' in html and "Reuters" in html


def test_the_timeline_keeps_its_labels_inside():
    from sayso.present.dossier import timeline_svg
    row = {"time_start": "2020-01-01", "time_end": None, "published": None, "low": 12_000_000, "high": None,
           "text": "12 million", "qualifier": "exact", "counted": "people", "category": "displaced",
           "document_key": "d", "document_id": 1, "sources": [], "publisher": None, "site": None}
    svg = str(timeline_svg([row, {**row, "time_start": "2021-06-01", "low": 3}]))
    assert 'text-anchor="start">2019-12' not in svg
    import re
    first = re.findall(r'<text x="([\d.]+)" y="[\d.]+" text-anchor="(\w+)">\d{4}-\d\d-\d\d', svg)
    assert first[0][1] == "start" and first[-1][1] == "end"
    label_x = float(re.search(r'<text x="([\d.]+)" y="[\d.]+" text-anchor="end">100,000,000<', svg).group(1))
    assert label_x - 7 * len("100,000,000") >= 0                       # the widest value label fits


def test_the_workbench_lists_who_cites_whom_as_a_table_with_links(tmp_path):
    url = str(tmp_path / "ledger.db")
    wl.build(url)
    with TestClient(create_app(url, reviewer="tester"), base_url="http://127.0.0.1") as c:
        html = c.get("/sources").text
        assert 'id="citations"' in html and "<svg" not in html
        assert '<a href="/sources/detail?name=Reuters">Reuters</a>' in html
        only = c.get("/sources?name=amnesty").text
        assert "Amnesty International" in only and "Campus Watch</a></td><td class=\"num\">" not in only


def test_quotes_and_their_speakers_are_reviewed_the_same_way(workbench, tmp_path):
    c, figs = workbench
    doc = c.get(f"/api/figures/{figs['toll-a']}").json()["document_id"]
    page = c.get(f"/documents/{doc}").text
    import re
    quote_id = int(re.search(r'href="/review/quote/(\d+)"', page).group(1))
    form = c.get(f"/review/quote/{quote_id}").text
    assert "We counted every name" in form and '<option value="Reuters">' in form
    done = c.post(f"/review/quote/{quote_id}", data={"csrf_token": _token(form), "action": "correct",
                                                      "speaker": "John Doe", "reviewer": "ana"}, follow_redirects=False)
    assert done.status_code == 303
    quotes = c.get(f"/api/documents/{doc}").json()["quotes"]
    assert quotes[0]["speaker"] == "John Doe" and quotes[0]["review_state"] == "corrected"
    assert c.get(f"/api/documents/{doc}?view=extracted").json()["quotes"][0]["speaker"] == "Jane Roe"
    token = c.get("/api/csrf").json()["csrf_token"]
    rejected = c.post(f"/api/quotes/{quote_id}/review", json={"action": "reject", "reviewer": "ben"},
                      headers={"x-csrf-token": token})
    assert rejected.status_code == 200 and rejected.json()["before"]["quote"]["speaker"] == "John Doe"
    assert c.get(f"/api/documents/{doc}").json()["quotes"] == []
    assert c.post("/api/quotes/99999/review", json={"action": "accept", "reviewer": "ben"},
                  headers={"x-csrf-token": token}).status_code == 404
    history = c.get(f"/review/quote/{quote_id}").text
    assert "John Doe" in history and "(rejected)" in history


def test_quote_reviews_reach_the_records_and_their_log_is_append_only(tmp_path):
    from sqlalchemy.exc import DBAPIError
    url = str(tmp_path / "ledger.db")
    wl.build(url)
    with Ledger(url) as ledger:
        with ledger.engine.connect() as conn:
            quote_id = conn.execute(text("SELECT id FROM quotes ORDER BY id LIMIT 1")).scalar()
        review.review_quote(ledger, quote_id, "correct", "ana", speaker="John Doe")
        assert ledger.record("toll-a")["quotes"][0]["speaker"] == "John Doe"
        assert ledger.record("toll-a", as_extracted=True)["quotes"][0]["speaker"] == "Jane Roe"
        with pytest.raises(review.ReviewError, match="speaker"):
            review.review_quote(ledger, quote_id, "correct", "ana")
        with pytest.raises(DBAPIError, match="append-only"):
            with ledger.writing() as conn:
                conn.execute(text("DELETE FROM quote_review_log"))


def test_a_rejected_estimate_leaves_the_conflicts_of_a_group(reviewed):
    ledger, _, figs, _ = reviewed
    with ledger.engine.connect() as conn:
        g1 = browse.group(conn, "g1")
        machine = browse.group(conn, "g1", EXTRACTED)
    assert g1["conflicts_with"] == [] and machine["conflicts_with"] == [f"figure {figs['dispute']}"]

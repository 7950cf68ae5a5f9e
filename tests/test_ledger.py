"""The ledger: storing documents once and whole, reading them back, and the ingest/figures/sources/show
commands, including a run killed with SIGKILL and resumed."""
from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from sqlalchemy.exc import IntegrityError

from conftest import ROOT, SAYSO, run_cli
from pg_server import fresh_database, postgres_server
from sayso.ingest.raw import read_paths_with_raw
from sayso.ingest.readers import ReadError
from sayso.model import SCHEMA, InputDocument
from sayso.store.ingest import LazyExtractor, ingest_paths
from sayso.store.ledger import Ledger, ledger_url

ARREST = "Police arrested {n} protesters in Tehran on 3 March 2021, Amnesty International said.\n"


# --- hand-made documents and records (no language model needed) --------------------------------

def make_doc(text: str, url: str | None = None, key: str | None = None) -> tuple[InputDocument, bytes]:
    raw = text.encode("utf-8")
    digest = hashlib.sha256(raw).hexdigest()
    return InputDocument(id=key or digest[:16], text=text, sha256=digest, source="mem.txt", url=url), raw


def make_figure(text: str, doc_text: str, fid: str = "f1", *, low=None, high=None, category="killed",
                place=None, time=None, sources=(), qualifier="exact", counted="protesters") -> dict:
    start = doc_text.index(text)
    low = low if low is not None else int(text.replace(",", ""))
    return {"id": fid, "start": start, "end": start + len(text), "text": text, "kind": "count",
            "value": {"low": low, "high": high if high is not None or qualifier != "exact" else low},
            "qualifier": qualifier, "counted": counted, "category": category, "time": time, "place": place,
            "sources": [dict(s) for s in sources], "sentence": {"start": 0, "end": len(doc_text.rstrip())}}


def make_record(doc: InputDocument, figures=(), quotes=(), publisher=None, published=None) -> dict:
    return {"schema": SCHEMA,
            "document": {"id": doc.id, "source": doc.source, "sha256": doc.sha256, "title": None,
                         "published": published, "site": None, "publisher": publisher, "language": "en"},
            "figures": list(figures), "quotes": list(quotes)}


def reuters(role="confirms", date="2019-12-23"):
    return {"name": "Reuters", "text": "Reuters", "role": role, "date": date}


@pytest.fixture(scope="session")
def postgres():
    with postgres_server() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def ledger(request, tmp_path):
    """The same tests on an SQLite file and on a PostgreSQL database (where one can be had)."""
    url = str(tmp_path / "ledger.db") if request.param == "sqlite" else fresh_database(request.getfixturevalue("postgres"))
    with Ledger(url) as led:
        yield led


@pytest.fixture
def sqlite_ledger(tmp_path):
    with Ledger(str(tmp_path / "ledger.db")) as led:
        yield led


def add_sample(ledger: Ledger) -> None:
    """Three documents: a confirmed toll in Iran, an own-voice arrest figure, a disputed range."""
    t1 = "Reuters confirmed the toll of 1,500 in Iran that the PMOI announced.\n"
    d1, r1 = make_doc(t1)
    ledger.add(d1, r1, make_record(d1, [make_figure("1,500", t1, place="Iran", sources=[
        reuters(), {"name": "PMOI", "text": "the PMOI", "role": "source", "date": "2019-12-15"}],
        time={"text": "in November 2019", "start": "2019-11-01", "end": "2019-11-30"})],
        quotes=[{"start": 0, "end": 7, "text": "Reuters", "speaker": None, "speaker_text": None, "cue": None}]))
    t2 = "Security forces detained 7,000 people across the country during 2018.\n"
    d2, r2 = make_doc(t2)
    ledger.add(d2, r2, make_record(d2, [make_figure("7,000", t2, category="arrested", counted="people",
                                                    time={"text": "during 2018", "start": "2018-01-01",
                                                          "end": "2018-12-31"})],
                                   publisher="Iran Human Rights", published="2019-01-05"))
    t3 = "The ministry denied that between 180 and 200 were executed.\n"
    d3, r3 = make_doc(t3)
    ledger.add(d3, r3, make_record(d3, [make_figure("between 180 and 200", t3, low=180, high=200, qualifier="range",
                                                    category="executed", counted=None, sources=[
                                                        {"name": "Ministry of Justice", "text": "The ministry",
                                                         "role": "disputes", "date": None}])],
                                   published="2020-06-01"))


# --- storing --------------------------------------------------------------------------------

def test_same_bytes_twice_is_a_no_op_and_the_record_comes_back(ledger):
    text = "At least 12 people were killed, Reuters said.\n"
    doc, raw = make_doc(text)
    record = make_record(doc, [make_figure("At least 12", text, low=12, qualifier="at_least",
                                           sources=[reuters("source", None)])])
    assert ledger.add(doc, raw, record) is True
    assert ledger.add(doc, raw, record) is False
    assert ledger.counts() == {"documents": 1, "figures": 1, "sources": 1, "quotes": 0}
    assert ledger.raw_bytes(doc.id) == raw
    assert ledger.record(doc.id) == record          # value as written, high null, order of sources kept


def test_raw_bytes_must_match_the_sha256(ledger):
    doc, raw = make_doc("Two people died.\n")
    with pytest.raises(ValueError, match="sha256"):
        ledger.add(doc, raw + b"x", make_record(doc))
    assert ledger.counts()["documents"] == 0


def test_one_document_is_one_transaction(ledger):
    text = "Reuters said 40 were killed and 12 injured.\n"
    doc, raw = make_doc(text)
    broken_source = {"name": None, "text": "?", "role": "source", "date": None}   # NOT NULL violated
    record = make_record(doc, [make_figure("40", text, sources=[reuters("source", None)]),
                               make_figure("12", text, "f2", category="injured", sources=[broken_source])])
    with pytest.raises(IntegrityError):
        ledger.add(doc, raw, record)
    assert ledger.counts() == {"documents": 0, "figures": 0, "sources": 0, "quotes": 0}
    record["figures"][1]["sources"] = []
    assert ledger.add(doc, raw, record) is True
    assert ledger.counts() == {"documents": 1, "figures": 2, "sources": 1, "quotes": 0}


def test_a_new_version_of_a_url_links_to_the_old_one(ledger):
    url = "https://example.org/report"
    old, old_raw = make_doc("Ten were arrested.\n", url=url)
    new, new_raw = make_doc("Twelve were arrested.\n", url=url)
    assert ledger.add(old, old_raw, make_record(old)) and ledger.add(new, new_raw, make_record(new))
    first, second = ledger.document(old.sha256[:10]), ledger.document(new.sha256[:10])
    assert first["previous_version_id"] is None
    assert second["previous_version_id"] == first["id"] and second["url"] == url


def test_values_are_stored_as_numbers_readable_by_sqlite(sqlite_ledger, tmp_path):
    add_sample(sqlite_ledger)
    with sqlite3.connect(tmp_path / "ledger.db") as conn:
        assert conn.execute("SELECT typeof(low), low FROM figures ORDER BY id LIMIT 1").fetchone() == ("integer", 1500)
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"documents", "figures", "sources", "quotes", "figures_fts"} <= tables


# --- querying -------------------------------------------------------------------------------

def texts(rows):
    return sorted(r["text"] for r in rows)


def test_figure_filters(ledger):
    add_sample(ledger)
    assert texts(ledger.figures()) == ["1,500", "7,000", "between 180 and 200"]
    assert texts(ledger.figures(category="Arrested")) == ["7,000"]
    assert texts(ledger.figures(place="iran")) == ["1,500"]
    assert texts(ledger.figures(source="reuters")) == ["1,500"]
    assert texts(ledger.figures(source="human rights")) == ["7,000"]      # own voice: its publisher
    assert texts(ledger.figures(since="2019-01-01")) == ["1,500", "between 180 and 200"]
    assert texts(ledger.figures(until="2018-06-30")) == ["7,000"]
    assert texts(ledger.figures(since="2019-11-15", until="2019-11-20")) == ["1,500"]
    assert texts(ledger.figures(min_value=1000)) == ["1,500", "7,000"]
    assert texts(ledger.figures(max_value=190)) == ["between 180 and 200"]
    assert texts(ledger.figures(category="killed", min_value=2000)) == []
    [fig] = ledger.figures(search="toll PMOI")
    assert fig["sources"][0]["name"] == "Reuters" and fig["time_start"] == "2019-11-01"
    assert texts(ledger.figures(search="detained")) == ["7,000"]
    assert texts(ledger.figures(search='toll" (1,500*')) == ["1,500"]   # user text is never FTS syntax


def test_search_without_fts_falls_back_to_substrings(sqlite_ledger):
    ledger = sqlite_ledger
    add_sample(ledger)
    ledger.searchable = False
    assert texts(ledger.figures(search="toll pmoi")) == ["1,500"]
    assert texts(ledger.figures(search="executed")) == ["between 180 and 200"]


def test_sources_who_is_cited_in_which_role(ledger):
    add_sample(ledger)
    rows = {r["name"]: r for r in ledger.sources()}
    assert rows["Reuters"]["confirms"] == 1 and rows["Reuters"]["figures"] == 1
    assert rows["PMOI"]["source"] == 1
    assert rows["Ministry of Justice"]["disputes"] == 1
    assert rows["Iran Human Rights"]["own_voice"] == 1 and rows["Iran Human Rights"]["documents"] == 1


def test_document_by_number_id_or_sha_prefix(ledger):
    add_sample(ledger)
    found = ledger.document(1)
    assert found["text"].startswith("Reuters confirmed") and "raw_bytes" not in found
    assert [f["text"] for f in found["figures"]] == ["1,500"] and len(found["quotes"]) == 1
    assert ledger.resolve(found["key"]) == 1 and ledger.resolve(found["sha256"][:8]) == 1
    assert ledger.document("nope") is None
    assert len(list(ledger.records())) == 3


def test_readme_ledger_example(tmp_path, monkeypatch, capsys):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    [example] = [b for b in re.findall(r"```python\n(.*?)```", readme, re.S) if "Ledger(" in b]
    with Ledger(str(tmp_path / "sayso.db")) as ledger:
        add_sample(ledger)
    monkeypatch.chdir(tmp_path)
    exec(example, {})
    assert capsys.readouterr().out == f"between 180 and 200 {ledger_key(tmp_path, 3)} ['Ministry of Justice']\n"


def ledger_key(tmp_path, doc_id: int) -> str:
    with Ledger(str(tmp_path / "sayso.db")) as ledger:
        return ledger.document(doc_id)["key"]


def test_ledger_url():
    assert ledger_url(None) == "sqlite:///sayso.db"
    assert ledger_url("x/ledger.db") == "sqlite:///x/ledger.db"
    assert ledger_url("sqlite:////tmp/a.db") == "sqlite:////tmp/a.db"
    assert ledger_url("postgresql://u@localhost/sayso").endswith("://u@localhost/sayso")


# --- raw bytes ------------------------------------------------------------------------------

def test_raw_bytes_are_the_input_unaltered(tmp_path, monkeypatch):
    bom = tmp_path / "bom.txt"
    bom.write_bytes("\ufeffFive were killed.\r\n".encode("utf-8"))
    html = tmp_path / "page.html"
    html.write_bytes(html_page("Caf\u00e9 owners said 30 were arrested \u2013 \u20ac5 fines.").encode("cp1252"))
    lines = tmp_path / "in.jsonl"
    lines.write_text(json.dumps({"id": "a", "text": "Nine died."}) + "\n", encoding="utf-8")
    got = list(read_paths_with_raw([str(bom), str(html), str(lines)]))
    assert [raw for _, raw in got] == [bom.read_bytes(), html.read_bytes(), b"Nine died."]
    assert all(hashlib.sha256(raw).hexdigest() == doc.sha256 for doc, raw in got)
    assert "\u20ac5" in got[1][0].text
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"\xef\xbb\xbfSix died.")))
    [(doc, raw)] = list(read_paths_with_raw(["-"]))
    assert raw == b"\xef\xbb\xbfSix died." and doc.text == "Six died."


def test_bytes_that_do_not_match_the_sha256_are_an_error():
    from sayso.ingest.raw import with_raw
    from sayso.model import InputDocument
    good = InputDocument("a", "Forty were arrested.", hashlib.sha256(b"Forty were arrested.").hexdigest(),
                         source="a.txt", raw=b"Forty were arrested.")
    tampered = InputDocument("b", "Fifty were arrested.", good.sha256, source="b.txt", raw=b"Fifty were arrested.")
    missing = InputDocument("c", "Sixty were arrested.", good.sha256, source="c.txt")
    got = list(with_raw([good, tampered, missing]))
    assert got[0] == (good, b"Forty were arrested.")
    assert [(e.path, "sha256" in e.message) for e in got[1:]] == [("b.txt", True), ("c.txt", True)]


def html_page(body: str, charset: str = "windows-1252") -> str:
    paragraph = f"<p>{body} The report was published by the rights group after months of work.</p>"
    return (f'<html><head><meta charset="{charset}"><title>Report</title></head><body><article>'
            f"{paragraph * 3}</article></body></html>")


# --- ingesting (library) ------------------------------------------------------------------------

def test_ingest_paths_goes_on_past_a_record_that_cannot_be_stored(tmp_path, ledger):
    for name in ("a", "b"):
        (tmp_path / f"{name}.txt").write_text(f"Reuters said 40 were killed in {name}.\n", encoding="utf-8")

    def extractor(doc):
        broken = "a.txt" in doc.source
        source = {"name": None if broken else "Reuters", "text": "Reuters", "role": "source", "date": None}
        return make_record(doc, [make_figure("40", doc.text, sources=[source])])
    outcomes = list(ingest_paths([str(tmp_path)], ledger, extractor))
    assert [(o.status, os.path.basename(o.name)) for o in outcomes] == [("error", "a.txt"), ("added", "b.txt")]
    assert outcomes[0].message.startswith("cannot store:")
    assert ledger.counts()["documents"] == 1

    def must_not_run(doc):
        raise AssertionError("a stored document is extracted again")
    again = list(ingest_paths([str(tmp_path / "b.txt")], ledger, LazyExtractor(lambda: must_not_run)))
    assert [o.status for o in again] == ["skipped"]


# --- the commands ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory):
    """A folder of good and bad inputs, ingested once."""
    root = tmp_path_factory.mktemp("corpus")
    (root / "sub").mkdir()
    (root / "good.txt").write_text(ARREST.format(n=31), encoding="utf-8")
    (root / "sub" / "more.txt").write_text("Executions: at least 25 prisoners were hanged in 2020, "
                                           "Iran Human Rights reported.\n", encoding="utf-8")
    (root / "utf16.html").write_bytes(html_page("Police detained 44 students in Shiraz.", "utf-16").encode("utf-16"))
    (root / "cp1252.html").write_bytes(html_page("Caf\u00e9 owners said 52 people were killed \u2013 "
                                                 "\u201cthe worst day\u201d.").encode("cp1252"))
    (root / "cp1256.html").write_bytes(html_page("\u0642\u0627\u0644\u062a \u0627\u0644\u0645\u0646\u0638\u0645\u0629 "
                                                 "\u0625\u0646 80 \u0634\u062e\u0635\u0627 \u0627\u0639\u062a\u0642\u0644\u0648\u0627.",
                                                 "windows-1256").encode("cp1256"))
    (root / "cp1252.txt").write_bytes("Ni\u00f1os: 61 children were detained \u2013 UNICEF said.\n".encode("cp1252"))
    (root / "records.jsonl").write_text(json.dumps({"id": "r1", "text": "Some 70 people were injured, "
                                                    "the Red Crescent said.", "published": "2022-09-21"}) + "\n",
                                        encoding="utf-8")
    (root / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (root / "empty.txt").write_bytes(b"")
    truncated = root / "archive.txt.gz"
    truncated.write_bytes(gzip.compress(ARREST.format(n=9).encode() * 50)[:60])
    db = root / "ledger.db"
    first = run_cli("ingest", str(root), str(truncated), "--db", str(db))
    return root, db, first


def test_ingest_stores_the_good_and_reports_each_bad_file_once(corpus_db):
    root, db, done = corpus_db
    assert done.returncode == 1
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 3, done.stderr
    assert any("binary.txt" in e for e in errors) and any("empty.txt" in e for e in errors)
    assert any("archive.txt.gz" in e for e in errors)
    assert "7 documents added, 0 skipped as already stored, 3 errors" in done.stderr
    with Ledger(str(db)) as ledger:
        docs = [ledger.document(i) for i in range(1, 8)]
        texts_ = " ".join(d["text"] for d in docs)
        assert "detained 44 students" in texts_ and "\u201cthe worst day\u201d" in texts_
        assert "\u0627\u0644\u0645\u0646\u0638\u0645\u0629 \u0625\u0646 80" in texts_
        # plain text has no declared charset: a short cp1252 file is guessed, its ASCII always right
        assert "61 children were detained" in texts_
        for d in docs:
            assert hashlib.sha256(ledger.raw_bytes(d["id"])).hexdigest() == d["sha256"]


def test_ingest_again_adds_nothing(corpus_db):
    root, db, _ = corpus_db
    again = run_cli("ingest", str(root), "--db", str(db))
    assert again.returncode == 1                     # the bad files are still bad
    assert "0 documents added, 7 skipped as already stored, 2 errors" in again.stderr


def test_unreadable_file(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    path = tmp_path / "secret.txt"
    path.write_text(ARREST.format(n=3), encoding="utf-8")
    path.chmod(0)
    done = run_cli("ingest", str(path), "--db", str(tmp_path / "l.db"))
    assert done.returncode == 1 and "secret.txt" in done.stderr


def test_figures_as_json_and_csv(corpus_db):
    _, db, _ = corpus_db
    done = run_cli("figures", "--db", str(db), "--category", "arrested", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert sorted(r["text"] for r in json.loads(done.stdout)) == ["31", "44", "61"]
    done = run_cli("figures", "--db", str(db), "--category", "arrested", "--place", "tehran", "--format", "json")
    rows = json.loads(done.stdout)
    assert [r["text"] for r in rows] == ["31"]
    assert rows[0]["place"] == "Tehran" and rows[0]["sources"][0]["name"] == "Amnesty International"
    done = run_cli("figures", "--db", str(db), "--search", "injured", "--format", "csv")
    assert done.returncode == 0, done.stderr
    [row] = list(csv.DictReader(io.StringIO(done.stdout)))
    assert row["text"] == "Some 70" and row["low"] == "70" and "Red Crescent" in row["sources"]
    table = run_cli("figures", "--db", str(db), "--min", "60")
    assert table.returncode == 0 and "70" in table.stdout and "31" not in table.stdout


def test_sources_and_show(corpus_db):
    _, db, _ = corpus_db
    done = run_cli("sources", "--db", str(db), "--format", "json")
    assert done.returncode == 0, done.stderr
    names = {r["name"]: r for r in json.loads(done.stdout)}
    assert names["Amnesty International"]["source"] == 1
    shown = run_cli("show", "r1", "--db", str(db))
    assert shown.returncode == 0, shown.stderr
    assert "[Some 70]{f1} people were injured" in shown.stdout
    as_json = json.loads(run_cli("show", "r1", "--db", str(db), "--format", "json").stdout)
    assert as_json["key"] == "r1" and as_json["figures"][0]["text"] == "Some 70"
    missing = run_cli("show", "nothing-like-this", "--db", str(db))
    assert missing.returncode == 1 and "no document" in missing.stderr


def test_ingest_and_figures_on_postgresql(postgres, tmp_path):
    (tmp_path / "a.txt").write_text(ARREST.format(n=31), encoding="utf-8")
    (tmp_path / "b.txt").write_text(ARREST.format(n=32), encoding="utf-8")
    url = fresh_database(postgres)
    done = run_cli("ingest", str(tmp_path), "--db", url)
    assert done.returncode == 0 and "2 documents added" in done.stderr, done.stderr
    again = run_cli("ingest", str(tmp_path), "--db", url)
    assert "0 documents added, 2 skipped as already stored" in again.stderr, again.stderr
    rows = json.loads(run_cli("figures", "--db", url, "--search", "tehran", "--format", "json").stdout)
    assert sorted(r["low"] for r in rows) == [31, 32]


def test_reading_a_missing_ledger_is_an_error(tmp_path):
    done = run_cli("figures", "--db", str(tmp_path / "none.db"))
    assert done.returncode == 2 and "no ledger" in done.stderr and not (tmp_path / "none.db").exists()


# --- killed mid-ingest, then resumed ----------------------------------------------------------

def stored(db) -> int:
    """Documents in the ledger (read-write: after a kill a hot journal must be rolled back)."""
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=30) as conn:
            return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    except sqlite3.OperationalError:     # not created yet
        return 0


def test_kill_9_mid_ingest_then_resume(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    total = 200
    for n in range(total):
        (folder / f"{n:03d}.txt").write_text(ARREST.format(n=n + 10), encoding="utf-8")
    db = tmp_path / "ledger.db"
    proc = subprocess.Popen([str(SAYSO), "ingest", str(folder), "--db", str(db)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while stored(db) < 20 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(random.uniform(0, 0.2))          # anywhere in a document, its transaction included
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    before = stored(db)
    assert 0 < before < total, "the run should have been killed mid-way"

    again = run_cli("ingest", str(folder), "--db", str(db))
    assert again.returncode == 0, again.stderr
    assert f"{total - before} documents added, {before} skipped as already stored, 0 errors" in again.stderr
    with sqlite3.connect(db) as conn:
        q = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
        assert q("SELECT count(*) FROM documents") == total
        assert q("SELECT count(DISTINCT sha256) FROM documents") == total
        assert q("SELECT count(DISTINCT source) FROM documents") == total
        # every document whole: its one figure with its one source; nothing without its parent
        assert q("SELECT count(*) FROM documents d WHERE (SELECT count(*) FROM figures f "
                 "WHERE f.document_id = d.id) != 1") == 0
        assert q("SELECT count(*) FROM figures f LEFT JOIN documents d ON d.id = f.document_id "
                 "WHERE d.id IS NULL") == 0
        assert q("SELECT count(*) FROM sources s LEFT JOIN figures f ON f.id = s.figure_id WHERE f.id IS NULL") == 0
        assert q("SELECT count(*) FROM sources") == total
        assert q("SELECT count(*) FROM figures_fts") == total
        conn.execute("INSERT INTO figures_fts(figures_fts) VALUES ('integrity-check')")

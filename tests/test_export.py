"""`sayso export`: CSV, JSON Lines, Parquet and the offline HTML dossier, each written from a small
ledger built with `sayso ingest` and read back."""
from __future__ import annotations

import csv
import json
import re

import pytest

from conftest import run_cli
from sayso.model import SCHEMA
from sayso.present.dossier import graph_edges, render_html
from sayso.present.export import CSV_COLUMNS

PLANTED = "<script>alert(1)</script>"
DOCS = [
    {"id": "toll-a", "published": "2020-01-10", "url": "https://example.org/toll-a", "title": "<b>Toll</b>",
     "text": "The People's Mojahedin Organization of Iran said on December 15, 2019 that 1,500 protesters "
             "were killed in Iran. Reuters confirmed the death toll of 1,500 on December 23, 2019."},
    {"id": "toll-b", "published": "2019-12-16", "url": "https://example.org/toll-b", "title": "Amnesty",
     "text": f"Amnesty International said 304 people were killed in Iran in November 2019. {PLANTED} "
             "The government disputed the figure."},
    {"id": "arrests", "published": "2021-03-04",
     "text": "Police arrested 120 protesters in Tehran on 3 March 2021, Amnesty International said."},
]


@pytest.fixture(scope="module")
def ledger_db(tmp_path_factory):
    root = tmp_path_factory.mktemp("export")
    inputs = root / "docs.jsonl"
    inputs.write_text("".join(json.dumps(d) + "\n" for d in DOCS), encoding="utf-8")
    db = root / "ledger.db"
    done = run_cli("ingest", str(inputs), "--db", str(db))
    assert done.returncode == 0, done.stderr
    return db


def _export(db, fmt, out, *filters):
    done = run_cli("export", "--db", str(db), "--format", fmt, "-o", str(out), *filters)
    assert done.returncode == 0, done.stderr
    return done


def _figures(db):
    done = run_cli("figures", "--db", str(db), "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_csv_one_row_per_figure(ledger_db, tmp_path):
    out = tmp_path / "figures.csv"
    _export(ledger_db, "csv", out)
    with out.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        assert tuple(reader.fieldnames) == CSV_COLUMNS
        rows = list(reader)
    stored = _figures(ledger_db)
    assert len(rows) == len(stored) >= 3
    by_text = {r["text"] for r in rows}
    assert {"1,500", "304", "120"} <= by_text
    amnesty = next(r for r in rows if r["text"] == "304")
    assert amnesty["document_key"] == "toll-b" and amnesty["published"] == "2019-12-16"
    assert float(amnesty["low"]) == 304 and amnesty["category"] == "killed"
    assert "Amnesty International (source)" in amnesty["sources"]
    assert PLANTED in amnesty["sentence"]          # CSV keeps the text as it is
    assert all(r["site"] == "example.org" for r in rows if r["document_key"].startswith("toll"))


def test_csv_takes_the_figures_filters(ledger_db, tmp_path):
    out = tmp_path / "arrests.csv"
    _export(ledger_db, "csv", out, "--category", "arrested")
    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["text"] for r in rows] == ["120"]


def test_jsonl_gives_back_the_stored_records(ledger_db, tmp_path):
    out = tmp_path / "records.jsonl"
    _export(ledger_db, "jsonl", out)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["document"]["id"] for r in records] == ["toll-a", "toll-b", "arrests"]
    assert all(r["schema"] == SCHEMA for r in records)
    text = DOCS[1]["text"]
    for fig in records[1]["figures"]:
        assert text[fig["start"]:fig["end"]] == fig["text"]
    filtered = tmp_path / "arrests.jsonl"
    _export(ledger_db, "jsonl", filtered, "--category", "arrested")
    assert [json.loads(x)["document"]["id"] for x in filtered.read_text().splitlines()] == ["arrests"]


def test_parquet_tables(ledger_db, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "parquet"
    _export(ledger_db, "parquet", out)
    assert sorted(p.name for p in out.iterdir()) == ["documents.parquet", "figures.parquet", "sources.parquet"]
    documents = pq.read_table(out / "documents.parquet").to_pylist()
    figures = pq.read_table(out / "figures.parquet").to_pylist()
    sources = pq.read_table(out / "sources.parquet").to_pylist()
    assert sorted(d["key"] for d in documents) == ["arrests", "toll-a", "toll-b"]
    assert all(len(d["sha256"]) == 64 and "raw_bytes" not in d for d in documents)
    assert len(figures) == len(_figures(ledger_db))
    doc_ids = {d["id"] for d in documents}
    assert all(f["document_id"] in doc_ids for f in figures)
    by_id = {f["id"]: f for f in figures}
    amnesty = next(f for f in figures if f["text"] == "304")
    assert amnesty["low"] == 304.0 and amnesty["high"] == 304.0
    assert all(s["figure_id"] in by_id for s in sources)
    assert "Amnesty International" in {s["name"] for s in sources if s["figure_id"] == amnesty["id"]}
    schema = pq.read_schema(out / "figures.parquet")
    assert str(schema.field("low").type) == "double" and str(schema.field("group_id").type) == "string"


def test_html_dossier_is_offline_marked_and_escaped(ledger_db, tmp_path):
    out = tmp_path / "dossier.html"
    _export(ledger_db, "html", out)
    html = out.read_text(encoding="utf-8")
    for number in ("1,500", "304", "120"):
        assert re.search(rf"<mark[^>]*>{re.escape(number)}</mark>", html), number
    # nothing loaded from elsewhere: no script at all, no stylesheet link, no remote URL in src/href/url()
    assert "<script" not in html.lower()
    assert "<link" not in html.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html, re.I)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", html, re.I)
    assert not re.search(r"@import", html)
    # the planted markup is text, not markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;Toll&lt;/b&gt;" in html and "<b>Toll</b>" not in html
    # the dossier leads with the event (the tolls of one event), its chart inline SVG like the
    # timeline; who cites whom is a table
    assert html.index('id="events"') < html.index('id="timeline"') < html.index('id="quantities"')
    assert html.count('class="event-chart"') == html.count('<section class="event"') >= 1
    assert html.count("<svg") == 1 + html.count('class="event-chart"') and '<table class="citations">' in html
    assert 'aria-label="timeline of figures by date"' in html and "<circle" in html
    assert "Reuters" in html


def test_dossier_groups_and_graph_edges():
    def fig(fid, group, text, low, sources, doc=1, start=0):
        return {"figure_id": fid, "document_id": doc, "document_key": f"d{doc}", "fig": f"f{fid}",
                "published": "2019-12-01", "text": text, "kind": "count", "low": low, "high": low,
                "qualifier": "exact", "counted": "death toll", "category": "killed", "time_text": None,
                "time_start": None, "time_end": None, "place": "Iran", "group_id": group, "start": start,
                "end": start + len(text), "sentence_start": 0, "sentence_end": 40,
                "sentence": ("x" * start + text).ljust(40, "."), "publisher": "Pub <i>", "site": None,
                "sources": sources}
    a = {"name": "A <org>", "text": "A", "role": "source", "date": None}
    b = {"name": "B", "text": "B", "role": "confirms", "date": None}
    c = {"name": "C", "text": "C", "role": "disputes", "date": None}
    rows = [fig(1, "g1", "1,500", 1500, [a, b]), fig(2, "g1", "1,200", 1200, [a, c], doc=2, start=3),
            fig(3, None, "7", 7, [])]
    edges = graph_edges(rows)
    assert edges[("A <org>", "B", "confirms")] == 1 and edges[("A <org>", "C", "disputes")] == 1
    assert edges[("Pub <i>", "A <org>", "cites")] == 2
    html = render_html(rows)
    assert "conflicting values" in html                    # 1,500 against 1,200 in one group
    assert html.index("group g1") < html.index("<mark class=\"fig\" title=\"f3\">7</mark>")
    assert "A &lt;org&gt;" in html and "A <org>" not in html
    assert "Pub &lt;i&gt;" in html and "<i>" not in html

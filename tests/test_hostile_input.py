"""Hostile input (issue 16): no input stops a batch. Each bad file, record or name is one line
naming it, and the documents around it come through; bounds hold before a file is read whole;
what is printed cannot be hijacked; numbers stay exact whatever their size or digits."""
from __future__ import annotations

import gzip
import io
import json
import os
import sqlite3

import pytest
from typer.testing import CliRunner

from conftest import run_cli
from sayso.clean.digits import digit_view, restore
from sayso.extract.numbers import parse_number
from sayso.extract.parse import MAX_SENTENCE, split_sentences
from sayso.ingest import readers
from sayso.ingest.readers import InputDocument, Limits, ReadError, read_bytes, read_paths, walk_directory
from sayso.link.corpus import link_records
from sayso.link.values import precision
from sayso.pipeline import input_from_text
from sayso.present.terminal import one_line, visible
from sayso.store.ledger import Ledger

GOOD = "Police said 40 people were arrested in the capital on Monday.\n"


def _kinds(items) -> list[str]:
    return [type(i).__name__ for i in items]


def _errors(items) -> list[ReadError]:
    return [i for i in items if isinstance(i, ReadError)]


# --- one guard per file -------------------------------------------------------------------

def test_a_jsonl_line_nested_too_deep_is_one_error_and_the_next_line_is_read(tmp_path):
    deep = "[" * 100_000 + "]" * 100_000
    (tmp_path / "r.jsonl").write_text(deep + "\n" + json.dumps({"id": "ok", "text": GOOD}) + "\n")
    out = list(read_paths([str(tmp_path / "r.jsonl")]))
    assert _kinds(out) == ["ReadError", "InputDocument"]
    assert "line 1" in out[0].message and out[1].id == "ok"


def test_whatever_a_reader_raises_ends_that_file_only(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text(GOOD)
    (tmp_path / "b.txt").write_text(GOOD.replace("40", "41"))
    real = readers._read_text

    def boom(name, data, published):
        if name.endswith("a.txt"):
            raise MemoryError()
        return real(name, data, published)

    monkeypatch.setattr(readers, "_read_text", boom)
    out = list(read_paths([str(tmp_path)]))
    assert _kinds(out) == ["ReadError", "InputDocument"]
    assert out[0].path.endswith("a.txt") and "out of memory" in out[0].message


def test_a_pdf_past_pypdf_limits_is_one_error(monkeypatch):
    from pypdf.errors import LimitReachedError

    class Bomb:
        def __init__(self, *_a, **_k):
            raise LimitReachedError("decompressed stream too large")

    monkeypatch.setattr("pypdf.PdfReader", Bomb)
    [out] = list(read_bytes("bomb.pdf", b"%PDF-1.4 whatever"))
    assert isinstance(out, ReadError) and "too large" in out.message


def test_a_fifo_is_reported_never_opened_for_reading(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    (tmp_path / "z.txt").write_text(GOOD)
    in_folder = list(read_paths([str(tmp_path)]))
    assert _kinds(in_folder) == ["ReadError", "InputDocument"]
    assert "not a regular file (a FIFO)" in in_folder[0].message
    named = list(read_paths([str(fifo)]))
    assert _kinds(named) == ["ReadError"] and "FIFO" in named[0].message


def test_a_link_to_a_device_named_or_in_a_folder_is_not_read(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "zero.txt").symlink_to("/dev/zero")
    (folder / "ok.txt").write_text(GOOD)
    out = list(read_paths([str(folder)]))
    assert _kinds(out) == ["ReadError", "InputDocument"]
    assert "outside" in out[0].message and "not followed" in out[0].message
    named = list(read_paths([str(folder / "zero.txt")]))
    assert _kinds(named) == ["ReadError"] and "character device" in named[0].message


def test_a_link_inside_the_folder_is_read(tmp_path):
    (tmp_path / "real.txt").write_text(GOOD)
    (tmp_path / "alias.txt").symlink_to(tmp_path / "real.txt")
    assert _kinds(read_paths([str(tmp_path)])) == ["InputDocument", "InputDocument"]


def test_an_unreadable_folder_is_an_error(tmp_path, monkeypatch):
    (tmp_path / "open").mkdir()
    (tmp_path / "open" / "a.txt").write_text(GOOD)
    (tmp_path / "shut").mkdir()
    (tmp_path / "shut" / "b.txt").write_text(GOOD)
    real = os.scandir

    def scandir(path="."):
        if str(path).endswith("shut"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    members, problems = walk_directory(str(tmp_path))
    assert [os.path.basename(m) for m in members] == ["a.txt"]
    assert len(problems) == 1 and "cannot list folder" in problems[0].message and problems[0].path.endswith("shut")


def test_a_file_name_that_is_not_utf8_can_be_printed_and_stored(tmp_path):
    name = os.fsdecode(os.path.join(os.fsencode(tmp_path), b"caf\xe9.txt"))
    with open(name, "w") as fh:
        fh.write(GOOD)
    [doc] = list(read_paths([str(tmp_path)]))
    assert isinstance(doc, InputDocument) and doc.source.endswith("caf\\xe9.txt")
    doc.source.encode("utf-8")   # no lone surrogate left


# --- bounds -------------------------------------------------------------------------------

def test_a_file_over_the_size_limit_is_one_error_and_the_next_is_read(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD * 100)
    (tmp_path / "b.txt").write_text(GOOD)
    out = list(read_paths([str(tmp_path)], limits=Limits(max_bytes=1000)))
    assert _kinds(out) == ["ReadError", "InputDocument"] and "maximum document size" in out[0].message


def test_a_jsonl_line_over_the_limit_is_one_error_naming_it(tmp_path):
    lines = [json.dumps({"id": "big", "text": GOOD * 100}), json.dumps({"id": "small", "text": GOOD})]
    (tmp_path / "r.jsonl").write_text("\n".join(lines) + "\n")
    out = list(read_paths([str(tmp_path / "r.jsonl")], limits=Limits(max_bytes=1000)))
    assert _kinds(out) == ["ReadError", "InputDocument"]
    assert out[0].message.startswith("line 1:") and out[1].id == "small"


def _warc(payload: bytes) -> bytes:
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n" % len(payload) + payload
    head = (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://example.org/a\r\n"
            b"WARC-Date: 2024-01-01T00:00:00Z\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-000000000001>\r\n"
            b"Content-Type: application/http; msgtype=response\r\nContent-Length: %d\r\n\r\n" % len(http))
    return gzip.compress(head + http + b"\r\n\r\n")


def test_a_gzip_bomb_named_warc_gz_is_stopped_before_it_inflates(tmp_path):
    bomb = _warc(b"a" * 5_000_000)
    assert len(bomb) < 50_000
    (tmp_path / "bomb.warc.gz").write_bytes(bomb)
    (tmp_path / "ok.txt").write_text(GOOD)
    out = list(read_paths([str(tmp_path)], limits=Limits(max_bytes=100_000, max_ratio=10)))
    assert _kinds(out) == ["ReadError", "InputDocument"]
    assert "inflates to more than 10 times" in out[0].message


def test_a_warc_record_over_the_size_limit_is_one_error(tmp_path):
    (tmp_path / "big.warc.gz").write_bytes(_warc(b"a" * 50_000))
    out = list(read_paths([str(tmp_path / "big.warc.gz")], limits=Limits(max_bytes=10_000, max_ratio=10_000)))
    assert "maximum document size" in out[0].message and out[0].path.startswith(str(tmp_path / "big.warc.gz#"))


def test_text_with_no_sentence_end_comes_in_bounded_pieces():
    text = "word " * 5000 + "\n" + "x" * (MAX_SENTENCE * 2 + 7)
    sentences = split_sentences(text)
    assert all(len(s.text) <= MAX_SENTENCE for s in sentences)
    assert "".join(s.text for s in sentences).replace(" ", "") == text.replace(" ", "").replace("\n", "")
    assert all(text[s.start:s.end] == s.text for s in sentences)


def test_a_normal_sentence_is_not_cut():
    text = "Officials said 12 people were held. " + "They spoke at length " * 50 + "today."
    assert len(split_sentences(text)) == 2


# --- stdin --------------------------------------------------------------------------------

def _stdin(monkeypatch, raw: bytes):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8"))


def test_plain_text_on_stdin_starting_with_a_brace_is_text(monkeypatch):
    raw = "{Draft} Police said 40 people were held.\nMore text.\n".encode()
    _stdin(monkeypatch, raw)
    [doc] = list(read_paths(["-"]))
    assert isinstance(doc, InputDocument) and doc.text == raw.decode()


def test_jsonl_on_stdin_is_still_records(monkeypatch):
    _stdin(monkeypatch, (json.dumps({"id": "a", "text": GOOD}) + "\n").encode())
    [doc] = list(read_paths(["-"]))
    assert doc.id == "a"


# --- what is printed ----------------------------------------------------------------------

def test_one_line_and_visible():
    assert one_line("a\nb\x1b[31mc") == "a\\nb\\x1b[31mc"
    assert one_line("plain [/] name") == "plain [/] name"
    shown = visible("red \x1b[31m\nnext\u202eline")
    assert len(shown) == len("red \x1b[31m\nnext\u202eline") and "\x1b" not in shown and "\u202e" not in shown
    assert "\n" in shown


def test_markup_and_newlines_in_a_file_name_print_as_text(tmp_path):
    (tmp_path / "[bold]x[").mkdir()                          # a path holding "[bold]x[/].txt"
    (tmp_path / "[bold]x[" / "].txt").write_bytes(b"")      # an empty file: one error line naming it
    (tmp_path / "line\nbreak.txt").write_bytes(b"")
    (tmp_path / "ok.txt").write_text(GOOD)
    out = tmp_path / "out.jsonl"
    done = run_cli("extract", str(tmp_path), "-o", str(out), "--no-group")
    assert done.returncode == 1, done.stderr
    assert "MarkupError" not in done.stderr and "Traceback" not in done.stderr
    assert "[bold]x[/].txt: empty file" in done.stderr
    assert "line\\nbreak.txt: empty file" in done.stderr
    assert len(out.read_text().splitlines()) == 1


def test_a_failed_write_leaves_no_partial_output(tmp_path, monkeypatch):
    from sayso.present import cli

    class Full(io.StringIO):
        name = str(tmp_path / ".out.jsonl.part")

        def write(self, s):
            raise OSError(28, "No space left on device")

    open(Full.name, "w").close()
    monkeypatch.setattr(cli, "_temporary_beside", lambda output: (Full(), Full.name))
    (tmp_path / "a.txt").write_text(GOOD)
    out = tmp_path / "out.jsonl"
    out.write_text("earlier run\n")
    result = CliRunner().invoke(cli.app, ["extract", str(tmp_path / "a.txt"), "-o", str(out), "--no-group"])
    assert result.exit_code == 1
    assert "cannot write: No space left on device" in result.output and "Traceback" not in result.output
    assert out.read_text() == "earlier run\n" and not os.path.exists(Full.name)


def test_ansi_escapes_in_a_stored_document_do_not_reach_the_terminal(tmp_path):
    doc = tmp_path / "a.txt"
    doc.write_text("Police said 40 people were \x1b[31marrested\x1b[0m in the capital.\n")
    db = str(tmp_path / "l.db")
    assert run_cli("ingest", str(doc), "--db", db).returncode == 0
    shown = run_cli("show", "1", "--db", db)
    assert shown.returncode == 0 and "\x1b" not in shown.stdout and "arrested" in shown.stdout


# --- numbers ------------------------------------------------------------------------------

def test_large_whole_numbers_are_exact():
    assert parse_number("999,999,999,999,999,999") == 999_999_999_999_999_999
    assert parse_number("12,000") == 12000 and parse_number("2.5 million") == 2_500_000


def test_precision_of_tiny_and_huge_values():
    assert precision(0.00001) == pytest.approx(1e-05)
    assert precision(1.5e-07) == pytest.approx(1e-08)
    assert precision(999_999_999_999_999_999) == 1.0
    assert precision(float("inf")) == 1.0


def test_a_tiny_value_groups():
    fig = {"start": 0, "end": 7, "text": "0.00001", "kind": "count", "value": {"low": 0.00001, "high": 0.00001},
           "qualifier": "exact", "counted": "tonnes", "category": "other", "time": None, "place": None,
           "sources": [], "sentence": {"start": 0, "end": 20}}
    records = [{"document": {"id": d, "published": None}, "figures": [dict(fig, id="f1")], "quotes": []}
               for d in ("a", "b")]
    link_records(records)   # raised IndexError before (groups and events alike)


def test_a_ledger_holding_a_tiny_value_regroups_and_keeps_big_ones_exact(tmp_path):
    (tmp_path / "a.txt").write_text("The ministry said 0.00001 tonnes of grain arrived on Monday.\n")
    (tmp_path / "b.txt").write_text("Police said 999,999,999,999,999,999 people were counted.\n")
    db = str(tmp_path / "l.db")
    assert run_cli("ingest", str(tmp_path / "a.txt"), "--db", db).returncode == 0
    again = run_cli("ingest", str(tmp_path / "b.txt"), "--db", db)
    assert again.returncode == 0, again.stderr
    lows = [v for (v,) in sqlite3.connect(db).execute("SELECT low FROM figures ORDER BY id")]
    assert lows == [0.00001, 999_999_999_999_999_999]
    listed = json.loads(run_cli("figures", "--db", db, "--format", "json").stdout)
    assert [f["low"] for f in listed] == [0.00001, 999_999_999_999_999_999]


@pytest.mark.parametrize("digits", ["\u06f4\u06f0", "\u0664\u0660", "\uff14\uff10"])
def test_unicode_digits_read_as_ascii_with_offsets_kept(digits):
    text = f"Officials said {digits} people were held."
    view = digit_view(text)
    assert view.text == "Officials said 40 people were held." and view.original(15) == 15


def test_a_format_character_inside_a_number_is_left_out_and_offsets_map_back():
    text = "About 12\u200b500 were held, and 3 more.\u200b"
    view = digit_view(text)
    assert view.text == "About 12500 were held, and 3 more.\u200b"
    start = view.text.index("12500")
    assert (view.original(start), view.original(start + 5, end=True)) == (6, 12)
    tail = view.text.index("3 more")
    assert text[view.original(tail):view.original(tail + 1, end=True)] == "3"
    record = {"figures": [{"start": start, "end": start + 5, "text": "12500", "sentence": {"start": 0, "end": 34}}],
              "quotes": []}
    restored = restore(record, text, view)["figures"][0]
    assert restored["text"] == "12\u200b500" and restored["sentence"] == {"start": 0, "end": 35}


def test_a_format_character_between_words_stays():
    assert digit_view("no\u200bnumber 4").text == "no\u200bnumber 4"


def test_extraction_reads_other_digits_and_keeps_evidence(tmp_path):
    text = ("Police said \u06f1\u06f2\u06f3 people were arrested in the city. "
            "Another 4\u200b500 people were detained, officials said.\n")
    (tmp_path / "a.txt").write_text(text)
    done = run_cli("extract", str(tmp_path / "a.txt"))
    figures = json.loads(done.stdout)["figures"]
    assert [f["value"]["low"] for f in figures] == [123, 4500]
    assert all(text[f["start"]:f["end"]] == f["text"] for f in figures)


def test_tables_print_document_fields_as_text():
    from rich.console import Console

    from sayso.present import render

    row = {"document_id": 1, "fig": "f1", "text": "[/]12", "low": 12, "high": 12, "qualifier": "exact",
           "category": "killed", "counted": "\x1b[31mpeople [bold]", "time_text": None, "time_start": None,
           "time_end": None, "place": None, "sources": [{"name": "[/]Someone", "role": "source", "date": None}]}
    console = Console(file=io.StringIO(), width=160, force_terminal=True)
    console.print(render.figures_table([row]))   # raised MarkupError on "[/]"
    shown = console.file.getvalue()
    assert "[/]12" in shown and "[bold]" in shown and "\x1b[31mpeople" not in shown


def test_ingest_keeps_the_documents_when_grouping_fails(tmp_path, monkeypatch):
    from sayso.present import cli
    from sayso.store.ledger import Ledger

    def broken(self):
        raise IndexError("list index out of range")

    monkeypatch.setattr(Ledger, "regroup", broken)
    (tmp_path / "a.txt").write_text(GOOD)
    db = str(tmp_path / "l.db")
    result = CliRunner().invoke(cli.app, ["ingest", str(tmp_path / "a.txt"), "--db", db])
    assert result.exit_code == 1 and "linking failed" in result.output and "Traceback" not in result.output
    assert sqlite3.connect(db).execute("SELECT count(*) FROM documents").fetchone() == (1,)


def test_two_ingests_at_once_on_one_ledger_store_each_document_once(tmp_path):
    import subprocess

    from conftest import SAYSO

    for i in range(6):
        (tmp_path / f"d{i}.txt").write_text(f"Police said {10 + i} people were held in the capital.\n")
    db = str(tmp_path / "l.db")
    args = [str(SAYSO), "ingest", str(tmp_path), "--db", db]
    procs = [subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*), count(DISTINCT sha256) FROM documents").fetchone() == (6, 6)
    assert conn.execute("SELECT count(*) FROM figures").fetchone() == (6,)


def test_a_pdf_file_may_be_larger_than_a_text_file(tmp_path):
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4\n" + b"x" * 3000)
    (tmp_path / "b.pdf").write_bytes(b"%PDF-1.4\n" + b"x" * 30_000)
    small, big = (list(read_paths([str(tmp_path / n)], limits=Limits(max_bytes=1000))) for n in ("a.pdf", "b.pdf"))
    assert "maximum document size" not in small[0].message      # not a PDF, but read as one
    assert "maximum document size" in big[0].message and "> 10,000" in big[0].message


@pytest.fixture(scope="module")
def postgres():
    from pg_server import postgres_server

    with postgres_server() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def any_ledger(request, tmp_path):
    from pg_server import fresh_database

    url = str(tmp_path / "l.db") if request.param == "sqlite" else fresh_database(request.getfixturevalue("postgres"))
    with Ledger(url) as ledger:
        yield ledger


def test_an_exact_integer_of_18_digits_survives_the_ledger_and_its_exports(any_ledger, tmp_path):
    from sayso.model import SCHEMA
    from sayso.present.export import write_csv, write_jsonl
    from sayso.store.ingest import ingest_records

    text = "Officials said 999,999,999,999,999,999 grains and 12.5 tonnes were counted.\n"
    doc = input_from_text(text, id="big", source="big.txt")
    big, part = 999_999_999_999_999_999, 12.5
    figures = [{"id": f"f{i}", "start": text.index(t), "end": text.index(t) + len(t), "text": t, "kind": "count",
                "value": {"low": v, "high": v}, "qualifier": "exact", "counted": None, "category": "other",
                "time": None, "place": None, "sources": [], "sentence": {"start": 0, "end": len(text) - 1}}
               for i, (t, v) in enumerate((("999,999,999,999,999,999", big), ("12.5", part)), start=1)]
    record = {"schema": SCHEMA, "document": {"id": doc.id, "source": doc.source, "sha256": doc.sha256, "title": None,
                                             "published": None, "site": None, "publisher": None, "language": "en"},
              "figures": figures, "quotes": []}
    assert [o.status for o in ingest_records([(doc, doc.raw, record)], any_ledger)] == ["added"]
    listed = any_ledger.figures()
    assert [(f["low"], f["high"]) for f in listed] == [(big, big), (part, part)]
    assert type(listed[0]["low"]) is int
    assert [f["low"] for f in any_ledger.figures(min_value=10 ** 18 - 2)] == [big]
    write_jsonl(any_ledger, tmp_path / "out.jsonl")
    exported = json.loads((tmp_path / "out.jsonl").read_text())
    assert [f["value"]["low"] for f in exported["figures"]] == [big, part]
    write_csv(listed, tmp_path / "out.csv")
    assert "999999999999999999" in (tmp_path / "out.csv").read_text()
    import pyarrow.parquet as pq
    from sayso.present.export import write_parquet

    write_parquet(any_ledger, listed, tmp_path / "pq")
    table = pq.read_table(tmp_path / "pq" / "figures.parquet").to_pylist()
    assert [(r["low_exact"], r["high_exact"]) for r in table] == [("999999999999999999",) * 2, ("12.5",) * 2]


def test_of_two_ingests_making_one_ledger_only_the_one_that_made_it_may_remove_it(tmp_path):
    from sayso.present.ledger_cli import _new_sqlite_file

    db = str(tmp_path / "l.db")
    assert _new_sqlite_file(db) == db and (tmp_path / "l.db").exists()     # claimed at once
    assert _new_sqlite_file(db) is None                                      # the other run did not make it


def test_an_ingest_that_stores_nothing_keeps_a_ledger_another_run_filled(tmp_path):
    from sayso.present.ledger_cli import _holds_no_document
    from test_ledger import make_doc, make_record

    db = tmp_path / "l.db"
    with Ledger(str(db)) as ledger:
        assert _holds_no_document(ledger)
        doc, raw = make_doc("Police held 12 people in the capital.\n")
        ledger.add(doc, raw, make_record(doc, []))
        assert not _holds_no_document(ledger)

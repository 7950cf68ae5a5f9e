"""`sayso batch` on a local Ray, over a generated WARC and JSONL corpus: the same records as
`sayso extract --no-group`, resumable after SIGKILL without duplicates, bad shards reported and
passed over, and `sayso ingest --from-parquet` storing each document once."""
from __future__ import annotations

import hashlib
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import SAYSO, run_cli
from sayso.batch.output import OutputDir
from sayso.batch.runner import INSTALL_HINT, BatchError, process_shard, run_batch
from sayso.batch.shards import list_shards, shard_id
from sayso.ingest.readers import ReadError, read_paths
from sayso.model import SCHEMA
from sayso.store.ledger import Ledger

ROOT = Path(__file__).resolve().parent.parent
PLACES = ["Tehran", "Minsk", "Yangon", "Khartoum", "Caracas", "Managua"]
GROUPS = ["Amnesty International", "Human Rights Watch", "the UN human rights office", "OVD-Info"]


def _text(i: int) -> str:
    place, group = PLACES[i % len(PLACES)], GROUPS[i % len(GROUPS)]
    return (f"At least {12 + i} protesters were killed in {place} on Monday, {group} said. "
            f"Police arrested more than {150 + 10 * i} people in the following days, according to local "
            f"monitors. \"We saw {3 + i} bodies in the street,\" a witness told reporters.")


def _jsonl(path: Path, first: int, n: int) -> None:
    rows = [{"id": f"doc-{i}", "text": _text(i), "published": f"2021-03-{1 + i % 28:02d}",
             "url": f"https://example.org/news/{i}", "title": f"Report {i}"} for i in range(first, first + n)]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def _warc(path: Path, first: int, n: int) -> None:
    """HTML responses, plus records a reader passes over: an image and a redirect."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    def record(writer, url, status, kind, payload):
        headers = StatusAndHeaders(status, [("Content-Type", kind)], protocol="HTTP/1.1")
        return writer.create_warc_record(url, "response", payload=io.BytesIO(payload), http_headers=headers,
                                         warc_headers_dict={"WARC-Date": "2021-04-02T08:00:00Z"})

    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=path.suffix == ".gz")
        for i in range(first, first + n):
            html = (f"<html><head><title>Crackdown {i}</title></head><body><article><h1>Crackdown {i}</h1>"
                    f"<p>{_text(i)}</p><p>The ministry denied the reports.</p></article></body></html>")
            writer.write_record(record(writer, f"https://example.org/page/{i}", "200 OK", "text/html; charset=utf-8",
                                       html.encode("utf-8")))
        writer.write_record(record(writer, "https://example.org/logo.png", "200 OK", "image/png", b"\x89PNG..."))
        writer.write_record(record(writer, "https://example.org/old", "301 Moved Permanently", "text/html", b""))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("batch") / "corpus"
    (root / "warc").mkdir(parents=True)
    _jsonl(root / "a.jsonl", 0, 3)
    _jsonl(root / "b.jsonl", 3, 2)
    _warc(root / "warc" / "crawl.warc.gz", 5, 3)
    _warc(root / "warc" / "plain.warc", 8, 1)
    (root / "field.txt").write_text(_text(9) + "\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def batch_out(corpus, ray_local, tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("batch-out") / "out"
    summary = run_batch([str(corpus)], str(out), workers=2)
    return out, summary


def _table(out: Path, name: str) -> list[dict]:
    import pyarrow.parquet as pq

    return [row for part in sorted((out / name).glob("*.parquet")) for row in pq.read_table(part).to_pylist()]


def _key(record: dict) -> tuple:
    return record["document"]["source"], record["document"]["id"]


def test_batch_gives_the_records_of_extract_no_group(corpus, batch_out, tmp_path):
    out, summary = batch_out
    done = run_cli("extract", str(corpus), "--no-group", "-o", str(tmp_path / "extract.jsonl"))
    assert done.returncode == 0, done.stderr
    expected = [json.loads(line) for line in (tmp_path / "extract.jsonl").read_text(encoding="utf-8").splitlines()]
    got = [json.loads(row["record"]) for row in _table(out, "documents")]
    assert len(expected) == 10
    assert sorted(got, key=_key) == sorted(expected, key=_key)
    assert {r["schema"] for r in got} == {SCHEMA}
    assert any("#" in r["document"]["source"] for r in got)          # WARC records are among them
    assert summary["documents"] == 10 and summary["errors"] == []
    assert summary["shards"] == {"total": 5, "skipped": 0, "done": 5, "failed": 0}
    assert summary["figures"] == sum(len(r["figures"]) for r in expected)
    assert json.loads((out / "summary.json").read_text()) == summary


def test_figures_and_quotes_tables_flatten_the_records(batch_out):
    out, _ = batch_out
    documents = _table(out, "documents")
    figures, quotes = _table(out, "figures"), _table(out, "quotes")
    by_sha = {d["sha256"]: (d, json.loads(d["record"])) for d in documents}
    assert len(figures) == sum(len(r["figures"]) for _, r in by_sha.values()) > 10
    assert len(quotes) == sum(len(r["quotes"]) for _, r in by_sha.values()) > 0
    for row in figures:
        doc, record = by_sha[row["sha256"]]
        fig = next(f for f in record["figures"] if f["id"] == row["fig"])
        assert doc["text"][row["start"]:row["end"]] == row["text"] == fig["text"]
        assert (row["low"], row["high"]) == (fig["value"]["low"], fig["value"]["high"])
        assert (row["category"], row["qualifier"], row["counted"]) == (fig["category"], fig["qualifier"], fig["counted"])
        assert row["sources"] == [{k: s.get(k) for k in ("name", "text", "role", "date")} for s in fig["sources"]]
    for doc, record in by_sha.values():
        assert hashlib.sha256(doc["raw_bytes"]).hexdigest() == doc["sha256"]       # the chain of custody
        assert doc["key"] == record["document"]["id"] and doc["language"] == record["document"]["language"]


def test_file_uri_shards_read_through_pyarrow_give_the_same_records(corpus, batch_out, ray_local, tmp_path):
    out, _ = batch_out
    uri_out = tmp_path / "uri-out"
    summary = run_batch([corpus.as_uri()], str(uri_out), workers=2)
    assert summary["documents"] == 10 and summary["errors"] == []
    local = {d["sha256"]: json.loads(d["record"]) for d in _table(out, "documents")}
    for row in _table(uri_out, "documents"):
        record = json.loads(row["record"])
        twin = local[row["sha256"]]
        assert row["shard"].startswith(corpus.as_uri() + "/")
        source = twin["document"]["source"]       # a path below the corpus, or a JSONL record's URL
        if source.startswith(str(corpus)):
            source = corpus.as_uri() + source[len(str(corpus)):]
        assert record == dict(twin, document=dict(twin["document"], source=source))


def test_rerun_skips_finished_shards(corpus, batch_out, ray_local):
    out, first = batch_out
    parts = {p: p.stat().st_mtime_ns for p in (out / "documents").glob("*.parquet")}
    again = run_batch([str(corpus)], str(out), workers=2)
    assert again["shards"] == {"total": 5, "skipped": 5, "done": 0, "failed": 0}
    assert again["documents"] == first["documents"] and again["this_run"]["documents"] == 0
    assert {p: p.stat().st_mtime_ns for p in (out / "documents").glob("*.parquet")} == parts


def test_ingest_from_parquet_stores_each_document_once_with_its_bytes(corpus, batch_out, tmp_path):
    out, _ = batch_out
    db = tmp_path / "ledger.db"
    for added in ("10 documents added", "0 documents added, 10 skipped"):
        done = run_cli("ingest", "--from-parquet", str(out), "--db", str(db))
        assert done.returncode == 0, done.stderr
        assert added in done.stderr
    again = run_cli("ingest", "--from-parquet", out.as_uri(), "--db", str(db))      # any pyarrow filesystem
    assert again.returncode == 0 and "0 documents added, 10 skipped" in again.stderr, again.stderr
    direct = tmp_path / "direct.db"
    assert run_cli("ingest", str(corpus), "--db", str(direct)).returncode == 0
    with Ledger(str(db)) as ledger, Ledger(str(direct)) as reference:
        assert ledger.counts() == reference.counts()
        assert sorted(map(_key, ledger.records())) == sorted(map(_key, reference.records()))
        text_file = corpus / "field.txt"
        sha = hashlib.sha256(text_file.read_bytes()).hexdigest()
        assert ledger.raw_bytes(sha) == text_file.read_bytes()
        for record in reference.records():
            sha = record["document"]["sha256"]
            assert ledger.raw_bytes(sha) == reference.raw_bytes(sha)


def test_a_bad_shard_is_one_error_line_and_the_rest_goes_on(corpus, ray_local, tmp_path):
    from typer.testing import CliRunner

    from sayso.present.cli import app

    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(bytes(range(256)) * 8)
    out = tmp_path / "out"
    done = CliRunner().invoke(app, ["batch", str(corpus / "a.jsonl"), str(bad), str(tmp_path / "missing.jsonl"),
                                    "--out", str(out), "--workers", "1"])   # in process: on this test's Ray
    assert done.exit_code == 1, done.output
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert errors == [f"error: {tmp_path / 'missing.jsonl'}: no such file or directory",
                      f"error: {bad}: looks binary"]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["failed_shards"] == [str(bad)] and summary["documents"] == 3
    assert [row["key"] for row in _table(out, "documents")] == ["doc-0", "doc-1", "doc-2"]
    assert not (out / "documents" / f"part-{shard_id(str(bad))}.parquet").exists()


def test_a_batch_killed_midway_completes_on_rerun_with_each_document_once(tmp_path, ray_local):
    shards = tmp_path / "shards"
    shards.mkdir()
    for k in range(12):
        _jsonl(shards / f"s{k:02d}.jsonl", 8 * k, 8)
    out = tmp_path / "out"
    cmd = [str(SAYSO), "batch", str(shards), "--out", str(out), "--workers", "1"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and not list((out / "_shards").glob("*.json")):
            assert proc.poll() is None, "the batch ended before it could be killed"
            time.sleep(0.05)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)      # the driver, its local Ray and the workers
        proc.wait()
    finished = len(list((out / "_shards").glob("*.json")))
    assert 1 <= finished < 12
    summary = run_batch([str(shards)], str(out), workers=2)          # started again (on this test's Ray)
    assert summary["errors"] == [] and summary["shards"]["total"] == 12
    assert summary["shards"]["skipped"] >= finished and summary["shards"]["failed"] == 0
    keys = [row["key"] for row in _table(out, "documents")]
    assert sorted(keys) == sorted(f"doc-{i}" for i in range(96))        # every document, once
    assert not [p for p in out.rglob(".*") if p.is_file()]               # no temporary file left


def test_a_model_that_will_not_load_is_said_once_and_nothing_is_marked_done(corpus, ray_local, tmp_path):
    from sayso.pipeline import Options

    summary = run_batch([str(corpus / "a.jsonl"), str(corpus / "b.jsonl")], str(tmp_path / "out"), workers=1,
                        options=Options(model="no_such_model"))
    assert summary["fatal"].startswith("cannot load the extractor: spaCy pipeline 'no_such_model' is not installed")
    assert summary["shards"]["failed"] == 2 and summary["documents"] == 0
    assert OutputDir(str(tmp_path / "out")).finished() == {}


# --- without Ray --------------------------------------------------------------------------------

def _fake_extract(doc):
    if "broken" in doc.text:
        raise RuntimeError("cannot cope")
    return {"schema": SCHEMA, "document": {"id": doc.id, "source": doc.source, "sha256": doc.sha256},
            "figures": [], "quotes": []}


def test_a_document_the_extractor_fails_on_is_an_error_and_the_shard_finishes(tmp_path):
    shard = tmp_path / "s.jsonl"
    shard.write_text('{"id": "a", "text": "fine"}\n{"id": "b", "text": "broken"}\n{"id": 3\n', encoding="utf-8")
    info = process_shard(str(shard), _fake_extract, OutputDir(str(tmp_path / "out")))
    assert not info["failed"] and info["documents"] == 1
    assert info["errors"] == [f"{shard}:2: extraction failed: RuntimeError: cannot cope",
                              f"{shard}: line 3: invalid JSON: Expecting ',' delimiter (column 9)"]
    assert list(OutputDir(str(tmp_path / "out")).finished()) == [shard_id(str(shard))]


def test_a_document_that_breaks_a_batched_parse_is_retried_alone_and_only_it_is_lost(tmp_path, monkeypatch):
    from sayso.pipeline import Extractor

    class Fake(Extractor):          # an Extractor without spaCy: batched through extract_each
        def __init__(self):
            pass

        def __call__(self, doc):
            return _fake_extract(doc)

    def extract_documents(docs, ex, batch):
        return [ex(doc) for doc in docs]      # raises when one of them is broken

    monkeypatch.setattr("sayso.pipeline.extract_documents", extract_documents)
    shard = tmp_path / "s.jsonl"
    shard.write_text("".join(json.dumps({"id": str(i), "text": "broken" if i == 3 else f"fine {i}"}) + "\n"
                             for i in range(5)), encoding="utf-8")
    info = process_shard(str(shard), Fake(), OutputDir(str(tmp_path / "out")), batch=2)
    assert info["documents"] == 4 and info["errors"] == [f"{shard}:4: extraction failed: RuntimeError: cannot cope"]
    assert [row["key"] for row in _table(tmp_path / "out", "documents")] == ["0", "1", "2", "4"]


def test_a_shard_that_breaks_off_leaves_nothing_behind(tmp_path, monkeypatch):
    shard = tmp_path / "s.jsonl"
    _jsonl(shard, 0, 2)

    def breaks_off(name, published=None):
        yield from list(read_paths([name]))[:1]
        raise OSError("connection reset")

    monkeypatch.setattr("sayso.batch.runner.read_shard",
                        lambda name, published=None, limits=None: ((d, d.raw) for d in breaks_off(name)))
    out = OutputDir(str(tmp_path / "out"))
    info = process_shard(str(shard), _fake_extract, out)
    assert info["failed"] and info["errors"] == [f"{shard}: OSError: connection reset"]
    assert out.finished() == {} and not [p for p in (tmp_path / "out").rglob("*") if p.is_file()]


def test_listing_names_missing_inputs_and_expands_directories(corpus):
    listed = list(list_shards([str(corpus), str(corpus / "nope.jsonl"), corpus.as_uri() + "/warc"]))
    assert listed[:5] == [str(corpus / n) for n in ("a.jsonl", "b.jsonl", "field.txt", "warc/crawl.warc.gz",
                                                    "warc/plain.warc")]
    assert listed[5] == ReadError(str(corpus / "nope.jsonl"), "no such file or directory")
    assert listed[6:] == [corpus.as_uri() + "/warc/crawl.warc.gz", corpus.as_uri() + "/warc/plain.warc"]


def test_without_ray_the_error_says_how_to_install_it(corpus, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)         # import ray raises ImportError
    with pytest.raises(BatchError, match="pip install 'sayso\\[batch\\]'"):
        run_batch([str(corpus / "a.jsonl")], str(tmp_path / "out"))
    assert "sayso[batch]" in INSTALL_HINT


def test_ingest_from_parquet_gives_documents_the_ledgers_publishers(batch_out, tmp_path):
    out, _ = batch_out
    db = tmp_path / "ledger.db"
    with Ledger(str(db), create=True) as ledger:
        ledger.set_publishers({"example.org": "Example Daily"})
    done = run_cli("ingest", "--from-parquet", str(out), "--db", str(db))
    assert done.returncode == 0, done.stderr
    with Ledger(str(db)) as ledger:
        sites = {s["site"]: s["publisher"] for s in ledger.sites()}
    assert sites["example.org"] == "Example Daily"

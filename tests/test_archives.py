"""Web archives (.warc, .warc.gz) and PDF reports as inputs: what each becomes, and what a damaged
one does to the rest of the batch."""
from __future__ import annotations

import gzip
import hashlib
import io
import json
import sqlite3

from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from conftest import run_cli
from sayso.ingest.pdf import page_text
from sayso.ingest.readers import ReadError, read_bytes, read_paths
from sayso.model import InputDocument

ARTICLE = ("<html><head><title>{title}</title></head><body><article><p>{body}</p>"
           "<p>The rights group published its findings after months of interviews with families.</p>"
           "<p>Relatives said they had received no word from the authorities since then.</p>"
           "</article></body></html>")


def warc_bytes(responses, gzipped=True) -> bytes:
    """A WARC with one response record per (url, status, content type, payload)."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzipped)
    for url, status, ctype, payload in responses:
        http = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
        record = writer.create_warc_record(url, "response", payload=io.BytesIO(payload), http_headers=http,
                                           warc_headers_dict={"WARC-Date": "2020-01-10T08:30:00Z"})
        writer.write_record(record)
    return out.getvalue()


def page(title: str, body: str, encoding: str = "utf-8") -> bytes:
    return ARTICLE.format(title=title, body=body).encode(encoding)


CRAWL = [
    ("https://news.example.org/a", "200 OK", "text/html; charset=windows-1252",
     page("Crackdown", "Caf\u00e9 owners said at least 40 protesters were arrested last November.", "cp1252")),
    ("https://news.example.org/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n"),
    ("https://news.example.org/gone", "404 Not Found", "text/html", page("Missing", "Nothing here.")),
    ("https://news.example.org/notes.txt", "200 OK", "text/plain; charset=utf-8",
     "Twelve journalists remain in prison.".encode()),
]


def test_each_successful_html_or_text_response_is_a_document(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(warc_bytes(CRAWL))
    docs = list(read_paths([str(path)]))
    assert all(isinstance(d, InputDocument) for d in docs)
    assert [d.url for d in docs] == ["https://news.example.org/a", "https://news.example.org/notes.txt"]
    html, text = docs
    assert "Caf\u00e9 owners said at least 40 protesters" in html.text      # charset from the HTTP header
    assert html.title == "Crackdown" and html.crawled == "2020-01-10T08:30:00Z"
    assert html.raw == CRAWL[0][3] and html.sha256 == hashlib.sha256(CRAWL[0][3]).hexdigest()
    assert text.text == "Twelve journalists remain in prison."
    assert html.source.startswith(f"{path}#") and html.source != text.source    # the record's offset


def test_uncompressed_warc_and_bytes_read_alike(tmp_path):
    data = warc_bytes(CRAWL, gzipped=False)
    path = tmp_path / "crawl.warc"
    path.write_bytes(data)
    from_file = [(d.url, d.text) for d in read_paths([str(path)])]
    from_bytes = [(d.url, d.text) for d in read_bytes("crawl.warc", data)]
    assert from_file == from_bytes and len(from_file) == 2


def test_a_truncated_warc_keeps_the_records_before_the_damage(tmp_path):
    data = warc_bytes(CRAWL[:1] + CRAWL[3:] + CRAWL[:1])
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(data[: len(data) - 60])
    items = list(read_paths([str(path)]))
    assert [type(i) for i in items] == [InputDocument, InputDocument, ReadError]
    assert items[-1].path == str(path) and "damaged WARC after 2 document(s)" in items[-1].message
    assert "\n" not in items[-1].message


def test_a_warc_without_pages_is_an_error(tmp_path):
    path = tmp_path / "images.warc.gz"
    path.write_bytes(warc_bytes(CRAWL[1:2]))
    [item] = list(read_paths([str(path)]))
    assert isinstance(item, ReadError) and "no HTML or plain-text responses" in item.message


def pdf_bytes(pages: list[str], title: str | None = "Annual report", created: str | None = "D:20200110093000Z") -> bytes:
    writer = PdfWriter()
    font = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica")}))
    for content in pages:
        pdf_page = writer.add_blank_page(612, 792)
        pdf_page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})})
        lines = " ".join(f"({line}) Tj 0 -14 Td" for line in content.split("\n"))
        stream = DecodedStreamObject()
        stream.set_data(f"BT /F1 11 Tf 72 720 Td {lines} ET".encode("latin-1"))
        pdf_page[NameObject("/Contents")] = writer._add_object(stream)
    meta = {k: v for k, v in (("/Title", title), ("/CreationDate", created)) if v}
    if meta:
        writer.add_metadata(meta)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_pdf_is_its_pages_text_with_title_and_date(tmp_path):
    data = pdf_bytes(["At least 25 prisoners were executed in March.", "The group counted 300 arrests."])
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    [doc] = list(read_paths([str(path)]))
    assert isinstance(doc, InputDocument)
    assert doc.text == "At least 25 prisoners were executed in March.\n\nThe group counted 300 arrests."
    assert doc.title == "Annual report" and doc.published == "2020-01-10"
    assert doc.raw == data and doc.sha256 == hashlib.sha256(data).hexdigest()


def test_a_pdf_without_a_date_takes_the_default(tmp_path):
    path = tmp_path / "plain.pdf"
    path.write_bytes(pdf_bytes(["Nine were killed."], title=None, created=None))
    [doc] = list(read_paths([str(path)], published="2021-05-01"))
    assert doc.published == "2021-05-01" and doc.title is None


def test_pdfs_without_text_or_not_pdfs_are_one_line_errors(tmp_path):
    blank = tmp_path / "scan.pdf"
    blank.write_bytes(pdf_bytes([""]))
    fake = tmp_path / "fake.pdf"
    fake.write_bytes(b"<html>not a pdf at all</html>")
    items = list(read_paths([str(blank), str(fake)]))
    assert all(isinstance(i, ReadError) for i in items)
    assert "no text layer" in items[0].message and "not a readable PDF" in items[1].message
    assert all("\n" not in i.message for i in items)


def test_page_text_joins_pages_and_keeps_one_blank_line():
    assert page_text(["One.\r\nTwo.", "", "Three.\n\n\n\nFour."]) == "One.\nTwo.\n\nThree.\n\nFour."


def test_directories_read_archives_and_pdfs(tmp_path):
    (tmp_path / "crawl.warc.gz").write_bytes(warc_bytes(CRAWL))
    (tmp_path / "report.pdf").write_bytes(pdf_bytes(["Five were killed."]))
    sources = sorted(d.source.split("#")[0].rsplit("/", 1)[-1] for d in read_paths([str(tmp_path)]))
    assert sources == ["crawl.warc.gz", "crawl.warc.gz", "report.pdf"]


def test_ingest_a_warc_keeps_url_crawl_date_and_payload(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(warc_bytes(CRAWL))
    db = tmp_path / "l.db"
    for _ in range(2):   # the second run adds nothing
        result = run_cli("ingest", str(path), "--db", str(db))
        assert result.returncode == 0, result.stderr
    rows = sqlite3.connect(db).execute("SELECT url, crawled, raw_bytes FROM documents ORDER BY id").fetchall()
    assert [(u, c) for u, c, _ in rows] == [("https://news.example.org/a", "2020-01-10T08:30:00Z"),
                                           ("https://news.example.org/notes.txt", "2020-01-10T08:30:00Z")]
    assert rows[0][2] == CRAWL[0][3]


def test_extract_resolves_relative_times_from_the_crawl_date(tmp_path):
    path = tmp_path / "crawl.warc"
    path.write_bytes(warc_bytes(CRAWL[:1], gzipped=False))
    result = run_cli("extract", str(path), "--no-group")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["document"]["crawled"] == "2020-01-10T08:30:00Z"
    [fig] = record["figures"]
    assert fig["value"]["low"] == 40 and fig["time"]["start"] == "2019-11-01"


def test_gzip_that_is_not_a_warc_is_an_error(tmp_path):
    path = tmp_path / "notes.warc.gz"
    path.write_bytes(gzip.compress(b"just some text, not an archive"))
    [item] = list(read_paths([str(path)]))
    assert isinstance(item, ReadError) and item.path == str(path)

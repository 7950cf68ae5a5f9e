"""Tests for sayso.ingest.readers: files, directories, JSONL, HTML and stdin."""
from __future__ import annotations

import hashlib
import io
import json
import os

import pytest

from sayso.ingest.readers import ReadError, read_paths
from sayso.model import InputDocument

PARA = ("Les enquêteurs ont recensé au moins 214 arrestations à Lomé – des étudiants pour la plupart – "
        "et la directrice a déclaré : « Nous sommes très inquiets ». Été après été, la même répression.\n")


def _one(paths, **kw):
    out = list(read_paths(paths, **kw))
    assert len(out) == 1, out
    return out[0]


def _write(path, data: bytes) -> str:
    path.write_bytes(data)
    return str(path)


def test_utf8_text_kept_exactly_with_hash_id_and_source(tmp_path):
    raw = "Line one: 1,200 held.\r\nLine two – “quoted”.\n\n  Indented\n".encode("utf-8")
    p = _write(tmp_path / "a.txt", raw)
    doc = _one([p], published="2021-05-01")
    assert isinstance(doc, InputDocument)
    assert doc.text == raw.decode("utf-8")          # CRLF and indentation untouched
    assert doc.sha256 == hashlib.sha256(raw).hexdigest()
    assert doc.id == doc.sha256[:16]
    assert doc.source == p
    assert doc.published == "2021-05-01"
    assert doc.url is None and doc.title is None


def test_utf8_bom_is_stripped_but_hashed(tmp_path):
    raw = b"\xef\xbb\xbf" + PARA.encode("utf-8")
    doc = _one([_write(tmp_path / "bom.md", raw)])
    assert doc.text == PARA
    assert doc.sha256 == hashlib.sha256(raw).hexdigest()


def test_cp1252_bytes_are_detected(tmp_path):
    raw = PARA.encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    doc = _one([_write(tmp_path / "legacy.text", raw)])
    assert doc.text == PARA


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom(tmp_path, codec):
    bom = b"\xff\xfe" if codec.endswith("le") else b"\xfe\xff"
    raw = bom + PARA.encode(codec)
    doc = _one([_write(tmp_path / "wide.txt", raw)])
    assert doc.text == PARA
    assert doc.sha256 == hashlib.sha256(raw).hexdigest()


def test_binary_named_txt_is_an_error(tmp_path):
    p = _write(tmp_path / "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    err = _one([p])
    assert isinstance(err, ReadError)
    assert err.message.startswith("a PNG image: sayso reads .txt")     # named by its content
    other = _one([_write(tmp_path / "blob.txt", b"\x00\x01\x02" + bytes(range(256)) * 4)])
    assert isinstance(other, ReadError) and other.message == "looks binary"
    assert str(err) == f"{p}: {err.message}"


def test_control_characters_without_nul_look_binary(tmp_path):
    err = _one([_write(tmp_path / "ctl.txt", bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15]) * 30 + b"abc")])
    assert isinstance(err, ReadError) and err.message == "looks binary"


@pytest.mark.parametrize("raw", [b"", b"  \n\t\r\n  "])
def test_empty_or_blank_file_is_an_error(tmp_path, raw):
    err = _one([_write(tmp_path / "empty.txt", raw)])
    assert isinstance(err, ReadError) and err.message == "empty file"


def test_missing_file_is_an_error_and_iteration_goes_on(tmp_path):
    good = _write(tmp_path / "good.txt", b"Some 40 people were held.")
    missing = str(tmp_path / "nope.txt")
    out = list(read_paths([missing, good]))
    assert isinstance(out[0], ReadError) and out[0].path == missing
    assert "no such file" in out[0].message
    assert isinstance(out[1], InputDocument) and out[1].text == "Some 40 people were held."


def test_unknown_extension_given_explicitly_is_read_as_text(tmp_path):
    doc = _one([_write(tmp_path / "notes.log", b"Forty-two detainees were freed.")])
    assert isinstance(doc, InputDocument) and doc.text == "Forty-two detainees were freed."


def test_directory_recursion_ordering_and_filtering(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "deep").mkdir(parents=True)
    (tmp_path / ".hidden").mkdir()
    _write(tmp_path / "z.txt", b"z file")
    _write(tmp_path / "b" / "m.md", b"m file")
    _write(tmp_path / "a" / "y.txt", b"y file")
    _write(tmp_path / "a" / "deep" / "x.text", b"x file")
    _write(tmp_path / "a" / "skip.docx", b"not read")
    _write(tmp_path / "a" / "skip.log", b"not read either")
    _write(tmp_path / ".hidden" / "h.txt", b"hidden")
    _write(tmp_path / "recs.jsonl", json.dumps({"id": "r1", "text": "record text"}).encode() + b"\n")
    docs = list(read_paths([str(tmp_path)]))
    assert all(isinstance(d, InputDocument) for d in docs)
    assert [d.text for d in docs] == ["x file", "y file", "m file", "record text", "z file"]
    assert docs[0].source == os.path.join(str(tmp_path), "a", "deep", "x.text")


def test_empty_directory_reports_an_error(tmp_path):
    err = _one([str(tmp_path)])
    assert isinstance(err, ReadError) and "no .txt" in err.message


def test_jsonl_good_and_bad_lines(tmp_path):
    lines = [
        json.dumps({"id": "d1", "text": "At least 5 died.", "published": "2020-02-03",
                    "url": "https://example.org/a", "title": "A"}),
        "",
        "{not json",
        json.dumps({"id": "d2"}),
        json.dumps({"text": "no id"}),
        json.dumps(["a", "list"]),
        json.dumps({"id": "d3", "text": "Bad date.", "published": "03/02/2020"}),
        json.dumps({"id": "d4", "text": "No date, falls back.", "published": None}),
        json.dumps({"id": "d5", "text": "Impossible date.", "published": "2020-02-30"}),
    ]
    p = _write(tmp_path / "in.jsonl", ("\n".join(lines) + "\n").encode("utf-8"))
    out = list(read_paths([p], published="2019-01-01"))
    docs = [o for o in out if isinstance(o, InputDocument)]
    errs = [o for o in out if isinstance(o, ReadError)]
    assert [d.id for d in docs] == ["d1", "d4"]
    d1, d4 = docs
    assert d1.text == "At least 5 died." and d1.published == "2020-02-03"
    assert d1.source == d1.url == "https://example.org/a" and d1.title == "A"
    assert d1.sha256 == hashlib.sha256("At least 5 died.".encode("utf-8")).hexdigest()
    assert d4.published == "2019-01-01" and d4.source == f"{p}:8" and d4.url is None
    msgs = [e.message for e in errs]
    assert msgs[0].startswith("line 3: invalid JSON")
    assert msgs[1:] == ["line 4: missing 'text'", "line 5: missing 'id'", "line 6: not a JSON object",
                        "line 7: 'published' is not a YYYY-MM-DD date: '03/02/2020'",
                        "line 9: 'published' is not a YYYY-MM-DD date: '2020-02-30'"]
    assert all("\n" not in str(e) for e in errs)


def test_jsonl_text_keeps_unicode_and_newlines(tmp_path):
    text = "Première ligne\r\nseconde – 3 000 personnes"
    p = _write(tmp_path / "u.jsonl", json.dumps({"id": 7, "text": text}, ensure_ascii=False).encode())
    doc = _one([p])
    assert doc.id == "7" and doc.text == text


def test_invalid_published_argument_raises():
    with pytest.raises(ValueError):
        read_paths(["x.txt"], published="21 May 2021")


HTML = """<!DOCTYPE html>
<html><head><meta charset="utf-8">
<title>Hundreds detained in Freedonia | Example Watch</title>
<meta property="og:title" content="Hundreds detained in Freedonia">
<meta property="article:published_time" content="2021-03-04T10:00:00Z">
<link rel="canonical" href="https://www.example.org/news/detentions">
</head><body>
<nav><a href="/">Home</a> | <a href="/about">About</a></nav>
<article><h1>Hundreds detained in Freedonia</h1>
<p>Police in Freedonia detained at least 1,200 people during protests last week, the Freedonia Rights
Group said on Monday, adding that most of those held were students.</p>
<p>The interior ministry said the figure was exaggerated and that 300 people had been held for
questioning on 14 August 2013, all of whom had since been released without charge.</p>
</article></body></html>"""


def test_html_text_title_url_and_date(tmp_path):
    raw = HTML.encode("utf-8")
    p = _write(tmp_path / "page.html", raw)
    doc = _one([p], published="1999-01-01")
    assert isinstance(doc, InputDocument)
    assert doc.title == "Hundreds detained in Freedonia"
    assert doc.url == "https://www.example.org/news/detentions"
    assert doc.published == "2021-03-04"
    assert doc.sha256 == hashlib.sha256(raw).hexdigest() and doc.id == doc.sha256[:16]
    assert doc.source == p
    assert "at least 1,200 people" in doc.text
    assert "Home" not in doc.text
    assert "\n\nThe interior ministry" in doc.text      # paragraphs separated by a blank line


def test_html_without_date_uses_argument_not_body_dates(tmp_path):
    html = HTML.replace('<meta property="article:published_time" content="2021-03-04T10:00:00Z">', "")
    html = html.replace('<link rel="canonical" href="https://www.example.org/news/detentions">', "")
    doc = _one([_write(tmp_path / "p.htm", html.encode())], published="2022-02-02")
    assert doc.published == "2022-02-02"           # not 2013-08-14 from the body text
    assert doc.url is None


def test_html_without_text_is_an_error(tmp_path):
    err = _one([_write(tmp_path / "blank.html", b"<html><head><title>t</title></head><body></body></html>")])
    assert isinstance(err, ReadError) and "HTML" in err.message


def _stdin(monkeypatch, raw: bytes):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8"))


def test_stdin_plain_text(monkeypatch):
    raw = "Au moins 12 morts.\r\nSecond line.\n".encode("utf-8")
    _stdin(monkeypatch, raw)
    doc = _one(["-"], published="2020-01-01")
    assert doc.text == raw.decode() and doc.sha256 == hashlib.sha256(raw).hexdigest()
    assert doc.published == "2020-01-01" and doc.source == "<stdin>"


def test_stdin_jsonl(monkeypatch):
    raw = ("\n  " + json.dumps({"id": "s1", "text": "One."}) + "\n" + "oops\n"
           + json.dumps({"id": "s2", "text": "Two."}) + "\n").encode()
    _stdin(monkeypatch, raw)
    out = list(read_paths(["-"]))
    assert [type(o).__name__ for o in out] == ["InputDocument", "ReadError", "InputDocument"]
    assert out[0].id == "s1" and out[0].source == "<stdin>:2"
    assert out[1].message.startswith("line 3: invalid JSON")
    assert out[2].id == "s2"


def test_stdin_without_buffer(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("Plain text from a StringIO."))
    doc = _one(["-"])
    assert doc.text == "Plain text from a StringIO."
    assert doc.sha256 == hashlib.sha256(b"Plain text from a StringIO.").hexdigest()

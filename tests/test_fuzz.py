"""Fuzzing (issue 16): the readers and the extractor on hostile bytes and text never raise; each
input is documents or one-line errors, and every figure points at its own text. Few examples
each, so the file runs in seconds; a failure Hypothesis finds is a bug class to fix."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sayso.ingest.readers import InputDocument, Limits, ReadError, read_bytes
from sayso.pipeline import Extractor, Options, extract_each

EXTENSIONS = [".txt", ".jsonl", ".html", ".pdf", ".warc", ".warc.gz", ".md"]
# pieces a hostile text is made of: digits of several scripts, separators, format and control
# characters, console markup, quotes, sentence ends, number words
PIECES = ["0", "7", "1,000", "999,999,999,999,999,999", "0.00001", "\u06f4", "\u0664", "\uff14", "\u200b",
          "\u00ad", "\u202e", "\x1b[31m", "\x00", "\r", "\n", "\n\n", " ", ".", "!", "?", "\"", "\u201c",
          "\u201d", "[/]", "[bold]", "{", "}", "%", "$", "-", "\u2013", "people", "killed", "said", "Police",
          "Amnesty International", "at least", "about", "million", "thousand", "dozens", "in Tehran",
          "on Monday", "2019", "between", "and", "Mr.", "U.S."]
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _one_line(error: ReadError) -> bool:
    return "\n" not in str(error)


@SETTINGS
@given(data=st.binary(max_size=3000), ext=st.sampled_from(EXTENSIONS))
def test_readers_take_any_bytes(data, ext):
    for item in read_bytes(f"fuzz{ext}", data, limits=Limits(max_bytes=2000, max_ratio=10)):
        assert isinstance(item, (InputDocument, ReadError))
        if isinstance(item, ReadError):
            assert _one_line(item)


@SETTINGS
@given(lines=st.lists(st.one_of(st.text(max_size=200), st.just('{"id": "a", "text": "x"}'),
                                st.just("[" * 5000)), max_size=6))
def test_jsonl_reader_takes_any_lines(lines):
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    items = list(read_bytes("fuzz.jsonl", data))
    assert all(isinstance(i, (InputDocument, ReadError)) for i in items)


@pytest.fixture(scope="module")
def extractor():
    return Extractor(Options())


def test_extractor_takes_hostile_text(extractor):
    @SETTINGS
    @given(parts=st.lists(st.sampled_from(PIECES), min_size=1, max_size=60), extra=st.text(max_size=40))
    def check(parts, extra):
        text = " ".join(parts) + extra
        if not text.strip():
            return
        doc = InputDocument(id="fuzz", text=text, sha256="0" * 64, source="fuzz")
        [record] = extract_each([doc], extractor)
        assert isinstance(record, dict), record
        for figure in record["figures"]:
            assert text[figure["start"]:figure["end"]] == figure["text"]
            assert figure["value"]["low"] is None or figure["value"]["low"] == figure["value"]["low"]   # no NaN
        for quote in record["quotes"]:
            assert text[quote["start"]:quote["end"]] == quote["text"]

    check()

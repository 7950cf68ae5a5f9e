"""Web archives (.warc, .warc.gz): each HTML or plain-text response is a document.

Records are read one at a time with warcio, Webrecorder's reader, so an archive of any size streams.
A document keeps the HTTP payload exactly as served (after removing transfer and content
encodings) as its raw bytes, the record's target URI as its URL, the WARC-Date as its crawl date
(``crawled``), and ``ARCHIVE#offset`` as its source, which points at the record in the archive.
Responses that are not a successful page (redirects, errors, images, scripts) are passed over
quietly. A damaged archive (a record shorter than its Content-Length, or failing its WARC digest)
yields one ReadError after the documents read before the damage. A record whose payload is over
the size limit is one ReadError; an archive that inflates to more than ``max_ratio`` times its
compressed size (a decompression bomb) is stopped with one ReadError, before the records past the
limit are decompressed.
"""
from __future__ import annotations

import re
from typing import BinaryIO, Iterator

from sayso.ingest.documents import DEFAULT_LIMITS, Limits, ReadError, decode_bytes, html_document, text_document
from sayso.model import InputDocument

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_TEXT_TYPES = ("text/plain",)
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)


def read_warc(name: str, stream: BinaryIO, published: str | None = None, limits: Limits | None = None,
              size: int | None = None) -> Iterator[InputDocument | ReadError]:
    """The documents in the archive ``stream`` (read from ``name``, ``size`` bytes long when known),
    in archive order."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    limits = limits or DEFAULT_LIMITS
    records = ArchiveIterator(stream, check_digests="raise")   # a cut record fails its digest
    found, inflated = 0, 0
    budget = max(limits.max_bytes, limits.max_ratio * size) if size is not None else None
    try:
        for record in records:
            inflated += int(record.length or 0)
            if budget is not None and inflated > budget:
                yield ReadError(name, f"stopped after {found} document(s): the archive inflates to more than "
                                      f"{limits.max_ratio} times its size (see --max-ratio)")
                return
            if record.rec_type not in ("response", "resource"):
                continue
            kind, charset = _content_type(record)
            if kind not in _HTML_TYPES + _TEXT_TYPES or not _succeeded(record):
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            data = record.content_stream().read(limits.max_bytes + 1)
            if len(data) > limits.max_bytes:
                yield ReadError(f"{name}#{records.get_record_offset()}", f"record for {url}: "
                                + limits.too_large(max(len(data), int(record.length or 0))))
                continue
            if getattr(record.raw_stream, "limit", 0) > 0:   # the block ended before its Content-Length
                raise ArchiveLoadFailed(f"record for {url} is cut short")
            source = f"{name}#{records.get_record_offset()}"   # after reading: it reads to the end
            found += 1
            yield _document(source, data, kind, charset, url, _crawl_date(record), published)
    except (ArchiveLoadFailed, OSError, EOFError, ValueError) as exc:
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        yield ReadError(name, f"damaged WARC after {found} document(s): {detail}")
        return
    if found == 0:
        yield ReadError(name, "WARC holds no HTML or plain-text responses")


def _document(source: str, data: bytes, kind: str, charset: str | None, url: str | None,
              crawled: str | None, published: str | None) -> InputDocument | ReadError:
    if kind in _HTML_TYPES:
        return html_document(source, data, published, url=url, crawled=crawled, charset=charset)
    try:
        text = data.decode(charset) if charset else decode_bytes(data)
    except (LookupError, UnicodeDecodeError, ValueError) as exc:
        return ReadError(source, str(exc).splitlines()[0])
    if not text.strip():
        return ReadError(source, "empty response")
    return text_document(source, data, text, published, url=url, crawled=crawled)


def _content_type(record) -> tuple[str, str | None]:
    """The media type (lower case) and declared charset of a record's payload."""
    if record.rec_type == "response":
        headers = record.http_headers
        value = headers.get_header("Content-Type") if headers is not None else None
    else:
        value = record.rec_headers.get_header("Content-Type")
    value = value or ""
    m = _CHARSET.search(value)
    return value.split(";")[0].strip().lower(), (m.group(1) if m else None)


def _succeeded(record) -> bool:
    if record.rec_type != "response" or record.http_headers is None:
        return True
    return (record.http_headers.get_statuscode() or "").startswith("2")


def _crawl_date(record) -> str | None:
    value = record.rec_headers.get_header("WARC-Date")
    return value or None

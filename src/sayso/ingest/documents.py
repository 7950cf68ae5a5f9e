"""What every reader shares: the error a bad input becomes, the limits on a document's size,
bytes decoded to text, and a document made from plain-text or HTML bytes.

:mod:`sayso.ingest.readers` (files, folders, JSONL, stdin), :mod:`sayso.ingest.warc` and
:mod:`sayso.ingest.pdf` build on these; none of them imports another reader.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import re
from dataclasses import dataclass

from sayso.model import InputDocument

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


@dataclass(frozen=True)
class ReadError:
    """An input that could not be read; ``message`` is a single line."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass(frozen=True)
class Limits:
    """How much one document may take, checked before it is read whole.

    ``max_bytes`` bounds a document's bytes: a text or HTML file, one JSONL line, one WARC record's
    payload, the text of a PDF (whose file may be ``readers.PDF_FACTOR`` times larger, as most of a PDF is
    not text). ``max_ratio`` bounds how many times its own size a compressed archive may inflate to.
    """

    max_bytes: int = 10_000_000
    max_ratio: int = 100

    def too_large(self, size: int, cap: int | None = None) -> str:
        """The one-line message for a document of ``size`` bytes over ``cap`` (``max_bytes``)."""
        return f"larger than the maximum document size ({size:,} bytes > {cap or self.max_bytes:,}; see --max-size)"


DEFAULT_LIMITS = Limits()


class DecodeError(ValueError):
    """Bytes that are not usable text; the message is what the ReadError will say."""


# --- decoding -------------------------------------------------------------------------------

def decode_bytes(data: bytes) -> str:
    """Decode input bytes: UTF-8 (BOM stripped), UTF-16/32 with BOM, else charset_normalizer.

    Raises DecodeError ("looks binary", "empty file", "not UTF-8 text and no encoding detected").
    """
    if not data:
        raise DecodeError("empty file")
    text = _decode_with_bom(data)
    if text is None:
        if b"\x00" in data:
            raise DecodeError("looks binary")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = _guess_decode(data)
    if _mostly_unprintable(text):
        raise DecodeError("looks binary")
    if not text.strip():
        raise DecodeError("empty file")
    return text


def _decode_with_bom(data: bytes) -> str | None:
    boms = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
            (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
    for bom, codec in boms:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                raise DecodeError(f"starts with a {codec} byte-order mark but does not decode as {codec}")
    return None


def _guess_decode(data: bytes) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise DecodeError("not UTF-8 text and no encoding detected")
    return str(best)


def _mostly_unprintable(text: str) -> bool:
    sample = text[:8192]
    bad = sum(1 for ch in sample if not ch.isprintable() and ch not in "\t\n\r\f\v")
    return bad > 0.1 * len(sample)


def text_document(source: str, data: bytes, text: str, published: str | None, **meta) -> InputDocument:
    """A document whose text is ``data`` decoded; ``meta`` sets url, title or crawled."""
    digest = hashlib.sha256(data).hexdigest()
    return InputDocument(id=digest[:16], text=text, sha256=digest, source=source, published=published,
                         raw=data, **meta)


def valid_date(value: str) -> bool:
    """Whether a string is a real YYYY-MM-DD date."""
    if not _DATE.fullmatch(value):
        return False
    try:
        _dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


# --- HTML -----------------------------------------------------------------------------------

def html_document(source: str, data: bytes, published: str | None, url: str | None = None,
                  crawled: str | None = None, charset: str | None = None) -> InputDocument | ReadError:
    """Main text via trafilatura (paragraphs separated by a blank line), date via htmldate.

    ``url`` and ``charset`` are what the page was served with (a WARC response's HTTP headers),
    used where the page itself says nothing.
    """
    try:
        html = _decode_html(data, charset)
    except DecodeError as exc:
        return ReadError(source, str(exc))
    import trafilatura
    from htmldate import find_date

    doc = trafilatura.bare_extraction(html, include_comments=False, favor_precision=False,
                                      with_metadata=True, deduplicate=False)
    paragraphs = [line.strip() for line in (doc.text or "").splitlines()] if doc is not None else []
    text = "\n\n".join(p for p in paragraphs if p)
    if not text:
        return ReadError(source, "no main text could be extracted from the HTML")
    page_url = (doc.url or None) if doc is not None else None
    if page_url and re.match(r"https?://", page_url):
        url = page_url
    # extensive_search=False: only dates the page states as metadata (or in its URL), never a
    # date mentioned in the body text, which in these reports is usually an event date.
    try:
        date = find_date(html, original_date=True, outputformat="%Y-%m-%d", extensive_search=False, url=url)
    except Exception:  # htmldate is best-effort; a crash there must not lose the document
        date = None
    digest = hashlib.sha256(data).hexdigest()
    return InputDocument(id=digest[:16], text=text, sha256=digest, source=source,
                         published=date if date and valid_date(date) else published,
                         url=url, title=(doc.title or None) if doc is not None else None,
                         crawled=crawled, raw=data)


def _decode_html(data: bytes, charset: str | None = None) -> str:
    """Like decode_bytes, but a declared charset (<meta charset>, else the HTTP header's)
    wins over guessing for non-UTF-8 bytes."""
    if _decode_with_bom(data) is None and b"\x00" not in data:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            m = _META_CHARSET.search(data[:4096])
            declared = [m.group(1).decode("ascii")] if m else []
            for name in declared + ([charset] if charset else []):
                try:
                    return data.decode(name)
                except (LookupError, UnicodeDecodeError):
                    pass
    return decode_bytes(data)

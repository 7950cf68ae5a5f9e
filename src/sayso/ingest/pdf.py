"""PDF reports: the text layer of each page, read with pypdf.

Pages are joined by a blank line, and the lines inside a page are kept as pypdf lays them out, so
the text is what a reader copies out of the file. The document's title and creation date come from
the PDF's metadata when it has them (the creation date stands for the publication date, as a
report's file is usually made the day it is published). A scanned PDF without a text layer is an
error that says so: sayso does not OCR.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import io
import logging
import re

from sayso.ingest.documents import ReadError
from sayso.model import InputDocument

_BLANK_RUNS = re.compile(r"\n{3,}")


def read_pdf(name: str, data: bytes, published: str | None = None, max_chars: int | None = None):
    """The document in one PDF's bytes, or a ReadError (one line) when it has no usable text, or
    when its text is longer than ``max_chars``."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)   # its warnings are ours to report, in one line
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not _unlocks(reader):
            return ReadError(name, "the PDF is encrypted")
        pages, size = [], 0
        for page in reader.pages:
            pages.append(page.extract_text() or "")
            size += len(pages[-1])
            if max_chars is not None and size > max_chars:
                return ReadError(name, f"the PDF's text is longer than the maximum document size "
                                       f"({max_chars:,} characters; see --max-size)")
        meta = reader.metadata
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as exc:
        # PyPdfError covers pypdf's LimitReachedError: a stream that inflates past its limits
        return ReadError(name, f"not a readable PDF: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}")
    text = page_text(pages)
    if not text.strip():
        return ReadError(name, "the PDF has no text layer (a scan? run OCR on it first)")
    digest = hashlib.sha256(data).hexdigest()
    return InputDocument(id=digest[:16], text=text, sha256=digest, source=name,
                         published=_date_of(meta) or published, title=_title_of(meta), raw=data)


def page_text(pages: list[str]) -> str:
    """The pages' text joined by a blank line, with runs of blank lines inside a page kept to one."""
    cleaned = [_BLANK_RUNS.sub("\n\n", p.replace("\r\n", "\n").replace("\r", "\n")).strip() for p in pages]
    return "\n\n".join(p for p in cleaned if p)


def _unlocks(reader) -> bool:
    """Many report PDFs are 'encrypted' with an empty user password, only to restrict printing."""
    try:
        return bool(reader.decrypt(""))
    except Exception:
        return False


def _title_of(meta) -> str | None:
    title = getattr(meta, "title", None) if meta is not None else None
    return title.strip() if isinstance(title, str) and title.strip() else None


def _date_of(meta) -> str | None:
    try:
        created = meta.creation_date if meta is not None else None
    except Exception:   # a malformed /CreationDate must not lose the document
        return None
    if isinstance(created, _dt.datetime) and 1990 <= created.year <= _dt.date.today().year + 1:
        return created.date().isoformat()
    return None

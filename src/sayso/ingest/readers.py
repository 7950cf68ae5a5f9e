"""Turn paths (files, directories, JSONL record files, HTML pages, PDFs, WARC archives, stdin) into
InputDocuments.

``read_paths`` never raises for a bad input: each file is read inside one guard, so an unreadable
file, a bad JSONL line, a file over the size limit, a FIFO or device, or any exception a reader
raises (a JSON nested too deep, a PDF that inflates past pypdf's limits, memory running out)
becomes a ``ReadError`` naming the file (and record) and reading goes on with the rest. Only
regular files are opened; an unreadable folder is an error, and a link in a folder that leads out
of it is reported and not followed. The text of a plain-text document is its decoded bytes exactly
as given (BOM removed, newlines untouched) so offsets stay valid.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import re
import stat
import sys
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from sayso.model import InputDocument

TEXT_EXTS = {".txt", ".text", ".md"}
JSONL_EXTS = {".jsonl"}
HTML_EXTS = {".html", ".htm"}
PDF_EXTS = {".pdf"}
WARC_EXTS = {".warc", ".warc.gz"}
KNOWN_EXTS = TEXT_EXTS | JSONL_EXTS | HTML_EXTS | PDF_EXTS | WARC_EXTS
STDIN_NAME = "<stdin>"

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
    payload, the text of a PDF (whose file may be ``PDF_FACTOR`` times larger, as most of a PDF is
    not text). ``max_ratio`` bounds how many times its own size a compressed archive may inflate to.
    """

    max_bytes: int = 10_000_000
    max_ratio: int = 100

    def too_large(self, size: int, cap: int | None = None) -> str:
        """The one-line message for a document of ``size`` bytes over ``cap`` (``max_bytes``)."""
        return f"larger than the maximum document size ({size:,} bytes > {cap or self.max_bytes:,}; see --max-size)"


DEFAULT_LIMITS = Limits()
PDF_FACTOR = 10


def display_name(path: str) -> str:
    """A path as text that can always be printed and stored: bytes of a file name that are not
    UTF-8 (kept by Python as lone surrogates) are written as ``\\xNN``."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def one_line(exc: BaseException) -> str:
    """An exception as one line: its type and the first line of its message."""
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__


class _DecodeError(ValueError):
    """Bytes that are not usable text; the message is what the ReadError will say."""


def read_paths(paths: Iterable[str], published: str | None = None,
               skip: Iterable[str] = (), limits: Limits | None = None) -> Iterator[InputDocument | ReadError]:
    """Yield one InputDocument per document found in ``paths`` (or a ReadError per failure).

    ``published`` (YYYY-MM-DD) is the default publication date for documents that carry none;
    an invalid value raises ValueError straight away. Files in ``skip`` (such as the run's own
    output file) are passed over when a directory is walked. ``limits`` bound each document.
    """
    if published is not None and not valid_date(published):
        raise ValueError(f"published must be a YYYY-MM-DD date, got {published!r}")
    return _iter_paths(paths, published, {os.path.realpath(p) for p in skip}, limits or DEFAULT_LIMITS)


def _iter_paths(paths: Iterable[str], published: str | None, skip: set[str],
                limits: Limits) -> Iterator[InputDocument | ReadError]:
    for path in paths:
        if path == "-":
            yield from guarded(STDIN_NAME, _read_stdin(published, limits))
        elif os.path.isdir(path):
            members, problems = walk_directory(path)
            yield from problems
            members = [m for m in members if os.path.realpath(m) not in skip]
            if not members and not problems:
                yield ReadError(display_name(path), "directory holds no .txt, .text, .md, .jsonl, .html, .htm, "
                                                    ".pdf, .warc or .warc.gz files")
            for member in members:
                yield from guarded(display_name(member), _read_file(member, published, limits))
        else:
            yield from guarded(display_name(path), _read_file(path, published, limits))


def guarded(name: str, items: Iterable[InputDocument | ReadError]) -> Iterator[InputDocument | ReadError]:
    """The items of one file's reader; whatever it raises ends that file with one ReadError
    naming it, and the caller goes on with the next file."""
    try:
        yield from items
    except RecursionError:
        yield ReadError(name, "cannot read: nested too deeply")
    except MemoryError:
        yield ReadError(name, "cannot read: out of memory")
    except Exception as exc:
        yield ReadError(name, f"cannot read: {one_line(exc)}")


def count_documents(paths: Iterable[str]) -> int | None:
    """How many documents ``paths`` hold, for a progress bar: one per file, one per non-empty line
    of a .jsonl; None where it cannot be known without reading everything (stdin, WARC archives)."""
    total = 0
    for path in paths:
        if path == "-":
            return None
        members = directory_members(path) if os.path.isdir(path) else [path]
        for member in members:
            ext = extension(member)
            if ext in WARC_EXTS:
                return None
            if ext in JSONL_EXTS:
                try:
                    with open(member, "rb") as fh:
                        total += sum(1 for line in fh if line.strip())
                except OSError:
                    total += 1
            else:
                total += 1
    return total


def directory_members(root: str) -> list[str]:
    """Files under ``root`` with a known extension, recursively, hidden entries skipped, sorted."""
    return walk_directory(root)[0]


def walk_directory(root: str) -> tuple[list[str], list[ReadError]]:
    """``(members, problems)``: the files under ``root`` with a known extension (recursively, hidden
    entries skipped, sorted), and a ReadError for each folder that cannot be listed and each link
    that leads out of ``root`` (not followed)."""
    found, problems = [], []
    top = os.path.realpath(root)

    def outside(path: str) -> bool:
        target = os.path.realpath(path)
        return target != top and not target.startswith(top.rstrip(os.sep) + os.sep)

    def unlisted(exc: OSError) -> None:
        name = display_name(exc.filename or root)
        problems.append(ReadError(name, f"cannot list folder: {exc.strerror or exc}"))

    for dirpath, dirnames, filenames in os.walk(root, onerror=unlisted):
        for d in [d for d in dirnames if not d.startswith(".")]:
            sub = os.path.join(dirpath, d)
            if os.path.islink(sub) and outside(sub):
                problems.append(ReadError(display_name(sub), "a link to a folder outside "
                                          f"{display_name(root)}: not followed"))
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if name.startswith(".") or extension(name) not in KNOWN_EXTS:
                continue
            member = os.path.join(dirpath, name)
            if os.path.islink(member) and outside(member):
                problems.append(ReadError(display_name(member), "a link to a file outside "
                                          f"{display_name(root)}: not followed"))
            else:
                found.append(member)
    problems.sort(key=lambda e: e.path)
    return sorted(found, key=lambda p: os.path.relpath(p, root).split(os.sep)), problems


def extension(path: str) -> str:
    """The lower-cased extension that decides how a file is read ('.warc.gz' counts as one)."""
    lower = path.lower()
    return ".warc.gz" if lower.endswith(".warc.gz") else os.path.splitext(lower)[1]


def _read_file(path: str, published: str | None, limits: Limits) -> Iterator[InputDocument | ReadError]:
    name, ext = display_name(path), extension(path)
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; only regular files are read
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        yield ReadError(name, "no such file or directory")
        return
    except OSError as exc:
        yield ReadError(name, f"cannot read: {exc.strerror or exc}")
        return
    with open(fd, "rb") as fh:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            yield ReadError(name, f"not a regular file ({_file_kind(info.st_mode)}): not read")
            return
        if ext in WARC_EXTS:   # streamed record by record: archives can be far larger than memory
            from sayso.ingest.warc import read_warc
            yield from read_warc(name, fh, published, limits, size=info.st_size)
            return
        if ext in JSONL_EXTS:  # line by line: a record file may hold any number of documents
            yield from _read_jsonl_stream(name, fh, published, limits)
            return
        cap = limits.max_bytes * (PDF_FACTOR if ext in PDF_EXTS else 1)
        if info.st_size > cap:
            yield ReadError(name, limits.too_large(info.st_size, cap))
            return
        try:
            data = fh.read(cap + 1)
        except OSError as exc:
            yield ReadError(name, f"cannot read: {exc.strerror or exc}")
            return
        if len(data) > cap:   # it grew while being read
            yield ReadError(name, limits.too_large(len(data), cap))
            return
    yield from read_bytes(name, data, published, limits)


def _file_kind(mode: int) -> str:
    for test, kind in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder")):
        if test(mode):
            return kind
    return "not a file"


def read_bytes(name: str, data: bytes, published: str | None = None,
               limits: Limits | None = None) -> Iterator[InputDocument | ReadError]:
    """The documents in one file's bytes, read as its name's extension says (see ``extension``);
    for inputs that are not local files (a shard on another filesystem, say)."""
    limits = limits or DEFAULT_LIMITS
    ext = extension(name)
    if ext in JSONL_EXTS:
        import io
        yield from _read_jsonl_stream(name, io.BytesIO(data), published, limits)
        return
    if ext in WARC_EXTS:
        import io

        from sayso.ingest.warc import read_warc
        yield from read_warc(name, io.BytesIO(data), published, limits, size=len(data))
        return
    cap = limits.max_bytes * (PDF_FACTOR if ext in PDF_EXTS else 1)
    if len(data) > cap:
        yield ReadError(name, limits.too_large(len(data), cap))
    elif ext in HTML_EXTS:
        yield html_document(name, data, published)
    elif ext in PDF_EXTS:
        from sayso.ingest.pdf import read_pdf
        yield read_pdf(name, data, published, max_chars=limits.max_bytes)
    else:  # .txt/.text/.md, and any unknown extension named explicitly
        yield _read_text(name, data, published)


def _read_stdin(published: str | None, limits: Limits) -> Iterator[InputDocument | ReadError]:
    """Standard input: JSON Lines when its first line is a JSON object, else one plain-text document."""
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        import io
        stream = io.BytesIO(sys.stdin.read().encode("utf-8"))
    first = stream.readline(limits.max_bytes + 1)
    while first.endswith(b"\n") and not first.strip() and len(first) <= limits.max_bytes:
        line = stream.readline(limits.max_bytes + 1 - len(first))   # blank lines before the first line
        first += line
        if line.strip() or not line:
            break
    if _json_object_line(first.lstrip()):
        yield from _read_jsonl_stream(STDIN_NAME, _Chain(first, stream), published, limits)
        return
    data = first + stream.read(limits.max_bytes + 1 - len(first))
    if len(data) > limits.max_bytes:
        yield ReadError(STDIN_NAME, limits.too_large(len(data)))
        return
    try:
        text = decode_bytes(data)
    except _DecodeError as exc:
        yield ReadError(STDIN_NAME, str(exc))
        return
    yield text_document(STDIN_NAME, data, text, published)


def _json_object_line(line: bytes) -> bool:
    """Whether a line (bytes) is one JSON object, as the first line of a JSONL stream is."""
    stripped = line.strip().removeprefix(b"\xef\xbb\xbf")
    if not stripped.startswith(b"{"):
        return False
    try:
        return isinstance(json.loads(stripped), dict)
    except (ValueError, RecursionError):
        return False


class _Chain:
    """Bytes already read, then the rest of a binary stream (``readline`` and ``read`` only)."""

    def __init__(self, head: bytes, rest):
        self._head, self._rest = head.splitlines(keepends=True), rest

    def readline(self, size: int = -1) -> bytes:
        if not self._head:
            return self._rest.readline(size)
        line = self._head.pop(0)
        if 0 <= size < len(line):            # no more than asked for, as a stream's readline
            self._head.insert(0, line[size:])
            return line[:size]
        if not self._head and not line.endswith(b"\n") and (size < 0 or len(line) < size):
            line += self._rest.readline(size - len(line) if size >= 0 else -1)   # the rest of a cut line
        return line

    def read(self, size: int = -1) -> bytes:
        head, self._head = b"".join(self._head), []
        return head + self._rest.read(size if size < 0 else max(0, size - len(head)))


# --- decoding -------------------------------------------------------------------------------

def decode_bytes(data: bytes) -> str:
    """Decode input bytes: UTF-8 (BOM stripped), UTF-16/32 with BOM, else charset_normalizer.

    Raises _DecodeError ("looks binary", "empty file", "not UTF-8 text and no encoding detected").
    """
    if not data:
        raise _DecodeError("empty file")
    text = _decode_with_bom(data)
    if text is None:
        if b"\x00" in data:
            raise _DecodeError("looks binary")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = _guess_decode(data)
    if _mostly_unprintable(text):
        raise _DecodeError("looks binary")
    if not text.strip():
        raise _DecodeError("empty file")
    return text


def _decode_with_bom(data: bytes) -> str | None:
    boms = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
            (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
    for bom, codec in boms:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                raise _DecodeError(f"starts with a {codec} byte-order mark but does not decode as {codec}")
    return None


def _guess_decode(data: bytes) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise _DecodeError("not UTF-8 text and no encoding detected")
    return str(best)


def _mostly_unprintable(text: str) -> bool:
    sample = text[:8192]
    bad = sum(1 for ch in sample if not ch.isprintable() and ch not in "\t\n\r\f\v")
    return bad > 0.1 * len(sample)


# --- plain text and JSONL ---------------------------------------------------------------------

# Formats sayso cannot read, known by their first bytes (whatever the file's name says).
_SIGNATURES = ((b"PK\x03\x04", "a ZIP archive (a Word .docx, an .odt, an .xlsx or a .zip)"),
               (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document (.doc, .xls)"),
               (b"{\\rtf", "an RTF document"), (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"),
               (b"GIF8", "a GIF image"), (b"\x1f\x8b", "a gzip file (only .warc.gz is read)"),
               (b"7z\xbc\xaf", "a 7-Zip archive"), (b"Rar!", "a RAR archive"))
READABLE = ".txt, .md, .jsonl, .html, .pdf or .warc(.gz)"


def unreadable_format(data: bytes) -> str | None:
    """What a file is, from its first bytes, where it is a format sayso cannot read; else None."""
    return next((what for magic, what in _SIGNATURES if data.startswith(magic)), None)


def _read_text(path: str, data: bytes, published: str | None) -> InputDocument | ReadError:
    what = unreadable_format(data)
    if what:
        return ReadError(path, f"{what}: sayso reads {READABLE}; save it as one of those")
    try:
        text = decode_bytes(data)
    except _DecodeError as exc:
        return ReadError(path, str(exc))
    return text_document(path, data, text, published)


def text_document(source: str, data: bytes, text: str, published: str | None, **meta) -> InputDocument:
    """A document whose text is ``data`` decoded; ``meta`` sets url, title or crawled."""
    digest = hashlib.sha256(data).hexdigest()
    return InputDocument(id=digest[:16], text=text, sha256=digest, source=source, published=published,
                         raw=data, **meta)


def _read_jsonl_stream(path: str, stream, published: str | None,
                       limits: Limits) -> Iterator[InputDocument | ReadError]:
    """The records of a JSON Lines stream, read a line at a time (each at most ``max_bytes``):
    a bad or oversized line is one ReadError naming it, and the lines after it are read."""
    first = stream.readline(limits.max_bytes + 1)
    if first.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):   # UTF-16/32: decoded whole
        data = first + stream.read(limits.max_bytes + 1 - len(first))
        if len(data) > limits.max_bytes:
            yield ReadError(path, limits.too_large(len(data)))
            return
        try:
            text = decode_bytes(data)
        except _DecodeError as exc:
            yield ReadError(path, str(exc))
            return
        for lineno, line in enumerate(text.split("\n"), start=1):
            yield from _jsonl_line(path, lineno, line, published)
        return
    first = first.removeprefix(b"\xef\xbb\xbf")
    sample = first[:_SAMPLE] if len(first) >= _SAMPLE else first + stream.read(_SAMPLE - len(first))
    if sample and _looks_binary(sample):
        yield ReadError(path, "looks binary")
        return
    stream = _Chain(sample[len(first):], stream)
    line, lineno, blank = first, 1, True
    while line:
        if len(line) > limits.max_bytes and not line.endswith(b"\n"):
            size = len(line)
            while line and not line.endswith(b"\n"):   # pass over the rest of the line, a piece at a time
                line = stream.readline(limits.max_bytes + 1)
                size += len(line)
            yield ReadError(path, f"line {lineno}: {limits.too_large(size)}")
            blank = False
        else:
            blank = blank and not line.strip()
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError:
                try:
                    text = decode_bytes(line)
                except _DecodeError as exc:
                    yield ReadError(path, f"line {lineno}: {exc}")
                    text = ""
            yield from _jsonl_line(path, lineno, text.rstrip("\n"), published)
        line = stream.readline(limits.max_bytes + 1)
        lineno += 1
    if blank:
        yield ReadError(path, "empty file")


_SAMPLE = 8192   # bytes of a record file looked at to tell whether it is text at all


def _looks_binary(sample: bytes) -> bool:
    """Whether the first bytes of a file are not text (a NUL, or mostly unprintable)."""
    if b"\x00" in sample:
        return True
    try:
        decode_bytes(sample)
    except _DecodeError as exc:
        return str(exc) == "looks binary"
    return False


def _jsonl_line(path: str, lineno: int, line: str, published: str | None) -> Iterator[InputDocument | ReadError]:
    if not line.strip():
        return
    try:
        yield _jsonl_record(path, lineno, line, published)
    except ValueError as exc:
        yield ReadError(path, f"line {lineno}: {exc}")
    except RecursionError:
        yield ReadError(path, f"line {lineno}: JSON nested too deeply")


def _jsonl_record(path: str, lineno: int, line: str, published: str | None) -> InputDocument:
    """One JSONL line as an InputDocument; ValueError (one-line message) when it is unusable."""
    try:
        rec = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"invalid JSON: {exc.msg} (column {exc.colno})") from None
    if not isinstance(rec, dict):
        raise ValueError("not a JSON object")
    for key in ("id", "text"):
        if key not in rec or rec[key] is None:
            raise ValueError(f"missing {key!r}")
    rid, text = rec["id"], rec["text"]
    if isinstance(rid, bool) or not isinstance(rid, (str, int)) or not str(rid).strip():
        raise ValueError("'id' must be a non-empty string")
    if not isinstance(text, str):
        raise ValueError("'text' must be a string")
    if not text.strip():
        raise ValueError("empty 'text'")
    for key in ("published", "url", "title"):
        if rec.get(key) is not None and not isinstance(rec[key], str):
            raise ValueError(f"{key!r} must be a string or null")
    date = rec.get("published")
    if date is not None and not valid_date(date):
        raise ValueError(f"'published' is not a YYYY-MM-DD date: {date!r}")
    url = rec.get("url") or None
    raw = text.encode("utf-8")    # a record's bytes are its text: the line itself holds other fields
    return InputDocument(
        id=str(rid), text=text, sha256=hashlib.sha256(raw).hexdigest(),
        source=url or f"{path}:{lineno}", published=date or published, url=url, title=rec.get("title") or None,
        raw=raw,
    )


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
    except _DecodeError as exc:
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

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

import hashlib
import io
import json
import os
import stat
import sys
from typing import Iterable, Iterator

from sayso.ingest.documents import (DEFAULT_LIMITS, DecodeError, Limits, ReadError, decode_bytes, html_document,
                                    text_document, valid_date)
from sayso.ingest.pdf import read_pdf
from sayso.ingest.warc import read_warc
from sayso.model import InputDocument

TEXT_EXTS = {".txt", ".text", ".md"}
JSONL_EXTS = {".jsonl"}
HTML_EXTS = {".html", ".htm"}
PDF_EXTS = {".pdf"}
WARC_EXTS = {".warc", ".warc.gz"}
KNOWN_EXTS = TEXT_EXTS | JSONL_EXTS | HTML_EXTS | PDF_EXTS | WARC_EXTS
STREAMED_EXTS = JSONL_EXTS | WARC_EXTS   # read a record at a time, never whole
STDIN_NAME = "<stdin>"
PDF_FACTOR = 10   # a PDF file may be this many times ``Limits.max_bytes``: most of a PDF is not text


def display_name(path: str) -> str:
    """A path as text that can always be printed and stored: bytes of a file name that are not
    UTF-8 (kept by Python as lone surrogates) are written as ``\\xNN``."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def one_line(exc: BaseException) -> str:
    """An exception as one line: its type and the first line of its message."""
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__


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
        if ext in STREAMED_EXTS:
            yield from _read_stream(name, ext, fh, info.st_size, published, limits)
            return
        cap = _cap(ext, limits)
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
    if ext in STREAMED_EXTS:
        yield from _read_stream(name, ext, io.BytesIO(data), len(data), published, limits)
        return
    cap = _cap(ext, limits)
    if len(data) > cap:
        yield ReadError(name, limits.too_large(len(data), cap))
    elif ext in HTML_EXTS:
        yield html_document(name, data, published)
    elif ext in PDF_EXTS:
        yield read_pdf(name, data, published, max_chars=limits.max_bytes)
    else:  # .txt/.text/.md, and any unknown extension named explicitly
        yield _read_text(name, data, published)


def _read_stream(name: str, ext: str, stream, size: int, published: str | None,
                 limits: Limits) -> Iterator[InputDocument | ReadError]:
    """A WARC archive record by record (archives can be far larger than memory), a JSONL file line
    by line (a record file may hold any number of documents)."""
    if ext in WARC_EXTS:
        yield from read_warc(name, stream, published, limits, size=size)
    else:
        yield from _read_jsonl_stream(name, stream, published, limits)


def _cap(ext: str, limits: Limits) -> int:
    """The most bytes a file read whole may have: a PDF's may be ``PDF_FACTOR`` times more."""
    return limits.max_bytes * (PDF_FACTOR if ext in PDF_EXTS else 1)


def _read_stdin(published: str | None, limits: Limits) -> Iterator[InputDocument | ReadError]:
    """Standard input: JSON Lines when its first line is a JSON object, else one plain-text document."""
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
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
    whole = _read_rest(STDIN_NAME, first, stream, limits)
    if isinstance(whole, ReadError):
        yield whole
        return
    yield text_document(STDIN_NAME, *whole, published)


def _read_rest(name: str, first: bytes, stream, limits: Limits) -> tuple[bytes, str] | ReadError:
    """``(bytes, text)``: ``first`` and the rest of ``stream``, at most ``max_bytes`` in all, decoded;
    else the ReadError that says why not."""
    data = first + stream.read(limits.max_bytes + 1 - len(first))
    if len(data) > limits.max_bytes:
        return ReadError(name, limits.too_large(len(data)))
    try:
        return data, decode_bytes(data)
    except DecodeError as exc:
        return ReadError(name, str(exc))


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
    except DecodeError as exc:
        return ReadError(path, str(exc))
    return text_document(path, data, text, published)


def _read_jsonl_stream(path: str, stream, published: str | None,
                       limits: Limits) -> Iterator[InputDocument | ReadError]:
    """The records of a JSON Lines stream, read a line at a time (each at most ``max_bytes``):
    a bad or oversized line is one ReadError naming it, and the lines after it are read."""
    first = stream.readline(limits.max_bytes + 1)
    if first.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):   # UTF-16/32: decoded whole
        whole = _read_rest(path, first, stream, limits)
        if isinstance(whole, ReadError):
            yield whole
            return
        for lineno, line in enumerate(whole[1].split("\n"), start=1):
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
                except DecodeError as exc:
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
    except DecodeError as exc:
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

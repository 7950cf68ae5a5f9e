"""Documents together with the original bytes they were read from (the chain of custody).

``read_paths`` gives documents with the sha256 of their input bytes but not the bytes. Here each
document is paired with the bytes whose sha256 it carries: the file at its ``source`` path (a .txt
or .html file), the bytes read from stdin, or, for a JSONL record, its ``text`` encoded as UTF-8
(what a JSONL record's sha256 is taken over). Bytes that no longer match (a file changed between
the two reads) become a ``ReadError``, never a document with the wrong bytes.
"""
from __future__ import annotations

import hashlib
import io
import os
import sys
from contextlib import contextmanager
from typing import Iterable, Iterator

from sayso.ingest.readers import ReadError, read_paths
from sayso.model import InputDocument

STDIN = "-"


def read_paths_with_raw(paths: Iterable[str], published: str | None = None,
                        skip: Iterable[str] = ()) -> Iterator[tuple[InputDocument, bytes] | ReadError]:
    """Like ``read_paths``, but each document comes as ``(document, raw_bytes)``."""
    skip = list(skip)
    for path in paths:
        if path == STDIN:
            data = _stdin_bytes()
            with _stdin_replaced(data):
                items = list(read_paths([STDIN], published))   # stdin is in memory already
            yield from _with_raw(items, stdin=data)
        else:
            yield from _with_raw(read_paths([path], published, skip=skip))


def raw_bytes_of(doc: InputDocument, stdin: bytes | None = None) -> bytes | None:
    """The bytes whose sha256 ``doc`` carries, or None when none of the candidates match."""
    for candidate in _candidates(doc, stdin):
        if hashlib.sha256(candidate).hexdigest() == doc.sha256:
            return candidate
    return None


def _with_raw(items: Iterable[InputDocument | ReadError], stdin: bytes | None = None):
    for item in items:
        if isinstance(item, ReadError):
            yield item
            continue
        raw = raw_bytes_of(item, stdin)
        if raw is None:
            yield ReadError(item.source or item.id, "the input changed while it was being read")
        else:
            yield item, raw


def _candidates(doc: InputDocument, stdin: bytes | None) -> Iterator[bytes]:
    if stdin is not None:
        yield stdin
    yield doc.text.encode("utf-8")                      # a JSONL record
    if doc.source and os.path.isfile(doc.source):
        try:
            with open(doc.source, "rb") as fh:
                yield fh.read()
        except OSError:
            return


def _stdin_bytes() -> bytes:
    buffer = getattr(sys.stdin, "buffer", None)
    return buffer.read() if buffer is not None else sys.stdin.read().encode("utf-8")


@contextmanager
def _stdin_replaced(data: bytes):
    saved = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", errors="replace")
    try:
        yield
    finally:
        sys.stdin = saved

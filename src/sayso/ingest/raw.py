"""Documents together with the original bytes they were read from (the chain of custody).

Every reader keeps the bytes its document's sha256 is taken over in ``InputDocument.raw``: the
file (.txt, .html, .pdf), the bytes read from stdin, a WARC response's payload, or, for a JSONL
record, its ``text`` encoded as UTF-8. Here each document is paired with those bytes, checked
against the sha256 once more, so nothing reaches the ledger with the wrong bytes.
"""
from __future__ import annotations

import hashlib
from typing import Iterable, Iterator

from sayso.ingest.readers import Limits, ReadError, read_paths
from sayso.model import InputDocument


def read_paths_with_raw(paths: Iterable[str], published: str | None = None,
                        skip: Iterable[str] = (), limits: Limits | None = None
                        ) -> Iterator[tuple[InputDocument, bytes] | ReadError]:
    """Like ``read_paths``, but each document comes as ``(document, raw_bytes)``."""
    return with_raw(read_paths(paths, published, skip=skip, limits=limits))


def with_raw(items: Iterable[InputDocument | ReadError]) -> Iterator[tuple[InputDocument, bytes] | ReadError]:
    """Pair each document with its raw bytes; one whose bytes are missing or do not match its
    sha256 becomes a ReadError."""
    for item in items:
        if isinstance(item, ReadError):
            yield item
        elif item.raw is None or hashlib.sha256(item.raw).hexdigest() != item.sha256:
            yield ReadError(item.source or item.id, "the document's bytes do not match its sha256")
        else:
            yield item, item.raw

"""Input shards for ``sayso batch``: list them, and read one into documents with their original bytes.

A shard is one input file (WARC, JSONL, text or HTML), on the local disk or on any filesystem
pyarrow reads (``s3://``, ``gs://``, ``hdfs://``, ``file://``...). It is the batch's unit of work:
one worker reads, extracts and writes it as a whole. A directory (or a URI naming one) stands for
the files below it with a known extension, as ``sayso extract`` reads them.

Local paths are read by ``sayso.ingest.raw.read_paths_with_raw``, exactly as ``sayso extract``
and ``sayso ingest`` read them, so a document's id, source and sha256 are the same whichever
command read it. A file on another filesystem is opened through pyarrow and its bytes go to the
same reader functions (``sayso.ingest.readers.read_bytes``); its documents' sources name its URI.
"""
from __future__ import annotations

import hashlib
import os
from typing import Iterable, Iterator

from sayso.ingest.raw import read_paths_with_raw, with_raw
from sayso.ingest.readers import (DEFAULT_LIMITS, JSONL_EXTS, KNOWN_EXTS, PDF_EXTS, PDF_FACTOR, WARC_EXTS, Limits,
                                  ReadError, directory_members, extension, read_bytes)
from sayso.model import InputDocument


def is_uri(name: str) -> bool:
    """Whether ``name`` is a URI (``scheme://...``) rather than a local path."""
    scheme, sep, _ = name.partition("://")
    return bool(sep) and scheme.isalnum() and len(scheme) > 1


def filesystem(name: str):
    """``(pyarrow filesystem, path on it)`` for a local path or a URI."""
    import pyarrow.fs as pafs

    if is_uri(name):
        return pafs.FileSystem.from_uri(name)
    return pafs.LocalFileSystem(), os.path.abspath(name)


def shard_id(name: str) -> str:
    """A shard's output files are named by this: the first 16 hex digits of the sha256 of its name."""
    return hashlib.sha256(name.encode("utf-8")).hexdigest()[:16]


def known_input(name: str) -> bool:
    """Whether a file name has one of the extensions the readers know (``.jsonl``, ``.warc.gz``...)."""
    return not os.path.basename(name).startswith(".") and extension(name) in KNOWN_EXTS


def list_shards(inputs: Iterable[str]) -> Iterator[str | ReadError]:
    """Each input file named by ``inputs`` (paths, directories, URIs), in the order given, a
    directory's files sorted; a ReadError for an input that is missing or holds no known file."""
    for name in inputs:
        try:
            found = _remote_members(name) if is_uri(name) else _local_members(name)
        except (OSError, ValueError) as exc:   # an unreachable bucket, a malformed URI
            yield ReadError(name, f"cannot list: {one_line(exc)}")
            continue
        if found is None:
            yield ReadError(name, "no such file or directory")
        elif not found:
            yield ReadError(name, "directory holds no input files of a known kind")
        else:
            yield from found


def _local_members(path: str) -> list[str] | None:
    if os.path.isdir(path):
        return directory_members(path)
    return [path] if os.path.exists(path) else None


def _remote_members(uri: str) -> list[str] | None:
    import pyarrow.fs as pafs

    fs, path = filesystem(uri)
    info = fs.get_file_info(path)
    if info.type == pafs.FileType.File:
        return [uri]
    if info.type != pafs.FileType.Directory:
        return None
    base, root = uri.rstrip("/"), path.rstrip("/")
    members = []
    for entry in fs.get_file_info(pafs.FileSelector(path, recursive=True)):
        rel = entry.path[len(root):].lstrip("/")
        if entry.type == pafs.FileType.File and known_input(rel) and not any(p.startswith(".") for p in rel.split("/")):
            members.append(rel)
    return [f"{base}/{rel}" for rel in sorted(members, key=lambda r: r.split("/"))]


def read_shard(name: str, published: str | None = None,
               limits: Limits | None = None) -> Iterator[tuple[InputDocument, bytes] | ReadError]:
    """The documents of one shard, each with the bytes its sha256 was taken over (or a ReadError);
    ``limits`` bound each document's size and an archive's inflation, as in ``sayso extract``."""
    if is_uri(name):
        yield from with_raw(_read_remote(name, published, limits or DEFAULT_LIMITS))
    else:
        yield from read_paths_with_raw([name], published, limits=limits)


def _read_remote(name: str, published: str | None, limits: Limits) -> Iterator[InputDocument | ReadError]:
    try:
        fs, path = filesystem(name)
        size = fs.get_file_info(path).size
        stream = fs.open_input_stream(path, compression=None)   # the bytes as stored, never decompressed
    except (OSError, ValueError) as exc:
        yield ReadError(name, f"cannot read: {one_line(exc)}")
        return
    ext = extension(name)
    # one document a file is read no further than its limit (the reader names it); JSON Lines
    # are bounded line by line
    cap = None if ext in JSONL_EXTS else limits.max_bytes * (PDF_FACTOR if ext in PDF_EXTS else 1)
    if cap is not None and size is not None and size > cap:
        stream.close()
        yield ReadError(name, limits.too_large(size, cap))
        return
    with stream:
        if ext in WARC_EXTS:   # record by record: an archive may be larger than memory
            from sayso.ingest.warc import read_warc

            yield from read_warc(name, stream, published, limits, size=size)
            return
        try:
            data = stream.read() if cap is None else stream.read(cap + 1)
        except OSError as exc:
            yield ReadError(name, f"cannot read: {one_line(exc)}")
            return
    yield from read_bytes(name, data, published, limits)


def one_line(exc: BaseException) -> str:
    """The first line of an exception's message (its type's name when it has none)."""
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]

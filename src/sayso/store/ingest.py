"""Ingest: read paths, extract each new document, store it in the ledger, one document at a time.

Streaming and resumable: documents are read, extracted and committed one by one (memory stays
flat however large the corpus), and a document whose bytes are already stored is skipped before
extraction, so a run that was killed picks up where it stopped. ``ingest_paths`` yields one
``Outcome`` per input for the caller to count and report.

A document whose extraction ran out of its budget (``sayso.budget.OverBudget``: too long, too
much memory) is written to ``failed_documents``, and a rerun skips it (``FAILED_BEFORE``) rather
than spend its budget on it again at every run; ``retry_failed`` tries such documents again.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import DataError, IntegrityError

from sayso.budget import OverBudget
from sayso.ingest.raw import read_paths_with_raw
from sayso.ingest.readers import Limits, ReadError
from sayso.model import InputDocument
from sayso.store.ledger import Ledger
from sayso.store.schema import failed_documents

ADDED, SKIPPED, ERROR = "added", "skipped", "error"
FAILED_BEFORE = "failed-before"     # skipped: it ran out of its budget in an earlier run


@dataclass(frozen=True)
class Outcome:
    """What happened to one input: ``added``, ``skipped`` (already stored), ``failed-before``
    (skipped: out of its budget in an earlier run) or ``error``."""

    status: str
    name: str                  # the document's source (path, URL) or id
    message: str | None = None  # for an error: one line
    figures: int = 0


def ingest_paths(paths: Iterable[str], ledger: Ledger, extractor: Callable[[InputDocument], dict],
                 published: str | None = None, limits: Limits | None = None,
                 retry_failed: bool = False) -> Iterator[Outcome]:
    """Store every document under ``paths`` that the ledger does not hold yet.

    ``extractor`` turns a document into its record; pass a lazy one (``LazyExtractor``) so that a
    run with nothing new never loads the language model. One bad input never stops the batch. A
    document that ran out of its budget before is skipped (``FAILED_BEFORE``, its reason as the
    message) unless ``retry_failed``.
    """
    for item in read_paths_with_raw(paths, published=published, limits=limits):
        if isinstance(item, ReadError):
            yield Outcome(ERROR, item.path, item.message)
            continue
        doc, raw = item
        name = doc.source or doc.id
        if ledger.has(doc.sha256):
            yield Outcome(SKIPPED, name)
            continue
        reason = None if retry_failed else failed_before(ledger, doc.sha256)
        if reason is not None:
            yield Outcome(FAILED_BEFORE, name, reason)
            continue
        try:
            record = extractor(doc)
        except ExtractorUnavailable:
            raise
        except OverBudget as exc:  # not tried again at every run
            _set_failed(ledger, doc, str(exc))
            yield Outcome(ERROR, name, f"not extracted: it {exc}")
            continue
        except Exception as exc:  # one document that breaks the extractor must not stop the batch
            yield Outcome(ERROR, name, f"extraction failed: {type(exc).__name__}: {exc}")
            continue
        outcome = _store(ledger, doc, raw, record)
        if retry_failed and outcome.status == ADDED:
            _set_failed(ledger, doc, None)
        yield outcome


def failed_before(ledger: Ledger, sha256: str) -> str | None:
    """Why the document with these bytes ran out of its budget in an earlier run (None if it did not)."""
    with ledger.engine.connect() as conn:
        return conn.execute(select(failed_documents.c.reason).where(failed_documents.c.sha256 == sha256)).scalar()


def _set_failed(ledger: Ledger, doc: InputDocument, reason: str | None) -> None:
    """Note (or, with ``reason`` None, forget) that ``doc`` ran out of its budget."""
    with ledger.writing() as conn:
        conn.execute(delete(failed_documents).where(failed_documents.c.sha256 == doc.sha256))
        if reason is not None:
            conn.execute(insert(failed_documents).values(sha256=doc.sha256, source=doc.source or doc.id, reason=reason,
                                                         failed_at=_dt.datetime.now(_dt.timezone.utc)))


def ingest_records(items: Iterable[tuple[InputDocument, bytes, dict]], ledger: Ledger) -> Iterator[Outcome]:
    """Store documents extracted elsewhere (``sayso batch`` output): ``(document, raw bytes, record)``
    triples, skipping those whose bytes are stored already, exactly as ``ingest_paths`` does."""
    for doc, raw, record in items:
        if ledger.has(doc.sha256):
            yield Outcome(SKIPPED, doc.source or doc.id)
        else:
            yield _store(ledger, doc, raw, record)


def _store(ledger: Ledger, doc: InputDocument, raw: bytes, record: dict) -> Outcome:
    name = doc.source or doc.id
    try:
        added = ledger.add(doc, raw, record)
    except (IntegrityError, DataError) as exc:   # this record will not go in; the next may
        return Outcome(ERROR, name, f"cannot store: {str(exc.orig).splitlines()[0]}")
    except ValueError as exc:                    # raw bytes that are not the document's
        return Outcome(ERROR, name, str(exc))
    return Outcome(ADDED if added else SKIPPED, name, figures=len(record["figures"]) if added else 0)


class ExtractorUnavailable(RuntimeError):
    """The extractor could not be built (a model that will not load): the run cannot go on."""


class LazyExtractor:
    """Builds the extractor (and loads its spaCy pipeline) on the first document that needs it."""

    def __init__(self, factory: Callable[[], Callable[[InputDocument], dict]]):
        self._factory = factory
        self._extractor = None

    def __call__(self, doc: InputDocument) -> dict:
        if self._extractor is None:
            try:
                self._extractor = self._factory()
            except Exception as exc:
                raise ExtractorUnavailable(f"cannot load the extractor: {exc}") from exc
        return self._extractor(doc)

    def close(self) -> None:
        """End the extractor's worker, if it was built and has one."""
        if self._extractor is not None and hasattr(self._extractor, "close"):
            self._extractor.close()


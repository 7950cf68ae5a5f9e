"""The ledger: a database of documents, their original bytes, figures, sources and quotes.

``Ledger(url)`` opens (and creates) it: ``sqlite:///sayso.db`` by default, a bare path means an
SQLite file, and ``postgresql://...`` works through SQLAlchemy. ``add`` stores one document and
its ``sayso.document/1`` record in a single transaction, so a killed run never leaves half a
document; storing the same bytes again is a no-op. ``regroup`` links figures that state the same
quantity across all stored documents (``figures.group_id``) and records conflicting estimates
(``figure_conflicts``). The query methods are what ``sayso figures``, ``sayso groups``,
``sayso sources`` and ``sayso show`` print: the ledger as reviewed (a person's corrections over
the machine's values, rejected figures left out, added ones in), or with ``as_extracted=True``
what sayso extracted (``sayso.store.layers``).
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
from typing import Iterator

from sqlalchemy import bindparam, create_engine, delete, event, func, insert, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError

from sayso.link.publishers import PublisherMap, normalise_site
from sayso.model import InputDocument
from sayso.store import queries
from sayso.store.layers import REVIEWED, layer as _layer
from sayso.store.schema import (LEDGER_SCHEMA, create_schema, document_repeats, documents, figure_conflicts, figures,
                                ledger_info, publishers, quotes, sources)

DEFAULT_URL = "sqlite:///sayso.db"


class LedgerError(ValueError):
    """A ledger that cannot be used (unknown schema, bad URL); the message is one line."""


def ledger_url(value: str | None) -> str:
    """A database URL from what a user typed: a URL as it is, a bare path as an SQLite file."""
    if not value:
        return DEFAULT_URL
    if "://" in value:
        if value.startswith("postgresql://") or value.startswith("postgres://"):
            return _postgres_url(value)
        return value
    return f"sqlite:///{value}"


def _postgres_url(value: str) -> str:
    """``postgresql://`` picks whichever driver is installed (psycopg 3, else psycopg2)."""
    rest = value.split("://", 1)[1]
    try:
        import psycopg  # noqa: F401
        return f"postgresql+psycopg://{rest}"
    except ImportError:
        return f"postgresql://{rest}"


class Ledger:
    """One ledger database. Use as a context manager, or call ``close``."""

    def __init__(self, url: str | None = None, create: bool = True):
        """Open the ledger at ``url``; with ``create=False`` an SQLite file must exist already."""
        self.url = ledger_url(url)
        try:
            self.engine: Engine = create_engine(self.url)
        except Exception as exc:  # bad URL, missing driver: one line for the user
            raise LedgerError(f"cannot open ledger {self.url!r}: {exc}") from None
        if self.engine.dialect.name == "sqlite":
            path = self.engine.url.database
            if not create and path and path != ":memory:" and not os.path.exists(path):
                raise LedgerError(f"no ledger at {path} (create one with `sayso ingest PATH --db ...`)")
            event.listen(self.engine, "connect", _sqlite_connect)
            event.listen(self.engine, "begin", _sqlite_begin)
        self._writer = self.engine.execution_options(**{_WRITE: True})
        try:
            self.searchable = create_schema(self._writer)
        except DBAPIError as exc:
            raise LedgerError(f"cannot open ledger {self.url!r}: {str(exc.orig).splitlines()[0]}") from None
        self._check_schema()
        from sayso.store.review import fill_columns
        fill_columns(self)        # reviews made before they had columns: readers see them too

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Ledger":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- writing ------------------------------------------------------------------------------

    def writing(self):
        """A writing transaction (``with ledger.writing() as conn: ...``): on SQLite it takes the
        write lock at once, so concurrent writers queue instead of failing."""
        return self._writer.begin()

    def has(self, sha256: str) -> bool:
        """Whether a document with these bytes is stored."""
        with self.engine.connect() as conn:
            return conn.execute(select(documents.c.id).where(documents.c.sha256 == sha256)).first() is not None

    def add(self, doc: InputDocument, raw: bytes, record: dict,
            ingested_at: _dt.datetime | None = None) -> bool:
        """Store ``doc`` (its original bytes ``raw`` and its record) in one transaction.

        Returns False, changing nothing, when the same bytes are already stored. Raises
        ValueError when ``raw`` is not the bytes ``doc.sha256`` was taken over.
        """
        if hashlib.sha256(raw).hexdigest() != doc.sha256:
            raise ValueError(f"{doc.source or doc.id}: the raw bytes do not match the document's sha256")
        try:
            with self._writer.begin() as conn:
                if _document_id(conn, doc.sha256) is not None:
                    return False
                _insert_document(conn, doc, raw, record, ingested_at or _dt.datetime.now(_dt.timezone.utc))
        except IntegrityError:
            if self.has(doc.sha256):     # stored meanwhile by another process: still a no-op
                return False
            raise
        return True

    def regroup(self) -> dict[str, int]:
        """(Re)link every stored figure and write groups, events, conflicts and reposts in one
        transaction.

        ``sayso.link.corpus.link_records`` over all stored records, read back with their texts:
        figures that state the same quantity share ``figures.group_id`` (``"g1"``, ``"g2"``, … in
        reading order; None for a figure stated once); every estimate of one event shares
        ``figures.event_id`` (``"e1"``, …); figures of different values about one event
        (``conflicts``) are written to ``figure_conflicts``; documents that repeat an earlier one
        (``sayso.link.reposts``) to ``document_repeats``. Idempotent: on an unchanged ledger it
        writes the same ids and changes nothing. Ids are renumbered when new documents arrive, so
        they name a group or event within one state of the ledger only.

        Linking runs over the reviewed figures (corrected values, rejected ones left out, added ones
        in); reviews are kept by figure, so a relinking after new documents keeps them. Reviewers'
        merges and splits of groups and events (``sayso.store.links``) are applied to the machine's
        partition before it is written: they are kept as constraints between figures, so they hold
        whatever ids the relinking gives.

        Linking needs every figure at once: it holds all records and texts in memory and compares
        candidate pairs across the whole ledger, so on a large ledger it is slow (ingest calls it
        once, at the end of a run). Returns counts: figures, groups, grouped figures, events,
        conflicts, reposts.
        """
        from sayso.link.constraints import correct_pairs
        from sayso.link.corpus import link_records
        from sayso.link.reposts import find_reposts
        from sayso.store.links import constraints, drop_settled_conflicts

        records, texts, figure_ids = [], [], {}
        with self.engine.connect() as conn:
            current = {row.id: (row.group_id, row.event_id)
                       for row in conn.execute(select(figures.c.id, figures.c.group_id, figures.c.event_id))}
            doc_ids = conn.execute(select(documents.c.id).order_by(documents.c.id)).scalars().all()
            for doc_id in doc_ids:
                key = f"d{doc_id}"        # the row id: record ids may repeat across documents
                record = queries.document_record(conn, doc_id, REVIEWED)
                record["document"]["id"] = key
                query = queries.figure_query(document=doc_id).order_by(None).order_by(REVIEWED.figures.c.id)
                ids = conn.execute(query.with_only_columns(REVIEWED.figures.c.id)).scalars().all()
                for fig, row_id in zip(record["figures"], ids):
                    for machine in ("group", "event", "review"):
                        fig.pop(machine, None)
                    figure_ids[f"{key}/{fig['id']}"] = row_id
                    fig["_row"] = row_id
                records.append(record)
                texts.append(conn.execute(select(documents.c.text).where(documents.c.id == doc_id)).scalar_one())
            rules = constraints(conn)
        found = link_records(records, texts)
        repeats = find_reposts((r["document"]["id"], t) for r, t in zip(records, texts))
        wanted = {f["_row"]: (f.get("group"), f.get("event")) for r in records for f in r["figures"]}
        wanted = correct_pairs(wanted, rules)     # reviewers' merges and splits (sayso.store.links) win
        changed = [{"fid": fid, "gid": want[0], "eid": want[1]} for fid, now in current.items()
                   if (want := wanted.get(fid, (None, None))) != now]   # a rejected figure leaves its group
        conflict_rows = [{"conflict": n, "figure_id": figure_ids[key], "group_id": wanted[figure_ids[key]][0]}
                         for n, c in enumerate(found, start=1) for key in c["figures"] if key in figure_ids]
        repeat_rows = [{"document_id": int(k[1:]), "repeats_id": int(v[1:])} for k, v in repeats.items()]
        settled = 0
        with self._writer.begin() as conn:
            if changed:
                conn.execute(update(figures).where(figures.c.id == bindparam("fid"))
                             .values(group_id=bindparam("gid"), event_id=bindparam("eid")), changed)
            conn.execute(delete(figure_conflicts))
            if conflict_rows:
                conn.execute(insert(figure_conflicts), conflict_rows)
                settled = drop_settled_conflicts(conn)      # estimates a reviewer merged into one group
            conn.execute(delete(document_repeats))
            if repeat_rows:
                conn.execute(insert(document_repeats), repeat_rows)
            _set_info(conn, _GROUPED, _documents_state(conn))
            _set_info(conn, _LINKING, LINKING)
        groups = {g for g, _ in wanted.values() if g}
        events = {e for _, e in wanted.values() if e}
        return {"figures": len(figure_ids), "groups": len(groups),
                "grouped_figures": sum(1 for g, _ in wanted.values() if g),
                "events": len(events), "conflicts": len(found) - settled, "reposts": len(repeats)}

    def groups_stale(self) -> bool:
        """Whether documents were added (or removed) since figures were last linked, or they were
        linked by a sayso that knew less (``LINKING``: a ledger grouped before events were)."""
        with self.engine.connect() as conn:
            state = _documents_state(conn)
            done = conn.execute(select(ledger_info.c.value).where(ledger_info.c.key == _GROUPED)).scalar()
            linking = conn.execute(select(ledger_info.c.value).where(ledger_info.c.key == _LINKING)).scalar()
        if state == "0:0" and done is None:
            return False
        return done != state or linking != LINKING

    # --- reading ------------------------------------------------------------------------------

    def groups(self, as_extracted: bool = False, *, category: str | None = None, place: str | None = None,
               source: str | None = None, conflicts_only: bool = False, min_documents: int | None = None) -> list[dict]:
        """Every quantity stated more than once (a group), and every figure stated once that
        conflicts with another, conflicts first, then by number of documents. Each with its
        quantity, values (with their documents and sources), independent sources and
        corroborations, and the groups it conflicts with (see ``queries.group_rows``). As of the
        last ``regroup``. Filters: the group's ``category`` and ``place`` (exactly, any case), a
        ``source`` name among its sources (part of it), ``conflicts_only``, ``min_documents``."""
        with self.engine.connect() as conn:
            rows = queries.group_rows(conn, _layer(as_extracted))
        return [r for r in rows if queries.group_matches(r, category=category, place=place, source=source,
                                                         conflicts_only=conflicts_only, min_documents=min_documents)]

    def conflict_numbers(self) -> dict[int, int]:
        """``figure row id -> event number`` for every figure stating an estimate that conflicts
        with another of the same event (as of the last ``regroup``)."""
        with self.engine.connect() as conn:
            return dict(conn.execute(select(figure_conflicts.c.figure_id, figure_conflicts.c.conflict)).all())

    def events(self, as_extracted: bool = False, *, category: str | None = None, place: str | None = None,
               source: str | None = None, since: str | None = None, until: str | None = None,
               min_value: float | None = None, max_value: float | None = None,
               search: str | None = None) -> list[dict]:
        """Events with a figure matching every filter given (the filters of ``figures``), each with
        all its estimates in the order they were first stated (``queries.event_rows``), read as
        reviewed unless ``as_extracted``. As of the last ``regroup``."""
        layer = _layer(as_extracted)
        query = queries.figure_query(category=category, place=place, source=source, since=since,
                                     until=until, min_value=min_value, max_value=max_value,
                                     search=search, fts=self.searchable, layer=layer)
        with self.engine.connect() as conn:
            return queries.event_rows(conn, query, layer=layer)

    def event(self, event_id: str, as_extracted: bool = False) -> dict | None:
        """One event with its estimates (as ``events``); None where no figure carries that id."""
        with self.engine.connect() as conn:
            found = queries.event_rows(conn, event=event_id, layer=_layer(as_extracted))
        return found[0] if found else None

    def repeats(self) -> list[dict]:
        """Which stored document repeats (reposts) which earlier one: ``{"document", "repeats"}``
        keys, as of the last ``regroup``."""
        original = documents.alias("original")
        with self.engine.connect() as conn:
            rows = conn.execute(select(documents.c.key, original.c.key.label("repeats"))
                                .join(document_repeats, document_repeats.c.document_id == documents.c.id)
                                .join(original, original.c.id == document_repeats.c.repeats_id)
                                .order_by(documents.c.id)).all()
        return [{"document": r.key, "repeats": r.repeats} for r in rows]

    def counts(self) -> dict[str, int]:
        """How many documents, figures, sources and quotes are stored."""
        with self.engine.connect() as conn:
            return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                    for t in (documents, figures, sources, quotes)}

    def figures(self, *, category: str | None = None, place: str | None = None, source: str | None = None,
                since: str | None = None, until: str | None = None, min_value: float | None = None,
                max_value: float | None = None, search: str | None = None, site: str | None = None,
                document: int | None = None, limit: int | None = None, as_extracted: bool = False) -> list[dict]:
        """Figures matching every filter given, each with its document and sources.

        ``category`` and ``place`` match exactly (case-insensitive); ``source`` is part of a source's
        name (or, for a figure in a document's own voice, of its publisher or site); ``since`` and
        ``until`` (YYYY-MM-DD) bound the figure's time, or its document's date where it has none;
        ``min_value``/``max_value`` bound its value (its low, or its high where it has no low);
        ``search`` holds words that must all occur in the figure, what it counts or its sentence;
        ``site`` is the document's site. Each row has its ``review_state`` (None: not reviewed).
        """
        layer = _layer(as_extracted)
        query = queries.figure_query(category=category, place=place, source=source, since=since,
                                     until=until, min_value=min_value, max_value=max_value, site=site,
                                     search=search, document=document, fts=self.searchable, limit=limit,
                                     layer=layer)
        with self.engine.connect() as conn:
            return queries.figure_rows(conn, query, layer)

    # --- publishers ----------------------------------------------------------------------------

    def publisher_entries(self) -> dict[str, str]:
        """The user's site -> publisher entries kept in this ledger."""
        with self.engine.connect() as conn:
            return dict(conn.execute(select(publishers.c.site, publishers.c.name).order_by(publishers.c.site)).all())

    def set_publishers(self, entries: dict[str, str]) -> int:
        """Keep site -> publisher entries (replacing a site's old one) and re-attribute the stored
        documents of those sites; return how many documents changed publisher."""
        entries = {normalise_site(k): v.strip() for k, v in entries.items()}
        with self._writer.begin() as conn:
            for site, name in entries.items():
                conn.execute(delete(publishers).where(publishers.c.site == site))
                conn.execute(insert(publishers).values(site=site, name=name))
            return _reattribute(conn)

    def reattribute(self) -> int:
        """Give every stored document the publisher its site maps to by this ledger's entries (as
        ``ingest`` does for the documents it extracts); for records made elsewhere (``sayso batch``).
        Returns how many documents changed publisher."""
        with self._writer.begin() as conn:
            return _reattribute(conn)

    def remove_publisher(self, site: str) -> int:
        """Drop a site's entry (sayso's vocabulary applies again); return documents changed."""
        with self._writer.begin() as conn:
            conn.execute(delete(publishers).where(publishers.c.site == normalise_site(site)))
            return _reattribute(conn)

    def sites(self) -> list[dict]:
        """Each site documents come from: its document count and publisher, most documents first."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(documents.c.site, documents.c.publisher, func.count().label("documents"))
                                .where(documents.c.site.is_not(None))
                                .group_by(documents.c.site, documents.c.publisher)).all()
        return sorted(({"site": r.site, "publisher": r.publisher, "documents": r.documents} for r in rows),
                      key=lambda r: (-r["documents"], r["site"]))

    def sources(self, as_extracted: bool = False, *, name: str | None = None, role: str | None = None,
                min_figures: int | None = None) -> list[dict]:
        """Who is cited, how often and in which role, most cited first. A figure with no source
        counts for its document's publisher (or site) in the role ``own_voice``. Filters: part of
        the ``name``, a ``role`` it is cited in, at least ``min_figures`` figures."""
        with self.engine.connect() as conn:
            return queries.source_rows(conn, _layer(as_extracted), name=name, role=role, min_figures=min_figures)

    def resolve(self, ref: str | int) -> int | None:
        """A document's row id from its id, its record id, or a prefix of its sha256 (6+ hex digits)."""
        with self.engine.connect() as conn:
            return queries.resolve_document(conn, str(ref))

    def document(self, ref: str | int, as_extracted: bool = False) -> dict | None:
        """A document's metadata, text, figures (with sources) and quotes; None if not stored."""
        doc_id = self.resolve(ref)
        if doc_id is None:
            return None
        with self.engine.connect() as conn:
            found = queries.document_row(conn, doc_id)
        found["figures"] = self.figures(document=doc_id, as_extracted=as_extracted)
        with self.engine.connect() as conn:
            found["quotes"] = queries.quote_rows(conn, doc_id, _layer(as_extracted))
        return found

    def raw_bytes(self, ref: str | int) -> bytes | None:
        """The original bytes of a document, exactly as they were read."""
        doc_id = self.resolve(ref)
        if doc_id is None:
            return None
        with self.engine.connect() as conn:
            return conn.execute(select(documents.c.raw_bytes).where(documents.c.id == doc_id)).scalar_one()

    def record(self, ref: str | int, as_extracted: bool = False) -> dict | None:
        """The ``sayso.document/1`` record of a stored document: as reviewed (reviewed figures
        carry their ``review`` state), or as it was added with ``as_extracted``."""
        doc_id = self.resolve(ref)
        if doc_id is None:
            return None
        with self.engine.connect() as conn:
            return queries.document_record(conn, doc_id, _layer(as_extracted))

    def records(self, as_extracted: bool = False) -> Iterator[dict]:
        """Every stored document's record (see ``record``), in the order they were added (one at a time)."""
        with self.engine.connect() as conn:
            ids = conn.execute(select(documents.c.id).order_by(documents.c.id)).scalars().all()
        for doc_id in ids:
            with self.engine.connect() as conn:
                yield queries.document_record(conn, doc_id, _layer(as_extracted))

    # --- internals ----------------------------------------------------------------------------

    def _check_schema(self) -> None:
        with self._writer.begin() as conn:
            found = conn.execute(select(ledger_info.c.value).where(ledger_info.c.key == "schema")).scalar()
            if found is None:
                conn.execute(insert(ledger_info).values(key="schema", value=LEDGER_SCHEMA))
            elif found != LEDGER_SCHEMA:
                raise LedgerError(f"{self.url}: ledger schema {found!r}, this sayso reads {LEDGER_SCHEMA!r}")


_WRITE = "sayso_write"   # execution option: this transaction writes
_GROUPED = "grouped_documents"   # ledger_info: the documents' state ("count:max id") at the last regroup
_LINKING = "linking"             # ledger_info: what the last regroup computed
LINKING = "groups+events/1"


def _documents_state(conn: Connection) -> str:
    n, top = conn.execute(select(func.count(), func.max(documents.c.id)).select_from(documents)).one()
    return f"{n}:{top or 0}"


def _set_info(conn: Connection, key: str, value: str) -> None:
    if conn.execute(select(ledger_info.c.key).where(ledger_info.c.key == key)).first() is None:
        conn.execute(insert(ledger_info).values(key=key, value=value))
    else:
        conn.execute(update(ledger_info).where(ledger_info.c.key == key).values(value=value))


def _sqlite_connect(dbapi_conn, _record) -> None:
    """SQLite as a ledger: transactions begin where SQLAlchemy begins them (not at the sqlite3
    module's first INSERT), foreign keys enforced, a writer waits for another instead of failing,
    and write-ahead logging with ``synchronous=NORMAL``: a commit needs no fsync, yet a killed
    process loses nothing committed and never leaves half a transaction (only a power cut can
    lose the last commits). Readers (``sayso figures``, Datasette) read while ``ingest`` writes."""
    dbapi_conn.isolation_level = None
    cursor = dbapi_conn.cursor()
    for pragma in ("foreign_keys = ON", "busy_timeout = 30000", "journal_mode = WAL", "synchronous = NORMAL"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    """A writing transaction takes the write lock at once (two writers then queue rather than
    deadlock); a reading one takes none until it reads."""
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "BEGIN")


def _reattribute(conn: Connection) -> int:
    """Give every stored document the publisher its site now maps to (the ledger's entries are the
    whole of the user's mapping: ingest keeps a --publishers file's entries here); return how many
    documents changed."""
    entries = dict(conn.execute(select(publishers.c.site, publishers.c.name)).all())
    mapping = PublisherMap(entries)
    changed = 0
    for site, current in conn.execute(select(documents.c.site, documents.c.publisher)
                                      .where(documents.c.site.is_not(None)).distinct()).all():
        wanted = mapping.lookup(site)
        if wanted != current:
            changed += conn.execute(update(documents).where(documents.c.site == site)
                                    .values(publisher=wanted)).rowcount
    return changed


def _document_id(conn: Connection, sha256: str) -> int | None:
    return conn.execute(select(documents.c.id).where(documents.c.sha256 == sha256)).scalar()


def _insert_document(conn: Connection, doc: InputDocument, raw: bytes, record: dict,
                     ingested_at: _dt.datetime) -> int:
    meta = record["document"]
    previous = None
    if doc.url:
        previous = conn.execute(select(func.max(documents.c.id)).where(documents.c.url == doc.url)).scalar()
    doc_id = conn.execute(insert(documents).values(
        key=str(meta.get("id") or doc.id), sha256=doc.sha256, source=doc.source, url=doc.url,
        title=meta.get("title", doc.title), published=meta.get("published", doc.published),
        site=meta.get("site"), publisher=meta.get("publisher"), language=meta.get("language"),
        crawled=meta.get("crawled", doc.crawled), ingested_at=ingested_at, text=doc.text, raw_bytes=raw, previous_version_id=previous,
    )).inserted_primary_key[0]
    figure_rows = [figure_row(doc_id, doc.text, fig) for fig in record["figures"]]
    if figure_rows:
        figure_ids = conn.execute(insert(figures).returning(figures.c.id, sort_by_parameter_order=True),
                                  figure_rows).scalars().all()
        source_rows = [
            {"figure_id": fid, "position": i, "name": s["name"], "text": s["text"], "role": s["role"],
             "date": s.get("date"), "cites": json.dumps(s["cites"], ensure_ascii=False) if s.get("cites") else None}
            for fid, fig in zip(figure_ids, record["figures"]) for i, s in enumerate(fig["sources"])
        ]
        if source_rows:
            conn.execute(insert(sources), source_rows)
    quote_rows = [{"document_id": doc_id, "start": q["start"], "end": q["end"], "text": q["text"],
                   "speaker": q.get("speaker"), "speaker_text": q.get("speaker_text"), "cue": q.get("cue")}
                  for q in record["quotes"]]
    if quote_rows:
        conn.execute(insert(quotes), quote_rows)
    return doc_id


def figure_row(doc_id: int | None, text: str, fig: dict) -> dict:
    """A record's figure as a row of the ``figures`` table (its sources apart), with its sentence's text."""
    time = fig.get("time") or {}
    sentence = fig["sentence"]
    return {
        "document_id": doc_id, "fig": fig["id"], "start": fig["start"], "end": fig["end"], "text": fig["text"],
        "kind": fig["kind"], "low": fig["value"]["low"], "high": fig["value"]["high"],
        "qualifier": fig["qualifier"], "counted": fig.get("counted"), "category": fig["category"],
        "time_text": time.get("text"), "time_start": time.get("start"), "time_end": time.get("end"),
        "place": fig.get("place"), "sentence_start": sentence["start"], "sentence_end": sentence["end"],
        "sentence": text[sentence["start"]:sentence["end"]], "group_id": fig.get("group"),
        "event_id": fig.get("event"),
    }

"""The ledger: a database of documents, their original bytes, figures, sources and quotes.

``Ledger(url)`` opens (and creates) it: ``sqlite:///sayso.db`` by default, a bare path means an
SQLite file, and ``postgresql://...`` works through SQLAlchemy. ``add`` stores one document and
its ``sayso.document/1`` record in a single transaction, so a killed run never leaves half a
document; storing the same bytes again is a no-op. ``regroup`` links the figures of the documents
added since it last ran with the stored figures they can link with (their blocks): figures that
state the same quantity share ``figures.group_id``, estimates of one event ``figures.event_id``,
and conflicting estimates are recorded (``figure_conflicts``). The query methods are what ``sayso figures``, ``sayso groups``,
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

from sqlalchemy import and_, bindparam, create_engine, delete, event, func, insert, or_, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError

from sayso.link.blocking import UNPLACED, split_block, unplaced_block
from sayso.link.publishers import PublisherMap, normalise_site
from sayso.link.reach import FIELDS as REACH_FIELDS, bounds, reachable, reaches
from sayso.model import InputDocument
from sayso.store import queries
from sayso.store.layers import REVIEWED, layer as _layer
from sayso.store.links import apply as apply_constraints
from sayso.store.rows import figure_row
from sayso.store.schema import (LEDGER_SCHEMA, create_schema, document_bands, document_repeats, documents,
                                figure_conflicts, figures, ledger_info, publishers, quotes, review_log, sources)

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
        """Link the figures of the documents stored (or reviewed) since the last regroup, and write
        groups, events, conflicts and reposts; on a ledger never linked by this sayso
        (``LINKING``), link every figure.

        Linking goes block by block (``sayso.link.blocking.block_key``: a figure's kind and
        country; no figure links with one of another block), and within a block by linked sets
        (``figures.component``: the figures joined by any group, event or conflict link). The new
        documents' figures are given their block and their reach (``figures.reach_*``,
        ``sayso.link.reach``: their dates and values); of the blocks they touch, only the linked
        sets a new figure can reach are read back (their documents' records, as reviewed, with
        their texts) and relinked with them (``link.corpus.link_block``), a chunk of blocks at a
        time: the work and the memory follow what was added and the few estimates near it in
        time and value, not the size of the ledger or of a block. Relinking whole linked sets
        gives what relinking their blocks would. Figures that state the same quantity share ``figures.group_id``
        (``"g1"``, …; None for a figure stated once), every estimate of one event shares
        ``figures.event_id`` (``"e1"``, …), conflicting estimates go to ``figure_conflicts`` (one
        number per conflict); a relinked set keeps the id its earliest figure had where it can,
        else takes the next free number, so ids stay unique and mostly stable. A new document
        is compared for reposts only with the stored documents sharing a MinHash band
        (``document_bands``), and what it repeats goes to ``document_repeats``.

        Linking runs over the reviewed figures (corrected values, rejected ones left out, added
        ones in): a figure reviewed since the last regroup is relinked as a new one, with the
        linked set it was in. Reviewers'
        merges and splits of groups and events (``sayso.store.links``) are kept as constraints
        between figures and applied after the relinking, so they hold whatever ids it gives. Idempotent:
        with nothing new it changes nothing. Returns counts over the whole ledger: figures,
        groups, grouped figures, events, conflicts, reposts; and ``relinked``, the figures this
        regroup relinked.
        """
        with self.engine.connect() as conn:
            info = dict(conn.execute(select(ledger_info.c.key, ledger_info.c.value)).all())
            full = info.get(_LINKING) != LINKING or _LINKED_DOCUMENTS not in info
            since_doc = 0 if full else int(info[_LINKED_DOCUMENTS])
            since_review = 0 if full else int(info.get(_LINKED_REVIEWS, 0))
            top_doc = conn.execute(select(func.max(documents.c.id))).scalar() or 0
            top_review = conn.execute(select(func.max(review_log.c.id))).scalar() or 0
            new_docs = conn.execute(select(documents.c.id).where(documents.c.id > since_doc)
                                    .order_by(documents.c.id)).scalars().all()
            reviewed = conn.execute(select(figures.c.document_id).join(review_log, review_log.c.figure_id == figures.c.id)
                                    .where(review_log.c.id > since_review).distinct()).scalars().all()
        dirty = sorted(set(new_docs) | set(reviewed))
        touched, left = self._place_in_blocks(dirty)
        if full:
            with self._writer.begin() as conn:
                conn.execute(delete(figure_conflicts))
                conn.execute(delete(document_repeats))
                conn.execute(delete(document_bands))
                _set_info(conn, _NEXT, json.dumps(_next_numbers(conn)))
        relinked = 0
        for chunk in self._chunks(touched, across=not full):
            rows = self._block_rows(chunk) if full else self._reached(chunk, dirty, left)
            self._relink(rows)
            relinked += len(rows)
        if full:
            # the blocks were linked apart: now the figures nothing places meet the linked sets
            # of the other blocks of their kind they can reach
            unplaced, left = self._unplaced()
            for chunk in self._chunks({unplaced_block(kind) for kind in unplaced}):
                self._relink(self._reached(chunk, sorted(set().union(*unplaced.values())), left))
        with self._writer.begin() as conn:
            apply_constraints(conn)      # reviewers' merges and splits (sayso.store.links) win, whatever ids relinking gave
        self._find_reposts(new_docs)
        with self._writer.begin() as conn:
            _set_info(conn, _LINKED_DOCUMENTS, str(top_doc))
            _set_info(conn, _LINKED_REVIEWS, str(top_review))
            _set_info(conn, _GROUPED, _documents_state(conn))
            _set_info(conn, _LINKING, LINKING)
        return {**self._link_counts(), "relinked": relinked}

    def _place_in_blocks(self, doc_ids: list[int]) -> tuple[set[str], set[int]]:
        """Give the figures of these documents their block (None for a rejected figure) and their
        reach (``sayso.link.reach``); return the blocks they were in and are in now, and the linked
        sets they were in (each must be relinked: a figure that changed or left may split it)."""
        from sayso.link.blocking import block_keys

        columns = [figures.c.block, *_REACH]
        touched: set[str] = set()
        left: set[int] = set()
        for at in range(0, len(doc_ids), _DOCS_AT_ONCE):
            wanted = {}
            ids = doc_ids[at:at + _DOCS_AT_ONCE]
            with self.engine.connect() as conn:
                for record, text in _linking_records(conn, ids):
                    rows = [f["_row"] for f in record["figures"]]
                    wanted.update((row, (key, *r)) for row, key, r in
                                  zip(rows, block_keys(record, text), reaches(record, text)))
                rows = conn.execute(select(figures.c.id, figures.c.component, *columns)
                                    .where(figures.c.document_id.in_(ids))).all()
            touched |= {r.block for r in rows if r.block} | {w[0] for w in wanted.values()}
            left |= {r.component for r in rows if r.component is not None}
            changed = [{"fid": r.id, **{f"_{c.name}": v for c, v in zip(columns, w)}} for r in rows
                       if (w := wanted.get(r.id, (None,) * len(columns))) != tuple(r[2:])]
            gone = [c["fid"] for c in changed if c["_block"] is None]      # rejected: it leaves its links
            if changed:
                with self._writer.begin() as conn:
                    conn.execute(update(figures).where(figures.c.id == bindparam("fid"))
                                 .values({c.name: bindparam(f"_{c.name}") for c in columns}), changed)
                    if gone:
                        conn.execute(update(figures).where(figures.c.id.in_(gone))
                                     .values(group_id=None, event_id=None, component=None))
                        conn.execute(delete(figure_conflicts).where(figure_conflicts.c.figure_id.in_(gone)))
        return touched, left

    def _chunks(self, blocks: set[str], across: bool = True) -> Iterator[list[str]]:
        """The blocks, a few at a time: about ``_FIGURES_AT_ONCE`` figures a chunk (a block whole).
        ``across``: a kind that has figures nothing places (``blocking.UNPLACED``), where
        ``blocks`` touch it, comes whole in one chunk (they may link with any of its blocks)."""
        with self.engine.connect() as conn:
            sizes = dict(conn.execute(select(figures.c.block, func.count()).where(figures.c.block.is_not(None))
                                      .group_by(figures.c.block)).all())
        if across:
            kinds = {split_block(b)[0] for b in blocks} & {k for k, country in map(split_block, sizes) if country == UNPLACED}
            for kind in sorted(kinds):
                yield sorted(b for b in sizes if split_block(b)[0] == kind)
            blocks = {b for b in blocks if split_block(b)[0] not in kinds}
        chunk, size = [], 0
        for b in sorted(blocks):
            chunk.append(b)
            size += sizes.get(b, 0)
            if size >= _FIGURES_AT_ONCE:
                yield chunk
                chunk, size = [], 0
        if chunk:
            yield chunk

    def _unplaced(self) -> tuple[dict[str, set[int]], set[int]]:
        """The documents with figures nothing places, by kind, and those figures' linked sets."""
        out: dict[str, set[int]] = {}
        with self.engine.connect() as conn:
            rows = conn.execute(select(figures.c.block, figures.c.document_id, figures.c.component)
                                .where(figures.c.block.like(unplaced_block("%")))).all()
        for r in rows:
            out.setdefault(split_block(r.block)[0], set()).add(r.document_id)
        return out, {r.component for r in rows if r.component is not None}

    def _block_rows(self, chunk: list[str], where=None) -> list:
        """The figures of these blocks (``where``: those of them that meet it): row id, document,
        block, linked set and reach."""
        query = select(figures.c.id, figures.c.document_id, figures.c.block, figures.c.component,
                       *_REACH).where(figures.c.block.in_(chunk))
        with self.engine.connect() as conn:
            return conn.execute(query if where is None else query.where(where)).all()

    def _reached(self, chunk: list[str], dirty: list[int], left: set[int]) -> list:
        """Of the figures of the blocks ``chunk``, those to relink: the figures of the ``dirty``
        documents (new or reviewed), the linked sets they were in (``left``), and the linked sets
        of every stored figure one of theirs can reach (``_reached_sets``). The database selects
        the figures within the new ones' ``reach.bounds`` first, so the rest of a block is never
        read."""
        seeds = {r.id: r for ids in _batches(dirty) for r in self._block_rows(chunk, figures.c.document_id.in_(ids))}
        seeds.update((r.id, r) for ids in _batches(sorted(left)) for r in self._block_rows(chunk, figures.c.component.in_(ids)))
        if not seeds:
            return []
        dirty_set = set(dirty)
        limits = bounds([r[4:] for r in seeds.values() if r.document_id in dirty_set])
        pool = self._block_rows(chunk, None if limits is None else _within(limits))
        sets = _reached_sets(list(seeds.values()), [r for r in pool if r.id not in seeds], dirty_set)
        found = dict(seeds)
        found.update((r.id, r) for ids in _batches(sorted(sets)) for r in self._block_rows(chunk, figures.c.component.in_(ids)))
        found.update((r.id, r) for r in pool if r.component is None and -r.id in sets)
        return sorted(found.values(), key=lambda r: r.id)

    def _relink(self, rows: list) -> None:
        """Relink these figures (whole linked sets, read back with their documents; ``_block_rows``)
        and write their links."""
        from sayso.link.context import contexts
        from sayso.link.corpus import link_figures

        if not rows:
            return
        wanted = sorted(r.id for r in rows)
        current, numbers = {}, {}
        with self.engine.connect() as conn:
            for ids in _batches(wanted):
                current.update((r.id, (r.group_id, r.event_id, r.component)) for r in conn.execute(
                    select(figures.c.id, figures.c.group_id, figures.c.event_id, figures.c.component)
                    .where(figures.c.id.in_(ids))))
                numbers.update(conn.execute(select(figure_conflicts.c.figure_id, figure_conflicts.c.conflict)
                                            .where(figure_conflicts.c.figure_id.in_(ids))).all())
            ms = []
            for record, text in _linking_records(conn, sorted({r.document_id for r in rows})):
                ms += [m for m in contexts([record], [text]) if m.figure["_row"] in current]
        for i, m in enumerate(ms):
            m.index = i
        found = link_figures(ms)
        row = {m.key: m.figure["_row"] for m in ms}
        self._write_links(current, numbers, [(m.figure["_row"], m.figure.get("group"), m.figure.get("event"),
                                              ms[m.component].figure["_row"]) for m in ms],
                          [[row[k] for k in c["figures"]] for c in found])

    def _write_links(self, current: dict[int, tuple], numbers: dict[int, int],
                     linked: list[tuple[int, object, object, int]], conflicts: list[list[int]]) -> None:
        """Write the partition of relinked figures: the one place where links reach the ledger.

        ``current``: figure row -> (group id, event id, linked set) as stored, for every figure
        relinked (a figure not in ``linked``, rejected since, leaves its group); ``numbers``:
        figure row -> its conflict number as stored; ``linked``: (figure row, group, event, linked
        set) in reading order, the group and event any id unique within the call (None: alone),
        the linked set a figure row; ``conflicts``: the figure rows of each conflict. Each set keeps the stored id of its earliest figure that had one
        not yet taken, else takes the next free number."""
        with self._writer.begin() as conn:
            free = json.loads(conn.execute(select(ledger_info.c.value).where(ledger_info.c.key == _NEXT)).scalar()
                              or json.dumps(_next_numbers(conn)))
            ids: dict[str, dict] = {"group": {}, "event": {}}
            taken: dict[str, set] = {"group": set(), "event": set()}
            want = {}
            for fid, group, event, component in linked:
                out = []
                for pos, (field, local) in enumerate((("group", group), ("event", event))):
                    if local is None:
                        out.append(None)
                        continue
                    if local not in ids[field]:
                        old = current.get(fid, (None, None))[pos]
                        if old is None or old in taken[field]:
                            old = f"{field[0]}{free[field]}"
                            free[field] += 1
                        taken[field].add(old)
                        ids[field][local] = old
                    out.append(ids[field][local])
                want[fid] = (*out, component)
            changed = [{"fid": fid, "gid": w[0], "eid": w[1], "cid": w[2]} for fid, now in current.items()
                       if (w := want.get(fid, (None, None, None))) != now]
            if changed:
                conn.execute(update(figures).where(figures.c.id == bindparam("fid"))
                             .values(group_id=bindparam("gid"), event_id=bindparam("eid"), component=bindparam("cid")),
                             changed)
            if numbers:
                conn.execute(delete(figure_conflicts).where(figure_conflicts.c.figure_id.in_(sorted(numbers))))
            rows, used = [], set()
            for members in conflicts:
                number = next((numbers[f] for f in members if f in numbers and numbers[f] not in used), None)
                if number is None:
                    number = free["conflict"]
                    free["conflict"] += 1
                used.add(number)
                rows += [{"conflict": number, "figure_id": f, "group_id": want[f][0]} for f in members]
            if rows:
                conn.execute(insert(figure_conflicts), rows)
            _set_info(conn, _NEXT, json.dumps(free))

    def _find_reposts(self, doc_ids: list[int]) -> None:
        """Which stored document each of these (new) documents repeats: compared only with the
        documents sharing a MinHash band (``sayso.link.reposts``), in the order stored."""
        from sayso.link.reposts import bands, repeated, shingles

        for at in range(0, len(doc_ids), _DOCS_AT_ONCE):
            ids = doc_ids[at:at + _DOCS_AT_ONCE]
            with self._writer.begin() as conn:
                conn.execute(delete(document_bands).where(document_bands.c.document_id.in_(ids)))
                conn.execute(delete(document_repeats).where(document_repeats.c.document_id.in_(ids)))
                texts = dict(conn.execute(select(documents.c.id, documents.c.text).where(documents.c.id.in_(ids))).all())
                for doc_id in ids:
                    words = shingles(texts[doc_id])
                    mine = bands(words)
                    earlier = conn.execute(select(document_bands.c.document_id).where(document_bands.c.band.in_(mine))
                                           .where(document_bands.c.document_id < doc_id).distinct()).scalars().all()
                    candidates = []
                    for other in sorted(earlier):
                        text = conn.execute(select(documents.c.text).where(documents.c.id == other)).scalar_one()
                        root = conn.execute(select(document_repeats.c.repeats_id)
                                            .where(document_repeats.c.document_id == other)).scalar()
                        candidates.append((other, shingles(text), root))
                    found = repeated(words, candidates)
                    conn.execute(insert(document_bands), [{"document_id": doc_id, "band": b} for b in mine])
                    if found is not None:
                        conn.execute(insert(document_repeats).values(document_id=doc_id, repeats_id=found))

    def _link_counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            n = conn.execute(select(func.count()).select_from(figures).where(figures.c.block.is_not(None))).scalar_one()
            groups = conn.execute(select(func.count(func.distinct(figures.c.group_id)))).scalar_one()
            grouped = conn.execute(select(func.count()).select_from(figures)
                                   .where(figures.c.group_id.is_not(None))).scalar_one()
            events = conn.execute(select(func.count(func.distinct(figures.c.event_id)))).scalar_one()
            conflicts = conn.execute(select(func.count(func.distinct(figure_conflicts.c.conflict)))).scalar_one()
            reposts = conn.execute(select(func.count()).select_from(document_repeats)).scalar_one()
        return {"figures": n, "groups": groups, "grouped_figures": grouped, "events": events,
                "conflicts": conflicts, "reposts": reposts}

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
_LINKED_DOCUMENTS = "linked_documents"   # ledger_info: the last document id linked
_LINKED_REVIEWS = "linked_reviews"       # ledger_info: the last review_log id linked
_NEXT = "next_link_numbers"              # ledger_info: the next free group, event and conflict numbers (JSON)
LINKING = "groups+events+components/4"
_DOCS_AT_ONCE = 200                      # documents read at a time when placing figures in blocks
_FIGURES_AT_ONCE = 20000                 # figures relinked at a time (whole blocks)
_REACH = [figures.c[f"reach_{name}"] for name in REACH_FIELDS]      # a figure's reach, as its columns
_IDS_AT_ONCE = 900                       # ids in one IN (...): below every database's limit


def _reached_sets(seeds: list, stored: list, dirty: set[int]) -> set[int]:
    """The linked sets (a set's ``component``, else minus the figure's row id) of the ``stored``
    figures that a figure of the ``dirty`` documents among ``seeds`` can reach
    (``sayso.link.reach.reachable``): in its block, in its kind's block of figures nothing places,
    and, for one nothing places, in every block of its kind."""
    by_block: dict[str, list] = {}
    for r in stored:
        by_block.setdefault(r.block, []).append(r)
    new: dict[str, list] = {}
    for r in seeds:
        if r.document_id in dirty:
            new.setdefault(r.block, []).append(r[4:])
    sets: set[int] = set()
    for block, reaches in new.items():
        kind, country = split_block(block)
        if country == UNPLACED:
            pool = [r for b, more in by_block.items() if split_block(b)[0] == kind for r in more]
        else:
            pool = by_block.get(block, []) + by_block.get(unplaced_block(kind), [])
        sets |= {r.component if r.component is not None else -r.id
                 for r, hit in zip(pool, reachable(reaches, [r[4:] for r in pool])) if hit}
    return sets


def _within(limits) -> object:
    """``reach.Bounds`` as a condition on the figures' reach columns (``Bounds.admits``)."""
    c = figures.c
    parts = [c.reach_published.is_(None), c.reach_time_start.is_(None)]
    if limits.published is not None:
        parts.append(c.reach_published.between(*limits.published))
    if limits.times is not None:
        parts.append(and_(c.reach_time_start <= limits.times[1], c.reach_time_end >= limits.times[0]))
    if limits.values is not None:
        parts.append(and_(c.reach_low <= limits.values[1], c.reach_high >= limits.values[0]))
    return or_(*parts)


def _batches(ids: list[int]) -> Iterator[list[int]]:
    for at in range(0, len(ids), _IDS_AT_ONCE):
        yield ids[at:at + _IDS_AT_ONCE]


def _linking_records(conn: Connection, doc_ids: list[int]) -> list[tuple[dict, str]]:
    """Stored documents' records as linking reads them, with their texts, in the order of
    ``doc_ids``: the reviewed figures (each with its row id as ``_row``, no machine links), the
    quotes' speakers, the document id ``d<row id>`` (record ids may repeat across documents)."""
    from sayso.store.schema import quote_reviews

    out = []
    for at in range(0, len(doc_ids), _DOCS_AT_ONCE):
        ids = doc_ids[at:at + _DOCS_AT_ONCE]
        docs = {r.id: r for r in conn.execute(select(documents.c.id, documents.c.published, documents.c.text)
                                              .where(documents.c.id.in_(ids)))}
        figs: dict[int, list[dict]] = {i: [] for i in ids}
        query = queries.figure_query().where(REVIEWED.figures.c.document_id.in_(ids))
        for f in queries.figure_rows(conn, query.order_by(None).order_by(REVIEWED.figures.c.id), REVIEWED):
            fig = queries._record_figure(f)
            fig["_row"] = f["figure_id"]
            figs[f["document_id"]].append(fig)
        speakers: dict[int, list[dict]] = {i: [] for i in ids}
        r = quote_reviews
        for q in conn.execute(select(quotes.c.document_id, quotes.c.speaker, r.c.state, r.c.speaker.label("r_speaker"))
                              .select_from(quotes.outerjoin(r, r.c.quote_id == quotes.c.id))
                              .where(quotes.c.document_id.in_(ids)).order_by(quotes.c.start, quotes.c.id)):
            if q.state != "rejected":
                speakers[q.document_id].append({"speaker": q.r_speaker if q.state else q.speaker})
        for i in ids:
            record = {"document": {"id": f"d{i}", "published": docs[i].published}, "figures": figs[i],
                      "quotes": speakers[i]}
            out.append((record, docs[i].text))
    return out


def _next_numbers(conn: Connection) -> dict[str, int]:
    """The next free group, event and conflict numbers, above every one stored."""
    def top(column, prefix: str) -> int:
        values = conn.execute(select(column).where(column.is_not(None)).distinct()).scalars()
        return max((int(v[1:]) for v in values if v[:1] == prefix and v[1:].isdigit()), default=0)
    conflict = conn.execute(select(func.max(figure_conflicts.c.conflict))).scalar() or 0
    return {"group": top(figures.c.group_id, "g") + 1, "event": top(figures.c.event_id, "e") + 1,
            "conflict": conflict + 1}


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

"""Reading the ledger: the selects behind ``Ledger.figures``, ``groups``, ``sources``, ``document`` and
``record``.

Every select reads a layer (``sayso.store.layers``): the reviewed ledger by default, or what
sayso extracted. Plain SQLAlchemy Core, portable between SQLite and PostgreSQL; full-text search uses the FTS5
index where the ledger has one and falls back to case-insensitive substring matching elsewhere.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from typing import Iterable

from sqlalchemy import Select, and_, column, exists, func, literal, or_, select, text, union_all
from sqlalchemy.engine import Connection

from sayso.model import SCHEMA
from sayso.link.origins import origins_of, parties
from sayso.store.layers import PUBLISHER, REVIEWED, Layer
from sayso.store.schema import (FTS_TABLE, document_repeats, documents, figure_conflicts, name_merges, quote_reviews,
                                quotes)

OWN_VOICE = "own_voice"
ROLES = ("source", "confirms", "disputes", OWN_VOICE)
UNKNOWN_PUBLISHER = "(unknown publisher)"
_SOURCE_CHUNK = 500
_WORD = re.compile(r"\w+")

# the document-level columns every figure row carries
_DOC_COLUMNS = (documents.c.key.label("document_key"), documents.c.published, documents.c.title,
                documents.c.source.label("document_source"), PUBLISHER.label("publisher"), documents.c.site,
                documents.c.crawled)


def figure_query(*, category=None, place=None, source=None, since=None, until=None, min_value=None,
                 max_value=None, search=None, document=None, site=None, fts=False, limit=None,
                 layer: Layer = REVIEWED) -> Select:
    """The select for ``Ledger.figures`` (see its docstring for what each filter means)."""
    figures = layer.figures
    query = (select(figures, *_DOC_COLUMNS).select_from(figures)
             .join(documents, documents.c.id == figures.c.document_id)
             .order_by(figures.c.document_id, figures.c.start, figures.c.id))
    if document is not None:
        query = query.where(figures.c.document_id == document)
    if category:
        query = query.where(func.lower(figures.c.category) == category.lower())
    if place:
        query = query.where(func.lower(figures.c.place) == place.lower())
    if site:
        query = query.where(func.lower(documents.c.site) == site.lower())
    if source:
        query = query.where(_source_matches(source, layer))
    if since:
        query = query.where(func.coalesce(figures.c.time_end, figures.c.time_start, documents.c.published) >= since)
    if until:
        query = query.where(func.coalesce(figures.c.time_start, figures.c.time_end, documents.c.published) <= until)
    value = func.coalesce(figures.c.low, figures.c.high)
    if min_value is not None:
        query = query.where(value >= min_value)
    if max_value is not None:
        query = query.where(value <= max_value)
    if search and _WORD.search(search):
        query = query.where(_fts_matches(search, layer) if fts else _words_occur(search, layer))
    if limit is not None:
        query = query.limit(limit)
    return query


def _source_matches(name: str, layer: Layer):
    """A source's name holds ``name``; or the figure has no source and its publisher (site) does."""
    figures, sources = layer.figures, layer.sources
    cited = exists().where(sources.c.figure_id == figures.c.id,
                           func.lower(sources.c.name).contains(name.lower(), autoescape=True))
    own_voice = and_(~exists().where(sources.c.figure_id == figures.c.id),
                     func.lower(func.coalesce(PUBLISHER, documents.c.site, ""))
                     .contains(name.lower(), autoescape=True))
    return or_(cited, own_voice)


def _fts_matches(search: str, layer: Layer):
    """Every word of ``search`` in the FTS index (each quoted: user text is never FTS syntax). The
    index holds what sayso stored: a reviewed figure is searched in its reviewed fields instead."""
    match = " ".join('"' + w.replace('"', '""') + '"' for w in _WORD.findall(search))
    hits = text(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :match").bindparams(match=match)
    indexed = layer.figures.c.id.in_(hits.columns(column("rowid")))
    if layer is not REVIEWED:
        return indexed
    state = layer.figures.c.review_state
    return or_(and_(state.is_(None), indexed), and_(state.is_not(None), _words_occur(search, layer)))


def _words_occur(search: str, layer: Layer):
    figures = layer.figures
    haystack = func.lower(figures.c.text + literal(" ") + func.coalesce(figures.c.counted, "")
                          + literal(" ") + figures.c.sentence)
    return and_(*(haystack.contains(w.lower(), autoescape=True) for w in _WORD.findall(search)))


def figure_rows(conn: Connection, query: Select, layer: Layer = REVIEWED) -> list[dict]:
    """Run a figure query (of ``layer``): one dict per figure, its sources (in the record's order)
    attached; the parties a relay cites as the reviewed ledger shows their names."""
    sources = layer.sources
    rows = [_figure_dict(r._mapping) for r in conn.execute(query)]
    by_id = {row["figure_id"]: row for row in rows}
    merged = dict(conn.execute(select(name_merges.c.name, name_merges.c.canonical)).all()) if layer is REVIEWED else {}
    ids = list(by_id)
    for i in range(0, len(ids), _SOURCE_CHUNK):
        chunk = ids[i:i + _SOURCE_CHUNK]
        found = conn.execute(select(sources).where(sources.c.figure_id.in_(chunk))
                             .order_by(sources.c.figure_id, sources.c.position))
        for s in found:
            entry = {"name": s.name, "text": s.text, "role": s.role, "date": s.date}
            if s.cites:
                entry["cites"] = [merged.get(n, n) for n in json.loads(s.cites)]
            by_id[s.figure_id]["sources"].append(entry)
    return rows


def _figure_dict(m) -> dict:
    return {
        "figure_id": m["id"], "document_id": m["document_id"], "document_key": m["document_key"],
        "fig": m["fig"], "published": m["published"], "text": m["text"], "kind": m["kind"],
        "low": _number(m["low"]), "high": _number(m["high"]), "qualifier": m["qualifier"], "counted": m["counted"],
        "category": m["category"], "time_text": m["time_text"], "time_start": m["time_start"],
        "time_end": m["time_end"], "place": m["place"], "group_id": m["group_id"], "event_id": m["event_id"],
        "start": m["start"], "end": m["end"], "sentence_start": m["sentence_start"],
        "sentence_end": m["sentence_end"], "sentence": m["sentence"],
        "publisher": m["publisher"], "site": m["site"], "crawled": m["crawled"], "review_state": m["review_state"],
        "added": m["origin"] is not None, "sources": [],
    }


def source_rows(conn: Connection, layer: Layer = REVIEWED, *, name: str | None = None,
                role: str | None = None, min_figures: int | None = None) -> list[dict]:
    """Per name: how many figures and documents cite it, and how many figures in each role. With
    ``name`` only names holding it (case-insensitive); with ``role`` only those cited at least once
    in that role; with ``min_figures`` only those cited for that many figures."""
    figures, sources = layer.figures, layer.sources
    wanted_name, wanted_role = name, role
    publisher = func.coalesce(PUBLISHER, documents.c.site, UNKNOWN_PUBLISHER)
    cited = (select(sources.c.name.label("name"), sources.c.role.label("role"),
                    figures.c.id.label("figure_id"), figures.c.document_id.label("document_id"))
             .join(figures, figures.c.id == sources.c.figure_id))
    own = (select(publisher.label("name"), literal(OWN_VOICE).label("role"),
                  figures.c.id.label("figure_id"), figures.c.document_id.label("document_id"))
           .join(documents, documents.c.id == figures.c.document_id)
           .where(~exists().where(sources.c.figure_id == figures.c.id)))
    attributions = union_all(cited, own).subquery()
    a = attributions.c
    out: dict[str, dict] = {}
    for name, n_figures, n_documents in conn.execute(
            select(a.name, func.count(func.distinct(a.figure_id)), func.count(func.distinct(a.document_id)))
            .group_by(a.name)):
        out[name] = {"name": name, "figures": n_figures, "documents": n_documents, **{r: 0 for r in ROLES}}
    for name, role, n in conn.execute(select(a.name, a.role, func.count(func.distinct(a.figure_id)))
                                      .group_by(a.name, a.role)):
        out[name][role if role in ROLES else "source"] += n
    rows = [r for r in out.values() if (not wanted_name or wanted_name.lower() in r["name"].lower())
            and (not wanted_role or r.get(wanted_role)) and (not min_figures or r["figures"] >= min_figures)]
    return sorted(rows, key=lambda r: (-r["figures"], r["name"]))


def group_rows(conn: Connection, layer: Layer = REVIEWED) -> list[dict]:
    """One row per group (``figures.group_id``), and per figure stated once that is in a conflict.

    Each row: ``id`` (the group id, or ``figure N`` for a lone figure), ``group``, ``event`` (the
    event it lies in, or None); the quantity
    (``category``, ``counted``, ``place``, ``time_text``: the most common among its figures;
    ``time_start``/``time_end``: the widest dates of the figures stating that ``time_text``); ``min``/``max`` of the values and ``values``, one
    per distinct value stated, with its figures, documents and sources; ``documents``;
    ``originals``, the independent sources (``independent_sources``: how many): the group's
    distinct origins (``sayso.link.origins.parties``, as for an event's estimates: the cited
    party where a relay cites one, else the source, else the publisher for its own voice; a
    disputer never; a document that repeats another counted once), so a publisher repeating
    itself across its articles counts once; ``corroborations``: who confirms a figure without
    being an original (B confirming A's figure is A once, B corroborating);
    ``disputes``; ``conflict`` (the event's number, or None) and ``conflicts_with`` (the ids of
    the other groups of that event). Conflicts first, then most documents first.
    """
    figures = layer.figures
    in_conflict = select(figure_conflicts.c.figure_id)
    query = (select(figures, *_DOC_COLUMNS).select_from(figures)
             .join(documents, documents.c.id == figures.c.document_id)
             .where(or_(figures.c.group_id.is_not(None), figures.c.id.in_(in_conflict)))
             .order_by(figures.c.document_id, figures.c.start, figures.c.id))
    members: dict[str, list[dict]] = {}
    unit_of: dict[int, str] = {}
    for f in figure_rows(conn, query, layer):
        unit = f["group_id"] or f"figure {f['figure_id']}"
        unit_of[f["figure_id"]] = unit
        members.setdefault(unit, []).append(f)
    events: dict[int, list[str]] = {}
    for n, fid in conn.execute(select(figure_conflicts.c.conflict, figure_conflicts.c.figure_id)
                               .order_by(figure_conflicts.c.conflict, figure_conflicts.c.id)):
        unit = unit_of.get(fid)
        if unit is not None and unit not in events.setdefault(n, []):
            events[n].append(unit)
    conflict_of = {u: n for n, units in events.items() for u in units}
    repeats = _repeats(conn)
    publisher_of = _publishers(conn, repeats)
    rows = [_group_row(unit, figs, conflict_of.get(unit), events, _parties(figs, repeats, publisher_of))
            for unit, figs in members.items()]
    rows.sort(key=lambda r: (r["conflict"] is None, r["conflict"] or 0, -len(r["documents"]),
                             -r["figures"], r["first_figure_id"]))
    return rows


def group_matches(row: dict, *, category: str | None = None, place: str | None = None, source: str | None = None,
                  conflicts_only: bool = False, min_documents: int | None = None) -> bool:
    """Whether a :func:`group_rows` row passes these filters: its ``category`` and ``place``
    (exactly, any case), a ``source`` among its originals, corroborations or disputes (part of the
    name, any case), in a conflict, at least ``min_documents`` documents."""
    if category and (row["category"] or "").lower() != category.lower():
        return False
    if place and (row["place"] or "").lower() != place.lower():
        return False
    if source and not any(source.lower() in n.lower()
                          for n in row["originals"] + row["corroborations"] + row["disputes"]):
        return False
    if conflicts_only and row["conflict"] is None:
        return False
    return not (min_documents and len(row["documents"]) < min_documents)


def _publisher(f: dict) -> str:
    """Who speaks in a document's own voice: its publisher, its site, else the document itself."""
    return f["publisher"] or f["site"] or f"document {f['document_key']}"


def majority(values: list) -> str | None:
    """The value given most often (None and "" left out); a tie goes to the one given first."""
    found = Counter(v for v in values if v)
    return found.most_common(1)[0][0] if found else None


def _repeats(conn: Connection) -> dict[int, int]:
    """``document_repeats``: document id -> the id of the earlier document it repeats."""
    return {r.document_id: r.repeats_id for r in conn.execute(select(document_repeats))}


def _publishers(conn: Connection, repeats: dict[int, int]) -> dict[int, str]:
    """The publisher (``_publisher``) of every document a repost repeats."""
    ids = set(repeats.values())
    if not ids:
        return {}
    found = conn.execute(select(documents.c.id, documents.c.key, PUBLISHER.label("publisher"), documents.c.site)
                         .where(documents.c.id.in_(ids)))
    return {r.id: r.publisher or r.site or f"document {r.key}" for r in found}


def _group_row(unit: str, figs: list[dict], conflict: int | None, events: dict[int, list[str]],
               who: dict[str, list[str]] | None = None) -> dict:
    """A ``group_rows`` row of a unit's figures; ``who``: its ``_parties`` where the caller read
    the ledger's reposts (else none are known)."""
    who = who if who is not None else _parties(figs, {}, {})
    def most_common(key):
        return majority([f[key] for f in figs])

    values: dict[tuple, dict] = {}
    docs: dict[int, dict] = {}
    for f in figs:
        voices = origins_of(f["sources"], _publisher(f))
        docs.setdefault(f["document_id"], {"id": f["document_id"], "key": f["document_key"],
                                           "published": f["published"],
                                           "publisher": f["publisher"] or f["site"]})
        v = values.setdefault((f["low"], f["high"], f["qualifier"]), {
            "low": f["low"], "high": f["high"], "qualifier": f["qualifier"], "texts": [], "figures": 0,
            "documents": [], "sources": []})
        v["figures"] += 1
        if f["text"] not in v["texts"]:
            v["texts"].append(f["text"])
        if f["document_key"] not in v["documents"]:
            v["documents"].append(f["document_key"])
        for name in voices + [s["name"] for s in f["sources"] if s["role"] != "source"]:
            if name not in v["sources"]:
                v["sources"].append(name)
    numbers = [x for f in figs for x in (f["low"], f["high"]) if x is not None]
    time_text = most_common("time_text")      # its words and its dates from the same expression
    timed = [f for f in figs if f["time_text"] == time_text] if time_text else figs
    starts = [f["time_start"] for f in timed if f["time_start"]]
    ends = [f["time_end"] for f in timed if f["time_end"]]
    return {
        "id": unit, "group": figs[0]["group_id"], "event": figs[0]["event_id"], "category": most_common("category"),
        "counted": most_common("counted"), "place": most_common("place"), "time_text": time_text,
        "time_start": min(starts) if starts else None, "time_end": max(ends) if ends else None,
        "min": min(numbers) if numbers else None, "max": max(numbers) if numbers else None,
        "values": sorted(values.values(), key=lambda v: (-v["figures"], v["low"] if v["low"] is not None else 0)),
        "figures": len(figs), "documents": list(docs.values()),
        "independent_sources": len(who["origins"]), "originals": who["origins"],
        "corroborations": who["confirmed_by"], "disputes": who["disputed_by"],
        "conflict": conflict,
        "conflicts_with": [u for u in events.get(conflict, []) if u != unit] if conflict is not None else [],
        "figure_ids": [f["figure_id"] for f in figs], "first_figure_id": min(f["figure_id"] for f in figs),
        "evidence": [{"document": f["document_key"], "fig": f["fig"], "text": f["text"], "sentence": f["sentence"]}
                     for f in figs],
    }


def event_rows(conn: Connection, query: Select | None = None, event: str | None = None,
               layer: Layer = REVIEWED) -> list[dict]:
    """Events (``figures.event_id``) with their estimates: those with a figure that ``query`` (a
    ``figure_query``) selects, or the one ``event`` names. Each event: ``id``, the quantity
    (``category``, ``counted``, ``place``: the most common among its figures; ``time``: the
    widest ``start``/``end``), ``documents`` (how many state it) and ``estimates``, one per group
    (or figure stated once), in the order they were first stated, each with ``group``, ``kind`` (a
    share may restate a count of its event), ``low``,
    ``high``, ``qualifier``, ``first_stated`` (the earliest statement date its sources give, else
    its document's publication date, else the crawl date), ``first_by`` (the origins of that first
    statement), ``origins`` (its independent parties: ``sayso.link.origins``, reposts counting
    once, a disputer never, a document's own voice only where the document names no origin of
    it), ``independent`` (how many), ``repeated_by`` (documents stating it
    after the first), ``confirmed_by``, ``disputed_by`` and ``figures`` ("<document key>/<figure
    id>"). Most documents first."""
    figures = layer.figures
    if event is not None:
        ids = [event]
    else:
        picked = (query if query is not None else figure_query(layer=layer)).with_only_columns(figures.c.event_id)
        ids = sorted({e for e in conn.execute(picked.where(figures.c.event_id.is_not(None))
                                              .order_by(None).limit(None).distinct()).scalars()})
    if not ids:
        return []
    repeats = _repeats(conn)
    members: dict[str, list[dict]] = {}
    for at in range(0, len(ids), _SOURCE_CHUNK):
        chunk = ids[at:at + _SOURCE_CHUNK]
        q = (select(figures, *_DOC_COLUMNS).join(documents, documents.c.id == figures.c.document_id)
             .where(figures.c.event_id.in_(chunk)).order_by(figures.c.document_id, figures.c.start, figures.c.id))
        for f in figure_rows(conn, q, layer):
            members.setdefault(f["event_id"], []).append(f)
    publisher_of = _publishers(conn, repeats)
    out = [_event_row(e, figs, repeats, publisher_of) for e, figs in members.items()]
    out.sort(key=lambda e: (-e["documents"], e["_first"]))
    for e in out:
        del e["_first"]
    return out


def _parties(figs: list[dict], repeats: dict[int, int], publisher_of: dict[int, str]) -> dict[str, list[str]]:
    """``sayso.link.origins.parties`` of an estimate's figure rows: one count of independence for
    group rows and event estimates alike."""
    return parties(((f["document_id"], f["sources"], _publisher(f)) for f in figs), repeats, publisher_of,
                   anonymous={f["document_id"] for f in figs if not (f["publisher"] or f["site"])})


def parties_of(conn: Connection, figs: list[dict]) -> dict[str, list[str]]:
    """``_parties`` of some figure rows, reading the ledger's reposts."""
    repeats = _repeats(conn)
    return _parties(figs, repeats, _publishers(conn, repeats))


def _first_stated(f: dict) -> str | None:
    """When a figure was first stated: its sources' statement date, else its document's date."""
    dates = [s["date"] for s in f["sources"] if s.get("date") and s["role"] == "source"]
    return min(dates) if dates else f["published"] or (f["crawled"] or "")[:10] or None


def _event_row(event: str, figs: list[dict], repeats: dict[int, int], publisher_of: dict[int, str]) -> dict:
    def most_common(key):
        found = Counter(f[key] for f in figs if f[key])
        return found.most_common(1)[0][0] if found else None

    units: dict[str, list[dict]] = {}
    for f in figs:
        units.setdefault(f["group_id"] or f"figure {f['figure_id']}", []).append(f)
    estimates = [_estimate(figs_u, repeats, publisher_of) for figs_u in units.values()]
    estimates.sort(key=lambda e: (e["first_stated"] or "9999", e["figures"][0]))
    starts = [f["time_start"] for f in figs if f["time_start"]]
    ends = [f["time_end"] for f in figs if f["time_end"]]
    return {"id": event, "category": most_common("category"), "counted": most_common("counted"),
            "place": most_common("place"), "time": {"start": min(starts) if starts else None,
                                                    "end": max(ends) if ends else None},
            "documents": len({f["document_id"] for f in figs}), "estimates": estimates,
            "_first": min(f["figure_id"] for f in figs)}


def _estimate(figs: list[dict], repeats: dict[int, int], publisher_of: dict[int, str]) -> dict:
    dated = sorted(figs, key=lambda f: (_first_stated(f) or "9999", f["figure_id"]))
    first = dated[0]
    who = _parties(figs, repeats, publisher_of)
    return {"group": first["group_id"], "kind": first["kind"], "low": first["low"], "high": first["high"],
            "qualifier": first["qualifier"],
            "text": first["text"], "first_stated": _first_stated(first),
            "first_by": origins_of(first["sources"], _publisher(first)), "origins": who["origins"],
            "independent": len(who["origins"]), "repeated_by": len({f["document_id"] for f in figs}) - 1,
            "confirmed_by": who["confirmed_by"], "disputed_by": who["disputed_by"],
            "figures": [f"{f['document_key']}/{f['fig']}" for f in dated]}


def resolve_document(conn: Connection, ref: str) -> int | None:
    ref = ref.strip()
    if ref.isdigit():
        found = conn.execute(select(documents.c.id).where(documents.c.id == int(ref))).scalar()
        if found is not None:
            return found
    found = conn.execute(select(documents.c.id).where(documents.c.key == ref).order_by(documents.c.id.desc())).scalar()
    if found is not None:
        return found
    if len(ref) >= 6 and re.fullmatch(r"[0-9a-fA-F]+", ref):
        hits = conn.execute(select(documents.c.id).where(documents.c.sha256.startswith(ref.lower()))
                            .limit(2)).scalars().all()
        if len(hits) == 1:
            return hits[0]
    return None


def document_label(title: str | None, source: str | None, text: str | None) -> str:
    """What to call a document: its title; else the file it was read from and its first line
    (``notes.txt: Police arrested 120 students``), each part cut to fit a heading."""
    if title and title.strip():
        return title.strip()
    first = next((line.strip() for line in (text or "").splitlines() if line.strip()), "")
    if len(first) > 80:
        first = first[:80].rsplit(" ", 1)[0] + "…"
    name = re.split(r"[\\/]", source or "")[-1] if source and "://" not in source else (source or "")
    return ": ".join(x for x in (name, first) if x) or "(untitled)"


def document_row(conn: Connection, doc_id: int) -> dict:
    cols = [PUBLISHER.label("publisher") if c.name == "publisher" else c for c in documents.c if c.name != "raw_bytes"]
    m = conn.execute(select(*cols).where(documents.c.id == doc_id)).one()._mapping
    row = dict(m)
    row["label"] = document_label(row["title"], row["source"], row["text"][:400])
    row["ingested_at"] = row["ingested_at"].isoformat() if row["ingested_at"] else None
    return row


def document_rows(conn: Connection, doc_ids: Iterable[int]) -> list[dict]:
    """Stored documents' metadata and text (not their raw bytes), by row id, in id order."""
    return [document_row(conn, i) for i in sorted(set(doc_ids))]


def quote_rows(conn: Connection, doc_id: int, layer: Layer = REVIEWED, with_ids: bool = False) -> list[dict]:
    """A document's quotes in text order: as reviewed (a corrected speaker over sayso's, rejected
    quotes left out, each with its ``review`` state where reviewed, a speaker's name as a reviewer
    merged it), or as extracted. With
    ``with_ids`` each carries its row id (``quote_id``) and ``review_state``."""
    r = quote_reviews
    found = conn.execute(select(quotes, r.c.state, r.c.speaker.label("r_speaker"),
                                r.c.speaker_text.label("r_speaker_text"))
                         .select_from(quotes.outerjoin(r, r.c.quote_id == quotes.c.id))
                         .where(quotes.c.document_id == doc_id).order_by(quotes.c.start, quotes.c.id))
    merged = dict(conn.execute(select(name_merges.c.name, name_merges.c.canonical)).all()) if layer is REVIEWED else {}
    out = []
    for q in found:
        reviewed = layer is REVIEWED and q.state is not None
        if reviewed and q.state == "rejected":
            continue
        speaker = q.r_speaker if reviewed else q.speaker
        row = {"start": q.start, "end": q.end, "text": q.text, "speaker": merged.get(speaker, speaker),
               "speaker_text": q.r_speaker_text if reviewed else q.speaker_text, "cue": q.cue}
        if with_ids:
            row.update(quote_id=q.id, review_state=q.state)
        elif reviewed:
            row["review"] = q.state
        out.append(row)
    return out


def document_record(conn: Connection, doc_id: int, layer: Layer = REVIEWED) -> dict:
    """The ``sayso.document/1`` record of a stored document (its figures as ``layer`` has them, in
    the order they were stored; each figure's ``review`` state where it was reviewed)."""
    doc = document_row(conn, doc_id)
    query = figure_query(document=doc_id, layer=layer).order_by(None).order_by(layer.figures.c.id)
    meta = {"id": doc["key"], "source": doc["source"], "sha256": doc["sha256"], "title": doc["title"],
            "published": doc["published"], "site": doc["site"], "publisher": doc["publisher"],
            "language": doc["language"]}
    if doc.get("crawled"):
        meta["crawled"] = doc["crawled"]
    return {"schema": SCHEMA, "document": meta,
            "figures": [_record_figure(f, with_review=layer is REVIEWED) for f in figure_rows(conn, query, layer)],
            "quotes": quote_rows(conn, doc_id, layer)}


def _record_figure(f: dict, with_review: bool = False) -> dict:
    rec = {
        "id": f["fig"], "start": f["start"], "end": f["end"], "text": f["text"], "kind": f["kind"],
        "value": {"low": f["low"], "high": f["high"]}, "qualifier": f["qualifier"], "counted": f["counted"],
        "category": f["category"],
        "time": None if f["time_text"] is None else
        {"text": f["time_text"], "start": f["time_start"], "end": f["time_end"]},
        "place": f["place"], "sources": f["sources"],
        "sentence": {"start": f["sentence_start"], "end": f["sentence_end"]},
    }
    if f["group_id"] is not None:
        rec["group"] = f["group_id"]
    if f["event_id"] is not None:
        rec["event"] = f["event_id"]
    if with_review and f.get("review_state"):
        rec["review"] = f["review_state"]
    return rec


def _number(x: float | None) -> int | float | None:
    """Values come back as floats; whole ones print as integers (1500, not 1500.0)."""
    if x is None:
        return None
    return int(x) if float(x).is_integer() else float(x)

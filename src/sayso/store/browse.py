"""The selects behind the workbench (``sayso serve``): its pages and its JSON API call these, never
SQL of their own, so a page and its API endpoint always show the same thing.

Each function takes a connection and returns plain dicts and lists (JSON-ready). Figure rows are
``queries.figure_rows`` rows (with their ``review_state``). Every function reads a layer
(``sayso.store.layers``): the ledger as reviewed by default, or ``EXTRACTED``, the machine's output. Portable between SQLite and
PostgreSQL; paged, so that a ledger of a hundred thousand figures answers quickly.
"""
from __future__ import annotations

import re
from collections import defaultdict

from sqlalchemy import and_, desc as _desc, distinct, exists, func, select
from sqlalchemy.engine import Connection

from sayso.store import queries, review
from sayso.store.layers import EXTRACTED, PUBLISHER, REVIEWED, Layer
from sayso.store.schema import documents, figure_conflicts, ledger_info, link_review_log, quotes, review_log

class Memo:
    """Whole-ledger aggregates (counts, sources, the graph, the list of groups) kept until the
    ledger changes: documents added, groups recomputed, a review made or the linking corrected
    (:func:`ledger_version`).
    Figure listings are never kept."""

    def __init__(self):
        self._found: dict = {}

    def __call__(self, conn: Connection, name: str, compute):
        key = (str(conn.engine.url), name)
        version = ledger_version(conn)
        hit = self._found.get(key)
        if hit is not None and hit[0] == version:
            return hit[1]
        value = compute(conn)
        self._found[key] = (version, value)
        return value


def ledger_version(conn: Connection) -> tuple:
    """What changes when documents are added, groups are recomputed, a review is made or the
    linking corrected (cheap to read)."""
    docs = conn.execute(select(func.count(), func.max(documents.c.id)).select_from(documents)).one()
    conflicts_now = conn.execute(select(func.count(), func.max(figure_conflicts.c.id))
                                 .select_from(figure_conflicts)).one()
    grouped = conn.execute(select(ledger_info.c.value).where(ledger_info.c.key == "grouped_documents")).scalar()
    reviews = conn.execute(select(func.count(), func.max(review_log.c.id)).select_from(review_log)).one()
    corrections = conn.execute(select(func.max(link_review_log.c.id))).scalar()     # merges, splits, names
    return tuple(docs) + tuple(conflicts_now) + (grouped,) + tuple(reviews) + (corrections,)


memo = Memo()

FILTERS = ("category", "place", "source", "since", "until", "min_value", "max_value", "search", "document")
REVIEW_FILTERS = ("unreviewed", "reviewed", "accepted", "corrected", "rejected", "added")
MAX_PER_PAGE = 500
UNREVIEWED = "unreviewed"


def _first_source(layer: Layer):
    """The name of a figure's first source (as the record lists them)."""
    f, s = layer.figures, layer.sources
    return select(s.c.name).where(s.c.figure_id == f.c.id, s.c.position == 0).correlate(f).scalar_subquery()


SORTS = {
    "document": lambda layer: layer.figures.c.document_id,
    "category": lambda layer: layer.figures.c.category,
    "place": lambda layer: layer.figures.c.place,
    "time": lambda layer: func.coalesce(layer.figures.c.time_start, documents.c.published),
    "value": lambda layer: func.coalesce(layer.figures.c.low, layer.figures.c.high),
    "qualifier": lambda layer: layer.figures.c.qualifier,
    "source": _first_source,
    "review": lambda layer: layer.figures.c.review_state,
    "text": lambda layer: layer.figures.c.text,
}


def page_bounds(page: int, per_page: int) -> tuple[int, int]:
    """``(offset, limit)`` for a 1-based page (pages below 1 are page 1, sizes at most MAX_PER_PAGE)."""
    per_page = max(1, min(int(per_page), MAX_PER_PAGE))
    return (max(1, int(page)) - 1) * per_page, per_page


def _review_filter(state: str, layer: Layer):
    found = layer.figures.c.review_state
    if state == UNREVIEWED:
        return found.is_(None)
    if state == "reviewed":
        return found.is_not(None)
    return found == state


def figure_page(conn: Connection, *, filters: dict | None = None, review_state: str | None = None,
                sort: str = "document", descending: bool = False, page: int = 1, per_page: int = 50,
                fts: bool = False, layer: Layer = REVIEWED) -> dict:
    """One page of the figures matching ``filters`` (those of ``Ledger.figures``) and a review
    state (:data:`REVIEW_FILTERS`), sorted by one of :data:`SORTS`: ``{"total", "page",
    "per_page", "rows"}``."""
    figures = layer.figures
    given = {k: v for k, v in (filters or {}).items() if v not in (None, "") and k in FILTERS}
    query = queries.figure_query(**given, fts=fts, layer=layer).order_by(None)
    if review_state in REVIEW_FILTERS:
        query = query.where(_review_filter(review_state, layer))
    total = conn.execute(select(func.count()).select_from(query.with_only_columns(figures.c.id).subquery())
                         ).scalar_one()
    key = SORTS.get(sort, SORTS["document"])(layer)
    ordered = (_desc(key) if descending else key).nulls_last()
    offset, limit = page_bounds(page, per_page)
    query = query.order_by(ordered, figures.c.id.desc() if descending else figures.c.id).offset(offset).limit(limit)
    return {"total": total, "page": offset // limit + 1, "per_page": limit,
            "rows": queries.figure_rows(conn, query, layer)}


def figure(conn: Connection, figure_id: int, layer: Layer = REVIEWED) -> dict | None:
    """One figure (a figure row with its review state and its review: ``review``), or None. A
    figure the reviewed layer leaves out (rejected) is read as sayso stored it."""
    for each in (layer, EXTRACTED):
        rows = queries.figure_rows(conn, queries.figure_query(layer=each).where(each.figures.c.id == figure_id), each)
        if rows:
            row = rows[0]
            row["review"] = review.current(conn, figure_id)
            return row
    return None


def places(conn: Connection, limit: int = 300, layer: Layer = REVIEWED) -> list[str]:
    """The places figures are about, most frequent first (for a filter's suggestions)."""
    figures = layer.figures
    n = func.count().label("n")
    return list(conn.execute(select(figures.c.place).where(figures.c.place.is_not(None))
                             .group_by(figures.c.place).order_by(n.desc(), figures.c.place).limit(limit)).scalars())


# --- documents -----------------------------------------------------------------------------------

def document_page(conn: Connection, page: int = 1, per_page: int = 50, layer: Layer = REVIEWED) -> dict:
    """Documents, newest stored first, each with its number of figures."""
    offset, limit = page_bounds(page, per_page)
    total = conn.execute(select(func.count()).select_from(documents)).scalar_one()
    found = conn.execute(select(documents.c.id, documents.c.key, documents.c.title, documents.c.published,
                                documents.c.site, PUBLISHER.label("publisher"), documents.c.url, documents.c.source,
                                func.substr(documents.c.text, 1, 400).label("opening"))
                         .order_by(documents.c.id.desc()).offset(offset).limit(limit)).all()
    ids = [r.id for r in found]
    figures = layer.figures
    n = dict(conn.execute(select(figures.c.document_id, func.count()).where(figures.c.document_id.in_(ids))
                          .group_by(figures.c.document_id)).all()) if ids else {}
    return {"total": total, "page": offset // limit + 1, "per_page": limit,
            "rows": [{**{k: v for k, v in r._asdict().items() if k != "opening"}, "figures": n.get(r.id, 0),
                      "label": queries.document_label(r.title, r.source, r.opening)} for r in found]}


def document(conn: Connection, doc_id: int, layer: Layer = REVIEWED) -> dict | None:
    """A document's metadata and text, its figures (with review states) and quotes."""
    if conn.execute(select(documents.c.id).where(documents.c.id == doc_id)).first() is None:
        return None
    found = queries.document_row(conn, doc_id)
    found["figures"] = queries.figure_rows(conn, queries.figure_query(document=doc_id, layer=layer), layer)
    found["quotes"] = queries.quote_rows(conn, doc_id, layer, with_ids=True)
    return found


def document_text(conn: Connection, doc_id: int) -> str:
    """A document's text (what every offset points into)."""
    return conn.execute(select(documents.c.text).where(documents.c.id == doc_id)).scalar_one()


# --- groups --------------------------------------------------------------------------------------

def _conflict_events(conn: Connection, figure_ids: list[int]) -> dict[int, list[dict]]:
    """``conflict number -> [{"figure_id", "group_id"}]`` for the conflicts these figures are in."""
    numbers = select(figure_conflicts.c.conflict).where(figure_conflicts.c.figure_id.in_(figure_ids))
    events: dict[int, list[dict]] = defaultdict(list)
    for n, fid, gid in conn.execute(select(figure_conflicts.c.conflict, figure_conflicts.c.figure_id,
                                           figure_conflicts.c.group_id)
                                    .where(figure_conflicts.c.conflict.in_(numbers))
                                    .order_by(figure_conflicts.c.conflict, figure_conflicts.c.id)):
        events[n].append({"figure_id": fid, "group_id": gid})
    return events


def unit_id(group_id: str | None, figure_id: int) -> str:
    """A group's id, or ``figure N`` for a figure stated once."""
    return group_id or f"figure {figure_id}"


def group(conn: Connection, unit: str, layer: Layer = REVIEWED) -> dict | None:
    """One group (``g3``) or lone figure (``figure 12``) as ``queries.group_rows`` describes it, its
    figures (rows, with review states) and the units it conflicts with."""
    figures = layer.figures
    lone = re.fullmatch(r"figure (\d+)", unit)
    if lone:
        where = figures.c.id == int(lone.group(1))
    elif unit.startswith("figure "):
        return None
    else:
        where = figures.c.group_id == unit
    figs = queries.figure_rows(conn, queries.figure_query(layer=layer).where(where), layer)
    if not figs and lone and layer is not EXTRACTED:      # a rejected figure's own page still answers
        return group(conn, unit, EXTRACTED)
    if not figs:
        return None
    events = _conflict_events(conn, [f["figure_id"] for f in figs])
    listed = [m["figure_id"] for members in events.values() for m in members]
    visible = set(conn.execute(select(figures.c.id).where(figures.c.id.in_(listed))).scalars()) if listed else set()
    units = {n: list(dict.fromkeys(unit_id(m["group_id"], m["figure_id"]) for m in members
                                   if m["figure_id"] in visible))
             for n, members in events.items()}
    conflict = next(iter(units), None)
    row = queries._group_row(unit, figs, conflict, units, queries.parties_of(conn, figs))
    row["rows"] = figs
    return row


def group_page(conn: Connection, page: int = 1, per_page: int = 50, conflicts_only: bool = False,
               layer: Layer = REVIEWED, category: str | None = None, place: str | None = None) -> dict:
    """Groups, those in a conflict first, then most documents first: id, category, counted, place,
    figures, documents, smallest and largest value, conflict number; filtered by ``category`` and
    ``place`` (exactly, any case) and to those in a conflict."""
    rows = memo(conn, f"groups/{layer.name}", lambda c: all_groups(c, layer))
    if conflicts_only:
        rows = [r for r in rows if r["conflict"] is not None]
    if category:
        rows = [r for r in rows if (r["category"] or "").lower() == category.lower()]
    if place:
        rows = [r for r in rows if (r["place"] or "").lower() == place.lower()]
    offset, limit = page_bounds(page, per_page)
    return {"total": len(rows), "page": offset // limit + 1, "per_page": limit, "rows": rows[offset:offset + limit]}


def all_groups(conn: Connection, layer: Layer = REVIEWED) -> list[dict]:
    """Every group's row for :func:`group_page`, in its order: its category, counted and place the
    most common among its figures (:func:`majority`)."""
    figures = layer.figures
    conflict_of = dict(conn.execute(
        select(figure_conflicts.c.group_id, func.min(figure_conflicts.c.conflict))
        .where(figure_conflicts.c.group_id.is_not(None)).group_by(figure_conflicts.c.group_id)).all())
    members: dict[str, list] = defaultdict(list)
    for r in conn.execute(select(figures.c.group_id, figures.c.category, figures.c.counted, figures.c.place,
                                 figures.c.document_id, figures.c.low, figures.c.high)
                          .where(figures.c.group_id.is_not(None)).order_by(figures.c.id)):
        members[r.group_id].append(r)
    rows = []
    for gid, figs in members.items():
        lows = [x for f in figs for x in (f.low if f.low is not None else f.high,) if x is not None]
        highs = [x for f in figs for x in (f.high if f.high is not None else f.low,) if x is not None]
        rows.append({"group_id": gid, "category": majority(f.category for f in figs),
                     "counted": majority(f.counted for f in figs), "place": majority(f.place for f in figs),
                     "figures": len(figs), "documents": len({f.document_id for f in figs}),
                     "min": queries._number(min(lows)) if lows else None,
                     "max": queries._number(max(highs)) if highs else None, "conflict": conflict_of.get(gid)})
    rows.sort(key=lambda r: (r["conflict"] is None, r["conflict"] or 0, -r["documents"], r["group_id"]))
    return rows


def majority(values) -> str | None:
    """The value most figures give (None and "" left out); a tie goes to the one given first."""
    return queries.majority(list(values))


def conflicts(conn: Connection, limit: int = 20, layer: Layer = REVIEWED) -> list[dict]:
    """The first ``limit`` events with conflicting estimates: per event, its units (group or lone
    figure) with what they count, their values and how many figures state them."""
    figures = layer.figures
    numbers = (select(figure_conflicts.c.conflict).distinct().order_by(figure_conflicts.c.conflict)
               .limit(limit).scalar_subquery())
    found = conn.execute(select(figure_conflicts.c.conflict, figure_conflicts.c.group_id, figures.c.id,
                                figures.c.category, figures.c.counted, figures.c.place, figures.c.text,
                                figures.c.low, figures.c.high)
                         .join(figures, figures.c.id == figure_conflicts.c.figure_id)
                         .where(figure_conflicts.c.conflict.in_(numbers))
                         .order_by(figure_conflicts.c.conflict, figure_conflicts.c.id)).all()
    events: dict[int, dict[str, dict]] = defaultdict(dict)
    for r in found:
        unit = events[r.conflict].setdefault(unit_id(r.group_id, r.id), {
            "id": unit_id(r.group_id, r.id), "category": r.category, "counted": r.counted, "place": r.place,
            "texts": [], "figures": 0})
        unit["figures"] += 1
        if r.text not in unit["texts"]:
            unit["texts"].append(r.text)
    return [{"conflict": n, "units": list(units.values())} for n, units in events.items()]


# --- sources -------------------------------------------------------------------------------------

def source_page(conn: Connection, page: int = 1, per_page: int = 100, layer: Layer = REVIEWED,
                name: str | None = None, role: str | None = None) -> dict:
    """Who is cited (``queries.source_rows``), most cited first, one page; filtered by part of the
    ``name`` and a ``role`` it is cited in."""
    rows = memo(conn, f"sources/{layer.name}", lambda c: queries.source_rows(c, layer))
    if name:
        rows = [r for r in rows if name.lower() in r["name"].lower()]
    if role:
        rows = [r for r in rows if r.get(role)]
    offset, limit = page_bounds(page, per_page)
    return {"total": len(rows), "page": offset // limit + 1, "per_page": limit, "rows": rows[offset:offset + limit]}


def top_sources(conn: Connection, limit: int = 10, layer: Layer = REVIEWED) -> list[dict]:
    """The names cited for the most figures (in any role), with their figures per role."""
    figures, sources = layer.figures, layer.sources
    cited = select(sources.c.name, sources.c.role, sources.c.figure_id).join(
        figures, figures.c.id == sources.c.figure_id).subquery()
    n = func.count(distinct(cited.c.figure_id)).label("figures")
    top = conn.execute(select(cited.c.name, n).group_by(cited.c.name).order_by(n.desc(), cited.c.name)
                       .limit(limit)).all()
    names = [r.name for r in top]
    roles: dict[str, dict] = defaultdict(dict)
    for name, role, k in conn.execute(select(cited.c.name, cited.c.role, func.count(distinct(cited.c.figure_id)))
                                      .where(cited.c.name.in_(names)).group_by(cited.c.name, cited.c.role)):
        roles[name][role] = k
    return [{"name": r.name, "figures": r.figures, **{role: roles[r.name].get(role, 0) for role in
                                                      ("source", "confirms", "disputes")}} for r in top]


def source(conn: Connection, name: str, per_role: int = 50, layer: Layer = REVIEWED) -> dict:
    """What one source states (role ``source``, or its documents' own voice as their publisher),
    confirms and disputes: per role, how many figures and the first ``per_role`` of them."""
    figures, sources = layer.figures, layer.sources
    published = select(documents.c.id).where(func.coalesce(PUBLISHER, documents.c.site) == name)
    own = and_(figures.c.document_id.in_(published), ~exists().where(sources.c.figure_id == figures.c.id))
    out = {"name": name, "roles": {}}
    for role in ("source", "confirms", "disputes", queries.OWN_VOICE):
        cond = own if role == queries.OWN_VOICE else figures.c.id.in_(
            select(sources.c.figure_id).where(sources.c.name == name, sources.c.role == role))
        query = queries.figure_query(layer=layer).order_by(None).where(cond)
        total = conn.execute(select(func.count()).select_from(query.with_only_columns(figures.c.id).subquery())
                             ).scalar_one()
        rows = queries.figure_rows(conn, query.order_by(figures.c.document_id, figures.c.start).limit(per_role), layer)
        out["roles"][role] = {"total": total, "rows": rows}
    return out


def source_edges(conn: Connection, layer: Layer = REVIEWED) -> dict[tuple[str, str, str], int]:
    """``(a, b, role) -> figures`` as ``dossier.graph_edges`` counts them, over the whole ledger:
    on one figure b confirms or disputes a (a its source); a document's publisher cites a."""
    return memo(conn, f"edges/{layer.name}", lambda c: _source_edges(c, layer))


def _source_edges(conn: Connection, layer: Layer) -> dict[tuple[str, str, str], int]:
    figures, sources = layer.figures, layer.sources
    kept = select(sources).join(figures, figures.c.id == sources.c.figure_id)
    a, b = kept.subquery("a"), kept.subquery("b")
    edges: dict[tuple[str, str, str], int] = {}
    for x, y, role, n in conn.execute(
            select(a.c.name, b.c.name, b.c.role, func.count(distinct(a.c.figure_id)))
            .join(b, and_(b.c.figure_id == a.c.figure_id, b.c.role.in_(("confirms", "disputes")), b.c.name != a.c.name))
            .where(a.c.role == "source").group_by(a.c.name, b.c.name, b.c.role)):
        edges[(x, y, role)] = n
    voice = func.coalesce(PUBLISHER, documents.c.site)
    for x, y, n in conn.execute(
            select(voice, sources.c.name, func.count(distinct(sources.c.figure_id)))
            .select_from(sources)
            .join(figures, figures.c.id == sources.c.figure_id).join(documents, documents.c.id == figures.c.document_id)
            .where(sources.c.role == "source", voice.is_not(None), voice != sources.c.name)
            .group_by(voice, sources.c.name)):
        edges[(x, y, "cites")] = n
    return edges


# --- the overview --------------------------------------------------------------------------------

def category_months(conn: Connection, layer: Layer = REVIEWED) -> list[dict]:
    """How many figures of each category are about each month (``YYYY-MM``: the figure's time,
    else its document's date); figures with neither are left out."""
    figures = layer.figures
    month = func.substr(func.coalesce(figures.c.time_start, documents.c.published), 1, 7).label("month")
    found = conn.execute(select(figures.c.category, month, func.count()).select_from(figures)
                         .join(documents, documents.c.id == figures.c.document_id)
                         .group_by(figures.c.category, month).order_by(month, figures.c.category))
    return [{"category": c, "month": m, "figures": n} for c, m, n in found if m]


def counts(conn: Connection, layer: Layer = REVIEWED) -> dict[str, int]:
    """How many documents, figures, sources (cited names), quotes, groups and conflicts; reviews."""
    return {**memo(conn, f"counts/{layer.name}", lambda c: _ledger_counts(c, layer)), "reviews": review.counts(conn)}


def _ledger_counts(conn: Connection, layer: Layer) -> dict[str, int]:
    figures, sources = layer.figures, layer.sources
    one = lambda q: conn.execute(q).scalar_one()  # noqa: E731
    return {
        "documents": one(select(func.count()).select_from(documents)),
        "figures": one(select(func.count()).select_from(figures)),
        "sources": one(select(func.count(distinct(sources.c.name)))
                       .select_from(sources.join(figures, figures.c.id == sources.c.figure_id))),
        "quotes": one(select(func.count()).select_from(quotes)),
        "groups": one(select(func.count(distinct(figures.c.group_id)))),
        "conflicts": one(select(func.count(distinct(figure_conflicts.c.conflict)))),
    }


def overview(conn: Connection, layer: Layer = REVIEWED) -> dict:
    """Counts, the latest documents, figures by category and month, the most cited sources and
    the events with conflicting estimates."""
    name = layer.name
    return {"counts": counts(conn, layer), "documents": document_page(conn, 1, 10, layer)["rows"],
            "category_months": memo(conn, f"category_months/{name}", lambda c: category_months(c, layer)),
            "top_sources": memo(conn, f"top_sources/{name}", lambda c: top_sources(c, 10, layer)),
            "conflicts": memo(conn, f"conflicts/{name}", lambda c: conflicts(c, 20, layer))}


def event_page(conn: Connection, page: int = 1, per_page: int = 50, layer: Layer = REVIEWED,
               category: str | None = None, place: str | None = None) -> dict:
    """Events (``queries.event_rows``), most documents first, of ``category`` and ``place`` (the
    most common among its figures; exactly, any case); each with its smallest and largest value."""
    rows = memo(conn, f"events/{layer.name}", lambda c: queries.event_rows(c, layer=layer))
    if category:
        rows = [r for r in rows if (r["category"] or "").lower() == category.lower()]
    if place:
        rows = [r for r in rows if (r["place"] or "").lower() == place.lower()]
    offset, limit = page_bounds(page, per_page)
    shown = [dict(e) for e in rows[offset:offset + limit]]
    for e in shown:
        values = [x for est in e["estimates"] for x in (est["low"], est["high"]) if x is not None]
        e["min"], e["max"] = (min(values), max(values)) if values else (None, None)
    return {"total": len(rows), "page": offset // limit + 1, "per_page": limit, "rows": shown}


def event(conn: Connection, event_id: str, layer: Layer = REVIEWED) -> dict | None:
    """One event as ``queries.event_rows`` gives it, with its figures (``rows``, with review
    states, in the order they were first stated) for the evidence table."""
    found = queries.event_rows(conn, event=event_id, layer=layer)
    if not found:
        return None
    row = found[0]
    figs = queries.figure_rows(conn, queries.figure_query(layer=layer).where(layer.figures.c.event_id == event_id),
                               layer)
    order = {key: i for i, est in enumerate(row["estimates"]) for key in est["figures"]}
    row["rows"] = sorted(figs, key=lambda f: (order.get(f"{f['document_key']}/{f['fig']}", len(order)),
                                              f["figure_id"]))
    return row

"""The JSON API under ``/api`` (its OpenAPI document: ``/api/openapi.json``). Every endpoint reads
through the same queries as the page that shows it (``sayso.store.browse``, ``sayso.store.review``)."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Literal, Optional

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from pydantic import BaseModel

from sayso.present.web.params import figure_query
from sayso.present.web.security import require_csrf
from sayso.store import browse, links, review
from sayso.store.layers import Layer, layer as _layer

router = APIRouter(prefix="/api", tags=["ledger"])


@contextmanager
def reading(request: Request):
    """A connection to the app's ledger for the length of one request."""
    with request.app.state.ledger.engine.connect() as conn:
        yield conn


def layer_of(view: Optional[str] = Query(None, description="extracted: what sayso extracted, before any review "
                                                           "(default: the ledger as reviewed)")) -> Layer:
    """The layer a request reads: the reviewed ledger, or with ``view=extracted`` the machine's output."""
    return _layer(view == "extracted")


Viewing = Depends(layer_of)


def fts(request: Request) -> bool:
    return request.app.state.ledger.searchable


def found(value, what: str):
    if value is None:
        raise HTTPException(404, f"no {what} in the ledger")
    return value


def read(request: Request, fetch, *args, **kwargs):
    """``fetch(conn, *args, **kwargs)`` on a connection to the app's ledger: a page, a list, counts."""
    with reading(request) as conn:
        return fetch(conn, *args, **kwargs)


def read_one(request: Request, fetch, key, what: str, layer: Layer | None = None):
    """``fetch(conn, key[, layer])`` on the app's ledger, or a 404 naming ``what`` where it finds nothing."""
    return found(read(request, fetch, key) if layer is None else read(request, fetch, key, layer), f"{what} {key}")


def reviewing(change, what: str):
    """``change()``, with a refused review answered as HTTP: 404 where there is no such ``what``
    ("no figure 12"), 422 for anything else the review refuses."""
    try:
        return change()
    except review.ReviewError as exc:
        raise HTTPException(404 if str(exc).startswith(f"no {what}") else 422, str(exc)) from None


@router.get("/overview", summary="Counts, latest documents, figures by category and month, top sources, conflicts")
def overview(request: Request, layer: Layer = Viewing) -> dict:
    return read(request, browse.overview, layer)


@router.get("/figures", summary="Figures, filtered, sorted and paged")
def figures(request: Request,
            category: Optional[str] = None, place: Optional[str] = None, source: Optional[str] = None,
            since: Optional[str] = Query(None, description="YYYY-MM-DD"),
            until: Optional[str] = Query(None, description="YYYY-MM-DD"),
            min: Optional[str] = None, max: Optional[str] = None,   # noqa: A002 - the query string's names
            q: Optional[str] = Query(None, description="words in the figure, what it counts or its sentence"),
            document: Optional[int] = None,
            review: Optional[str] = Query(None, description=", ".join(browse.REVIEW_FILTERS)),
            sort: str = Query("document", description=", ".join(browse.SORTS)), desc: Optional[str] = None,
            page: int = 1, per_page: int = Query(50, le=browse.MAX_PER_PAGE), layer: Layer = Viewing) -> dict:
    wanted = figure_query(request.query_params)
    if wanted.errors:
        raise HTTPException(422, "; ".join(wanted.errors))
    return read(request, browse.figure_page, **wanted.as_kwargs(), fts=fts(request), layer=layer)


@router.get("/figures/{figure_id}", summary="One figure, its review state and its review")
def figure(request: Request, figure_id: int, layer: Layer = Viewing) -> dict:
    return read_one(request, browse.figure, figure_id, "figure", layer)


class ReviewIn(BaseModel):
    action: Literal["accept", "correct", "reject"]
    reviewer: Optional[str] = None
    changes: Optional[dict[str, Any]] = None
    note: Optional[str] = None


@router.post("/figures/{figure_id}/review", summary="Accept, correct or reject a figure (needs X-CSRF-Token)",
             dependencies=[Depends(require_csrf)])
def review_figure(request: Request, figure_id: int, body: ReviewIn) -> dict:
    return reviewing(lambda: review.review(request.app.state.ledger, figure_id, body.action,
                                           body.reviewer or request.app.state.reviewer, body.changes, body.note),
                     "figure")


class QuoteReviewIn(BaseModel):
    action: Literal["accept", "correct", "reject"]
    speaker: Optional[str] = None
    reviewer: Optional[str] = None
    note: Optional[str] = None


@router.post("/quotes/{quote_id}/review", summary="Accept, reject a quote or correct its speaker (needs X-CSRF-Token)",
             dependencies=[Depends(require_csrf)])
def review_quote(request: Request, quote_id: int, body: QuoteReviewIn) -> dict:
    return reviewing(lambda: review.review_quote(request.app.state.ledger, quote_id, body.action,
                                                 body.reviewer or request.app.state.reviewer, body.speaker, body.note),
                     "quote")


class AddIn(BaseModel):
    start: int
    end: int
    reviewer: Optional[str] = None
    changes: Optional[dict[str, Any]] = None
    note: Optional[str] = None


@router.post("/documents/{doc_id}/figures", summary="Add a figure sayso missed (needs X-CSRF-Token)",
             dependencies=[Depends(require_csrf)])
def add_figure(request: Request, doc_id: int, body: AddIn) -> dict:
    return reviewing(lambda: review.add_figure(request.app.state.ledger, doc_id, body.start, body.end,
                                               body.reviewer or request.app.state.reviewer, body.changes, body.note),
                     "document")


@router.get("/review/next", summary="The next figure nobody reviewed (after ?after=ID), or 404 when none is left")
def next_unreviewed(request: Request, after: Optional[int] = None) -> dict:
    return {"figure_id": found(read(request, review.next_unreviewed, after), "unreviewed figure")}


@router.get("/review/log", summary="The review log, newest first")
def review_log(request: Request, figure: Optional[int] = None, page: int = 1,
               per_page: int = Query(100, le=browse.MAX_PER_PAGE)) -> dict:
    offset, limit = browse.page_bounds(page, per_page)
    return {"page": page, "per_page": limit, "rows": read(request, review.log_entries, figure, limit, offset)}


@router.get("/gold", summary="The reviewed documents as a gold set (GUIDELINES.md format)")
def gold(request: Request, partial: bool = False) -> dict:
    return review.gold_set(request.app.state.ledger, partial)


@router.get("/csrf", summary="This session's CSRF token, for API clients that change state")
def csrf(request: Request) -> dict:
    return {"csrf_token": request.state.csrf}


@router.get("/documents", summary="Documents, newest stored first")
def documents(request: Request, page: int = 1, per_page: int = Query(50, le=browse.MAX_PER_PAGE),
              layer: Layer = Viewing) -> dict:
    return read(request, browse.document_page, page, per_page, layer)


@router.get("/documents/{doc_id}", summary="A document: text, figures, quotes")
def document(request: Request, doc_id: int, layer: Layer = Viewing) -> dict:
    return read_one(request, browse.document, doc_id, "document", layer)


@router.get("/groups", summary="Groups of figures stating one quantity, conflicts first")
def groups(request: Request, page: int = 1, per_page: int = Query(50, le=browse.MAX_PER_PAGE),
           conflicts: bool = False, category: Optional[str] = None, place: Optional[str] = None,
           layer: Layer = Viewing) -> dict:
    return read(request, browse.group_page, page, per_page, conflicts, layer, category=category, place=place)


@router.get("/groups/{unit}", summary="One group (g3) or lone figure (figure 12): values side by side")
def group(request: Request, unit: str, layer: Layer = Viewing) -> dict:
    return read_one(request, browse.group, unit, "group", layer)


@router.get("/events", summary="Events (every estimate of one quantity of one event), most documents first")
def events(request: Request, page: int = 1, per_page: int = Query(50, le=browse.MAX_PER_PAGE),
           category: Optional[str] = None, place: Optional[str] = None, layer: Layer = Viewing) -> dict:
    return read(request, browse.event_page, page, per_page, layer, category=category, place=place)


@router.get("/events/{event_id}", summary="One event: its estimates in the order first stated, and its figures")
def event(request: Request, event_id: str, layer: Layer = Viewing) -> dict:
    return read_one(request, browse.event, event_id, "event", layer)


@router.get("/sources", summary="Who is cited, how often and in which role")
def sources(request: Request, page: int = 1, per_page: int = Query(100, le=browse.MAX_PER_PAGE),
            name: Optional[str] = Query(None, description="part of the name"),
            role: Optional[str] = Query(None, description="source, confirms, disputes or own_voice"),
            layer: Layer = Viewing) -> dict:
    return read(request, browse.source_page, page, per_page, layer, name=name, role=role)


@router.get("/sources/graph", summary="Who confirms, disputes or cites whom: edges with figure counts")
def source_graph(request: Request, layer: Layer = Viewing) -> dict:
    return {"edges": [{"from": a, "to": b, "role": role, "figures": n}
                      for (a, b, role), n in read(request, browse.source_edges, layer).items()]}


@router.get("/sources/detail", summary="What one source states, confirms and disputes")
def source(request: Request, name: str, per_role: int = Query(50, le=browse.MAX_PER_PAGE),
           layer: Layer = Viewing) -> dict:
    return read(request, browse.source, name, per_role, layer)


# --- corrections of the linking (sayso.store.links) ---------------------------------------------

class MergeIn(BaseModel):
    units: list[str]
    reviewer: Optional[str] = None
    note: Optional[str] = None


class SplitIn(BaseModel):
    figures: list[str]
    reviewer: Optional[str] = None
    note: Optional[str] = None


class NamesIn(BaseModel):
    name: str
    into: str
    reviewer: Optional[str] = None
    note: Optional[str] = None


def correcting(request: Request, act, *args, reviewer: Optional[str] = None, note: Optional[str] = None) -> dict:
    """``act(ledger, *args, reviewer, note)`` (a ``sayso.store.links`` correction): its log entry,
    a 404 where it names nothing in the ledger, a 422 where it cannot be made."""
    try:
        return act(request.app.state.ledger, *args, reviewer or request.app.state.reviewer, note)
    except review.ReviewError as exc:
        raise HTTPException(404 if str(exc).startswith("no ") else 422, str(exc)) from None


@router.post("/groups/merge", summary="Merge groups (ids, or figures: 12, DOC/f3) into one (needs X-CSRF-Token)",
             dependencies=[Depends(require_csrf)])
def merge_groups(request: Request, body: MergeIn) -> dict:
    return correcting(request, links.merge, links.GROUP, body.units, reviewer=body.reviewer, note=body.note)


@router.post("/groups/{unit}/split", summary="Take figures out of a group into one of their own (needs X-CSRF-Token)",
             dependencies=[Depends(require_csrf)])
def split_group(request: Request, unit: str, body: SplitIn) -> dict:
    return correcting(request, links.split, links.GROUP, unit, body.figures, reviewer=body.reviewer, note=body.note)


@router.post("/events/merge", summary="Merge events into one (needs X-CSRF-Token)",
             dependencies=[Depends(require_csrf)])
def merge_events(request: Request, body: MergeIn) -> dict:
    return correcting(request, links.merge, links.EVENT, body.units, reviewer=body.reviewer, note=body.note)


@router.post("/events/{event_id}/split", summary="Take figures out of an event into one of their own "
                                                 "(needs X-CSRF-Token)", dependencies=[Depends(require_csrf)])
def split_event(request: Request, event_id: str, body: SplitIn) -> dict:
    return correcting(request, links.split, links.EVENT, event_id, body.figures, reviewer=body.reviewer,
                      note=body.note)


@router.post("/sources/merge", summary="Two names of one party: `name` shown as `into` (needs X-CSRF-Token)",
             dependencies=[Depends(require_csrf)])
def merge_names(request: Request, body: NamesIn) -> dict:
    return correcting(request, links.merge_names, body.name, body.into, reviewer=body.reviewer, note=body.note)


@router.get("/links/log", summary="The corrections of groups, events and names, newest first")
def links_log(request: Request, page: int = 1, per_page: int = Query(100, le=browse.MAX_PER_PAGE)) -> dict:
    offset, limit = browse.page_bounds(page, per_page)
    with reading(request) as conn:
        return {"page": page, "per_page": limit, "rows": links.log_entries(conn, limit, offset)}

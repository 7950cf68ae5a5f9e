"""The workbench's pages: server-side Jinja2 templates (autoescaped, always) over the same queries
as the API. Each handler reads the request, calls ``sayso.store`` and renders; state changes (a
review) need the session's CSRF token and answer with a redirect."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from sayso.present.dossier import PALETTE, citation_rows, evidence, timeline_svg
from sayso.present.event_chart import event_chart_svg, origin_colours
from sayso.present.render import quantity_text, sources_text, value_text
from sayso.present.web import charts, marks
from sayso.present.web.api import fts, read_one, reading
from sayso.present.web.params import figure_query, form_changes, form_values
from sayso.present.web.security import require_csrf
from sayso.store import browse, links, review
from sayso.store.layers import EXTRACTED, Layer, layer as _layer

HERE = Path(__file__).parent
router = APIRouter(include_in_schema=False)
NAV = (("/", "Overview"), ("/figures", "Figures"), ("/documents", "Documents"), ("/events", "Events"), ("/groups", "Groups"),
       ("/sources", "Sources"), ("/review", "Review"), ("/audit", "Audit log"))


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=True)   # every template, always
    env.filters.update(value=value_text, sources=sources_text, quantity=quantity_text, q=quote,
                       qs=lambda d: urlencode({k: v for k, v in d.items() if v not in (None, "")}))
    env.globals.update(nav=NAV, palette=PALETTE, unit_url=lambda u: "/groups/" + quote(u, safe=""),
                       event_url=lambda e: "/events/" + quote(e, safe=""),
                       source_url=lambda n: "/sources/detail?" + urlencode({"name": n}))
    return env


templates = Jinja2Templates(env=_environment())


VIEW_COOKIE = "sayso_view"


def view_layer(request: Request) -> Layer:
    """What the pages show: the reviewed ledger, or the machine's output where the reader switched
    to it (``?view=extracted``, or the toggle's cookie)."""
    wanted = request.query_params.get("view") or request.cookies.get(VIEW_COOKIE)
    return _layer(wanted == "extracted")


def page(request: Request, name: str, status: int = 200, **context) -> Response:
    context.update(csrf=request.state.csrf, path=request.url.path, vocabulary=review.vocabulary(),
                   as_extracted=view_layer(request) is EXTRACTED,
                   here=request.url.path + (f"?{request.url.query}" if request.url.query else ""))
    return templates.TemplateResponse(request, name, context, status_code=status)


def install_error_pages(app: FastAPI) -> None:
    """Errors on pages as pages (the API keeps FastAPI's JSON)."""
    from fastapi.exception_handlers import http_exception_handler

    @app.exception_handler(StarletteHTTPException)
    async def _error(request: Request, exc: StarletteHTTPException):
        if request.url.path.startswith("/api") or not hasattr(request.state, "csrf"):
            return await http_exception_handler(request, exc)
        return page(request, "error.html.j2", status=exc.status_code, status_code=exc.status_code, detail=exc.detail)


@router.get("/categories.css")
def category_css() -> Response:
    """The category colours (the dossier's palette) as CSS classes: no inline style anywhere."""
    css = "".join(f".cat-{c}{{--cat:{colour}}}\n" for c, colour in PALETTE.items())
    return Response(css, media_type="text/css")


@router.get("/view/{name}")
def switch_view(request: Request, name: str, next: str = "/"):  # noqa: A002 - the query string's name
    """The toggle: show the reviewed ledger (``reviewed``) or the machine's output (``extracted``)."""
    target = next if next.startswith("/") and not next.startswith("//") else "/"
    response = RedirectResponse(target, status_code=303)
    if name == "extracted":
        response.set_cookie(VIEW_COOKIE, "extracted", httponly=True, samesite="strict")
    else:
        response.delete_cookie(VIEW_COOKIE)
    return response


@router.get("/")
def overview(request: Request):
    with reading(request) as conn:
        data = browse.overview(conn, view_layer(request))
    legend = sorted({r["category"] for r in data["category_months"]})
    return page(request, "overview.html.j2", data=data, chart=charts.category_chart_svg(data["category_months"]),
                legend=[(c, charts.colour(c)) for c in legend])


@router.get("/figures")
def figures(request: Request):
    wanted = figure_query(request.query_params)
    with reading(request) as conn:
        layer = view_layer(request)
        result = browse.figure_page(conn, **wanted.as_kwargs(), fts=fts(request), layer=layer)
        places = browse.memo(conn, f"places/{layer.name}", lambda c: browse.places(c, layer=layer))
    return page(request, "figures.html.j2", result=result, wanted=wanted, places=places,
                sorts=list(browse.SORTS), review_filters=browse.REVIEW_FILTERS)


def page_no(request: Request) -> int:
    """The ``page`` of the query string (1 where it is missing or no number)."""
    value = request.query_params.get("page") or "1"
    return max(1, int(value)) if value.isdigit() else 1


@router.get("/documents")
def documents(request: Request):
    with reading(request) as conn:
        result = browse.document_page(conn, page_no(request), 50, view_layer(request))
    return page(request, "documents.html.j2", result=result)


@router.get("/documents/{doc_id}")
def document(request: Request, doc_id: int):
    doc = read_one(request, browse.document, doc_id, "document", view_layer(request))
    return page(request, "document.html.j2", doc=doc, runs=marks.runs(doc["text"], doc["figures"], doc["quotes"]),
                safe_url=_safe_url(doc.get("url")),
                reviewer=request.cookies.get("sayso_reviewer") or request.app.state.reviewer)


def _safe_url(url: str | None) -> str | None:
    """A document's URL as a link only where it is http(s); anything else (javascript:, data:) is text."""
    return url if url and url.lower().startswith(("http://", "https://")) else None


@router.get("/groups")
def groups(request: Request):
    only = request.query_params.get("conflicts") == "1"
    category = request.query_params.get("category") or None
    place = (request.query_params.get("place") or "").strip() or None
    with reading(request) as conn:
        result = browse.group_page(conn, page_no(request), 50, only, view_layer(request), category=category,
                                   place=place)
    return page(request, "groups.html.j2", result=result, conflicts_only=only, category=category, place=place)


def _reviewer(request: Request) -> str | None:
    return request.cookies.get("sayso_reviewer") or request.app.state.reviewer


@router.get("/groups/{unit}")
def group(request: Request, unit: str):
    return _group_page(request, unit)


def _group_page(request: Request, unit: str, status: int = 200, error: str | None = None):
    found = read_one(request, browse.group, unit, "group", view_layer(request))
    return page(request, "group.html.j2", status=status, g=found, evidence=[evidence(r) for r in found["rows"]],
                timeline=timeline_svg(found["rows"], height=240), reviewer=_reviewer(request), error=error,
                done=request.query_params.get("done"))


@router.get("/events")
def events(request: Request):
    category = request.query_params.get("category") or None
    place = (request.query_params.get("place") or "").strip() or None
    with reading(request) as conn:
        result = browse.event_page(conn, page_no(request), 50, view_layer(request), category=category, place=place)
    return page(request, "events.html.j2", result=result, category=category, place=place)


@router.get("/events/{event_id}")
def event(request: Request, event_id: str):
    return _event_page(request, event_id)


def _event_page(request: Request, event_id: str, status: int = 200, error: str | None = None):
    found = read_one(request, browse.event, event_id, "event", view_layer(request))
    return page(request, "event.html.j2", status=status, e=found, evidence=[evidence(r) for r in found["rows"]],
                chart=event_chart_svg(found["estimates"]), colours=origin_colours(found["estimates"]),
                reviewer=_reviewer(request), error=error, done=request.query_params.get("done"))


@router.get("/sources")
def sources(request: Request):
    name = (request.query_params.get("name") or "").strip() or None
    role = request.query_params.get("role") or None
    with reading(request) as conn:
        layer = view_layer(request)
        result = browse.source_page(conn, page_no(request), 100, layer, name=name, role=role)
        citations = browse.memo(conn, f"citations/{layer.name}", lambda c: citation_rows(browse.source_edges(c, layer)))
    return page(request, "sources.html.j2", result=result, citations=citations, name_filter=name, role=role)


@router.get("/sources/detail")
def source(request: Request, name: str):
    return _source_page(request, name)


def _source_page(request: Request, name: str, status: int = 200, error: str | None = None):
    with reading(request) as conn:
        found = browse.source(conn, name, layer=view_layer(request))
    return page(request, "source.html.j2", status=status, s=found, reviewer=_reviewer(request), error=error,
                done=request.query_params.get("done"))


# --- corrections of the linking (sayso.store.links) ---------------------------------------------

def _correct(request: Request, form: dict, act, *args, shown, target):
    """Make a correction from a form: on success a redirect to ``target(entry)``; a correction
    that cannot be made shows ``shown`` again with the reason (400), one naming nothing a 404."""
    reviewer = (form.get("reviewer") or "").strip()
    try:
        entry = act(request.app.state.ledger, *args, reviewer, form.get("note"))
    except review.ReviewError as exc:
        if str(exc).startswith("no ") and not form.get("with"):
            raise HTTPException(404, str(exc)) from None
        return shown(status=400, error=str(exc))
    response = RedirectResponse(target(entry), status_code=303)
    response.set_cookie("sayso_reviewer", reviewer, httponly=True, samesite="strict")
    return response


def _refs(value: str | None) -> list[str]:
    """The groups or events a merge form names: separated by commas (or spaces, but ``figure 12``)."""
    out = []
    for part in (value or "").split(","):
        part = part.strip()
        out.extend([part] if part.startswith("figure ") else part.split())
    return out


async def _form(request: Request) -> tuple[dict, list[str]]:
    submitted = await request.form()
    return ({k: v for k, v in submitted.items() if isinstance(v, str)},
            [v for v in submitted.getlist("figure") if isinstance(v, str)])


def _unit_url(level: str, unit: str, done: str) -> str:
    """The page of a group or event; of a figure in none, its own page (``/groups/figure N``)."""
    base = "/groups/" if level == links.GROUP or unit.startswith("figure ") else "/events/"
    return base + quote(unit, safe="") + "?done=" + quote(done)


async def _merge(request: Request, level: str, unit: str, page):
    """A merge form of a group or event page: the units it names merged into ``unit``."""
    form, _ = await _form(request)
    return await run_in_threadpool(
        _correct, request, form, links.merge, level, [unit] + _refs(form.get("with")),
        shown=lambda **k: page(request, unit, **k),
        target=lambda e: _unit_url(level, e["detail"]["result"], "merge"))


async def _split(request: Request, level: str, unit: str, page):
    """A split form of a group or event page: the ticked figures leave ``unit`` into one of their own."""
    form, ticked = await _form(request)
    return await run_in_threadpool(
        _correct, request, form, links.split, level, unit, ticked,
        shown=lambda **k: page(request, unit, **k),
        target=lambda e: _unit_url(level, e["detail"]["result"][1], "split"))


@router.post("/groups/{unit}/merge", dependencies=[Depends(require_csrf)])
async def merge_groups(request: Request, unit: str):
    return await _merge(request, links.GROUP, unit, _group_page)


@router.post("/groups/{unit}/split", dependencies=[Depends(require_csrf)])
async def split_group(request: Request, unit: str):
    return await _split(request, links.GROUP, unit, _group_page)


@router.post("/events/{event_id}/merge", dependencies=[Depends(require_csrf)])
async def merge_events(request: Request, event_id: str):
    return await _merge(request, links.EVENT, event_id, _event_page)


@router.post("/events/{event_id}/split", dependencies=[Depends(require_csrf)])
async def split_event(request: Request, event_id: str):
    return await _split(request, links.EVENT, event_id, _event_page)


@router.post("/sources/merge", dependencies=[Depends(require_csrf)])
async def merge_names(request: Request):
    form, _ = await _form(request)
    into = (form.get("into") or "").strip()
    return await run_in_threadpool(
        _correct, request, form, links.merge_names, form.get("name"), into,
        shown=lambda **k: _source_page(request, into, **k),
        target=lambda e: "/sources/detail?" + urlencode({"name": into, "done": "merge-names"}))


@router.get("/review")
def review_queue(request: Request):
    wanted = figure_query({**request.query_params, "review": request.query_params.get("review") or "unreviewed"})
    wanted.per_page = min(wanted.per_page, 25)
    with reading(request) as conn:
        result = browse.figure_page(conn, **wanted.as_kwargs(), fts=fts(request))
        log = review.log_entries(conn, limit=15)
        counts = review.counts(conn)
    return page(request, "review_queue.html.j2", result=result, wanted=wanted, log=log, counts=counts,
                review_filters=browse.REVIEW_FILTERS)


@router.get("/review/gold.zip")
def gold_zip(request: Request, partial: bool = False):
    """The reviewed documents as a gold set folder, zipped (``sayso eval`` reads it unzipped)."""
    found = review.gold_set(request.app.state.ledger, partial)
    if not found["docs"]:
        raise HTTPException(409, "No document is wholly reviewed yet, so the gold set would be empty: review "
                                 "every figure of a document, or download the partial set (?partial=true), "
                                 "whose unreviewed figures stay as sayso stated them.")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in review.gold_files(found).items():
            z.writestr(f"gold/{name}", content)
    return Response(buffer.getvalue(), media_type="application/zip",
                    headers={"content-disposition": 'attachment; filename="sayso-gold.zip"'})


def _review_page(request: Request, figure_id: int, status: int = 200, error: review.ReviewError | None = None,
                 form=None, sources=None):
    with reading(request) as conn:
        fig = browse.figure(conn, figure_id)
        if fig is None:
            raise HTTPException(404, f"no figure {figure_id} in the ledger")
        log = review.log_entries(conn, figure_id)
        text = browse.document_text(conn, fig["document_id"])
        parties = review.parties(conn, fig["document_id"])
        next_id = review.next_unreviewed(conn, after=figure_id)
    reviewed = fig["review"]["figure"]
    rows = list(sources if sources is not None else reviewed.get("sources") or []) + [{"role": "source"}] * 2
    return page(request, "review_figure.html.j2", status=status, f=fig, log=log,
                error=str(error) if error else None, error_field=getattr(error, "field", None),
                ctx=review.context(text, fig["start"], fig["end"]), parties=parties, source_rows=rows,
                next_id=next_id if next_id != figure_id else None,
                values=form or form_values(reviewed), reviewed=reviewed,
                reviewer=request.cookies.get("sayso_reviewer") or request.app.state.reviewer,
                then_next=request.query_params.get("then") == "next" or (form or {}).get("then") == "next",
                done=request.query_params.get("done"))


@router.get("/review/{figure_id}")
def review_figure(request: Request, figure_id: int):
    return _review_page(request, figure_id)


def source_rows(form) -> list[dict] | None:
    """The sources of a review form's rows (name, role, date; the mention kept from the figure), the
    rows with no name left out; None where the form has no source rows."""
    names = form.getlist("source_name")
    if not names:
        return None
    roles, dates, texts = (form.getlist(k) for k in ("source_role", "source_date", "source_text"))
    pick = lambda values, i: (values[i] if i < len(values) else "").strip()  # noqa: E731
    return [{"name": name.strip(), "role": pick(roles, i) or "source", "date": pick(dates, i) or None,
             "text": pick(texts, i) or name.strip()} for i, name in enumerate(names) if name.strip()]


def _same_sources(a: list[dict], b: list[dict]) -> bool:
    key = lambda s: (s["name"], s["role"], s.get("date") or None)  # noqa: E731
    return [key(s) for s in a] == [key(s) for s in b]


@router.post("/review/{figure_id}", dependencies=[Depends(require_csrf)])
async def review_submit(request: Request, figure_id: int):
    submitted = await request.form()
    return await run_in_threadpool(_submit_review, request, figure_id, submitted)   # it may wait on a lock


def _submit_review(request: Request, figure_id: int, submitted):
    form = {k: v for k, v in submitted.items() if isinstance(v, str) and not k.startswith("source_")}
    action, reviewer = form.get("action"), (form.get("reviewer") or "").strip()
    with reading(request) as conn:
        fig = browse.figure(conn, figure_id)
    if fig is None:
        raise HTTPException(404, f"no figure {figure_id} in the ledger")
    now = fig["review"]["figure"]
    sources = source_rows(submitted)
    changes = None
    if action == "correct":
        changes = form_changes({k: v for k, v in form.items() if k != "sources"}, now)
        if sources is not None and not _same_sources(sources, now.get("sources") or []):
            changes["sources"] = sources
    try:
        review.review(request.app.state.ledger, figure_id, str(action), reviewer, changes, form.get("note"))
    except review.ReviewError as exc:
        return _review_page(request, figure_id, status=400, error=exc, form={**form_values(now), **form},
                            sources=sources)
    target = f"/review/{figure_id}?done={quote(str(action))}"
    if form.get("then") == "next":
        with reading(request) as conn:
            following = review.next_unreviewed(conn, after=figure_id)
        if following is not None:
            target = f"/review/{following}?done={quote(str(action))}&then=next"
    response = RedirectResponse(target, status_code=303)
    response.set_cookie("sayso_reviewer", reviewer, httponly=True, samesite="strict")
    return response


def _quote_page(request: Request, quote_id: int, status: int = 200, error: str | None = None):
    with reading(request) as conn:
        now = review.current_quote(conn, quote_id)
        if now["quote"] is None:
            raise HTTPException(404, f"no quote {quote_id} in the ledger")
        q = now["quote"]
        text = browse.document_text(conn, q["document_id"])
        parties = review.parties(conn, q["document_id"])
        log = review.quote_log_entries(conn, quote_id)
        stored = review.stored_quote(conn, quote_id)
    return page(request, "review_quote.html.j2", status=status, q=q, quote_id=quote_id, state=now["state"],
                stored=stored, ctx=review.context(text, q["start"], q["end"]), parties=parties, log=log,
                error=error, reviewer=request.cookies.get("sayso_reviewer") or request.app.state.reviewer,
                done=request.query_params.get("done"))


@router.get("/review/quote/{quote_id}")
def review_quote(request: Request, quote_id: int):
    return _quote_page(request, quote_id)


@router.post("/review/quote/{quote_id}", dependencies=[Depends(require_csrf)])
async def review_quote_submit(request: Request, quote_id: int):
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    return await run_in_threadpool(_submit_quote_review, request, quote_id, form)   # it may wait on a lock


def _submit_quote_review(request: Request, quote_id: int, form: dict):
    action, reviewer = str(form.get("action")), (form.get("reviewer") or "").strip()
    try:
        review.review_quote(request.app.state.ledger, quote_id, action, reviewer,
                            form.get("speaker") if action == "correct" else None, form.get("note"))
    except review.ReviewError as exc:
        if str(exc).startswith("no quote"):
            raise HTTPException(404, str(exc)) from None
        return _quote_page(request, quote_id, status=400, error=str(exc))
    response = RedirectResponse(f"/review/quote/{quote_id}?done={quote(action)}", status_code=303)
    response.set_cookie("sayso_reviewer", reviewer, httponly=True, samesite="strict")
    return response


@router.post("/documents/{doc_id}/figures", dependencies=[Depends(require_csrf)])
async def add_figure(request: Request, doc_id: int):
    """A figure sayso missed: the text the reviewer selected (``start``, ``end``); then its review form."""
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    return await run_in_threadpool(_add_figure, request, doc_id, form)   # it may wait on a lock


def _add_figure(request: Request, doc_id: int, form: dict):
    reviewer = (form.get("reviewer") or request.cookies.get("sayso_reviewer") or request.app.state.reviewer or "").strip()
    try:
        entry = review.add_figure(request.app.state.ledger, doc_id, form.get("start"), form.get("end"), reviewer)
    except review.ReviewError as exc:
        raise HTTPException(404 if str(exc).startswith("no document") else 400, str(exc)) from None
    response = RedirectResponse(f"/review/{entry['figure_id']}?done=add", status_code=303)
    response.set_cookie("sayso_reviewer", reviewer, httponly=True, samesite="strict")
    return response


@router.get("/audit")
def audit(request: Request):
    n = page_no(request)
    with reading(request) as conn:
        rows = review.log_entries(conn, limit=100, offset=(n - 1) * 100)
        relinks = links.log_entries(conn, limit=100, offset=(n - 1) * 100)
    return page(request, "audit.html.j2", rows=rows, relinks=relinks, page_no=n)

"""The workbench's FastAPI application: ``create_app(db)``."""
from __future__ import annotations

import secrets
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from sayso.present.web import api, pages
from sayso.present.web.security import allowed_hosts as _allowed_hosts
from sayso.present.web.security import guard
from sayso.store.ledger import Ledger

BUSY = "the ledger is busy (another program is writing to it), try again"

HERE = Path(__file__).parent


def create_app(db: str | None = None, *, token: str | None = None, reviewer: str = "reviewer",
               ledger: Ledger | None = None, allowed_hosts=()) -> FastAPI:
    """The workbench over the ledger at ``db`` (or an open ``ledger``). With ``token``, every
    request must carry it; ``reviewer`` is the name reviews are recorded under by default;
    requests must name a loopback host or one of ``allowed_hosts``."""
    ledger = ledger or Ledger(db, create=False)

    @asynccontextmanager
    async def lifespan(_app):
        yield
        ledger.close()

    app = FastAPI(title="sayso workbench", version="1", lifespan=lifespan,
                  description="The sayso ledger: figures, documents, groups, sources and their review.",
                  openapi_url="/api/openapi.json", docs_url=None, redoc_url=None)   # the docs UIs load from a CDN
    app.state.ledger = ledger
    app.state.token = token
    app.state.secret = secrets.token_bytes(32)
    app.state.reviewer = reviewer
    app.state.allowed_hosts = _allowed_hosts(allowed_hosts)
    app.router.redirect_slashes = False   # its redirects are built from the Host header; the guard's are not
    app.middleware("http")(guard)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    pages.install_error_pages(app)
    _install_database_errors(app)
    return app


def _install_database_errors(app: FastAPI) -> None:
    """A ledger locked by a writer is a 503 asking to try again; a number too large for the
    database (a 25-digit id or page) is a 422; both as the page or JSON their route answers with."""

    async def answer(request: Request, status: int, detail: str):
        return await app.exception_handlers[StarletteHTTPException](request, HTTPException(status, detail))

    @app.exception_handler(OperationalError)
    async def _busy(request: Request, exc: OperationalError):
        if "locked" not in str(exc.orig).lower() and "busy" not in str(exc.orig).lower():
            raise exc
        return await answer(request, 503, BUSY)

    @app.exception_handler(OverflowError)
    async def _too_large(request: Request, exc: OverflowError):
        return await answer(request, 422, "a number in the request is too large")

"""The workbench's FastAPI application: ``create_app(db)``."""
from __future__ import annotations

import secrets
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from sayso.present.web import api, pages
from sayso.present.web.security import guard
from sayso.store.ledger import Ledger

HERE = Path(__file__).parent


def create_app(db: str | None = None, *, token: str | None = None, reviewer: str = "reviewer",
               ledger: Ledger | None = None) -> FastAPI:
    """The workbench over the ledger at ``db`` (or an open ``ledger``). With ``token``, every
    request must carry it; ``reviewer`` is the name reviews are recorded under by default."""
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
    app.middleware("http")(guard)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    pages.install_error_pages(app)
    return app

"""The workbench's defences.

- Access token: a server bound anywhere but loopback refuses to start without one (``sayso serve``),
  and with one every request must carry it: ``Authorization: Bearer TOKEN``, or the cookie set when
  a browser opens any page with ``?token=TOKEN`` once.
- CSRF: every browser gets a random session cookie (HttpOnly, SameSite=Strict); a request that
  changes state must send ``HMAC(secret, session)`` as the form field ``csrf_token`` or the header
  ``X-CSRF-Token``, and may not come from another origin.
- Headers: a Content-Security-Policy that allows scripts, styles and images from the app alone (no
  inline script, no inline style, no remote load), no framing, no sniffing, no referrer. Document
  text is escaped by the templates (autoescape); this is the second wall.
"""
from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from urllib.parse import urlencode, urlsplit

from fastapi import HTTPException, Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse

SESSION_COOKIE = "sayso_session"
TOKEN_COOKIE = "sayso_token"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
HEADERS = {"content-security-policy": CSP, "x-content-type-options": "nosniff", "x-frame-options": "DENY",
           "referrer-policy": "no-referrer", "cross-origin-opener-policy": "same-origin",
           "cache-control": "no-store"}


def is_loopback(host: str) -> bool:
    """Whether ``host`` is a loopback address (127.0.0.0/8, ::1) or ``localhost``."""
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def csrf_token(secret: bytes, session: str) -> str:
    return hmac.new(secret, session.encode(), hashlib.sha256).hexdigest()


def new_session() -> str:
    return secrets.token_urlsafe(24)


def _same(a: str | None, b: str) -> bool:
    return a is not None and hmac.compare_digest(a.encode(), b.encode())


def _presented_token(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return request.cookies.get(TOKEN_COOKIE)


async def guard(request: Request, call_next):
    """The middleware: the access token, the session cookie, the security headers."""
    token: str | None = request.app.state.token
    if token is not None:
        given = request.query_params.get("token")
        if given is not None and _same(given, token):     # a browser's first visit: keep it in a cookie
            rest = [(k, v) for k, v in request.query_params.multi_items() if k != "token"]
            path = "/" + request.url.path.lstrip("/")         # never "//host": no redirect off the site
            response = RedirectResponse(path + ("?" + urlencode(rest) if rest else ""), status_code=303)
            response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
            return _headed(response)
        if not _same(_presented_token(request), token):
            if request.url.path.startswith("/api"):
                return _headed(JSONResponse({"detail": "an access token is required"}, status_code=401,
                                            headers={"www-authenticate": "Bearer"}))
            return _headed(PlainTextResponse("401: this workbench needs its access token "
                                             "(open it once with ?token=...)", status_code=401))
    session = request.cookies.get(SESSION_COOKIE)
    fresh = session is None or len(session) < 16
    if fresh:
        session = new_session()
    request.state.session = session
    request.state.csrf = csrf_token(request.app.state.secret, session)
    response = await call_next(request)
    if fresh:
        response.set_cookie(SESSION_COOKIE, session, httponly=True, samesite="strict")
    return _headed(response)


def _headed(response):
    for k, v in HEADERS.items():
        response.headers.setdefault(k, v)
    return response


async def require_csrf(request: Request) -> None:
    """A dependency of every state-changing route: the CSRF token of this session, from the same origin."""
    origin = request.headers.get("origin")
    if origin and origin != "null" and urlsplit(origin).netloc != request.headers.get("host"):
        raise HTTPException(403, "cross-origin request refused")
    session = request.cookies.get(SESSION_COOKIE)
    given = request.headers.get(CSRF_HEADER)
    if given is None and "form" in request.headers.get("content-type", ""):
        given = (await request.form()).get(CSRF_FIELD)
    if session is None or not _same(str(given) if given is not None else None,
                                    csrf_token(request.app.state.secret, session)):
        raise HTTPException(403, "missing or wrong CSRF token (reload the page)")

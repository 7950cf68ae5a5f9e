"""The workbench's defences.

- Trusted hosts: a request whose ``Host`` is not a loopback name (``localhost``, 127.0.0.0/8, ::1)
  or one added with ``sayso serve --allowed-host`` is refused (400), so a page on another site that
  rebinds its own name to 127.0.0.1 (DNS rebinding) reaches nothing; no redirect is built from the
  ``Host`` (a path with a trailing slash is redirected to the same path without it, relatively).
- Access token: a server bound anywhere but loopback refuses to start without one (``sayso serve``),
  and one that is short or guessable (16 spaces, "aaaaaaaaaaaaaaaa") is refused too; with one every
  request must carry it: ``Authorization: Bearer TOKEN``, or the cookie set when
  a browser opens any page with ``?token=TOKEN`` once.
- CSRF: every browser gets a random session cookie (HttpOnly, SameSite=Strict); a request that
  changes state must send ``HMAC(secret, session)`` as the form field ``csrf_token`` or the header
  ``X-CSRF-Token``, and may not come from another origin.
- Headers: on every response, errors included, a Content-Security-Policy that allows scripts, styles and images from the app alone (no
  inline script, no inline style, no remote load), no framing, no sniffing, no referrer. Document
  text is escaped by the templates (autoescape); this is the second wall.
"""
from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import math
import secrets
from collections import Counter
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


LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
MIN_TOKEN_LENGTH = 16
MIN_TOKEN_BITS = 48     # the token's length times the entropy of its characters' spread, in bits
MIN_TOKEN_DISTINCT = 8


def is_loopback(host: str) -> bool:
    """Whether ``host`` is a loopback address (127.0.0.0/8, ::1) or ``localhost``."""
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def host_name(host_header: str | None) -> str | None:
    """The name in a ``Host`` header (``127.0.0.1:8000`` -> ``127.0.0.1``, ``[::1]:80`` -> ``::1``),
    lower case; None when it is missing or malformed."""
    if not host_header or any(ch in host_header for ch in "/\\@?#") or not host_header.isprintable():
        return None
    try:
        name = urlsplit("//" + host_header).hostname
        urlsplit("//" + host_header).port   # a port that is not a number is malformed
    except ValueError:
        return None
    return name.rstrip(".") if name else None


def host_allowed(host_header: str | None, allowed: frozenset[str]) -> bool:
    """Whether a request's ``Host`` names this workbench: a loopback name or one in ``allowed``."""
    name = host_name(host_header)
    return name is not None and (is_loopback(name) or name in allowed)


def allowed_hosts(names=()) -> frozenset[str]:
    """The host names a workbench answers to besides loopback (lower case, without a port)."""
    out = set()
    for name in names:
        found = host_name(name.strip())
        if found is None:
            raise ValueError(f"{name!r} is not a host name")
        out.add(found)
    return frozenset(out)


def token_weakness(token: str) -> str | None:
    """Why an access token is too weak to guard a workbench (None when it is not): shorter than
    MIN_TOKEN_LENGTH, holding spaces or control characters, or too little variety in it (few
    distinct characters, or MIN_TOKEN_BITS not reached by its length times the entropy of its
    characters' spread), as 16 equal letters or "abababab..." have."""
    if len(token) < MIN_TOKEN_LENGTH:
        return f"the access token must be at least {MIN_TOKEN_LENGTH} characters"
    if any(ch.isspace() or not ch.isprintable() for ch in token):
        return "the access token may not hold spaces or control characters"
    counts = Counter(token)
    bits = -len(token) * sum(n / len(token) * math.log2(n / len(token)) for n in counts.values())
    if len(counts) < MIN_TOKEN_DISTINCT or bits < MIN_TOKEN_BITS:
        return ("the access token is too easy to guess (too few different characters); "
                "make one with: python -c 'import secrets; print(secrets.token_urlsafe(24))'")
    return None


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
    """The middleware: the trusted host, the access token, the session cookie, the security headers."""
    if not host_allowed(request.headers.get("host"), request.app.state.allowed_hosts):
        return _headed(PlainTextResponse("400: this workbench does not answer to that host name "
                                         "(add it with sayso serve --allowed-host)", status_code=400))
    path = request.url.path
    if path != "/" and path.endswith("/"):   # relative: never built from the Host header
        raw = request.scope.get("raw_path") or path.encode()
        query = request.url.query
        return _headed(RedirectResponse("/" + raw.decode("latin-1").strip("/") + ("?" + query if query else ""),
                                        status_code=307))
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
    try:
        response = await call_next(request)
    except Exception:   # still an answer with the headers, never a traceback
        logging.getLogger("sayso.web").exception("unhandled error on %s", path)
        response = PlainTextResponse("500: internal error", status_code=500)
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
    if origin and origin != "null" and (urlsplit(origin).netloc != request.headers.get("host")
                                        or not host_allowed(urlsplit(origin).netloc, request.app.state.allowed_hosts)):
        raise HTTPException(403, "cross-origin request refused")
    session = request.cookies.get(SESSION_COOKIE)
    given = request.headers.get(CSRF_HEADER)
    if given is None and "form" in request.headers.get("content-type", ""):
        given = (await request.form()).get(CSRF_FIELD)
    if session is None or not _same(str(given) if given is not None else None,
                                    csrf_token(request.app.state.secret, session)):
        raise HTTPException(403, "missing or wrong CSRF token (reload the page)")

"""The workbench: the ledger reviewed in a browser (``sayso serve``).

``app.create_app`` builds the FastAPI application: server-side Jinja2 pages (``pages.py``), a JSON
API under ``/api`` (``api.py``) with its OpenAPI document, both over the same queries
(``sayso.store.browse``, ``sayso.store.review``); ``security.py`` holds the access token, the
CSRF tokens and the response headers; ``charts.py`` the inline SVG charts; ``static/`` our own
CSS and JavaScript, served by the app (nothing from a CDN).
"""

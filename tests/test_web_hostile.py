"""The workbench against another site's page and hostile requests (issue 16): DNS rebinding,
redirects built from the Host, a locked ledger, values that are not numbers, ids too large for
the database, headers on errors, weak tokens."""
from __future__ import annotations

import asyncio

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.exc import OperationalError

import workbench_ledger as wl
from conftest import run_cli
from sayso.present.web.app import create_app
from sayso.present.web.security import CSP, host_allowed, token_weakness
from sayso.store import review

HUGE = "9" * 25


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("hostile") / "ledger.db")
    wl.build(path)
    return path


@pytest.fixture
def client(db):
    with TestClient(create_app(db, reviewer="tester"), base_url="http://127.0.0.1:8000",
                    raise_server_exceptions=False) as c:
        yield c


def _csrf(client) -> str:
    return client.get("/api/csrf").json()["csrf_token"]


def test_a_rebound_host_name_reaches_nothing(client):
    for path in ("/", "/api/figures", "/api/csrf"):
        answer = client.get(path, headers={"host": "attacker.example:8000"})
        assert answer.status_code == 400 and answer.headers["content-security-policy"] == CSP
    token = _csrf(client)
    posted = client.post("/api/figures/1/review", json={"action": "accept"},
                         headers={"host": "attacker.example:8000", "origin": "http://attacker.example:8000",
                                  "x-csrf-token": token})
    assert posted.status_code == 400


def test_loopback_names_and_added_hosts_are_answered(db):
    for host in ("localhost:8000", "127.0.0.1", "[::1]:8000", "127.0.0.2"):
        assert host_allowed(host, frozenset())
    for host in ("example.org", "localhost.example.org", "127.0.0.1@evil", "", None, "a/b"):
        assert not host_allowed(host, frozenset())
    with TestClient(create_app(db), base_url="http://sayso.lan") as c:
        assert c.get("/api/overview").status_code == 400
    with TestClient(create_app(db, allowed_hosts=["sayso.lan"]), base_url="http://sayso.lan") as c:
        assert c.get("/api/overview").status_code == 200


def test_a_trailing_slash_redirect_is_relative(client):
    answer = client.get("/figures/", headers={"host": "localhost:8000"}, follow_redirects=False)
    assert answer.status_code == 307 and answer.headers["location"] == "/figures"
    off_site = client.get("http://127.0.0.1:8000//evil.example/", follow_redirects=False)
    assert off_site.headers["location"] == "/evil.example"


def test_a_locked_ledger_is_a_503_with_headers(client, monkeypatch):
    def locked(*_a, **_k):
        raise OperationalError("UPDATE figures", {}, Exception("database is locked"))

    monkeypatch.setattr(review, "review", locked)
    token = _csrf(client)
    api = client.post("/api/figures/1/review", json={"action": "accept"}, headers={"x-csrf-token": token})
    assert api.status_code == 503 and "busy" in api.json()["detail"]
    assert api.headers["content-security-policy"] == CSP
    page = client.post("/review/1", data={"action": "accept", "reviewer": "me", "csrf_token": token})
    assert page.status_code == 503 and "busy" in page.text


def test_a_review_form_waits_on_the_ledger_off_the_event_loop(client, monkeypatch):
    seen = []

    def record(*_a, **_k):
        try:
            asyncio.get_running_loop()
            seen.append("on the event loop")
        except RuntimeError:
            seen.append("in a worker thread")
        return {}

    monkeypatch.setattr(review, "review", record)
    client.post("/review/1", data={"action": "accept", "reviewer": "me", "csrf_token": _csrf(client)},
                follow_redirects=False)
    assert seen == ["in a worker thread"]


def _where(seen: list, answer):
    def record(*_a, **_k):
        try:
            asyncio.get_running_loop()
            seen.append("on the event loop")
        except RuntimeError:
            seen.append("in a worker thread")
        return answer
    return record


def test_adding_a_figure_and_reviewing_a_quote_wait_on_the_ledger_off_the_event_loop(client, monkeypatch):
    seen = []
    monkeypatch.setattr(review, "add_figure", _where(seen, {"figure_id": 1}))
    monkeypatch.setattr(review, "review_quote", _where(seen, {}))
    token = _csrf(client)
    client.post("/documents/1/figures", data={"start": "0", "end": "2", "reviewer": "me", "csrf_token": token},
                follow_redirects=False)
    client.post("/review/quote/1", data={"action": "accept", "reviewer": "me", "csrf_token": token},
                follow_redirects=False)
    assert seen == ["in a worker thread", "in a worker thread"]


def test_adding_a_figure_to_a_locked_ledger_is_a_503(client, monkeypatch):
    def locked(*_a, **_k):
        raise OperationalError("INSERT INTO figures", {}, Exception("database is locked"))

    monkeypatch.setattr(review, "add_figure", locked)
    token = _csrf(client)
    page = client.post("/documents/1/figures", data={"start": "0", "end": "2", "reviewer": "me", "csrf_token": token})
    assert page.status_code == 503 and "busy" in page.text
    assert page.headers["content-security-policy"] == CSP
    api = client.post("/api/documents/1/figures", json={"start": 0, "end": 2}, headers={"x-csrf-token": token})
    assert api.status_code == 503 and "busy" in api.json()["detail"]


@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-Infinity", "1e400"])
def test_values_that_are_not_finite_numbers_are_refused(client, value):
    token = _csrf(client)
    answer = client.post("/api/figures/1/review", headers={"x-csrf-token": token},
                         json={"action": "correct", "changes": {"low": value}})
    assert answer.status_code == 422
    assert "nan" not in str(client.get("/api/figures/1").json()["review"]).lower()


def test_an_unknown_role_or_category_is_refused(client):
    token = _csrf(client)
    for changes in ({"category": "exploded"}, {"sources": "Someone | boss"}, {"sources": [{"name": "X", "role": 3}]},
                    {"sources": [7]}, {"time_start": {"a": 1}}, {"low": [1]}):
        answer = client.post("/api/figures/1/review", headers={"x-csrf-token": token},
                             json={"action": "correct", "changes": changes})
        assert answer.status_code == 422


@pytest.mark.parametrize("path", [f"/api/figures/{HUGE}", f"/api/documents/{HUGE}", f"/api/figures?page={HUGE}",
                                  f"/api/review/log?figure={HUGE}", f"/api/figures?document={HUGE}",
                                  f"/api/groups/figure%20{HUGE}", f"/documents/{HUGE}", f"/review/{HUGE}",
                                  f"/figures?page={HUGE}", f"/audit?page={HUGE}", f"/review?page={HUGE}"])
def test_ids_and_pages_too_large_are_not_a_server_error(client, path):
    answer = client.get(path)
    assert answer.status_code in (404, 422)
    assert answer.headers["content-security-policy"] == CSP


def test_a_filter_that_is_not_a_finite_number_is_refused(client):
    assert client.get("/api/figures?min=nan").status_code == 422
    assert client.get("/api/figures?max=1e999").status_code == 422


def test_an_unexpected_error_still_carries_the_headers(client, monkeypatch):
    from sayso.store import browse

    def broken(*_a, **_k):
        raise RuntimeError("boom")

    monkeypatch.setattr(browse, "overview", broken)
    answer = client.get("/api/overview")
    assert answer.status_code == 500 and answer.headers["content-security-policy"] == CSP
    assert "boom" not in answer.text


@pytest.mark.parametrize("token", [" " * 16, "a" * 16, "ab" * 12, "short", "tab\tinside-a-long-token"])
def test_weak_tokens_are_refused(token):
    assert token_weakness(token)


@pytest.mark.parametrize("token", ["t0ken-for-the-tests-only", "kX9_f2LqP0aZ7wR4mN1vB8yT", "0123456789abcdef"])
def test_strong_tokens_are_accepted(token):
    assert token_weakness(token) is None


def test_serve_refuses_a_weak_token(db):
    done = run_cli("serve", "--db", db, "--host", "0.0.0.0", "--token", "a" * 16)
    assert done.returncode == 2 and "too easy to guess" in done.stderr

"""The workbench over HTTP (FastAPI's TestClient, no browser): pages and API agree, the OpenAPI
document, CSRF on every state change, the access token off loopback, escaping and headers."""
from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

import workbench_ledger as wl
from conftest import run_cli
from sayso.present.web.app import create_app
from sayso.present.web.security import CSP, is_loopback

TOKEN = "t0ken-for-the-tests-only"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("api") / "ledger.db")
    wl.build(path)
    return path


@pytest.fixture
def client(db):
    with TestClient(create_app(db, reviewer="tester"), base_url="http://127.0.0.1") as c:
        yield c


def _csrf(client) -> str:
    return client.get("/api/csrf").json()["csrf_token"]


def _ids(html: str) -> list[int]:
    return [int(x) for x in re.findall(r'<tr data-figure="(\d+)"', html)]


@pytest.mark.parametrize("query", ["", "category=killed", "q=students", "place=iran&sort=value&desc=1",
                                   "source=reuters", "since=2020-01-01", "min=100&max=1000", "sort=source",
                                   "review=unreviewed&sort=time", "per_page=2&page=2"])
def test_the_figures_page_and_the_api_show_the_same_figures(client, query):
    api = client.get(f"/api/figures?{query}").json()
    page = client.get(f"/figures?{query}").text
    assert _ids(page) == [r["figure_id"] for r in api["rows"]]
    assert f"{api['total']:,} figure" in page


def test_filters_sorting_and_paging(client):
    killed = client.get("/api/figures?category=killed").json()
    assert killed["total"] == 3 and {r["category"] for r in killed["rows"]} == {"killed"}
    by_value = [r["low"] for r in client.get("/api/figures?sort=value&desc=1").json()["rows"]]
    assert by_value == sorted(by_value, reverse=True)
    assert client.get("/api/figures?q=Tehran").json()["total"] == 1
    assert client.get("/api/figures?source=Amnesty").json()["rows"][0]["document_key"] == "toll-b"
    two = client.get("/api/figures?per_page=2&page=3").json()
    assert two["page"] == 3 and len(two["rows"]) == 2 and two["total"] == 8
    assert client.get("/api/figures?since=2020-13-01").status_code == 422
    assert "is not a YYYY-MM-DD date" in client.get("/figures?since=nope").text


def test_review_through_the_api_needs_the_csrf_token(client):
    fid = client.get("/api/figures?category=arrested").json()["rows"][0]["figure_id"]
    body = {"action": "correct", "changes": {"counted": "university students"}, "reviewer": "ana"}
    assert client.post(f"/api/figures/{fid}/review", json=body).status_code == 403
    assert client.post(f"/api/figures/{fid}/review", json=body, headers={"x-csrf-token": "0" * 64}).status_code == 403
    token = _csrf(client)
    assert client.post(f"/api/figures/{fid}/review", json=body, headers={
        "x-csrf-token": token, "origin": "https://evil.example"}).status_code == 403
    done = client.post(f"/api/figures/{fid}/review", json=body, headers={"x-csrf-token": token})
    assert done.status_code == 200, done.text
    assert done.json()["after"]["figure"]["counted"] == "university students"
    assert client.get(f"/api/figures/{fid}").json()["review_state"] == "corrected"
    log = client.get(f"/api/review/log?figure={fid}").json()["rows"]
    assert log[0]["reviewer"] == "ana" and log[0]["before"]["figure"]["counted"] == "students"
    bad = client.post(f"/api/figures/{fid}/review", json={"action": "correct", "changes": {"low": "x"}},
                      headers={"x-csrf-token": token})
    assert bad.status_code == 422 and "not a number" in bad.json()["detail"]
    assert client.post("/api/figures/99999/review", json={"action": "accept"},
                       headers={"x-csrf-token": token}).status_code == 404


def test_the_review_form_needs_the_csrf_token(client):
    fid = client.get("/api/figures?category=other").json()["rows"][0]["figure_id"]
    form = client.get(f"/review/{fid}").text
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', form).group(1)
    assert client.post(f"/review/{fid}", data={"action": "reject", "reviewer": "ana"}).status_code == 403
    other = TestClient(client.app, base_url="http://127.0.0.1")            # another browser: its own session, so this token is not its
    assert other.post(f"/review/{fid}", data={"action": "reject", "reviewer": "x", "csrf_token": token}).status_code == 403
    done = client.post(f"/review/{fid}", data={"action": "reject", "reviewer": "ana", "csrf_token": token},
                       follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == f"/review/{fid}?done=reject"
    assert client.get(f"/api/figures/{fid}").json()["review_state"] == "rejected"


def test_openapi_document_lists_the_api(client):
    doc = client.get("/api/openapi.json").json()
    for path in ("/api/figures", "/api/figures/{figure_id}", "/api/figures/{figure_id}/review", "/api/documents",
                 "/api/documents/{doc_id}", "/api/groups", "/api/groups/{unit}", "/api/sources",
                 "/api/sources/graph", "/api/sources/detail", "/api/overview", "/api/review/log", "/api/gold",
                 "/api/events", "/api/events/{event_id}"):
        assert path in doc["paths"], path
    assert not any(p.startswith("/figures") for p in doc["paths"])   # pages are not API
    assert client.get("/docs").status_code == 404                     # the docs UI would load from a CDN


def test_api_endpoints_answer(client):
    overview = client.get("/api/overview").json()
    assert overview["counts"]["documents"] == 6 and overview["conflicts"][0]["conflict"] == 1
    group = client.get("/api/groups/g1").json()
    assert group["independent_sources"] == 2 and group["conflicts_with"] == [
        f"figure {client.get('/api/figures?category=killed&q=Ministry').json()['rows'][0]['figure_id']}"]
    assert client.get("/api/groups/nope").status_code == 404
    edges = client.get("/api/sources/graph").json()["edges"]
    assert {"from": "Iran Human Rights Monitor", "to": "Reuters", "role": "confirms", "figures": 1} in edges
    reuters = client.get("/api/sources/detail?name=Reuters&view=extracted").json()["roles"]
    assert reuters["confirms"]["total"] == 1 and reuters["disputes"]["total"] == 1
    doc = client.get("/api/documents/1").json()
    assert doc["text"] == wl.TOLL_A and doc["figures"][0]["review_state"] is None
    assert client.get("/api/documents/999").status_code == 404


def test_the_event_page_charts_its_estimates_by_origin_above_the_evidence(client):
    api = client.get("/api/events").json()
    assert api["total"] == 1 and api["rows"][0]["id"] == "e1"
    event = client.get("/api/events/e1").json()
    assert [e["low"] for e in event["estimates"]] == [1500, 230]          # in the order first stated
    toll = event["estimates"][0]
    assert toll["first_stated"] == "2019-12-15" and toll["confirmed_by"] == ["Reuters"]
    assert sorted(toll["origins"]) == ["Amnesty International", "Iran Human Rights Monitor"]
    assert len(event["rows"]) == 3
    assert client.get("/api/events/e9").status_code == 404
    html = client.get("/events/e1").text
    assert html.index('id="event-chart"') < html.index('id="evidence"')
    chart = html[html.index('id="event-chart"'):html.index("</figure>")]
    assert chart.count('class="estimate"') == 2 and 'data-scale="linear"' in chart
    assert client.get("/events/e9").status_code == 404
    assert 'href="/events/e1"' in client.get("/events").text
    assert 'href="/events/e1"' in client.get("/groups/g1").text


def test_the_event_chart_turns_logarithmic_where_values_span_orders_of_magnitude():
    from sayso.present.event_chart import event_chart_svg
    near = [{"low": 90, "high": 90, "first_stated": "2021-05-01", "origins": ["A"]},
            {"low": 140, "high": 150, "first_stated": "2021-05-09", "origins": ["B"]}]
    far = near + [{"low": 12000, "high": 12000, "first_stated": "2021-06-01", "origins": ["C"]}]
    assert 'data-scale="linear"' in event_chart_svg(near)
    svg = event_chart_svg(far)
    assert 'data-scale="log"' in svg and svg.count('class="estimate"') == 3 and "10,000" in svg
    assert "No dated estimate" in event_chart_svg([{"low": 5, "high": 5, "first_stated": None}])


def test_the_event_chart_leaves_a_share_restating_a_count_off_the_value_axis():
    from sayso.present.event_chart import event_chart_svg
    counts = [{"kind": "count", "low": 900, "high": 900, "first_stated": "2022-03-01", "origins": ["A"]},
              {"kind": "count", "low": 1100, "high": 1100, "first_stated": "2022-03-05", "origins": ["B"]}]
    share = {"kind": "percent", "low": 30, "high": 30, "first_stated": "2022-03-03", "origins": ["C"]}
    svg = event_chart_svg(counts + [share])
    assert svg.count('class="estimate"') == 2 and 'data-scale="linear"' in svg


def test_hostile_text_is_escaped_everywhere(client):
    evil = client.get("/api/figures?category=tortured").json()["rows"][0]
    for path in ("/", "/figures", "/documents", f"/documents/{evil['document_id']}", "/sources",
                 f"/review/{evil['figure_id']}", f"/groups/figure%20{evil['figure_id']}",
                 "/sources/detail?name=" + wl.HOSTILE_NAME):
        html = client.get(path).text
        assert "<script>window" not in html and "<img src=x" not in html and "<svg onload" not in html, path
        assert 'href="javascript' not in html, path
        assert len(re.findall(r"<script", html)) == 1, path                  # ours: /static/workbench.js
    assert "&lt;script&gt;" in client.get(f"/documents/{evil['document_id']}").text


def test_security_headers_and_nothing_remote(client):
    response = client.get("/")
    assert response.headers["content-security-policy"] == CSP
    assert response.headers["x-frame-options"] == "DENY"
    assert "httponly" in response.headers["set-cookie"].lower() and "samesite=strict" in response.headers["set-cookie"].lower()
    for path in ("/", "/figures", "/documents/1", "/groups/g1", "/sources", "/review"):
        html = client.get(path).text
        assert not re.search(r'(src|href)="(https?:)?//(?!example\.)', html), path   # no CDN, only documents' links
        assert " style=" not in html, path                                        # no inline style (CSP)


def test_access_token(db):
    with TestClient(create_app(db, token=TOKEN), base_url="http://127.0.0.1") as c:
        assert c.get("/").status_code == 401
        assert c.get("/api/figures").status_code == 401
        assert c.get("/static/workbench.css").status_code == 401
        assert c.get("/", headers={"authorization": "Bearer wrong-token-wrong-token"}).status_code == 401
        assert c.get("/api/figures", headers={"authorization": f"Bearer {TOKEN}"}).status_code == 200
        first = c.get(f"/figures?token={TOKEN}&category=killed", follow_redirects=False)
        assert first.status_code == 303 and first.headers["location"] == "/figures?category=killed"
        assert c.get("/figures").status_code == 200                        # the cookie now carries it
        off_site = c.get(f"http://127.0.0.1//evil.example/x?token={TOKEN}", follow_redirects=False)
        assert off_site.headers["location"] == "/evil.example/x"


def test_loopback():
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost") and is_loopback("127.1.2.3")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.4") and not is_loopback("example.org")


def test_serve_refuses_to_bind_off_loopback_without_a_token(db):
    result = run_cli("serve", "--db", db, "--host", "0.0.0.0", "--port", "8765")
    assert result.returncode == 2 and "needs an access token" in result.stderr
    result = run_cli("serve", "--db", db, "--host", "0.0.0.0", "--token", "short")
    assert result.returncode == 2 and "at least 16 characters" in result.stderr


def test_kept_aggregates_follow_new_documents(tmp_path):
    """Whole-ledger lists (sources, groups, counts) are kept between requests, but a document added
    since shows at once."""
    import hashlib

    from sayso.model import SCHEMA, InputDocument
    from sayso.store.ledger import Ledger

    path = str(tmp_path / "ledger.db")
    wl.build(path)
    with TestClient(create_app(path), base_url="http://127.0.0.1") as c:
        before = {s["name"] for s in c.get("/api/sources").json()["rows"]}
        assert "Freshly Cited" not in before and c.get("/api/overview").json()["counts"]["documents"] == 6
        text = "Freshly Cited said 7 people were killed."
        raw = text.encode()
        digest = hashlib.sha256(raw).hexdigest()
        fig = {"id": "f1", "start": 19, "end": 20, "text": "7", "kind": "count", "value": {"low": 7, "high": 7},
               "qualifier": "exact", "counted": "people", "category": "killed", "time": None, "place": None,
               "sources": [{"name": "Freshly Cited", "text": "Freshly Cited", "role": "source", "date": None}],
               "sentence": {"start": 0, "end": len(text)}}
        with Ledger(path) as ledger:
            ledger.add(InputDocument(id="fresh", text=text, sha256=digest), raw,
                       {"schema": SCHEMA, "document": {"id": "fresh"}, "figures": [fig], "quotes": []})
        assert "Freshly Cited" in {s["name"] for s in c.get("/api/sources").json()["rows"]}
        assert c.get("/api/overview").json()["counts"]["documents"] == 7

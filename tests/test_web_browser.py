"""The workbench end to end, in headless Chromium (Debian's /usr/bin/chromium driven by Playwright):
every page opens without a console error and is screenshotted to screenshots/; filters and sorting;
keys move between figures; a review recorded and seen in the audit log; the gold set exported;
reviewed values (a correction, a rejection, an added figure) seen on every page, in the API, the
command line and the exports;
and hostile document text (script tags, event handlers, javascript: URLs, ingested through the
real pipeline too) never runs."""
from __future__ import annotations

import io
import json
import os
import socket
import threading
import time
import zipfile
from contextlib import contextmanager
from pathlib import Path

import pytest

import workbench_ledger as wl
from conftest import ROOT

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = ROOT / "screenshots"

pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM),
                                reason=f"{CHROMIUM} is not installed (apt-get install chromium chromium-driver)")

EVIL_TXT = (f"Breaking {wl.HOSTILE}\nSecurity forces arrested 75 students in Shiraz on 2 May 2022, "
            f"the Campus Watch group said. {wl.HOSTILE}\n<body onload=\"window.__pwned='body'\">"
            "<iframe src=\"javascript:window.__pwned='iframe'\"></iframe>\n")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The workbench over the test ledger plus one hostile text file ingested by the real pipeline."""
    from sayso.pipeline import Extractor
    from sayso.store.ingest import LazyExtractor, ingest_paths
    from sayso.store.ledger import Ledger

    tmp = tmp_path_factory.mktemp("web")
    url = str(tmp / "ledger.db")
    ids = wl.build(url)
    (tmp / "hostile.txt").write_text(EVIL_TXT, encoding="utf-8")
    with Ledger(url) as ledger:
        list(ingest_paths([str(tmp / "hostile.txt")], ledger, LazyExtractor(Extractor), "2022-05-03"))
        ids["hostile.txt"] = max(d["id"] for d in ledger.engine.connect().execute(
            __import__("sqlalchemy").text("SELECT id FROM documents")).mappings())
    with serving(url) as base:
        yield {"base": base, "ids": ids, "url": url}


@contextmanager
def serving(url: str):
    """The workbench over the ledger at ``url`` in a thread on a free loopback port: its base URL."""
    import uvicorn

    from sayso.present.web.app import create_app

    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(create_app(url, reviewer="tester"), host="127.0.0.1", port=port,
                                        log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(200):
        if srv.started:
            break
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


class Watch:
    """A page whose dialogs (alert, confirm), console errors and failed requests are recorded."""

    def __init__(self, browser, base):
        self.context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
        self.page = self.context.new_page()
        self.page.set_default_timeout(10_000)
        self.base = base
        self.dialogs, self.errors, self.remote = [], [], []
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: None if r.url.startswith(base) or r.url.startswith("data:")
                     else self.remote.append(r.url))

    def open(self, path: str, status: int = 200):
        response = self.page.goto(self.base + path)
        assert response.status == status, (path, response.status)
        return self.page

    def pwned(self):
        return self.page.evaluate("window.__pwned === undefined ? null : String(window.__pwned)")

    def close(self):
        self.context.close()


@pytest.fixture
def watch(browser, server):
    w = Watch(browser, server["base"])
    yield w
    w.close()


def _figure_ids(server) -> dict[str, int]:
    from sayso.store.ledger import Ledger
    with Ledger(server["url"]) as ledger:
        return {f"{r['document_key']}/{r['fig']}": r["figure_id"] for r in ledger.figures()}


def test_every_page_opens_cleanly_and_is_screenshotted(watch, server):
    SCREENSHOTS.mkdir(exist_ok=True)
    figs = _figure_ids(server)
    pages = {"overview": "/", "figures": "/figures", "documents": "/documents",
             "document": f"/documents/{server['ids']['toll-a']}", "events": "/events", "event": "/events/e1",
             "groups": "/groups", "group": "/groups/g1",
             "sources": "/sources", "source": "/sources/detail?name=Reuters", "review": "/review",
             "review-figure": f"/review/{figs['arrests/f1']}", "audit": "/audit"}
    for name, path in pages.items():
        page = watch.open(path)
        assert page.locator("h1").first.is_visible(), name
        assert page.locator("header nav a").count() == 8
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    assert watch.errors == [], watch.errors          # a CSP violation (inline style or script) is a console error
    assert watch.remote == []                        # nothing loaded from anywhere but the app
    assert set(pages) <= {p.stem for p in SCREENSHOTS.glob("*.png")}


def test_the_event_page_charts_the_estimates_over_time_above_the_evidence(watch):
    page = watch.open("/groups/g1")
    page.locator("#event-link a").click()
    page.wait_for_url("**/events/e1")
    chart = page.locator("#event-chart svg")
    assert chart.is_visible() and page.locator("#event-chart svg circle.estimate").count() == 2
    assert chart.bounding_box()["y"] < page.locator("#evidence").bounding_box()["y"]
    assert page.locator("#estimates tbody tr").count() == 2 and page.locator("#evidence tbody tr").count() == 3
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "event-chart.png"), full_page=True)
    assert watch.errors == [], watch.errors


def test_overview_draws_the_chart_conflicts_and_sources(watch):
    page = watch.open("/")
    assert page.locator("#category-chart svg rect").count() >= 3
    assert "conflict 1" in page.locator(".conflict-box").first.inner_text()
    assert page.get_by_role("link", name="Reuters").count() >= 1


def test_hostile_text_is_shown_never_run(watch, server):
    figs = _figure_ids(server)
    evil_key = "evil<script>x</script>"
    hostile_doc = server["ids"]["hostile.txt"]
    paths = [f"/documents/{server['ids'][evil_key]}", f"/documents/{hostile_doc}", "/figures", "/documents",
             "/sources", "/sources/detail?name=" + wl.HOSTILE_NAME.replace(" ", "%20"),
             f"/review/{figs[evil_key + '/f1']}", f"/groups/figure%20{figs[evil_key + '/f1']}", "/"]
    for path in paths:
        page = watch.open(path)
        page.mouse.move(300, 300)
        for el in page.locator("[data-fig]").all()[:5]:
            el.hover()
            el.click()
        assert watch.pwned() is None, path
        assert page.evaluate("document.querySelectorAll('script').length") == 1, path   # ours alone
        assert page.evaluate("document.querySelectorAll('[onerror],[onload],iframe,body [onclick]').length") == 0
        assert page.evaluate("document.querySelectorAll('a[href^=\"javascript\" i]').length") == 0, path
    page = watch.open(f"/documents/{server['ids'][evil_key]}")
    assert "<script>window.__pwned" in page.locator("#doctext").inner_text()   # shown as text
    assert "javascript:window.__pwned='url'" in page.locator(".meta").inner_text()
    page = watch.open(f"/documents/{hostile_doc}")
    assert "<iframe src=" in page.locator("#doctext").inner_text()
    assert page.locator("#doctext .fig").count() >= 1                            # the real pipeline found a figure
    assert watch.dialogs == [] and watch.pwned() is None


def test_filter_and_sort_figures(watch):
    page = watch.open("/figures")
    page.select_option("select[name=category]", "arrested")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/figures?*category=arrested*")
    rows = page.locator("table.figures tbody tr")
    assert rows.count() == 2
    assert {r.locator("td").nth(4).inner_text().strip() for r in rows.all()} == {"arrested"}
    page.fill("input[name=q]", "Shiraz")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**q=Shiraz*")
    assert page.locator("table.figures tbody tr").count() == 1
    assert "75" in page.locator("table.figures tbody tr").inner_text()
    page = watch.open("/figures")
    page.locator("thead a", has_text="value").click()          # ascending
    page.wait_for_url("**sort=value")
    page.locator("thead a", has_text="value").click()          # descending
    page.wait_for_url("**desc=1*")
    assert page.locator("table.figures tbody tr").first.locator("td").nth(2).inner_text().strip() == "1,500"
    evidence = page.locator("a.evidence-link").first
    evidence.click()
    page.wait_for_url("**/documents/*#fig-*")
    assert page.locator(".doctext .fig.current").count() >= 1


def test_keys_move_between_figures(watch, server):
    figs = _figure_ids(server)
    page = watch.open(f"/documents/{server['ids']['multi']}")
    assert page.locator("#doctext .fig").count() == 3
    page.keyboard.press("j")
    assert page.get_attribute("body", "data-current-figure") == str(figs["multi/f1"])
    page.keyboard.press("j")
    page.keyboard.press("j")
    assert page.get_attribute("body", "data-current-figure") == str(figs["multi/f3"])
    assert page.locator(f"#card-{figs['multi/f3']}.current").count() == 1
    page.keyboard.press("k")
    assert page.get_attribute("body", "data-current-figure") == str(figs["multi/f2"])
    assert page.locator(".doctext .fig.current").inner_text() == "9"
    page.keyboard.press("r")
    page.wait_for_url(f"**/review/{figs['multi/f2']}")


def test_review_a_figure_see_the_audit_entry_and_export(watch, server):
    figs = _figure_ids(server)
    fid = figs["multi/f2"]
    page = watch.open(f"/review/{fid}")
    page.fill("input[name=counted]", "injured inmates")
    page.fill("input[name=reviewer]", "Ana Reviewer")
    page.click("button.correct")
    page.wait_for_url(f"**/review/{fid}?done=correct")
    assert page.locator("#review-done").is_visible()
    entry = page.locator("table.audit tr.audit-entry").first
    assert entry.locator("td.who").inner_text() == "Ana Reviewer"
    assert entry.locator("td.action").inner_text() == "correct"
    assert "them" in entry.locator("td.before").inner_text()
    assert "injured inmates" in entry.locator("td.after").inner_text()
    page.screenshot(path=str(SCREENSHOTS / "review-done.png"), full_page=True)
    # a bad correction is refused with a message, and not logged
    page.fill("input[name=low]", "lots")
    page.click("button.correct")
    assert "Not saved" in page.locator("#review-error").inner_text()
    assert "not a number" in page.locator("#error-low").inner_text()      # next to its field
    assert watch.errors == ["Failed to load resource: the server responded with a status of 400 (Bad Request)"]
    watch.errors.clear()
    for other in ("multi/f1", "multi/f3"):
        page = watch.open(f"/review/{figs[other]}")
        page.click("button.accept" if other.endswith("f1") else "button.reject")
        page.wait_for_url("**done=*")
    page = watch.open("/audit")
    assert page.locator("tr.audit-entry").count() >= 3
    assert page.locator("tr.audit-entry td.who", has_text="Ana Reviewer").count() >= 1
    page.screenshot(path=str(SCREENSHOTS / "audit-after-review.png"), full_page=True)
    page = watch.open("/figures?review=corrected")
    assert page.locator("table.figures tbody tr").count() == 1
    assert page.locator(".state-corrected").count() == 1
    page = watch.open("/review")
    with page.expect_download() as download:
        page.click("#export-gold")
    data = zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert sorted(data.namelist()) == ["gold/aliases.json", "gold/docs.jsonl", "gold/gold.jsonl", "gold/groups.json"]
    gold = [json.loads(line) for line in data.read("gold/gold.jsonl").decode().splitlines()]
    assert [g["document"]["id"] for g in gold] == ["multi"]
    assert [f["counted"] for f in gold[0]["figures"]] == ["inmates", "injured inmates"]   # f3 rejected
    assert watch.errors == []


def test_a_post_without_the_csrf_token_is_refused(watch, server):
    figs = _figure_ids(server)
    page = watch.open("/")
    status = page.evaluate("""async (fid) => {
        const r = await fetch('/api/figures/' + fid + '/review', {method: 'POST',
            headers: {'content-type': 'application/json'}, body: JSON.stringify({action: 'reject'})});
        return r.status; }""", figs["toll-a/f1"])
    assert status == 403
    status = page.evaluate("""async (fid) => {
        const t = (await (await fetch('/api/csrf')).json()).csrf_token;
        const r = await fetch('/api/figures/' + fid + '/review', {method: 'POST',
            headers: {'content-type': 'application/json', 'x-csrf-token': t},
            body: JSON.stringify({action: 'accept', reviewer: 'api'})});
        return r.status; }""", figs["toll-a/f1"])
    assert status == 200


def test_reviewed_values_are_what_every_page_command_and_export_shows(watch, server):
    """Correct a figure's category and a source, reject another, add a missed one: every page, the
    API, `sayso figures`, `sayso export` (CSV and the dossier) show the reviewed ledger."""
    from conftest import run_cli
    SCREENSHOTS.mkdir(exist_ok=True)
    figs = _figure_ids(server)
    corrected, rejected = figs["toll-b/f1"], figs["dispute/f1"]
    page = watch.open(f"/review/{corrected}")
    page.select_option("select[name=category]", "executed")
    page.locator("input[name=source_name]").nth(1).fill("Witness Group")
    page.locator("select[name=source_role]").nth(1).select_option("confirms")
    page.fill("input[name=reviewer]", "Ana Reviewer")
    page.screenshot(path=str(SCREENSHOTS / "review-form.png"), full_page=True)
    page.click("button.correct")
    page.wait_for_url(f"**/review/{corrected}?done=correct*")
    page = watch.open(f"/review/{rejected}")
    page.fill("input[name=reviewer]", "Ana Reviewer")
    page.click("button.reject")
    page.wait_for_url(f"**/review/{rejected}?done=reject*")
    # a missed figure: select "230" in the ministry's document and add it
    page = watch.open(f"/documents/{server['ids']['dispute']}")
    page.evaluate("""() => {
        const text = document.getElementById('doctext');
        const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
        let node;
        while ((node = walker.nextNode())) {
            const at = node.data.indexOf('230');
            if (at >= 0) {
                const range = document.createRange();
                range.setStart(node, at); range.setEnd(node, at + 3);
                const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
                document.dispatchEvent(new Event('selectionchange'));
                return;
            }
        }
    }""")
    page.wait_for_function("!document.getElementById('add-button').disabled")
    page.fill("#add-figure input[name=reviewer]", "Ana Reviewer")
    page.click("#add-button")
    page.wait_for_url("**/review/*?done=add")
    added = int(page.url.split("/review/")[1].split("?")[0])
    page.select_option("select[name=category]", "killed")
    page.click("button.correct")
    page.wait_for_url(f"**/review/{added}?done=correct*")
    # the pages
    page = watch.open("/figures")
    ids = [int(x) for x in page.locator("table.figures tbody tr").evaluate_all(
        "rows => rows.map(r => r.getAttribute('data-figure'))")]
    assert rejected not in ids and corrected in ids and added in ids
    assert "executed" in page.locator(f'tr[data-figure="{corrected}"]').inner_text()
    page.screenshot(path=str(SCREENSHOTS / "figures-reviewed.png"), full_page=True)
    page = watch.open("/groups/g1")
    assert "Witness Group" in page.content()
    page.screenshot(path=str(SCREENSHOTS / "group-reviewed.png"), full_page=True)
    page = watch.open("/events/e1")                     # the event the corrected figure's group lies in
    assert "Witness Group" in page.content()
    page.screenshot(path=str(SCREENSHOTS / "event-reviewed.png"), full_page=True)
    event = page.evaluate("async () => await (await fetch('/api/events/e1')).json()")
    assert "dispute/f1" not in json.dumps(event) and "toll-b/f1" in json.dumps(event)
    page = watch.open("/sources")
    assert "Interior Ministry" not in page.locator("table.sources").inner_text()
    page.screenshot(path=str(SCREENSHOTS / "sources-reviewed.png"), full_page=True)
    with page.expect_navigation():
        page.click("#view-toggle a")
    assert "Interior Ministry" in page.locator("table.sources").inner_text()     # the machine's output
    with page.expect_navigation():
        page.click("#view-toggle a")
    assert "Interior Ministry" not in page.locator("table.sources").inner_text()
    # the API, the command line, the exports
    api = page.evaluate("async () => (await (await fetch('/api/figures?per_page=500')).json()).rows")
    assert {r["figure_id"]: r["category"] for r in api}[corrected] == "executed"
    assert rejected not in {r["figure_id"] for r in api}
    rows = json.loads(run_cli("figures", "--db", server["url"], "--format", "json").stdout)
    assert {r["figure_id"]: r["category"] for r in rows}[corrected] == "executed"
    assert rejected not in {r["figure_id"] for r in rows} and added in {r["figure_id"] for r in rows}
    exported = run_cli("export", "--format", "csv", "-o", "-", "--db", server["url"]).stdout
    assert "Witness Group (confirms)" in exported and "Interior Ministry (source)" not in exported
    dossier = run_cli("export", "--format", "html", "-o", "-", "--db", server["url"]).stdout
    assert ">Witness Group</span>" in dossier and ">Interior Ministry</span>" not in dossier
    assert watch.errors == [], watch.errors

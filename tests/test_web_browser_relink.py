"""Correcting the linking in the workbench, in headless Chromium (Debian's /usr/bin/chromium, as
``test_web_browser``): a reviewer merges a figure into a group, splits it off again, merges two
names of one party, and finds each in the audit log; screenshots in screenshots/. A ledger of its
own: the corrections change groups the other browser tests read."""
from __future__ import annotations

import os

import pytest

import workbench_ledger as wl
from test_web_browser import CHROMIUM, SCREENSHOTS, Watch, _figure_ids, browser, serving  # noqa: F401

pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM),
                                reason=f"{CHROMIUM} is not installed (apt-get install chromium chromium-driver)")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    url = str(tmp_path_factory.mktemp("relink") / "ledger.db")
    ids = wl.build(url)
    with serving(url) as base:
        yield {"base": base, "ids": ids, "url": url}


@pytest.fixture
def watch(browser, server):  # noqa: F811 - the browser fixture imported above
    w = Watch(browser, server["base"])
    yield w
    w.close()


def test_merge_and_split_a_group_merge_names_and_see_them_in_the_audit_log(watch, server):
    SCREENSHOTS.mkdir(exist_ok=True)
    figs = _figure_ids(server)
    dispute = figs["dispute/f1"]
    page = watch.open("/groups/g1")
    assert page.locator("table.side-by-side tbody tr").count() == 2
    page.fill("#merge-form input[name=with]", f"figure {dispute}")
    page.fill("#merge-form input[name=note]", "the ministry's count of the same dead")
    page.screenshot(path=str(SCREENSHOTS / "relink-group.png"), full_page=True)
    page.click("#merge-button")
    page.wait_for_url("**/groups/g1?done=merge")
    assert page.locator("#relink-done").is_visible()
    assert page.locator("table.side-by-side tbody tr").count() == 3
    page.screenshot(path=str(SCREENSHOTS / "relink-merged.png"), full_page=True)

    page.check(f"input[name=figure][value='{dispute}']")
    page.click("#split-button")
    page.wait_for_url("**/groups/g1?done=split")
    assert page.locator("table.side-by-side tbody tr").count() == 2

    page = watch.open("/events/e1")
    assert page.locator("#merge-form").is_visible() and page.locator("input[name=figure]").count() == 3
    page.screenshot(path=str(SCREENSHOTS / "relink-event.png"), full_page=True)

    page = watch.open("/sources/detail?name=Amnesty%20International")
    page.fill("#names-form input[name=name]", "Iran Human Rights Monitor")
    page.click("#names-button")
    page.wait_for_url("**/sources/detail?*done=merge-names*")
    page = watch.open("/groups/g1")
    assert "1 independent source" in page.locator("#independent").inner_text()
    named = page.locator("table.side-by-side tbody tr td:nth-child(3)").all_inner_texts()
    assert all("Iran Human Rights Monitor" not in n for n in named) and "Amnesty International" in named[0]

    page = watch.open("/audit")
    entries = page.locator("#relink-entries tr.relink-entry")
    assert entries.count() == 3
    assert [entries.nth(i).locator(".action").inner_text() for i in range(3)] == [
        "merge-names", "split-group", "merge-groups"]
    assert {entries.nth(i).locator(".who").inner_text() for i in range(3)} == {"tester"}
    assert "the ministry's count" in entries.nth(2).inner_text()
    page.screenshot(path=str(SCREENSHOTS / "relink-audit.png"), full_page=True)
    assert watch.errors == [], watch.errors
    assert watch.remote == []

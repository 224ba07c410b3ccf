"""A reader's journey in real headless Chromium (Debian's ``chromium``, driven by Playwright's Python API with
``executable_path``; never ``playwright install``), against the real service (granian on loopback):

    home -> a plan -> an item (-> its counterpart) -> the alignment report -> search "ท่องเที่ยว" (-> a hit)
         -> the query page (YASGUI from /static, a curated tab run, results shown)

Each step checks what the page shows, asserts that the browser logged no console error, no page error and no
failed request, and that nothing was fetched from another host; each saves tests/screenshots/<step>.png.
The steps run in file order and share one browser page. A step whose page is not part of this service yet
(its route is not registered) is skipped with that reason, never silently.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from chromium import Journey, chromium, needs_chromium, new_page

PLAN = "/id/nakhon-sawan-2564"
ITEM = "/id/nakhon-sawan-2564/issue/1/guideline/3"

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def journey(live_server) -> Iterator[Journey]:
    with chromium() as context:
        yield Journey(new_page(context), live_server.url)


def needs_route(app: Any, rule: str, who: str) -> None:
    """Skip (loudly) when the page this step visits is not part of the service yet."""
    if rule not in {r.rule for r in app.url_map.iter_rules()}:
        pytest.skip(f"{rule} is not registered in this checkout ({who}); this step waits for it")


def test_01_home(journey: Journey) -> None:
    page = journey.page
    journey.begin()
    resp = page.goto(journey.base_url + "/")
    assert resp is not None and resp.status == 200
    assert page.get_attribute("html", "lang") == "th"  # Accept-Language th-TH
    assert page.locator("h1").first.is_visible()
    plans = page.locator("#plans h3 a")
    assert plans.count() == 2
    assert {plans.nth(i).get_attribute("href") for i in range(2)} == {"/id/lower-north-1", PLAN}
    assert page.locator(".figure").count() >= 4
    for target in ("/reports/alignment", "/sparql", "/queries", "/search", "/downloads"):
        assert page.locator(f'main a[href^="{target}"]').count() >= 1, target
    journey.finish("home")


def test_02_plan(journey: Journey) -> None:
    page = journey.page
    journey.begin()
    page.locator(f'#plans h3 a[href="{PLAN}"]').click()
    page.wait_for_load_state()
    assert journey.path() == "/doc/nakhon-sawan-2564"  # /id/... answered 303 to the document
    assert "นครสวรรค์" in page.locator("h1").inner_text()
    tree = page.locator("#plan-tree")
    hrefs = set(tree.locator("a").evaluate_all("els => els.map(e => e.getAttribute('href'))"))
    items = {h for h in hrefs if h.startswith(PLAN + "/")}
    assert len(items) == 29  # target, 4 indicators, 4 missions, 4 issues, 16 guidelines
    assert {f"{PLAN}/issue/{n}" for n in range(1, 5)} <= items
    assert tree.locator(f'a[href="{ITEM}"] .num').inner_text().strip() == "1.3"
    meta = page.locator("#plan-meta").inner_text()
    assert "2564" in meta
    journey.finish("plan")


def test_03_item(journey: Journey) -> None:
    page = journey.page
    journey.begin()
    page.locator(f'#plan-tree a[href="{ITEM}"]').click()
    page.wait_for_load_state()
    assert journey.path() == "/doc/nakhon-sawan-2564/issue/1/guideline/3"
    crumbs = page.locator("nav.breadcrumb a")
    assert [crumbs.nth(i).get_attribute("href") for i in range(crumbs.count())] == [PLAN, PLAN + "/issue/1"]
    assert page.locator(
        ".source-text blockquote"
    ).first.is_visible()  # verbatim text, which differs from the label
    rows = page.locator("#alignment table tbody tr")
    assert rows.count() >= 1
    assert rows.first.locator(".badge").inner_text().strip() in ("เต็ม", "บางส่วน", "อ่อน")
    assert len(rows.first.locator("td").nth(3).inner_text().strip()) > 40  # the rationale, in Thai
    anchors = page.locator("#anchors a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert any(h.startswith("http://metadata.un.org/sdg/") for h in anchors)
    assert any(h.startswith("/id/national-strategy/") for h in anchors)
    rdf = page.locator("#rdf a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert "/doc/nakhon-sawan-2564/issue/1/guideline/3.ttl" in rdf
    journey.finish("item")


def test_04_counterpart(journey: Journey) -> None:
    """From the item to the cluster item it aligns with, whose page lists the same record from the other side."""
    page = journey.page
    journey.begin()
    link = page.locator("#alignment table tbody tr").first.locator('td a[href^="/id/lower-north-1/"]').first
    target = link.get_attribute("href")
    link.click()
    page.wait_for_load_state()
    assert journey.path() == "/doc" + target[len("/id") :]
    back = page.locator(f'#alignment a[href="{ITEM}"]')
    assert back.count() >= 1
    journey.finish("item-counterpart")


def test_05_alignment_report(journey: Journey, app: Any) -> None:
    needs_route(app, "/reports/alignment", "the alignment report, built by another helper")
    page = journey.page
    journey.begin()
    page.locator('header nav a[href^="/reports/alignment"]').click()
    page.wait_for_load_state()
    assert journey.path() == "/reports/alignment"
    assert page.locator("h1").first.is_visible()
    hrefs = page.locator("main a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    items = {h.split("?")[0] for h in hrefs if h and h.startswith(PLAN + "/")}
    assert len(items) >= 20, "the report links the Nakhon Sawan items"
    assert any(h and h.startswith("/id/lower-north-1/") for h in hrefs)
    journey.finish("report")


def test_06_search(journey: Journey, app: Any) -> None:
    needs_route(app, "/search", "search, built by another helper")
    page = journey.page
    journey.begin()
    page.locator('header nav a[href^="/search"]').click()
    page.wait_for_load_state()
    page.locator('main input[name="q"]').fill("ท่องเที่ยว")
    page.locator('main input[name="q"]').press("Enter")
    page.wait_for_load_state()
    assert journey.path() == "/search"
    hits = page.locator("li.hit")
    assert hits.count() >= 3
    assert "ท่องเที่ยว" in page.locator("li.hit mark").first.inner_text()
    first = hits.first.locator("a").first
    assert re.match(r"^/id/[a-z0-9-]+/", first.get_attribute("href") or "")
    journey.finish("search")
    journey.begin()
    first.click()
    page.wait_for_load_state()
    assert journey.path().startswith("/doc/")
    assert page.locator("h1").first.is_visible()
    journey.finish("search-hit")


def test_07_query_page(journey: Journey, project: Any) -> None:
    page = journey.page
    journey.begin()
    page.locator('header nav a[href="/sparql"]').click()
    page.wait_for_selector(".yasgui .tabsList .tab")
    assert journey.path() == "/sparql"
    scripts = page.locator("script[src]").evaluate_all("els => els.map(e => e.getAttribute('src'))")
    assert any(s.startswith("/static/") and "yasgui" in s for s in scripts), scripts
    if not project.catalog:
        pytest.fail("no curated query in queries/: the query page has no curated tab to run")
    title = next(iter(project.catalog.values())).label("th")
    tab = page.locator(".tabsList .tab", has_text=title)
    assert tab.count() == 1, f"a tab named {title!r}"
    tab.locator("a").first.click()
    panel = page.locator(".tabPanel.active")
    with page.expect_response(
        lambda r: urlsplit(r.url).path == "/sparql" and r.request.method == "POST"
    ) as sent:
        panel.locator(".yasqe_queryButton").click()
    assert sent.value.status == 200
    panel.locator(".yasr table tbody tr").first.wait_for()
    assert panel.locator(".yasr table tbody tr").count() >= 1
    headers = panel.locator(".yasr table thead th").evaluate_all("els => els.map(e => e.textContent.trim())")
    assert len([h for h in headers if h]) >= 2
    journey.finish("sparql")


def test_07b_completion_asks_no_other_host(journey: Journey) -> None:
    """Typing a class and a property and asking for completion (Ctrl+Space) must not send what the user typed
    to a vocabulary service: YASGUI's class and property completers call lov.linkeddata.es."""
    page = journey.page
    journey.begin()
    asked: list[str] = []
    page.on("request", lambda req: asked.append(req.url))
    editor = page.locator(".tabPanel.active .CodeMirror").first
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type("PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n", delay=10)
    for text in ("SELECT * WHERE { ?x a skos:Conc", " . ?x skos:prefL"):
        page.keyboard.type(text, delay=20)
        page.keyboard.press("Control+Space")
        page.wait_for_timeout(1200)
    outside = [u for u in asked if u.startswith("http") and urlsplit(u).netloc != journey.host]
    assert not outside, f"the query page asked another host: {outside}"
    journey.finish("sparql-completion")


def test_08_nothing_went_wrong_anywhere(journey: Journey) -> None:
    assert journey.problems == []

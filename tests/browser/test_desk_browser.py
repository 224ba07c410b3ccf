"""The researcher at the desk (issue 18) in real headless Chromium, against the real service (granian on
loopback): the query page's spreadsheet download (the file opened with openpyxl, its cells checked against the
endpoint's JSON answer), and its refusal said on the page. Nothing is fetched from another host; screenshots go
to tests/screenshots/desk-*.png."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from chromium import SHOTS, Journey, chromium, needs_chromium, new_page
from openpyxl import load_workbook

PLAN_NS = "https://w3id.org/planlink/id/nakhon-sawan-2564"
PLAN_LN = "https://w3id.org/planlink/id/lower-north-1"

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def desk(live_server) -> Iterator[Journey]:
    with chromium(accept_downloads=True) as context:
        yield Journey(new_page(context), live_server.url)


def open_tab(desk: Journey, title: str) -> None:
    page = desk.page
    page.locator(".tabsList .tab", has_text=title).locator("a").first.click()
    page.locator(".tabPanel.active .CodeMirror").first.wait_for()


def open_curated_tab(desk: Journey, project: Any, name: str) -> str:
    """A fresh journey on the English query page with the curated query ``name``'s tab open; its title."""
    desk.begin()
    desk.page.goto(desk.base_url + "/sparql?lang=en")
    desk.page.wait_for_selector(".yasgui .tabsList .tab")
    title: str = project.catalog[name].label("en")
    open_tab(desk, title)
    return title


def test_01_spreadsheet_of_a_tab(desk: Journey, project: Any) -> None:
    page = desk.page
    title = open_curated_tab(desk, project, "plan-items")
    query = page.evaluate("window.planlinkYasgui.getTab().getQuery()")
    assert "SELECT" in query
    with page.expect_download() as info:
        page.locator("#xlsx-download button").click()
    download = info.value
    assert download.suggested_filename == re.sub(r'[\\/:*?"<>|]+', " ", title).strip() + ".xlsx"
    ws = load_workbook(io.BytesIO(Path(download.path()).read_bytes())).worksheets[0]
    answer = requests.post(
        desk.base_url + "/sparql", data={"query": query, "format": "json"}, timeout=60
    ).json()
    assert [c.value for c in ws[1]] == answer["head"]["vars"]
    assert ws.max_row == 1 + len(answer["results"]["bindings"])
    first = answer["results"]["bindings"][0]
    col = answer["head"]["vars"].index("item") + 1
    assert ws.cell(2, col).value == first["item"]["value"]
    assert ws.cell(2, col).hyperlink.target == first["item"]["value"]
    assert page.locator("#xlsx-status").inner_text() == ""
    desk.finish("desk-xlsx")


def test_02_a_graph_query_has_no_spreadsheet(desk: Journey) -> None:
    page = desk.page
    desk.begin()
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 1"
    page.evaluate("q => window.planlinkYasgui.getTab().getYasqe().setValue(q)", construct)
    refusal = requests.post(
        desk.base_url + "/sparql", data={"query": construct, "format": "xlsx"}, timeout=60
    )
    assert refusal.status_code == 406
    with page.expect_response(lambda r: r.url.endswith("/sparql") and r.request.method == "POST") as sent:
        page.locator("#xlsx-download button").click()
    assert sent.value.status == 406
    status = page.locator("#xlsx-status")
    status.wait_for(state="visible")
    assert status.inner_text() == refusal.json()["message"]
    assert page.url.startswith(desk.base_url + "/sparql")  # the editor was not left
    # the 406 is the answer this step asks for; anything else the browser reported is a problem
    desk.problems[desk.step_start :] = [
        p for p in desk.problems[desk.step_start :] if "406" not in p and "Not Acceptable" not in p
    ]
    desk.finish("desk-xlsx-refused")


def active(desk: Journey) -> tuple[str, str]:
    """The active tab's title and query."""
    return desk.page.evaluate(
        "() => { const t = window.planlinkYasgui.getTab(); return [t.getName(), t.getQuery()]; }"
    )


def test_03_the_address_is_a_share_link(desk: Journey, project: Any) -> None:
    page = desk.page
    title = open_curated_tab(desk, project, "plan-items")
    hash_of = lambda: parse_qs(urlsplit(page.url).fragment)  # noqa: E731
    assert hash_of() == {"query": [active(desk)[1]], "tabTitle": [title]}
    editor = page.locator(".tabPanel.active .CodeMirror").first
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.type("\n# kept in the link", delay=5)
    edited = active(desk)[1]
    assert edited.endswith("# kept in the link") and hash_of()["query"] == [edited]
    link = page.url
    assert urlsplit(link).path == "/sparql" and urlsplit(link).query == "lang=en"

    other = page.context.new_page()  # the copied address, opened afresh
    with other.expect_response(
        lambda r: urlsplit(r.url).path == "/sparql" and r.request.method == "POST"
    ) as sent:
        other.goto(link)
    assert sent.value.status == 200  # the shared query runs
    other.locator(".tabPanel.active .yasr table tbody tr").first.wait_for()
    name, query = other.evaluate(
        "() => { const t = window.planlinkYasgui.getTab(); return [t.getName(), t.getQuery()]; }"
    )
    assert (name, query) == (title, edited)
    tabs = other.locator(".tabsList .tab", has_text=title)
    assert tabs.count() == 2  # the curated tab as it is, and the shared (edited) one, which is active
    other.screenshot(path=str(SHOTS / "desk-shared-link.png"), full_page=True)
    other.close()
    desk.finish("desk-address")


def test_04_a_parameter_set_opens_in_its_own_tab(desk: Journey, project: Any) -> None:
    page = desk.page
    desk.begin()
    params = {"plan": PLAN_NS, "other": PLAN_LN, "lang": "en"}
    page.goto(desk.base_url + "/queries/items-without-counterpart?" + urlencode(params))
    expected = int(page.locator(".row-count").inner_text())
    share = page.locator("#share-link")
    assert parse_qs(urlsplit(share.get_attribute("href") or "").query) == {k: [v] for k, v in params.items()}
    with page.expect_response(lambda r: urlsplit(r.url).path == "/sparql" and r.request.method == "POST"):
        page.locator("#open-in-sparql").click()
    page.locator(".tabPanel.active .yasr table tbody tr").first.wait_for()
    name, query = active(desk)
    assert (
        name
        == project.catalog["items-without-counterpart"].label("en")
        + " (plan=nakhon-sawan-2564, other=lower-north-1, lang=en)"
    )
    assert f"<{PLAN_NS}>" in query
    shown = page.locator(".tabPanel.active .yasr .dataTables_info").inner_text()
    assert f"of {expected} entries" in shown or f"{expected} entries" in shown, shown
    desk.finish("desk-parameter-set")


def test_05_completion_from_the_data(desk: Journey) -> None:
    """Prefixes, classes and properties complete from planlink's own vocabulary and VoID partitions, a Thai word
    completes to an item's IRI from the search index; every request the page makes goes to this host."""
    page = desk.page
    desk.begin()
    asked: list[str] = []
    page.on("request", lambda req: asked.append(req.url))
    page.goto(desk.base_url + "/sparql")
    page.wait_for_selector(".yasgui .tabsList .tab")
    page.locator(".tabPanel.active .CodeMirror").first.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")

    def complete(text: str) -> list[str]:
        page.evaluate(
            "t => { const y = window.planlinkYasgui.getTab().getYasqe(); y.replaceRange(t, y.getDoc().getCursor()); }",
            text,
        )
        page.keyboard.press("Control+Space")
        hints = page.locator(".CodeMirror-hints li")
        hints.first.wait_for()
        shown = hints.all_inner_texts()
        if not text.isascii():
            page.screenshot(path=str(SHOTS / "desk-completion-items.png"))
        page.keyboard.press("Enter")  # takes the first
        return shown

    assert complete("PREFIX sko")[0] == "skos: <http://www.w3.org/2004/02/skos/core#>"
    complete("\nPREFIX pla")
    assert "plan:Indicator" in complete("\nSELECT * WHERE { ?x a plan:Ind")
    assert complete(" . ?x plan:inPl")[0] == "plan:inPlan"
    items = complete(" ?plan . ?x ?p ท่องเที่ยว")
    assert any("ท่องเที่ยว" in h and "<https://w3id.org/planlink/id/" in h for h in items), items
    text = page.evaluate("() => window.planlinkYasgui.getTab().getYasqe().getValue()")
    lines = text.splitlines()
    assert lines[0] == "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>"
    assert lines[1] == "PREFIX plan: <https://w3id.org/planlink/def/plan#>"
    assert re.fullmatch(
        r"SELECT \* WHERE \{ \?x a plan:Indicator \. \?x plan:inPlan \?plan \. \?x \?p <https://w3id\.org/planlink/id/[^>]+>",
        lines[2],
    ), lines[2]
    paths = {urlsplit(u).path for u in asked}
    assert "/sparql/completions" in paths and "/search.json" in paths
    outside = [u for u in asked if u.startswith("http") and urlsplit(u).netloc != desk.host]
    assert not outside, f"the query page asked another host: {outside}"
    page.keyboard.type(" }")
    with page.expect_response(
        lambda r: urlsplit(r.url).path == "/sparql" and r.request.method == "POST"
    ) as sent:
        page.locator(".tabPanel.active .yasqe_queryButton").click()
    assert sent.value.status == 200
    desk.finish("desk-completion")


CHART_DATA = "id => { const c = Chart.getChart(document.getElementById(id)); return c ? [c.data.labels, c.data.datasets[0].data] : null; }"


def test_06_a_curated_query_as_a_chart(desk: Journey) -> None:
    page = desk.page
    desk.begin()
    page.goto(desk.base_url + "/queries/links-per-issue?lang=en")
    page.locator("#answer-chart").wait_for()
    labels, values = page.evaluate(CHART_DATA, "answer-chart")
    answer = requests.get(desk.base_url + "/queries/links-per-issue.json?lang=en", timeout=60).json()
    rows = answer["results"]["bindings"]
    assert values == [int(b["links"]["value"]) for b in rows]
    full = [b["issueNotation"]["value"] + " " + b["issueLabel"]["value"] for b in rows]
    assert labels == [t if len(t) <= 60 else t[:59] + "…" for t in full]
    box = page.locator("#answer-chart").bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 150  # drawn, not an empty element
    desk.finish("desk-chart-curated")


def test_07_the_query_page_charts_a_tab(desk: Journey, project: Any) -> None:
    page = desk.page
    open_curated_tab(desk, project, "items-per-kind")
    page.locator("#chart-button").click()  # no answer yet
    assert page.locator("#chart-status").inner_text() == "Run the query first, then draw its answer"
    with page.expect_response(lambda r: urlsplit(r.url).path == "/sparql" and r.request.method == "POST"):
        page.locator(".tabPanel.active .yasqe_queryButton").click()
    page.locator(".tabPanel.active .yasr table tbody tr").first.wait_for()
    page.locator("#chart-button").click()
    query = active(desk)[1]
    answer = requests.post(
        desk.base_url + "/sparql", data={"query": query, "format": "json"}, timeout=60
    ).json()
    rows = answer["results"]["bindings"]
    assert page.locator("#chart-value").input_value() == "items"
    # the first text column that changes from row to row (not the plan, a parameter), its ?kindLabel shown
    assert page.locator("#chart-label").input_value() == "kind"
    labels, values = page.evaluate(CHART_DATA, "tab-chart")
    assert values == [int(b["items"]["value"]) for b in rows]
    assert labels == [b["kindLabel"]["value"] for b in rows]
    assert page.locator("#chart-panel .chart-box").is_visible()
    page.locator("#chart-label").select_option("plan")  # the reader picks another column
    labels, _ = page.evaluate(CHART_DATA, "tab-chart")
    assert labels == ["lower-north-1"] * len(rows)
    desk.finish("desk-chart-tab")

    page.evaluate(
        "q => window.planlinkYasgui.getTab().getYasqe().setValue(q)",
        "SELECT ?s WHERE { ?s a <https://w3id.org/planlink/def/plan#Mission> }",
    )
    with page.expect_response(lambda r: urlsplit(r.url).path == "/sparql" and r.request.method == "POST"):
        page.locator(".tabPanel.active .yasqe_queryButton").click()
    page.locator(".tabPanel.active .yasr table tbody tr").first.wait_for()
    assert not page.locator("#chart-panel .chart-box").is_visible()  # a new answer hides the old chart
    page.locator("#chart-button").click()
    assert page.locator("#chart-status").inner_text() == "This answer has no column of numbers to draw"


def test_08_coverage_bars_in_the_report(desk: Journey) -> None:
    page = desk.page
    desk.begin()
    page.goto(desk.base_url + "/reports/alignment?lang=th")
    bars = page.locator("#coverage-bars g.bar")
    assert bars.count() == 3
    for i in range(3):
        total = int(bars.nth(i).get_attribute("data-total") or 0)
        counts = bars.nth(i).locator("rect.segment").evaluate_all("els => els.map(e => +e.dataset.count)")
        assert sum(counts) == total and total > 0
    page.locator("#coverage-bars").screenshot(path=str(SHOTS / "desk-coverage-bars.png"))
    desk.finish("desk-report")


def test_08b_the_ontology_page_in_thai(desk: Journey) -> None:
    page = desk.page
    desk.begin()
    page.goto(desk.base_url + "/def/plan?lang=th")
    assert page.get_attribute("html", "lang") == "th"
    headings = page.locator("h2").all_inner_texts()
    assert "คลาส" in headings and "เมทาดาทา" in headings and "Classes" not in headings
    term = page.locator('[id="Indicator"]')
    assert term.count() == 1 and "คำอธิบาย" in term.inner_text()
    page.screenshot(path=str(SHOTS / "desk-ontology-th.png"))
    term.screenshot(path=str(SHOTS / "desk-ontology-th-term.png"))
    desk.finish("desk-ontology-th-full")


def test_08c_item_and_report_pages_print_cleanly(desk: Journey) -> None:
    page = desk.page
    desk.begin()
    try:
        for path, shot in (
            ("/id/nakhon-sawan-2564/issue/1/guideline/3?lang=th", "desk-print-item"),
            ("/reports/alignment?lang=th", "desk-print-report"),
        ):
            page.goto(desk.base_url + path)
            page.emulate_media(media="print")
            assert not page.locator("header.site").is_visible()  # no navigation on paper
            written = page.evaluate(
                '() => [...document.querySelectorAll(\'main p a[href^="/"], main li a[href^="/"]\')]'
                ".map(a => getComputedStyle(a, '::after').content).filter(c => c.includes('/id/'))"
            )
            assert written and all(desk.base_url in c for c in written), written[:3]
            page.screenshot(path=str(SHOTS / f"{shot}.png"), full_page=False)
        breaks = page.evaluate(
            "() => [...document.querySelectorAll('main h2')].map(h => getComputedStyle(h).breakBefore)"
        )
        assert breaks[0] == "auto" and set(breaks[1:]) == {"page"}  # each section of the report on a new page
    finally:
        page.emulate_media(media="screen")
    desk.finish("desk-print-done")


def test_09_nothing_went_wrong_anywhere(desk: Journey) -> None:
    assert desk.problems == []

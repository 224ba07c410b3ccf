"""A curator's whole loop in real headless Chromium (issue 13), on a copy of the project: the public service
serves the report; `planlink curate` (granian on 127.0.0.1) lists the proposals; the curator sees a record
refused by the shapes (in Thai), accepts one proposal, rejects another, and a second tab, still on the old page,
is told in English that the files changed (409) and writes nothing; the pair's files in data/ hold the decisions;
after a restart the public report counts one more link, one rejection and the proposals awaiting review that the
curate page showed last, and
its SSSOM table carries both decisions. Screenshots go to tests/screenshots/curate-*.png."""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
import requests
from chromium import Journey, chromium, needs_chromium, new_page
from conftest import ROOT, LiveServer, start_command, start_server, stop_server

PLAN = "https://w3id.org/planlink/def/plan#"
PAIR = "nakhon-sawan-2564--lower-north-1"
CURATOR = "สมชาย ทดสอบ"

pytestmark = needs_chromium


class Loop:
    def __init__(self, root: Path, state: Path, logs: Path) -> None:
        self.root, self.state, self.logs = root, state, logs
        self.env = {"PLANLINK_ROOT": str(root), "PLANLINK_STATE_DIR": str(state)}
        self.curate: LiveServer | None = None
        self.before: dict[str, Any] = {}
        self.journey: Journey | None = None
        self.second: Any = None

    @property
    def alignment(self) -> Path:
        return self.root / "data" / f"alignment-{PAIR}.ttl"

    @property
    def decisions(self) -> Path:
        return self.root / "data" / f"decisions-{PAIR}.ttl"


def start_curate(loop: Loop) -> LiveServer:
    """`planlink curate` as a curator starts it, on a free port (127.0.0.1 only), until the page answers."""
    return start_command(["curate", "--curator", CURATOR], "/curate", loop.env, loop.logs)


def report_figures(server: LiveServer) -> dict[str, Any]:
    r = requests.get(server.url + "/reports/alignment.json?lang=en", timeout=60)
    assert r.status_code == 200
    return r.json()["figures"]  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def loop(tmp_path_factory) -> Iterator[Loop]:

    root = tmp_path_factory.mktemp("project")
    for folder in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(ROOT / folder, root / folder)
    lp = Loop(root, tmp_path_factory.mktemp("state"), tmp_path_factory.mktemp("logs"))
    public = start_server(lp.env, tmp=lp.logs)
    try:
        lp.before = report_figures(public)
        lp.before["curate-route"] = requests.get(public.url + "/curate", timeout=10).status_code
    finally:
        stop_server(public)
    lp.curate = start_curate(lp)
    try:
        with chromium() as context:
            lp.journey = Journey(new_page(context, 60_000), lp.curate.url)
            lp.second = new_page(context, 60_000)
            yield lp
    finally:
        stop_server(lp.curate)


def _expected(j: Journey, status: int) -> None:
    """The step's one expected refusal is not a problem; anything else still is."""

    def expected(p: str) -> bool:
        return p.startswith(f"HTTP {status}: ") or (
            p.startswith("console error: Failed to load resource") and f"status of {status} " in p
        )

    j.problems = [p for p in j.problems if not expected(p)]


def test_01_the_public_service_has_no_curation(loop: Loop) -> None:
    assert loop.before["curate-route"] == 404
    assert loop.before["links"] == 102 and loop.before["rejected_proposals"] == 0
    assert loop.before["awaiting_review"] > 0


def test_02_the_proposals(loop: Loop) -> None:
    j = loop.journey
    assert j is not None
    j.begin()
    resp = j.page.goto(j.base_url + "/curate")
    assert resp is not None and resp.status == 200
    assert j.page.get_attribute("html", "lang") == "th"
    assert j.page.locator("h1").inner_text() == "คัดสรรข้อเสนอความเชื่อมโยง"
    assert j.page.locator("#curator").inner_text() == CURATOR
    awaiting = int(j.page.locator("#count-awaiting").inner_text())
    assert awaiting == loop.before["awaiting_review"] == j.page.locator("section.proposal").count()
    first = j.page.locator("section.proposal").first
    for side in ("subject", "object"):
        assert first.locator(f"td.{side} p.th").inner_text().strip()
        assert first.locator(f"td.{side} p.en").inner_text().strip()
    assert j.page.locator("section.proposal p.parent").count() > 0
    assert j.page.locator("section.proposal .anchor").count() > 0
    j.finish("curate-proposals")


def test_03_a_record_the_shapes_refuse(loop: Loop) -> None:
    j = loop.journey
    assert j is not None
    page = j.page
    j.begin()
    text = loop.alignment.read_bytes()
    first = page.locator("section.proposal").first
    form = first.locator("form.accept")
    form.locator("select[name=relation]").select_option("closeMatch")
    form.locator("select[name=level]").select_option("Weak")
    form.locator("textarea[name=rationale_th]").fill("ทดสอบ")
    form.locator("textarea[name=rationale_en]").fill("test")
    with page.expect_navigation():
        form.locator("button").click()
    message = page.locator("#message")
    assert message.get_attribute("data-status") == "422"
    assert "ไม่ได้บันทึก" in message.inner_text() and "ไม่สอดคล้องกับความสัมพันธ์" in message.inner_text()
    assert loop.alignment.read_bytes() == text  # nothing written
    # what the curator typed is still there, to correct
    again = page.locator("section.proposal").first.locator("form.accept")
    assert again.locator("textarea[name=rationale_th]").input_value() == "ทดสอบ"
    _expected(j, 422)
    j.finish("curate-refused-th")


def test_04_accept_one_and_reject_another(loop: Loop) -> None:
    j = loop.journey
    assert j is not None
    page = j.page
    j.begin()
    page.goto(j.base_url + "/curate")
    # The second tab opens the page now, and stays on it.
    loop.second.goto(j.base_url + "/curate?lang=en")
    awaiting = int(page.locator("#count-awaiting").inner_text())
    first = page.locator("section.proposal").first
    accepted = (first.get_attribute("data-subject"), first.get_attribute("data-object"))
    form = first.locator("form.accept")
    form.locator("select[name=relation]").select_option("relatedMatch")
    form.locator("select[name=level]").select_option("Weak")
    form.locator("textarea[name=rationale_th]").fill("สององค์ประกอบเกี่ยวข้องกัน (ทดสอบจากเบราว์เซอร์)")
    form.locator("textarea[name=rationale_en]").fill("The two items are related (a browser test).")
    with page.expect_navigation():
        form.locator("button").click()
    assert "บันทึกความเชื่อมโยงที่ยอมรับแล้ว" in page.locator("#message").inner_text()
    # The new link feeds the structural levers (kinds, parents) of the other items: their proposals may change,
    # so the list is counted again rather than assumed one shorter.
    awaiting = int(page.locator("#count-awaiting").inner_text())
    assert awaiting == page.locator("section.proposal").count()
    assert int(page.locator("#count-accepted").inner_text()) == 103
    j.finish("curate-accepted")

    j.begin()
    second = page.locator("section.proposal").nth(1)
    rejected = (second.get_attribute("data-subject"), second.get_attribute("data-object"))
    second.locator("form.reject textarea[name=reason]").fill("คำตรงกันแต่คนละเรื่อง")
    with page.expect_navigation():
        second.locator("form.reject button").click()
    assert "บันทึกการปฏิเสธแล้ว" in page.locator("#message").inner_text()
    assert int(page.locator("#count-awaiting").inner_text()) == awaiting - 1  # a rejection changes no ranking
    assert int(page.locator("#count-rejected").inner_text()) == 1
    shown = {
        (s.get_attribute("data-subject"), s.get_attribute("data-object"))
        for s in page.locator("section.proposal").all()
    }
    assert accepted not in shown and rejected not in shown
    j.finish("curate-rejected")
    loop.before["accepted"], loop.before["rejected"] = accepted, rejected  # type: ignore[assignment]
    loop.before["awaiting_now"] = awaiting - 1


def test_05_the_other_tab_is_told_and_writes_nothing(loop: Loop) -> None:
    j = loop.journey
    assert j is not None
    tab = loop.second
    text = loop.decisions.read_bytes()
    problems: list[str] = []
    tab.on("response", lambda r: problems.append(f"HTTP {r.status}") if r.status >= 400 else None)
    last = tab.locator("section.proposal").last
    last.locator("form.reject textarea[name=reason]").fill("stale tab")
    with tab.expect_navigation():
        last.locator("form.reject button").click()
    message = tab.locator("#message")
    assert message.get_attribute("data-status") == "409"
    assert (
        "changed after this page was opened" in message.inner_text() and "NOT written" in message.inner_text()
    )
    assert tab.get_attribute("html", "lang") == "en"
    assert problems == ["HTTP 409"]
    assert loop.decisions.read_bytes() == text
    tab.screenshot(path=str(ROOT / "tests" / "screenshots" / "curate-conflict-en.png"), full_page=True)


def test_06_the_files_hold_the_decisions(loop: Loop) -> None:
    store = ox.Store()
    store.load(path=str(loop.alignment), format=ox.RdfFormat.TURTLE)
    s, o = loop.before["accepted"]
    (rec,) = [
        q.subject
        for q in store.quads_for_pattern(None, ox.NamedNode(PLAN + "alignmentObject"), ox.NamedNode(o))
        if ox.Quad(q.subject, ox.NamedNode(PLAN + "alignmentSubject"), ox.NamedNode(s)) in store
    ]
    assert ox.Quad(rec, ox.NamedNode(PLAN + "method"), ox.NamedNode(PLAN + "Curated")) in store
    store = ox.Store()
    store.load(path=str(loop.decisions), format=ox.RdfFormat.TURTLE)
    s, o = loop.before["rejected"]
    subjects = {
        q.subject
        for q in store.quads_for_pattern(None, ox.NamedNode(PLAN + "alignmentSubject"), ox.NamedNode(s))
    }
    objects = {
        q.subject
        for q in store.quads_for_pattern(None, ox.NamedNode(PLAN + "alignmentObject"), ox.NamedNode(o))
    }
    (dec,) = subjects & objects
    assert ox.Quad(dec, ox.NamedNode(PLAN + "status"), ox.NamedNode(PLAN + "Rejected")) in store
    assert CURATOR in loop.decisions.read_text("utf-8")


def test_07_the_served_report_changes_after_a_restart(loop: Loop) -> None:
    j = loop.journey
    assert j is not None
    public = start_server(loop.env, tmp=loop.logs)
    try:
        after = report_figures(public)
        assert after["links"] == loop.before["links"] + 1
        assert after["rejected_proposals"] == 1
        assert after["awaiting_review"] == loop.before["awaiting_now"]  # what the curate page said
        sssom = requests.get(public.url + "/reports/alignment.sssom.tsv", timeout=60).text
        rows = list(
            csv.DictReader(
                io.StringIO("\n".join(x for x in sssom.splitlines() if not x.startswith("#"))), delimiter="\t"
            )
        )
        assert [r["author_label"] for r in rows if r["predicate_modifier"] == "Not"] == [CURATOR]
        assert sum(1 for r in rows if r["author_label"] == CURATOR) == 2
        page = j.page
        j.base_url, j.host = public.url, public.url.split("//", 1)[1]
        j.begin()
        page.goto(public.url + "/reports/alignment?lang=en")
        figure = page.locator("#figure-review")
        assert int(figure.get_attribute("data-count") or -1) == after["awaiting_review"]
        assert figure.get_attribute("data-rejected") == "1"
        figure.scroll_into_view_if_needed()
        j.finish("curate-report-after-restart")
    finally:
        stop_server(public)

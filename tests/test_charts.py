"""Charts (issue 18): a curated query's header may name a label and a number column (``# chart: LABEL VALUE``); its
page then carries the answer for static/charts.js to draw (drawn and checked in Chromium:
tests/browser/test_desk_browser.py). The new curated queries behind the charts count what independent queries
count. The alignment report's coverage bars are the headline figures."""

from __future__ import annotations

import json
import re
from collections import Counter
from html import unescape
from pathlib import Path

import pytest
from planlink.foundation.errors import BadRequest
from planlink.readmodels import alignment
from planlink.readmodels.catalog import parse_query_file

HEADER = "# title@en: t\n# param: lang string th Language\n"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "q.rq"
    path.write_text(text, "utf-8")
    return path


def test_chart_header(tmp_path: Path) -> None:
    q = parse_query_file(
        write(
            tmp_path,
            HEADER + "# chart: ?k n\nSELECT ?lang ?k (COUNT(*) AS ?n) WHERE { ?s a ?k } GROUP BY ?lang ?k",
        )
    )
    assert q.chart == ("k", "n", None)
    q = parse_query_file(
        write(
            tmp_path,
            HEADER
            + "# chart: g+k n ?lang\nSELECT ?lang ?g ?k (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s a ?k } } "
            "GROUP BY ?lang ?g ?k",
        )
    )
    assert q.chart == ("g+k", "n", "lang")
    with pytest.raises(BadRequest, match=r"\?g are not in the SELECT list"):
        parse_query_file(write(tmp_path, HEADER + "# chart: g+k n\nSELECT ?lang ?k ?n WHERE { ?s a ?k }"))
    with pytest.raises(BadRequest, match=r"\?s are not in the SELECT list"):
        parse_query_file(write(tmp_path, HEADER + "# chart: k n s\nSELECT ?lang ?k ?n WHERE { ?s a ?k }"))
    with pytest.raises(BadRequest, match="expected 'LABEL VALUE"):
        parse_query_file(write(tmp_path, HEADER + "# chart: k n s t\nSELECT ?lang ?k WHERE { ?s a ?k }"))
    with pytest.raises(BadRequest, match="expected 'LABEL VALUE"):
        parse_query_file(write(tmp_path, HEADER + "# chart: k\nSELECT ?lang ?k WHERE { ?s a ?k }"))
    with pytest.raises(BadRequest, match=r"\?n are not in the SELECT list"):
        parse_query_file(write(tmp_path, HEADER + "# chart: k n\nSELECT ?lang ?k WHERE { ?s a ?k }"))
    with pytest.raises(BadRequest, match="only a SELECT answer"):
        parse_query_file(write(tmp_path, "# title@en: t\n# chart: k n\nASK { ?s ?p ?o }"))


def chart_of(html: str) -> dict | None:
    m = re.search(r'<script id="chart-data" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(unescape(m.group(1))) if m else None


def test_a_curated_page_carries_its_chart(client) -> None:
    page = client.get("/queries/items-per-kind?lang=en").get_data(as_text=True)
    chart = chart_of(page)
    assert chart is not None and (chart["label"], chart["value"], chart["series"]) == ("kind", "items", None)
    assert 'id="answer-chart"' in page and "/static/node_modules/chart.js/dist/chart.umd.min.js" in page
    answer = client.get("/queries/items-per-kind.json?lang=en").get_json()
    assert chart["answer"]["results"]["bindings"] == answer["results"]["bindings"]
    assert chart_of(client.get("/queries/plan-items?lang=en").get_data(as_text=True)) is None
    assert client.get("/static/node_modules/chart.js/dist/chart.umd.min.js").status_code == 200


@pytest.mark.parametrize("plan", ["lower-north-1", "nakhon-sawan-2564"])
def test_items_per_kind_counts_what_plan_items_lists(client, plan: str) -> None:
    iri = f"https://w3id.org/planlink/id/{plan}"
    counted = client.get(f"/queries/items-per-kind.json?lang=en&plan={iri}").get_json()["results"]["bindings"]
    listed = client.post(
        "/sparql",
        data={
            "query": "PREFIX plan: <https://w3id.org/planlink/def/plan#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>"
            f" SELECT DISTINCT ?item ?kind WHERE {{ ?item plan:inPlan <{iri}> ; a ?kind . ?kind rdfs:subClassOf plan:PlanItem }}",
            "format": "json",
        },
    ).get_json()["results"]["bindings"]
    expected = Counter(b["kind"]["value"] for b in listed)
    assert {b["kind"]["value"]: int(b["items"]["value"]) for b in counted} == dict(expected)
    assert all(b["kindLabel"]["xml:lang"] == "en" for b in counted)


def test_links_per_issue_counts_the_reports_links(client, project) -> None:
    """Each issue's count is the number of the report's links whose object is the issue, one of its goals or one
    of its indicators (an indicator stated at plan level and under an issue is one resource: its IRI need not be
    under the issue's)."""
    report = alignment.build(project, None, None, "en")
    counted = client.get("/queries/links-per-issue.json?lang=en").get_json()["results"]["bindings"]
    parts = client.post(
        "/sparql",
        data={
            "query": "PREFIX plan: <https://w3id.org/planlink/def/plan#> SELECT ?issue ?part WHERE {"
            " <https://w3id.org/planlink/id/lower-north-1> plan:hasIssue ?issue ."
            " OPTIONAL { ?issue plan:hasGoal|plan:hasIndicator ?part } }",
            "format": "json",
        },
    ).get_json()["results"]["bindings"]
    under: dict[str, set[str]] = {}
    for b in parts:
        under.setdefault(b["issue"]["value"], {b["issue"]["value"]}).add(b.get("part", b["issue"])["value"])
    assert len(under) == 5
    expected = {
        issue: sum(1 for x in report.links if x.object.iri in items) for issue, items in under.items()
    }
    assert {b["issue"]["value"]: int(b["links"]["value"]) for b in counted} == expected


@pytest.mark.parametrize("lang", ["th", "en"])
def test_coverage_bars_are_the_headline_figures(project, client, lang: str) -> None:
    report = alignment.build(project, None, None, lang)
    bars = alignment.coverage_bars(report)
    assert [b["kind"] for b in bars.bars] == list(alignment.COVERED_KINDS)
    for b in bars.bars:
        counts = report.coverage.get(b["kind"], {})
        assert {s["rank"]: s["count"] for s in b["segments"]} == {r: n for r, n in counts.items() if n}
        assert sum(s["w"] for s in b["segments"]) == pytest.approx(bars.bar_width, abs=0.05)
        xs = [s["x"] for s in b["segments"]]
        assert xs == sorted(xs) and [s["rank"] for s in b["segments"]] == sorted(
            (s["rank"] for s in b["segments"]), reverse=True
        )
    html = client.get(f"/reports/alignment?lang={lang}").get_data(as_text=True)
    drawn = re.findall(r'<g class="bar" data-kind="(\w+)" data-total="(\d+)">(.*?)</g>', html, re.S)
    assert [(k, int(t)) for k, t, _ in drawn] == [(k, report.totals(k)) for k in alignment.COVERED_KINDS]
    for kind, _, body in drawn:
        rank = {key: r for r, key in alignment.LEVEL_KEYS.items()}
        segs = {rank[key]: int(n) for key, n in re.findall(r'data-level="(\w+)" data-count="(\d+)"', body)}
        assert segs == {r: n for r, n in report.coverage.get(kind, {}).items() if n}


@pytest.mark.parametrize("lang", ["th", "en"])
def test_coverage_by_level_is_drawn_stacked_by_level_with_names_in_the_page_language(
    client, lang, project
) -> None:
    # One bar per scope and kind, stacked by level: the IRIs get their names in the page's language, and each
    # bar's segments add up to the items of that kind in that scope (the report's headline figures for the plan).
    chart = chart_of(client.get(f"/queries/coverage-by-level?lang={lang}").get_data(as_text=True))
    assert chart is not None and (chart["label"], chart["value"], chart["series"]) == (
        "scope+kind",
        "items",
        "level",
    )
    rows = chart["answer"]["results"]["bindings"]
    kinds = {r["kindLabel"]["value"] for r in rows}
    levels = {r["levelLabel"]["value"] for r in rows}
    if lang == "th":
        assert kinds == {"ประเด็นการพัฒนา", "เป้าหมาย", "ตัวชี้วัด"} and "ไม่มี" in levels
        assert {r["scopeLabel"]["value"] for r in rows} >= {"ประเด็นการพัฒนา 1", "ประเด็นการพัฒนา 5"}
    else:
        assert {"Full", "Partial", "Weak", "none"} <= {v.capitalize() if v != "none" else v for v in levels}
    report = alignment.build(project, None, None, lang)
    plan = report.target.iri
    drawn: dict[str, dict[int, int]] = {}
    for r in rows:
        if r["scope"]["value"] == plan:
            by_rank = drawn.setdefault(r["kind"]["value"].rsplit("#", 1)[-1], {})
            by_rank[int(r["rank"]["value"])] = int(r["items"]["value"])
    assert drawn == {k: {rank: n for rank, n in v.items() if n} for k, v in report.coverage.items()}

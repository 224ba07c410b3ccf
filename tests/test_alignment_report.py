"""The alignment report: its figures equal the curated queries' answers (and a second, Python reckoning of
coverage from the links); the page renders in Thai and English with the heatmap; Markdown, CSV, JSON and SSSOM
parse; the command line writes every format."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from html.parser import HTMLParser

import pytest
from planlink.foundation.errors import BadRequest
from planlink.readmodels import alignment, curated, review
from planlink.readmodels.alignment import CSV_COLUMNS, SSSOM_COLUMNS

NS = "https://w3id.org/planlink/id/nakhon-sawan-2564"
LN1 = "https://w3id.org/planlink/id/lower-north-1"
PLAN = "https://w3id.org/planlink/def/plan#"
SKOS_MATCH = {f"skos:{m}Match" for m in ("exact", "close", "broad", "narrow", "related")}


@pytest.fixture(scope="module")
def reports(project) -> dict[str, alignment.Report]:
    return {lang: review.report(project, lang=lang) for lang in ("th", "en")}


# -- figures = the curated queries ----------------------------------------------------------------------------


def test_defaults_are_nakhon_sawan_to_cluster_1(reports) -> None:
    r = reports["en"]
    assert (r.source.iri, r.target.iri) == (NS, LN1)
    assert r.cross_cluster and "Cluster 2" in r.caveat and "Cluster 1" in r.caveat
    assert "กลุ่มจังหวัดภาคเหนือตอนล่าง 2" in reports["th"].caveat


def test_coverage_equals_the_coverage_query(project, reports) -> None:
    rows = curated.rows(project, "coverage-by-level", {"source": NS, "target": LN1})
    overall: dict[str, dict[int, int]] = {}
    per_issue: dict[str, dict[str, dict[int, int]]] = {}
    for row in rows:
        kind, rank, n = row["kind"].value.split("#")[1], int(row["rank"].value), int(row["items"].value)
        into = overall if row["scope"].value == LN1 else per_issue.setdefault(row["scope"].value, {})
        into.setdefault(kind, {})[rank] = n
    for r in reports.values():
        assert {k: {x: n for x, n in v.items() if n} for k, v in r.coverage.items()} == overall
        assert {c.issue.iri: c.counts for c in r.coverage_by_issue} == per_issue
    figures = reports["en"].headline()["coverage"]
    assert (
        figures["issues"]["total"] == 5
        and figures["goals"]["total"] == 19
        and figures["indicators"]["total"] == 40
    )


def test_coverage_query_agrees_with_a_reckoning_from_the_links(project, reports) -> None:
    """The rule, reckoned again in Python from the matrix query: an item's level is the strongest link to it;
    an issue's is the strongest of its own links and (at most partial) its goals' and indicators' links."""
    links = curated.rows(project, "alignment-matrix", {"source": NS, "target": LN1, "lang": "en"})
    strongest: dict[str, int] = {}
    for row in links:
        o = row["object"].value
        strongest[o] = max(strongest.get(o, 0), int(row["levelRank"].value))
    items = curated.rows(project, "plan-items", {"plan": LN1, "lang": "en"})
    expected: dict[str, Counter] = {"DevelopmentIssue": Counter(), "Goal": Counter(), "Indicator": Counter()}
    for row in items:
        kind = row["kind"].value.split("#")[1]
        iri = row["item"].value
        if kind in ("Goal", "Indicator"):
            expected[kind][strongest.get(iri, 0)] += 1
        elif kind == "DevelopmentIssue":
            parts = [
                min(2, strongest.get(i["item"].value, 0))
                for i in items
                if i.get("issue") is not None
                and i["issue"].value == iri
                and i["kind"].value.split("#")[1] in ("Goal", "Indicator")
            ]
            expected[kind][max([strongest.get(iri, 0), *parts])] += 1
    got = reports["en"].coverage
    assert {k: dict(v) for k, v in expected.items()} == {
        k: {x: n for x, n in got[k].items() if n} for k in got
    }


def test_links_gaps_and_indicators_equal_their_queries(project, reports) -> None:
    r = reports["th"]
    matrix = curated.rows(project, "alignment-matrix", {"source": NS, "target": LN1, "lang": "th"})
    assert len(r.links) == len(matrix) == 102
    assert {x.record for x in r.links} == {m["record"].value for m in matrix}
    source_gaps = curated.rows(project, "items-without-counterpart", {"plan": NS, "other": LN1, "lang": "th"})
    target_gaps = curated.rows(project, "items-without-counterpart", {"plan": LN1, "other": NS, "lang": "th"})
    assert r.source_unlinked == len(source_gaps) == 2
    assert r.source_stated_gaps == sum(g["statedGap"].value == "true" for g in source_gaps) == 2
    assert r.target_unlinked == len(target_gaps) == 10
    assert r.target_stated_gaps == sum(g["statedGap"].value == "true" for g in target_gaps) == 10
    shared = curated.rows(project, "shared-indicators", {"source": NS, "target": LN1, "lang": "th"})
    assert [s.record for s in r.shared] == [s["record"].value for s in shared]
    assert r.source_items == len(curated.rows(project, "plan-items", {"plan": NS, "lang": "th"})) == 29


def test_heatmap_cells_are_the_strongest_links(reports) -> None:
    hm = reports["en"].heatmap
    assert [i.kind for i in hm.rows].count("DevelopmentIssue") == 4 and len(hm.rows) == 20
    assert [i.kind for i in hm.columns].count("DevelopmentIssue") == 5 and len(hm.columns) == 24
    # broadMatch, partial: Nakhon Sawan states no water management (cluster goal 3.2)
    assert hm.cells[(NS + "/issue/3", LN1 + "/issue/3")] == 2
    assert hm.cells[(NS + "/issue/1/guideline/3", LN1 + "/issue/1/goal/1")] == 2
    assert not any(r == NS + "/issue/4/guideline/1" for r, _ in hm.cells)  # the stated gap


def test_other_plans_and_bad_plans(project) -> None:
    rev = alignment.build(project, "lower-north-1", "nakhon-sawan-2564", "en")
    assert rev.source.iri == LN1 and rev.target.iri == NS
    assert rev.links == []  # the curated records go from Nakhon Sawan to the cluster
    with pytest.raises(BadRequest):
        alignment.build(project, "no-such-plan", None, "en")
    with pytest.raises(BadRequest):
        alignment.build(project, LN1, LN1, "en")
    with pytest.raises(BadRequest):
        alignment.build(project, None, None, "de")


# -- the page -----------------------------------------------------------------------------------------------------


class Page(HTMLParser):
    """What the tests read from the report page: the figures' data attributes, the SVG's cells and labels."""

    def __init__(self) -> None:
        super().__init__()
        self.figures: dict[str, dict[str, str]] = {}
        self.levels: list[tuple[str, str, str]] = []
        self.cells: list[dict[str, str]] = []
        self.svg_links: list[str] = []
        self.titles_in_svg = 0
        self.links_rows = 0
        self._figure: str | None = None
        self._in_svg = False
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "div" and a.get("id", "").startswith("figure-"):
            self._figure = a["id"][len("figure-") :]
            self.figures[self._figure] = a
        if tag == "li" and "data-level" in a and self._figure:
            self.levels.append((self._figure, a["data-level"], a["data-count"]))
        if tag == "svg":
            self._in_svg = True
        if self._in_svg and tag == "rect" and "cell" in a.get("class", "").split():
            self.cells.append(a)
        if self._in_svg and tag == "a":
            self.svg_links.append(a.get("href", ""))
        if self._in_svg and tag == "title":
            self.titles_in_svg += 1
        if tag == "tr" and a.get("class") == "link":
            self.links_rows += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self._in_svg = False
        if tag == "div" and self._figure and tag == "div":
            pass

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@pytest.mark.parametrize("lang", ["th", "en"])
def test_page_renders_with_figures_and_heatmap(client, reports, lang: str) -> None:
    r = client.get(f"/reports/alignment?lang={lang}")
    assert r.status_code == 200 and r.mimetype == "text/html"
    page = Page()
    page.feed(r.get_data(as_text=True))
    rep = reports[lang]
    for kind in alignment.COVERED_KINDS:
        assert page.figures[kind]["data-total"] == str(rep.totals(kind))
        got = {level: int(n) for fig, level, n in page.levels if fig == kind}
        assert got == {alignment.LEVEL_KEYS[x]: rep.coverage[kind].get(x, 0) for x in alignment.LEVELS}
    assert page.figures["unlinked"]["data-count"] == "2" and page.figures["unlinked"]["data-stated"] == "2"
    assert page.figures["links"]["data-count"] == "102"
    assert len(page.cells) == len(rep.heatmap.rows) * len(rep.heatmap.columns) == 20 * 24
    assert Counter(c["data-level"] for c in page.cells) == Counter(
        alignment.LEVEL_KEYS[rep.heatmap.cells.get((x.iri, y.iri), 0)]
        for x in rep.heatmap.rows
        for y in rep.heatmap.columns
    )
    for item in rep.heatmap.rows + rep.heatmap.columns:  # every row and column label links to its page
        path = item.iri.replace("https://w3id.org/planlink", "")
        assert any(h.startswith(path) for h in page.svg_links), path
    assert page.titles_in_svg >= len(page.cells) + 44  # a tooltip on each cell and each label
    assert page.links_rows == 102
    text = " ".join(page.text)
    caveat = "ความสอดคล้องข้ามกลุ่มจังหวัด" if lang == "th" else "cross-cluster alignment"
    assert caveat in text
    rationale = rep.links[0].rationale
    assert rationale and " ".join(rationale.split())[:40] in " ".join(text.split())


def test_page_escapes_and_caches(client) -> None:
    r = client.get("/reports/alignment?lang=en")
    assert (
        client.get("/reports/alignment?lang=en", headers={"If-None-Match": r.headers["ETag"]}).status_code
        == 304
    )
    assert "<script" not in r.get_data(as_text=True)  # readable without JavaScript; nothing to run


def test_bad_requests(client) -> None:
    assert client.get("/reports/alignment?source=nowhere").status_code == 400
    assert client.get("/reports/alignment?colour=red").status_code == 400
    assert client.get("/reports/alignment?source=a&source=b").status_code == 400
    assert client.get("/reports/alignment.pdf").status_code == 406
    assert client.get("/reports/alignment", headers={"Accept": "image/png"}).status_code == 406


# -- the other formats ----------------------------------------------------------------------------------------------


def test_markdown(client, reports) -> None:
    r = client.get("/reports/alignment.md?lang=en")
    assert r.mimetype == "text/markdown"
    md = r.get_data(as_text=True)
    assert md.startswith("# Plan alignment report") and "> **Caveat:**" in md
    sections = re.findall(r"^## (.+)$", md, re.MULTILINE)
    assert "Headline figures" in sections and "Every link, with its reason" in sections
    links_part = md.split("## Every link, with its reason")[1].split("\n## ")[0]
    rows = [line for line in links_part.splitlines() if line.startswith("| [")]
    assert len(rows) == 102 and all(line.count(" | ") >= 4 for line in rows)
    headline = md.split("## Headline figures")[1]
    assert "| development issues | 0 | 5 | 0 | 0 | 5 |" in headline
    assert client.get("/reports/alignment", headers={"Accept": "text/markdown"}).get_data(
        as_text=True
    ) == client.get("/reports/alignment.md").get_data(as_text=True)


def test_csv_one_row_per_link_and_gap(client, reports) -> None:
    r = client.get("/reports/alignment.csv?lang=en")
    assert r.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(r.get_data(as_text=True))))
    assert tuple(rows[0].keys()) == CSV_COLUMNS
    kinds = Counter(row["row"] for row in rows)
    rep = reports["en"]
    assert kinds == {"link": 102, "source-gap": rep.source_unlinked, "target-gap": rep.target_unlinked}
    assert all(row["level"] in ("full", "partial", "weak") for row in rows if row["row"] == "link")
    assert (
        sum(row["stated_gap"] == "true" for row in rows) == 2 + 10
    )  # Nakhon Sawan-side and cluster-side gaps


def test_the_report_says_how_many_proposals_await_review(client, project, reports) -> None:
    from planlink.readmodels import suggest

    found = suggest.run(project)[0]
    r = reports["en"]
    assert r.review is not None and r.review.awaiting == len(found) > 0 and r.review.unsure == 0
    assert r.headline()["awaiting_review"] == len(found)
    page = client.get("/reports/alignment?lang=en").get_data(as_text=True)
    assert f'id="figure-review" data-count="{len(found)}"' in page
    md = client.get("/reports/alignment.md?lang=th").get_data(as_text=True)
    assert f"ข้อเสนอความเชื่อมโยงที่รอการพิจารณา: **{len(found)}**" in md


def test_json_has_the_figures(client, reports) -> None:
    r = client.get("/reports/alignment.json?lang=th")
    assert r.mimetype == "application/json"
    doc = r.get_json()
    assert doc["figures"] == reports["th"].headline()
    assert doc["crossCluster"] is True and len(doc["links"]) == 102
    assert client.get("/reports/alignment?format=json").get_json()["figures"] == doc["figures"]


def parse_sssom(text: str) -> tuple[dict, list[dict[str, str]]]:
    """SSSOM/TSV read by the spec: '#' lines hold the YAML metadata (here: keys with JSON-string values, and the
    curie_map block), the rest is a TSV table with a header row."""
    meta: dict = {}
    body = []
    current = None
    for line in text.splitlines():
        if line.startswith("#"):
            content = line[1:]
            if content.startswith("  ") and current is not None:
                key, _, value = content.strip().partition(": ")
                meta[current][key] = json.loads(value)
            else:
                key, _, value = content.strip().partition(":")
                if value.strip():
                    meta[key] = json.loads(value.strip())
                    current = None
                else:
                    meta[key], current = {}, key
        else:
            body.append(line)
    rows = list(csv.DictReader(io.StringIO("\n".join(body)), delimiter="\t"))
    return meta, rows


def test_sssom(client, reports) -> None:
    r = client.get("/reports/alignment.sssom.tsv?lang=en")
    assert r.mimetype == "text/tab-separated-values"
    meta, rows = parse_sssom(r.get_data(as_text=True))
    assert meta["license"].startswith("https://creativecommons.org/")
    assert meta["mapping_set_id"].startswith("https://w3id.org/planlink/reports/alignment.sssom.tsv?")
    curie_map = meta["curie_map"]
    assert {"planlink", "skos", "semapv"} <= set(curie_map)
    assert list(rows[0].keys()) == list(SSSOM_COLUMNS)
    assert len(rows) == 102
    for row in rows:
        for col in ("subject_id", "predicate_id", "object_id", "mapping_justification"):
            prefix = row[col].split(":", 1)[0]
            assert prefix in curie_map, (col, row[col])  # every identifier is a CURIE the map expands
        assert row["predicate_id"] in SKOS_MATCH
        assert row["mapping_justification"] == "semapv:ManualMappingCuration"
        assert 0 < float(row["confidence"]) <= 1
        assert (
            row["author_id"] == "planlink:agent/planlink-curators"
            and row["author_label"] == "planlink curators"
        )
        assert row["mapping_date"] == "2026-11-21" and row["predicate_modifier"] == ""
        assert row["comment"] and "\t" not in row["comment"]
    expanded = {curie_map["planlink"] + row["subject_id"].split(":", 1)[1] for row in rows}
    assert expanded == {x.subject.iri for x in reports["en"].links}
    full = [row for row in rows if row["confidence"] == "1.00"]
    assert len(full) == sum(1 for x in reports["en"].links if x.rank == 3)


# -- the command line ---------------------------------------------------------------------------------------------


def test_cli_report(tmp_path) -> None:
    from click.testing import CliRunner
    from planlink.cli import main

    runner = CliRunner()
    out = runner.invoke(main, ["report", "--format", "json", "--lang", "en"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout)["figures"]["coverage"]["issues"]["total"] == 5
    for fmt in ("html", "md", "csv", "sssom"):
        target = tmp_path / f"report.{fmt}"
        out = runner.invoke(
            main, ["report", "--format", fmt, "-o", str(target), "--source", NS, "--target", LN1]
        )
        assert out.exit_code == 0, out.output
        assert target.stat().st_size > 1000
    page = Page()
    page.feed((tmp_path / "report.html").read_text("utf-8"))
    assert len(page.cells) == 480
    assert runner.invoke(main, ["report", "--source", "nowhere"]).exit_code == 2

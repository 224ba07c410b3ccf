"""Spreadsheets (.xlsx) of SELECT answers (/sparql, curated queries on the web and the command line) and of the
alignment report: each file is opened with openpyxl and its cells are checked."""

from __future__ import annotations

import io
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox
import pytest
from openpyxl import load_workbook
from planlink.engine.answers import to_xlsx, write_answer
from planlink.engine.backend import Request
from planlink.foundation import formats
from planlink.readmodels.column_names import heading

ROOT = Path(__file__).resolve().parents[1]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BASE = "https://w3id.org/planlink/"
ISSUE1 = BASE + "id/nakhon-sawan-2564/issue/1"

QUERY = f"""PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
SELECT ?item ?label ?n ?d ?f ?yes ?none WHERE {{
  BIND(<{ISSUE1}> AS ?item)
  ?item skos:prefLabel ?label . FILTER(LANG(?label) = "th")
  BIND(42 AS ?n) BIND(2.5 AS ?d) BIND(xsd:double("1.5e3") AS ?f) BIND(true AS ?yes)
}}"""


def sheet(body: bytes, name: str | None = None):  # type: ignore[no-untyped-def]
    wb = load_workbook(io.BytesIO(body))  # not read-only: hyperlinks are read only in the full mode
    return wb[name] if name else wb.worksheets[0]


def values(ws) -> list[list]:  # type: ignore[no-untyped-def]
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_the_format_is_in_the_one_table() -> None:
    fmt = formats.get("xlsx")
    assert fmt.media_type == XLSX and fmt in formats.RESULT_FORMATS and fmt in formats.REPORT_FORMATS
    assert formats.negotiate(formats.RESULT_FORMATS, XLSX) is fmt
    assert formats.negotiate(formats.RESULT_FORMATS, None, "xlsx") is fmt


@pytest.mark.parametrize("how", ["format", "accept"])
def test_sparql_select_as_xlsx(client, how: str) -> None:
    if how == "format":
        resp = client.get("/sparql?" + urlencode({"query": QUERY, "format": "xlsx"}))
    else:
        resp = client.get("/sparql?" + urlencode({"query": QUERY}), headers={"Accept": XLSX})
    assert resp.status_code == 200, resp.data[:300]
    assert resp.mimetype == XLSX
    assert "attachment" in resp.headers["Content-Disposition"]
    ws = sheet(resp.data)
    rows = values(ws)
    assert rows[0] == ["item", "label", "n", "d", "f", "yes", "none"]
    item, label, n, d, f, yes, none = ws[2]
    assert item.value == ISSUE1 and item.hyperlink is not None and item.hyperlink.target == ISSUE1
    assert label.value.startswith("ยุทธศาสตร์") or any("\u0e00" <= ch <= "\u0e7f" for ch in label.value)
    assert n.value == 42 and isinstance(n.value, int) and n.data_type == "n"
    assert n.value == 42 and d.data_type == "n" and Decimal(str(d.value)) == Decimal("2.5")
    assert f.value == 1500.0 and f.data_type == "n"
    assert yes.value is True
    assert none.value is None
    assert len(rows) == 2  # no note row: the answer is whole


def test_thai_label_is_exactly_the_stored_one(client, project) -> None:
    resp = client.get("/sparql?" + urlencode({"query": QUERY, "format": "xlsx"}))
    rows = client.get("/sparql?" + urlencode({"query": QUERY, "format": "json"})).get_json()
    expected = rows["results"]["bindings"][0]["label"]["value"]
    assert sheet(resp.data)["B2"].value == expected


def test_ask_as_xlsx(client) -> None:
    resp = client.get("/sparql?" + urlencode({"query": "ASK { ?s ?p ?o }", "format": "xlsx"}))
    assert resp.status_code == 200
    assert values(sheet(resp.data)) == [["_askResult"], [True]]


def test_a_cut_answer_ends_with_a_visible_note_row() -> None:
    store = ox.Store()
    for i in range(5):
        store.add(
            ox.Quad(
                ox.NamedNode(f"http://example.org/{i}"),
                ox.NamedNode("http://example.org/p"),
                ox.Literal(str(i)),
            )
        )
    req = Request("SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?o", "xlsx", row_cap=3)
    out = write_answer(store.query(req.query), req)
    assert out.truncated and out.body
    rows = values(sheet(out.body))
    assert len(rows) == 1 + 3 + 1
    note = rows[-1][0]
    assert "3" in note and "row cap" in note and "ถูกตัด" in note
    whole = to_xlsx(["s"], [(ox.NamedNode("http://example.org/x"),)], truncated=False)
    assert values(sheet(whole)) == [["s"], ["http://example.org/x"]]


def test_control_characters_and_long_text_do_not_break_the_file() -> None:
    body = to_xlsx(["t"], [(ox.Literal("a\x00b\x07c"),), (ox.Literal("ก" * 40000),)])
    rows = values(sheet(body))
    assert rows[1] == ["abc"] and len(rows[2][0]) == 32767


def test_curated_query_as_xlsx_by_suffix_format_and_accept(client) -> None:
    by_suffix = client.get("/queries/plan-items.xlsx?lang=en")
    assert by_suffix.status_code == 200, by_suffix.data[:300]
    assert by_suffix.mimetype == XLSX
    assert 'filename="plan-items.xlsx"' in by_suffix.headers["Content-Disposition"]
    as_json = client.get("/queries/plan-items.json?lang=en").get_json()
    variables = as_json["head"]["vars"]
    ws = sheet(by_suffix.data)
    rows = values(ws)
    assert rows[0] == [heading(v, "en") for v in variables]  # the header row in the page's language
    assert rows[0][:3] == ["Plan", "Language", "Item"]
    thai = values(sheet(client.get("/queries/plan-items.xlsx?lang=th").data))
    assert thai[0][:3] == ["แผน", "ภาษา", "องค์ประกอบ"]
    assert len(rows) == 1 + len(as_json["results"]["bindings"])
    col = {v: i for i, v in enumerate(variables)}
    first = as_json["results"]["bindings"][0]
    assert rows[1][col["item"]] == first["item"]["value"]
    assert ws.cell(2, col["item"] + 1).hyperlink.target == first["item"]["value"]
    if "position" in first:
        assert isinstance(rows[1][col["position"]], int)
    for other in (
        client.get("/queries/plan-items?lang=en&format=xlsx"),
        client.get("/queries/plan-items?lang=en", headers={"Accept": XLSX}),
    ):
        assert other.mimetype == XLSX and values(sheet(other.data)) == rows


def test_query_page_offers_the_spreadsheet(client) -> None:
    html = client.get("/queries/plan-items?lang=en").get_data(as_text=True)
    assert "/queries/plan-items.xlsx?" in html
    listing = client.get("/queries.json").get_json()
    assert all(q["xlsx"].startswith(f"/queries/{q['name']}.xlsx") for q in listing["queries"])


def planlink(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "planlink.cli", *args], cwd=ROOT, capture_output=True, check=False, timeout=300
    )


def test_cli_query_xlsx(tmp_path, client) -> None:
    out = tmp_path / "items.xlsx"
    r = planlink("query", "plan-items", "-p", "lang=th", "--format", "xlsx", "-o", str(out))
    assert r.returncode == 0, r.stderr
    rows = values(sheet(out.read_bytes()))
    web = values(sheet(client.get("/queries/plan-items.xlsx?lang=th").data))
    assert rows == web
    assert any(
        isinstance(v, str) and any("\u0e00" <= ch <= "\u0e7f" for ch in v) for row in rows for v in row
    )


@pytest.mark.parametrize("lang", ["th", "en"])
def test_report_xlsx_one_sheet_per_table(project, client, tmp_path, lang: str) -> None:
    from planlink.readmodels import alignment

    report = alignment.build(project, None, None, lang)
    resp = client.get(f"/reports/alignment.xlsx?lang={lang}")
    assert resp.status_code == 200 and resp.mimetype == XLSX
    wb = load_workbook(io.BytesIO(resp.data))
    assert len(wb.sheetnames) == 8
    thai = any("\u0e00" <= ch <= "\u0e7f" for name in wb.sheetnames for ch in name)
    assert thai == (lang == "th")
    summary = wb.worksheets[0]
    assert summary["B2"].value == report.source.label and summary["B2"].hyperlink.target == report.source.iri
    # the headline figures are numbers equal to the model's
    figures = {r[0].value: [c.value for c in r[1:]] for r in summary.iter_rows(min_row=7, max_row=9)}
    for kind in alignment.COVERED_KINDS:
        counts = figures[alignment.kind_name(kind, lang)]
        assert counts == [report.coverage.get(kind, {}).get(r, 0) for r in alignment.LEVELS] + [
            report.totals(kind)
        ]
    links = wb.worksheets[6]
    assert links.max_row == 1 + len(report.links)
    first = report.links[0]
    assert links["A2"].value == first.subject.display and links["A2"].hyperlink.target == first.subject.iri
    assert links["D2"].value == first.rank and links["F2"].value == (first.rationale or None)
    matrix = wb.worksheets[2]
    assert matrix.max_column == 1 + len(report.heatmap.columns)
    assert all(
        isinstance(c.value, int)
        for row in matrix.iter_rows(min_row=2, max_row=1 + len(report.heatmap.rows), min_col=2)
        for c in row
    )
    gaps = wb.worksheets[3]
    assert gaps.max_row >= 1 + len(report.source_gaps)
    if lang == "th":
        out = tmp_path / "report.xlsx"
        r = planlink("report", "--format", "xlsx", "--lang", "th", "-o", str(out))
        assert r.returncode == 0, r.stderr
        cli = load_workbook(out)
        assert cli.sheetnames == wb.sheetnames
        assert [[c.value for c in r] for r in cli.worksheets[6].iter_rows()] == [
            [c.value for c in r] for r in links.iter_rows()
        ]

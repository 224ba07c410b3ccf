"""Plan workbooks (issue 12): the template, import with validation and precise messages, export and the exact
round trip, every kind of bad input. The workbooks are real files, made with openpyxl as an author makes them."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
import rdflib
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from planlink.readmodels.workbook.layout import INDICATOR, PLAN, SHEETS
from rdflib.compare import isomorphic
from workbooks import PLAN_ROW, ROOT, ROWS, fill, filled, planlink, put, template

PLAN_IRI = "https://w3id.org/planlink/id/test-province-2567"


# -- the template ------------------------------------------------------------------------------------------


def test_template_has_a_guide_then_one_sheet_per_kind_with_thai_and_english_headers(tmp_path):
    out = tmp_path / "plan.xlsx"
    r = planlink("template", "--lang", "th", "-o", str(out))
    assert r.returncode == 0, r.stderr
    wb = load_workbook(out)
    assert wb.sheetnames == ["วิธีกรอก", *(s.title for s in SHEETS)]
    assert "วิธีกรอก" in wb["วิธีกรอก"]["A1"].value
    guide = "\n".join(str(c.value) for c in wb["วิธีกรอก"]["A"] if c.value)
    assert "อย่าผสานเซลล์" in guide and "ตัวชี้วัด!C12" in guide
    for sheet in SHEETS:
        ws = wb[sheet.title]
        assert [c.value for c in ws[1]] == [c.th for c in sheet.columns]
        assert [c.value for c in ws[2]] == [c.key for c in sheet.columns]
        assert ws.max_row == 2  # empty below the headers
    wanted = {
        ("แผน", "B"): "ClusterPlan",  # kind
        ("ตัวชี้วัด", "D"): "Percent",  # unit
        ("ตัวชี้วัด", "E"): "Increase",  # direction
        ("ตัวชี้วัด", "B"): "ประเด็นการพัฒนา",  # parent: the issues sheet's numbers
        ("เป้าหมาย", "A"): "ประเด็นการพัฒนา",
        ("แนวทางการพัฒนา", "A"): "ประเด็นการพัฒนา",
        ("วัตถุประสงค์", "A"): "ประเด็นการพัฒนา",
    }
    for (title, col), needle in wanted.items():
        rules = [
            dv for dv in wb[title].data_validations.dataValidation if f"{col}3" in str(dv.sqref).split(":")[0]
        ]
        assert rules and rules[0].type == "list" and needle in rules[0].formula1, (title, col)


def test_template_in_english_has_an_english_guide(tmp_path):
    out = tmp_path / "plan-en.xlsx"
    assert planlink("template", "--lang", "en", "-o", str(out)).returncode == 0
    wb = load_workbook(out)
    assert wb.sheetnames[0] == "How to fill in" and wb.sheetnames[1:] == [s.title for s in SHEETS]
    assert "Do not merge cells" in "\n".join(str(c.value) for c in wb.worksheets[0]["A"] if c.value)


def test_the_empty_template_does_not_import(tmp_path):
    r = planlink("import", str(template(tmp_path)), "-o", str(tmp_path / "x.ttl"), "--lang", "th")
    assert r.returncode == 1
    assert "แผน!A3: ยังไม่ได้กรอกข้อมูลของแผน" in r.stderr
    assert not (tmp_path / "x.ttl").exists()


# -- import ------------------------------------------------------------------------------------------------


def test_import_mints_the_iris_keeps_verbatim_text_and_validates(tmp_path):
    out = tmp_path / "test-province-2567.ttl"
    r = planlink("import", str(filled(tmp_path)), "-o", str(out))
    assert r.returncode == 0, r.stderr
    g = rdflib.Graph().parse(out)
    P = rdflib.Namespace("https://w3id.org/planlink/def/plan#")
    ind = rdflib.URIRef(PLAN_IRI + "/indicator/1")
    assert set(map(str, g.objects(ind, rdflib.SKOS.notation))) == {"1", "1.1"}
    assert int(g.value(ind, P.planLevelPosition)) == 1 and int(g.value(ind, P.position)) == 1
    assert g.value(ind, P.unit) == P.Percent and g.value(ind, P.direction) == P.Increase
    assert len(set(g.objects(ind, P.sourceText))) == 2
    assert (rdflib.URIRef(PLAN_IRI + "/issue/1"), P.hasIndicator, ind) in g
    issue_only = rdflib.URIRef(PLAN_IRI + "/issue/2/indicator/1")
    assert str(g.value(issue_only, rdflib.SKOS.notation)) == "2.1"
    mission = rdflib.URIRef(PLAN_IRI + "/mission/1")
    labels = {o.language: str(o) for o in g.objects(mission, rdflib.SKOS.prefLabel)}
    assert labels == {"th": "ส่งเสริมการท่องเที่ยว", "en": "Promote tourism"}
    assert str(g.value(mission, P.sourceText)) == "1. ส่งเสริมการท่องเที่ยว"  # verbatim, numbering and all
    assert (rdflib.URIRef(PLAN_IRI + "/issue/1/objective"), rdflib.RDF.type, P.Objective) in g
    assert (rdflib.URIRef(PLAN_IRI + "/target"), rdflib.RDF.type, P.DevelopmentTarget) in g
    v = planlink("validate", str(out), str(ROOT / "data" / "areas.ttl"))
    assert v.returncode == 0, v.stdout
    text = out.read_text("utf-8")
    assert text.startswith("# planlink data: แผนพัฒนาจังหวัดทดสอบ")
    assert "@prefix plan:" in text and "# ---" in text and "\n    a plan:ProvincialPlan ;" in text


def test_import_is_stable_so_two_imports_diff_line_by_line(tmp_path):
    a, b = tmp_path / "a.ttl", tmp_path / "b.ttl"
    book = filled(tmp_path)
    assert planlink("import", str(book), "-o", str(a)).returncode == 0
    wb = load_workbook(book)
    put(wb["พันธกิจ"], 4, {"English label": "Improve people's quality of life"})
    wb.save(tmp_path / "b.xlsx")
    assert planlink("import", str(tmp_path / "b.xlsx"), "-o", str(b)).returncode == 0
    import difflib

    diff = [
        line
        for line in difflib.unified_diff(
            a.read_text().splitlines(), b.read_text().splitlines(), lineterm="", n=0
        )
        if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))
    ]
    assert len(diff) == 4, diff  # the header's file name, and the one label changed
    assert any("Improve people" in line for line in diff)


def test_import_writes_data_slug_ttl_by_default(tmp_path):
    root = tmp_path / "project"
    for folder in ("ontology", "shapes", "queries", "data"):
        (root / folder).mkdir(parents=True)
        for f in (ROOT / folder).iterdir():
            if f.is_file():
                (root / folder / f.name).write_bytes(f.read_bytes())
    r = planlink("--root", str(root), "import", str(filled(tmp_path)))
    assert r.returncode == 0, r.stderr
    assert (root / "data" / "test-province-2567.ttl").is_file()
    assert not [p for p in (root / "data").iterdir() if p.name.endswith(".tmp")]


def test_ods_is_read_with_calamine(tmp_path):
    from planlink.readmodels.workbook.reader import load_raw

    path = tmp_path / "plan.ods"
    write_ods(
        path, {"แผน": [["Plan slug", "Plan kind"], ["x", None], ["abc", "แผนพัฒนาจังหวัด (ProvincialPlan)"]]}
    )
    sheets = load_raw(path)
    assert sheets[0].title == "แผน"
    assert sheets[0].cells[2] == ["abc", "แผนพัฒนาจังหวัด (ProvincialPlan)"]
    # and as a whole: the made-up plan written as .ods imports like the .xlsx
    book = load_workbook(filled(tmp_path))
    ods = tmp_path / "whole.ods"
    write_ods(ods, {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book.worksheets})
    r = planlink("import", str(ods), "-o", str(tmp_path / "from-ods.ttl"))
    assert r.returncode == 0, r.stderr
    assert planlink("import", str(filled(tmp_path)), "-o", str(tmp_path / "from-xlsx.ttl")).returncode == 0
    assert isomorphic(
        rdflib.Graph().parse(tmp_path / "from-ods.ttl"), rdflib.Graph().parse(tmp_path / "from-xlsx.ttl")
    )


def write_ods(path: Path, sheets: dict[str, list[list]]) -> None:
    """A minimal OpenDocument spreadsheet (no library here writes .ods): the test's fixture, not a reader."""
    from xml.sax.saxutils import escape

    def cell(v) -> str:  # type: ignore[no-untyped-def]
        if v is None:
            return "<table:table-cell/>"
        if isinstance(v, int | float) and not isinstance(v, bool):
            return f'<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>'
        lines = "".join(f"<text:p>{escape(x)}</text:p>" for x in str(v).split("\n"))
        return f'<table:table-cell office:value-type="string">{lines}</table:table-cell>'

    tables = "".join(
        f'<table:table table:name="{escape(name)}">'
        + "".join("<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>" for row in rows)
        + "</table:table>"
        for name, rows in sheets.items()
    )
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    )
    content = f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} office:version="1.2"><office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>'
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(
            "mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED
        )
        z.writestr("content.xml", content)
        z.writestr("META-INF/manifest.xml", manifest)


# -- export and the round trip -----------------------------------------------------------------------------


@pytest.mark.parametrize("slug", ["nakhon-sawan-2564", "lower-north-1"])
def test_export_then_import_gives_the_shipped_graph(tmp_path, slug):
    book, ttl = tmp_path / f"{slug}.xlsx", tmp_path / f"{slug}.ttl"
    r = planlink("export", "--plan", slug, "--format", "xlsx", "-o", str(book))
    assert r.returncode == 0, r.stderr
    assert load_workbook(book).sheetnames[1:] == [s.title for s in SHEETS]
    r = planlink("import", str(book), "-o", str(ttl))
    assert r.returncode == 0, r.stderr
    shipped = rdflib.Graph().parse(ROOT / "data" / f"{slug}.ttl")
    assert isomorphic(rdflib.Graph().parse(ttl), shipped)


def test_export_of_an_unknown_plan_or_without_xlsx_is_refused(tmp_path):
    r = planlink("export", "--plan", "atlantis", "--format", "xlsx", "-o", str(tmp_path / "x.xlsx"))
    assert r.returncode == 1 and "atlantis" in r.stderr
    r = planlink("export", "--plan", "lower-north-1", "--format", "turtle")
    assert r.returncode == 2 and "--format xlsx" in r.stderr


def test_export_refuses_a_plan_a_workbook_cannot_hold(tmp_path):
    from planlink.foundation.errors import DataFileError
    from planlink.readmodels.workbook.exporter import export_workbook

    g = rdflib.Graph().parse(ROOT / "data" / "nakhon-sawan-2564.ttl")
    plan = rdflib.URIRef("https://w3id.org/planlink/id/nakhon-sawan-2564")
    g.add((plan, rdflib.RDFS.seeAlso, rdflib.URIRef("https://example.org/")))
    with pytest.raises(DataFileError, match="1 statement"):
        export_workbook(g, plan)


# -- bad input: a precise message each, exit 1 (problems) or 2 (unreadable), no file written ---------------


def bad(tmp_path: Path, change, lang: str = "en") -> tuple[int, str]:  # type: ignore[no-untyped-def]
    book = filled(tmp_path)
    wb = load_workbook(book)
    change(wb)
    wb.save(book)
    out = tmp_path / "out.ttl"
    r = planlink("import", str(book), "-o", str(out), "--lang", lang)
    assert not out.exists(), "a file was written for a bad workbook"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    return r.returncode, r.stderr


def test_merged_cells(tmp_path):
    code, err = bad(tmp_path, lambda wb: wb["พันธกิจ"].merge_cells("B3:C4"))
    assert code == 1 and "พันธกิจ!B3: the cells B3:C4 are merged" in err


def test_empty_row_between_items(tmp_path):
    def change(wb):  # type: ignore[no-untyped-def]
        wb["พันธกิจ"].insert_rows(4)

    code, err = bad(tmp_path, change, "th")
    assert code == 1 and "พันธกิจ!4:4: แถว 4 ว่าง แต่ยังมีข้อมูลในแถวถัดไป" in err


def test_parent_that_does_not_exist(tmp_path):
    code, err = bad(tmp_path, lambda wb: put(wb["เป้าหมาย"], 4, {"Issue": 7}))
    assert code == 1 and "เป้าหมาย!A4: there is no development issue 7" in err


def test_duplicated_number(tmp_path):
    code, err = bad(tmp_path, lambda wb: put(wb["พันธกิจ"], 4, {"Number": 1}), "th")
    assert code == 1 and "พันธกิจ!A4: ลำดับที่ 1 ซ้ำกับแถว 3" in err


def test_duplicated_number_within_an_issue(tmp_path):
    code, err = bad(tmp_path, lambda wb: put(wb["แนวทางการพัฒนา"], 4, {"Issue": 1}))
    assert code == 1 and "แนวทางการพัฒนา!B4: number 1.1 is also used in row 3" in err


def test_text_in_a_number_column(tmp_path):
    code, err = bad(tmp_path, lambda wb: put(wb["ตัวชี้วัด"], 4, {"Number under the issue": "หนึ่ง"}))
    assert code == 1 and "ตัวชี้วัด!C4: must be a whole number above zero (e.g. 1, 2, 3), not “หนึ่ง”" in err


def test_a_value_not_in_a_closed_list(tmp_path):
    code, err = bad(tmp_path, lambda wb: put(wb["ตัวชี้วัด"], 3, {"Unit": "บาท"}), "th")
    assert code == 1 and "ตัวชี้วัด!D3: “บาท” ไม่ใช่ค่าที่เลือกได้" in err


def test_a_required_cell_left_empty(tmp_path):
    code, err = bad(tmp_path, lambda wb: put(wb["ประเด็นการพัฒนา"], 3, {"English label": None}))
    assert code == 1 and "ประเด็นการพัฒนา!D3: “English label” must be filled in" in err


def test_a_renamed_sheet(tmp_path):
    def change(wb):  # type: ignore[no-untyped-def]
        wb["ตัวชี้วัด"].title = "KPI"

    code, err = bad(tmp_path, change, "th")
    assert code == 1
    assert "KPI: แผ่นงาน “KPI” ไม่ใช่แผ่นงานของแม่แบบ (ถ้าเปลี่ยนชื่อมาจาก “ตัวชี้วัด” ให้เปลี่ยนกลับเป็นชื่อเดิม)" in err
    assert "ตัวชี้วัด: ไม่พบแผ่นงาน “ตัวชี้วัด”" in err


def test_a_missing_sheet(tmp_path):
    code, err = bad(tmp_path, lambda wb: wb.remove(wb["ห่วงโซ่คุณค่า"]))
    assert code == 1 and "ห่วงโซ่คุณค่า: the sheet “ห่วงโซ่คุณค่า” (Value chain) of the template is missing" in err


def test_a_moved_column(tmp_path):
    code, err = bad(tmp_path, lambda wb: wb["พันธกิจ"].move_range("B1:B9", cols=20))
    assert code == 1 and "พันธกิจ!B2: the column header should be “Thai text as in the source”" in err


def test_a_shape_violation_names_its_cell(tmp_path):
    # Neither a fiscal year nor a period statement: only the shapes know that a plan needs one of them.
    code, err = bad(tmp_path, lambda wb: put(wb["แผน"], 3, {"Fiscal year (B.E.)": None}))
    assert code == 1 and "แผน!H3:" in err and "plan:periodStatement" in err


def test_a_file_that_is_not_a_workbook(tmp_path):
    fake = tmp_path / "plan.xlsx"
    fake.write_text("this is not a spreadsheet", "utf-8")
    r = planlink("import", str(fake), "-o", str(tmp_path / "x.ttl"), "--lang", "th")
    assert r.returncode == 2 and "อ่านไฟล์นี้เป็นสมุดงานไม่ได้" in r.stderr
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(broken, "w") as z:
        z.writestr("hello.txt", "a zip, but not a workbook")
    r = planlink("import", str(broken), "-o", str(tmp_path / "x.ttl"))
    assert r.returncode == 2 and "cannot be read as a workbook" in r.stderr
    other = tmp_path / "plan.csv"
    other.write_text("a,b\n", "utf-8")
    r = planlink("import", str(other))
    assert r.returncode == 2 and "unknown file type .csv" in r.stderr
    assert not (tmp_path / "x.ttl").exists()


def test_a_50_mb_file(tmp_path):
    big = tmp_path / "big.xlsx"
    with big.open("wb") as f:
        f.truncate(50 * 1000 * 1000)
    r = planlink("import", str(big), "-o", str(tmp_path / "x.ttl"))
    assert r.returncode == 2 and "the file is 50.0 MB, more than the largest accepted, 10.0 MB" in r.stderr
    assert "PLANLINK_UPLOAD_CAP" in r.stderr and not (tmp_path / "x.ttl").exists()


def test_a_small_file_that_unpacks_to_gigabytes(tmp_path):
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * 250_000_000)
    assert bomb.stat().st_size < 1_000_000
    r = planlink("import", str(bomb), "-o", str(tmp_path / "x.ttl"), "--lang", "th")
    assert r.returncode == 2 and "ข้อมูลในไฟล์เมื่อขยายออกมีขนาด 250.0 MB ซึ่งเกิน 200.0 MB" in r.stderr


def test_a_failed_import_leaves_the_existing_file_as_it_was(tmp_path):
    out = tmp_path / "plan.ttl"
    out.write_text("# the previous import\n", "utf-8")
    book = filled(tmp_path)
    wb = load_workbook(book)
    put(wb["เป้าหมาย"], 3, {"Issue": 9})
    wb.save(book)
    assert planlink("import", str(book), "-o", str(out)).returncode == 1
    assert out.read_text("utf-8") == "# the previous import\n"


def test_every_message_exists_in_thai_and_english():
    from planlink.readmodels.workbook.messages import MESSAGES

    thai = __import__("re").compile(r"[\u0E00-\u0E7F]")
    for key, (th, en) in MESSAGES.items():
        assert thai.search(th), key
        assert not thai.search(en.replace("“", "").replace("”", "")) or key == "bad-choice", key


assert PLAN_ROW and ROWS and fill  # the shared fixtures of tests/workbooks.py


# -- links between items, several notes in a cell, the earlier edition ----------------------------------------


def test_links_between_items_are_named_by_number_in_either_row_and_made_both_ways(tmp_path):
    def change(wb):  # type: ignore[no-untyped-def]
        put(wb["ห่วงโซ่คุณค่า"], 3, {"Number": 1, "Thai text as in the source": "การตลาดท่องเที่ยว"})
        put(wb["ห่วงโซ่คุณค่า"], 3, {"English label": "Tourism marketing", "Value chain of issues": "1, 2"})
        put(wb["ห่วงโซ่คุณค่า"], 3, {"Editorial note (Thai)": "กล่าวซ้ำ “การท่องเที่ยว” และ “เกษตร”"})
        put(wb["ห่วงโซ่คุณค่า"], 3, {"Editorial note (English)": "Restates “tourism” and “farming”."})
        put(wb["ตัวชี้วัด"], 4, {"Near duplicate of": "1"})  # 2.1 ~ plan-level 1, written on 2.1's row only
        put(wb["ตัวชี้วัด"], 3, {"Related indicators": "2.1"})
        notes = "ตัวชี้วัด 2.1 วัดเรื่องเดียวกับตัวชี้วัดที่ 1\n\nข้อความเดิมสะกดตามต้นฉบับ"
        put(wb["ตัวชี้วัด"], 4, {"Editorial note (Thai)": notes, "Editorial note (English)": "2.1 restates 1."})
        put(wb["ตัวชี้วัด"], 3, {"Editorial note (Thai)": "ซ้ำกับ 2.1", "Editorial note (English)": "Same as 2.1."})

    book = filled(tmp_path)
    wb = load_workbook(book)
    change(wb)
    wb.save(book)
    out = tmp_path / "linked.ttl"
    r = planlink("import", str(book), "-o", str(out))
    assert r.returncode == 0, r.stderr
    g = rdflib.Graph().parse(out)
    P = rdflib.Namespace("https://w3id.org/planlink/def/plan#")
    chain, one, two = (rdflib.URIRef(PLAN_IRI + x) for x in ("/value-chain/1", "/issue/1", "/issue/2"))
    assert set(g.objects(chain, P.valueChainOf)) == {one, two}
    assert {(one, rdflib.SKOS.related, chain), (chain, rdflib.SKOS.related, one)} <= set(g)
    assert (one, P.valueChainOf, chain) not in g  # the sub-property runs from the element only
    plan_level, under = (
        rdflib.URIRef(PLAN_IRI + "/indicator/1"),
        rdflib.URIRef(PLAN_IRI + "/issue/2/indicator/1"),
    )
    assert (plan_level, P.nearDuplicateOf, under) in g and (under, P.nearDuplicateOf, plan_level) in g
    assert (plan_level, rdflib.SKOS.related, under) in g and (under, rdflib.SKOS.related, plan_level) in g
    notes = {str(o) for o in g.objects(under, rdflib.SKOS.editorialNote) if o.language == "th"}
    assert notes == {"ตัวชี้วัด 2.1 วัดเรื่องเดียวกับตัวชี้วัดที่ 1", "ข้อความเดิมสะกดตามต้นฉบับ"}
    # and back: the exported workbook holds the same graph (exactly, or export refuses)
    again = tmp_path / "again.xlsx"
    data = tmp_path / "data"
    data.mkdir()
    out.rename(data / out.name)
    (data / "areas.ttl").write_text((ROOT / "data" / "areas.ttl").read_text("utf-8"), "utf-8")
    r = planlink(
        "--root",
        str(tmp_path),
        "export",
        "--plan",
        "test-province-2567",
        "--format",
        "xlsx",
        "-o",
        str(again),
    )
    assert r.returncode == 0, r.stderr
    ws = load_workbook(again)["ตัวชี้วัด"]
    header = [c.value for c in ws[2]]
    rows = {
        tuple(ws.cell(i, 1 + header.index(k)).value for k in ("Plan-level number", "Issue")): i
        for i in (3, 4)
    }

    def cell(row: tuple, key: str) -> object:
        return ws.cell(rows[row], 1 + header.index(key)).value

    assert (
        cell((1, 1), "Near duplicate of") == "2.1" and cell((None, 2), "Near duplicate of") == "1"
    )  # both rows
    assert cell((1, 1), "Related indicators") is None  # a near duplicate is related already
    chains = load_workbook(again)["ห่วงโซ่คุณค่า"]
    assert chains.cell(3, 1 + [c.value for c in chains[2]].index("Value chain of issues")).value == "1, 2"


def test_a_link_to_an_item_that_does_not_exist(tmp_path):
    code, err = bad(tmp_path, lambda wb: put(wb["ตัวชี้วัด"], 3, {"Related indicators": "2.1, 4.10"}), "th")
    letter = get_column_letter(1 + [c.key for c in INDICATOR.columns].index("Related indicators"))
    assert code == 1 and f"ตัวชี้วัด!{letter}3: ไม่พบตัวชี้วัดที่ 4.10 ในแผ่นงาน “ตัวชี้วัด”" in err


def test_a_link_that_is_not_numbers(tmp_path):
    code, err = bad(tmp_path, lambda wb: put(wb["ตัวชี้วัด"], 3, {"Near duplicate of": "ตัวที่สอง"}))
    assert code == 1 and "is not item numbers separated by commas" in err


def test_the_earlier_edition_needs_its_relation(tmp_path):
    code, err = bad(tmp_path, lambda wb: put(wb["แผน"], 3, {"Earlier edition (slug)": "test-province-2566"}))
    letter = get_column_letter(1 + [c.key for c in PLAN.columns].index("Relation to the earlier edition"))
    assert code == 1 and f"แผน!{letter}3: fill in both “Earlier edition” and “Relation" in err


def test_unchanged_from_the_earlier_edition(tmp_path):
    def change(wb):  # type: ignore[no-untyped-def]
        put(wb["แผน"], 3, {"Earlier edition (slug)": "test-province-2566"})
        put(wb["แผน"], 3, {"Relation to the earlier edition": "ไม่มีการปรับปรุงจากฉบับก่อน (unchangedFrom)"})
        put(wb["แผน"], 3, {"Change note (Thai)": "ไม่มีการปรับปรุงจากปีงบประมาณ พ.ศ. 2566"})

    book = filled(tmp_path)
    wb = load_workbook(book)
    change(wb)
    wb.save(book)
    out = tmp_path / "unchanged.ttl"
    assert planlink("import", str(book), "-o", str(out)).returncode == 0
    g = rdflib.Graph().parse(out)
    plan, earlier = rdflib.URIRef(PLAN_IRI), rdflib.URIRef(PLAN_IRI.replace("2567", "2566"))
    assert (plan, rdflib.URIRef("https://w3id.org/planlink/def/plan#unchangedFrom"), earlier) in g
    assert (plan, rdflib.PROV.wasRevisionOf, None) not in g
    code, err = bad(tmp_path, lambda wb: (change(wb), put(wb["แผน"], 3, {"Change note (Thai)": None})))
    letter = get_column_letter(1 + [c.key for c in PLAN.columns].index("Change note (Thai)"))
    assert code == 1 and f"แผน!{letter}3: A plan that is unchanged from an earlier edition" in err

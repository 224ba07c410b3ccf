"""/validate (issue 12): a workbook or Turtle file checked in the page, problems linked to cells and lines,
Thai or English, nothing stored, size capped with 413 in the service's error shape."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from workbooks import ROOT, filled, put


@pytest.fixture(scope="module")
def small_cap_client():
    from planlink import create_app
    from planlink.foundation.settings import load_settings
    from planlink.project import open_project

    p = open_project(
        load_settings(
            {"root": str(ROOT), "access_log": False, "validate_on_start": False, "upload_cap": 200_000}
        )
    )
    yield create_app(project=p).test_client()
    p.close()


def post(client, data: bytes, name: str, lang: str = "th", accept: str = "text/html"):  # type: ignore[no-untyped-def]
    return client.post(
        f"/validate?lang={lang}", data={"file": (io.BytesIO(data), name)}, headers={"Accept": accept}
    )


def bad_book(tmp_path: Path) -> bytes:
    book = filled(tmp_path)
    wb = load_workbook(book)
    put(wb["ตัวชี้วัด"], 4, {"Number under the issue": "สอง"})
    put(wb["เป้าหมาย"], 4, {"Issue": 9})
    wb.save(book)
    return book.read_bytes()


def test_the_form(client):
    r = client.get("/validate?lang=th")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in html and "ตรวจสอบแผนก่อนส่ง" in html
    assert "/validate/template.xlsx" in html


def test_the_template_download(client, tmp_path):
    r = client.get("/validate/template.xlsx?lang=th")
    assert r.status_code == 200 and r.headers["Content-Disposition"].endswith(".xlsx")
    (tmp_path / "t.xlsx").write_bytes(r.data)
    assert load_workbook(tmp_path / "t.xlsx").sheetnames[0] == "วิธีกรอก"


def test_a_workbook_with_problems_shows_each_linked_to_its_cell(client, tmp_path):
    r = post(client, bad_book(tmp_path), "plan.xlsx", "th")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert 'href="#cell-ตัวชี้วัด-C4"><code>ตัวชี้วัด!C4</code></a>: ต้องเป็นจำนวนเต็มบวก' in html
    assert 'id="cell-ตัวชี้วัด-C4" class="problem"' in html
    assert "เป้าหมาย!A4" in html and "ไม่มีประเด็นการพัฒนาที่ 9" in html
    assert r.headers["Cache-Control"] == "no-store"


def test_messages_in_english(client, tmp_path):
    r = post(client, bad_book(tmp_path), "plan.xlsx", "en", "application/json")
    body = r.get_json()
    assert body["conforms"] is False and body["kind"] == "workbook"
    wheres = {p["where"]: p["message"] for p in body["problems"]}
    assert wheres["ตัวชี้วัด!C4"].startswith("must be a whole number above zero")
    assert wheres["เป้าหมาย!A4"].startswith("there is no development issue 9")


def test_a_good_workbook_conforms(client, tmp_path):
    r = post(client, filled(tmp_path).read_bytes(), "plan.xlsx", "en", "application/json")
    assert r.get_json()["conforms"] is True, r.get_json()


def test_turtle_violations_link_to_their_line(client):
    text = (ROOT / "data" / "nakhon-sawan-2564.ttl").read_text("utf-8")
    text = text.replace('"Growth rate of gross provincial product (GPP)"@en', '"GPP growth"@fr')
    r = post(client, text.encode(), "nakhon-sawan-2564.ttl", "en", "application/json")
    body = r.get_json()
    assert body["conforms"] is False
    line = (
        next(i for i, t in enumerate(text.split("\n"), start=1) if "GPP growth" in t) - 1
    )  # the property's line
    assert any(p["where"] == f"nakhon-sawan-2564.ttl:{line}" for p in body["problems"]), body["problems"]
    html = post(client, text.encode(), "nakhon-sawan-2564.ttl", "th").get_data(as_text=True)
    assert f'href="#L{line}"' in html and f'id="L{line}"' in html


def test_turtle_that_does_not_parse_names_its_line(client):
    r = post(
        client, b"@prefix x: <http://x/> .\nx:a x:b x:c .\nx:a x:b \n", "broken.ttl", "en", "application/json"
    )
    problems = r.get_json()["problems"]
    assert problems[0]["where"] == "broken.ttl:4" or problems[0]["where"].startswith("broken.ttl:")


def test_a_file_that_is_not_a_workbook(client):
    r = post(client, b"not a spreadsheet", "plan.xlsx", "th", "application/json")
    body = r.get_json()
    assert body["kind"] == "unreadable" and "อ่านไฟล์นี้เป็นสมุดงานไม่ได้" in body["problems"][0]["message"]


def test_another_file_type_is_a_400(client):
    r = post(client, b"a,b\n", "plan.csv", "en", "application/json")
    assert r.status_code == 400 and r.get_json()["error"] == "bad-request"


def test_a_file_over_the_cap_is_413_in_the_error_shape(small_cap_client):
    r = post(small_cap_client, b"x" * 300_000, "plan.xlsx", "th", "application/json")
    assert r.status_code == 413
    body = r.get_json()
    assert body["error"] == "payload-too-large" and body["status"] == 413 and body["limit"] == 200_000
    assert "เกินขนาดสูงสุดที่รับได้ 200 kB" in body["message"] and "PLANLINK_UPLOAD_CAP" in body["message"]
    r = post(small_cap_client, b"x" * 300_000, "plan.xlsx", "en", "text/html")
    assert r.status_code == 413 and "more than the largest accepted" in r.get_data(as_text=True)


def test_nothing_is_stored(client, tmp_path):
    import tempfile

    before = set(Path(tempfile.gettempdir()).glob("planlink-validate-*"))
    data_before = sorted(p.name for p in (ROOT / "data").iterdir())
    post(client, filled(tmp_path).read_bytes(), "plan.xlsx")
    assert set(Path(tempfile.gettempdir()).glob("planlink-validate-*")) == before
    assert sorted(p.name for p in (ROOT / "data").iterdir()) == data_before

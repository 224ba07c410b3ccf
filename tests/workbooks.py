"""Workbooks for the tests, made as a plan author makes them: the template, filled in with openpyxl."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parents[1]

# A small made-up plan: Phitsanulok FY2567 (not a real document), one of each kind of item.
PLAN_ROW = {
    "Plan slug": "test-province-2567",
    "Plan kind": "แผนพัฒนาจังหวัด (ProvincialPlan)",
    "Thai title": "แผนพัฒนาจังหวัดทดสอบ ปีงบประมาณ พ.ศ. 2567",
    "English title": "Test Province Development Plan, Fiscal Year 2024 (B.E. 2567)",
    "Area": "phitsanulok",
    "Fiscal year (B.E.)": 2567,
    "Source file": "test_plan.txt",
}
ROWS: dict[str, list[dict[str, Any]]] = {
    "วิสัยทัศน์": [
        {
            "Number": 1,
            "Thai text as in the source": "เมืองน่าอยู่ เศรษฐกิจมั่นคง",
            "English label": "A liveable city with a secure economy",
        }
    ],
    "พันธกิจ": [
        {
            "Number": 1,
            "Thai text as in the source": "1. ส่งเสริมการท่องเที่ยว",
            "Corrected Thai label": "ส่งเสริมการท่องเที่ยว",
            "English label": "Promote tourism",
        },
        {
            "Number": 2,
            "Thai text as in the source": "2. พัฒนาคุณภาพชีวิต",
            "Corrected Thai label": "พัฒนาคุณภาพชีวิต",
            "English label": "Improve the quality of life",
        },
    ],
    "ประเด็นการพัฒนา": [
        {
            "Number": 1,
            "Thai text as in the source": "1. การท่องเที่ยวเชิงวัฒนธรรม",
            "Corrected Thai label": "การท่องเที่ยวเชิงวัฒนธรรม",
            "English label": "Cultural tourism",
        },
        {
            "Number": 2,
            "Thai text as in the source": "2. เกษตรปลอดภัย",
            "Corrected Thai label": "เกษตรปลอดภัย",
            "English label": "Safe agriculture",
        },
    ],
    "วัตถุประสงค์": [
        {
            "Issue": 1,
            "Thai text as in the source": "เพิ่มรายได้จากการท่องเที่ยว",
            "English label": "To raise tourism income",
        },
        {
            "Issue": 2,
            "Thai text as in the source": "ยกระดับสินค้าเกษตร",
            "English label": "To upgrade farm products",
        },
    ],
    "เป้าหมาย": [
        {
            "Issue": 1,
            "Number": 1,
            "Thai text as in the source": "1.1 นักท่องเที่ยวเพิ่มขึ้น",
            "Corrected Thai label": "นักท่องเที่ยวเพิ่มขึ้น",
            "English label": "More visitors",
        },
        {
            "Issue": 2,
            "Number": 1,
            "Thai text as in the source": "2.1 เกษตรกรได้รับมาตรฐาน GAP",
            "Corrected Thai label": "เกษตรกรได้รับมาตรฐาน GAP",
            "English label": "Farmers certified to GAP",
        },
    ],
    "ตัวชี้วัด": [
        {
            "Plan-level number": 1,
            "Issue": 1,
            "Number under the issue": 1,
            "Unit": "ร้อยละ (Percent)",
            "Direction": "เพิ่มขึ้น (Increase)",
            "Thai text as in the source": "1. ร้อยละที่เพิ่มขึ้นของรายได้จากการท่องเที่ยว",
            "Corrected Thai label": "ร้อยละที่เพิ่มขึ้นของรายได้จากการท่องเที่ยว",
            "English label": "Percentage increase in tourism income",
            "Thai text under the issue, if different": "1) ร้อยละที่เพิ่มขึ้นของรายได้จากการท่องเที่ยว",
        },
        {
            "Issue": 2,
            "Number under the issue": 1,
            "Unit": "จำนวน (Count)",
            "Thai text as in the source": "จำนวนแปลงเกษตรที่ได้รับมาตรฐาน GAP",
            "English label": "Number of farm plots certified to GAP",
        },
    ],
    "แนวทางการพัฒนา": [
        {
            "Issue": 1,
            "Number": 1,
            "Thai text as in the source": "1.1 พัฒนาแหล่งท่องเที่ยว",
            "Corrected Thai label": "พัฒนาแหล่งท่องเที่ยว",
            "English label": "Develop tourist attractions",
        },
        {
            "Issue": 2,
            "Number": 1,
            "Thai text as in the source": "2.1 ส่งเสริมเกษตรอินทรีย์",
            "Corrected Thai label": "ส่งเสริมเกษตรอินทรีย์",
            "English label": "Promote organic farming",
        },
    ],
    "ห่วงโซ่คุณค่า": [],
    "ปัจจัยความสำเร็จ": [
        {
            "Number": 1,
            "Thai text as in the source": "ความร่วมมือของภาคเอกชน",
            "English label": "Private-sector cooperation",
        },
    ],
}


def planlink(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "planlink.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def put(ws: Any, row: int, values: dict[str, Any]) -> None:
    """Write ``values`` (by English header, row 2) into row ``row`` of the sheet."""
    headers = [c.value for c in ws[2]]
    for key, value in values.items():
        ws.cell(row, headers.index(key) + 1).value = value  # (ws.cell(r, c, None) would keep the old value)


def fill(template: Path, out: Path, plan: dict[str, Any] | None = None, rows: dict | None = None) -> Path:
    wb = load_workbook(template)
    put(wb["แผน"], 3, plan or PLAN_ROW)
    for title, items in (rows or ROWS).items():
        for i, values in enumerate(items):
            put(wb[title], 3 + i, values)
    wb.save(out)
    return out


def template(tmp: Path, lang: str = "th") -> Path:
    path = tmp / f"template-{lang}.xlsx"
    if not path.exists():
        from planlink.readmodels.workbook.exporter import known_areas
        from planlink.readmodels.workbook.template import new_workbook

        new_workbook(lang, known_areas(ROOT)).save(path)
    return path


def filled(tmp: Path, name: str = "plan.xlsx") -> Path:
    return fill(template(tmp), tmp / name)
